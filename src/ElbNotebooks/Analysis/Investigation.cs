using ElbNotebooks.Loading;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The investigation of a loaded log (<c>log.Investigate()</c>): everything an <see cref="InvestigationResult"/> has,
/// plus the <see cref="Log"/> it judged, whose rows its suspects' example rows, its row charts and its incident report
/// read.
/// </summary>
public sealed partial class Investigation : InvestigationResult
{
    internal Investigation(AccessLog log, Judgement judged) : base(judged) => Log = log;

    /// <summary>The loaded log that was judged, rows and all.</summary>
    public AccessLog Log { get; }
}

/// <summary>
/// The investigation of inputs that were not kept: logs streamed block by block
/// (<see cref="AccessLogInvestigation.Investigate(IEnumerable{LogSource}, LoadOptions?, InvestigationOptions?)"/>, what
/// the <c>investigate</c> command does for its answer) or a bucket table
/// (<see cref="InvestigationResult.FromBuckets(BucketTable, InvestigationOptions?)"/>). It has the same verdicts, series
/// and <see cref="InvestigationResult.Inputs"/> as an <see cref="Investigation"/> of the loaded logs, but no rows:
/// what shows rows (row charts, the incident report) takes an <see cref="Investigation"/>.
/// </summary>
public sealed partial class StreamedInvestigation : InvestigationResult
{
    internal StreamedInvestigation(Judgement judged) : base(judged)
    {
    }
}
