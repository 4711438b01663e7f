using ElbNotebooks.Charts;

// The `.Charts` members live in the namespaces of the types they extend, so `log.Charts` and
// `investigation.Charts` need no extra using; they are declared here, in the Charts stage, so Loading and
// Analysis keep no reference to it.

namespace ElbNotebooks.Loading
{
    /// <summary><c>log.Charts</c>.</summary>
    public static class AccessLogChartsExtensions
    {
        extension(AccessLog log)
        {
            /// <summary>Charts of the whole log (see <see cref="LogCharts"/>).</summary>
            public LogCharts Charts => new(log);
        }
    }
}

namespace ElbNotebooks.Analysis
{
    /// <summary><c>investigation.Charts</c>.</summary>
    public static class InvestigationChartsExtensions
    {
        extension(Investigation investigation)
        {
            /// <summary>Charts of the investigation (see <see cref="InvestigationCharts"/>).</summary>
            public InvestigationCharts Charts => new(investigation);
        }
    }
}
