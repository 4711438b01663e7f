using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;
using static ElbNotebooks.Tests.Support.TestLogs;

namespace ElbNotebooks.Tests.Reports;

/// <summary>A clock that always says the same time, so reports compare equal.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Noon = new(2024, 5, 2, 12, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>The reports the tests read: the sample logs (answer key in sample-logs/README.md) and a hostile log.</summary>
internal static class ReportSamples
{
    public static readonly ReportOptions Options = new() { Clock = new FixedClock(FixedClock.Noon) };

    private static readonly Lazy<IncidentReport> Both = new(() =>
        AccessLog.Load(Sample("elb-web-incident.log"), Sample("elb-refused-and-slow.log.gz")).Investigate().Report(Options));

    private static readonly Lazy<IncidentReport> Web = new(() => AccessLog.Load(Sample("elb-web-incident.log")).Investigate().Report(Options));

    /// <summary>Both sample logs in one report, as <c>investigate sample-logs/elb-web-incident.log sample-logs/elb-refused-and-slow.log.gz</c>.</summary>
    public static IncidentReport SampleLogs => Both.Value;

    public static IncidentReport WebIncident => Web.Value;

    public static string Sample(string name) => TestPaths.SampleLog(name);

    public const string HostileAgent = "<script>alert('ua')</script> | `tick` *star* _under_ [link](x) \\ & <img src=x onerror=alert(1)>";
    public const string HostilePath = "/a|b`c`*d*_e_<svg/onload=alert(2)>";
    public const string HostileListener = "web|<b>x</b>";

    /// <summary>Ten minutes in which backend B answers every request 500 to a hostile client; A and C are fine.</summary>
    public static IEnumerable<string> HostileLines()
    {
        for (var i = 0; i < 600; i++)
        {
            var t = T0.AddSeconds(i);
            yield return Line(t, 200, "200", "0.001", "0.020", "0.021", A, "/home", listener: HostileListener);
            yield return Line(t, 200, "200", "0.001", "0.025", "0.026", C, "/home", listener: HostileListener);
            yield return Line(t, 500, "500", "0.001", "0.300", "0.300", B, HostilePath, "POST", userAgent: HostileAgent, listener: HostileListener);
        }
    }

    /// <summary>The hostile log written to <paramref name="path"/> and loaded from the file (raw evidence lines).</summary>
    public static IncidentReport HostileFromFile(string path)
    {
        File.WriteAllText(path, string.Join("\n", HostileLines()) + "\n", new UTF8Encoding(false));
        return AccessLog.Load(path).Investigate().Report(Options);
    }

    /// <summary>The hostile log loaded from a stream (evidence from the parsed fields).</summary>
    public static IncidentReport HostileFromStream() => Load(HostileLines(), "hostile-stream.log").Investigate().Report(Options);
}
