using System.Globalization;
using System.Reflection;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Reports;

/// <summary>
/// Whom a suspect hurt, in its window: the investigation's own figures (<see cref="Suspect"/>), which
/// <c>investigate --json</c> gives too. <see cref="ClientsHurt"/> counts the distinct client addresses (remote_addr) of
/// the hurt requests; the traffic they are compared with is every request to the suspect's listener in the window, whose
/// distinct clients (<see cref="ClientsInWindow"/>) are counted from the loaded rows.
/// </summary>
public sealed record SuspectImpact(
    Suspect Suspect, long RequestsHurt, long ClientsHurt, long RequestsInWindow, long ClientsInWindow, long RequestsRetried, long FailedAttempts)
{
    /// <summary>Hurt requests as a share of the requests to the suspect's listener in its window.</summary>
    public double ShareOfTraffic => RequestsInWindow == 0 ? 0 : (double)RequestsHurt / RequestsInWindow;
}

internal sealed record SuspectFacts(Suspect Suspect, SuspectImpact Impact, string How, IReadOnlyList<WindowPeer> Peers, IReadOnlyList<EvidenceLine> Evidence)
{
    public WindowPeer? Self => Peers.FirstOrDefault(p => p.IsSuspect);
}

/// <summary>
/// Everything a report says, computed once, so the HTML and the Markdown tell the same story with the same numbers.
/// Its figures are the investigation's own, those the terminal and <c>investigate --json</c> give (counts exact,
/// latencies from its sketches), so a write-up and the JSON beside it never differ.
/// </summary>
internal sealed class ReportFacts
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public ReportFacts(Investigation investigation, ReportOptions options)
    {
        Investigation = investigation;
        Options = options;
        GeneratedAt = options.Clock.GetUtcNow();
        Version = GeneratorVersion;
        Suspects = investigation.Suspects.Select(Facts).ToList();
        Title = options.Title ?? DefaultTitle(investigation);

        var status = investigation.Timeline.Status;
        ClientSaw5xx = status.Status5xx.Sum();
        Backend5xx = status.Backend5xx.Sum();
        Lb5xx = status.Lb5xx.Sum();
        NoBackend5xx = status.NoBackend5xx.Sum();
        ClientsWith5xx = investigation.Traffic.Clients5xx ?? 0;
    }

    public Investigation Investigation { get; }
    public ReportOptions Options { get; }
    public string Title { get; }
    public DateTimeOffset GeneratedAt { get; }
    public string Version { get; }
    public IReadOnlyList<SuspectFacts> Suspects { get; }
    public AccessLog Log => Investigation.Log;
    public TimeSpan Offset => Investigation.UtcOffset;

    /// <summary>Requests whose client got a 5xx, in total and by who made it (from the investigation's timeline).</summary>
    public long ClientSaw5xx { get; }
    public long Backend5xx { get; }
    public long Lb5xx { get; }
    public long NoBackend5xx { get; }
    public long ClientsWith5xx { get; }
    public long Rescued => Investigation.Suspects.Sum(s => s.RequestsRetried);

    /// <summary>The library's informational version (e.g. <c>0.1.0+commit</c>).</summary>
    public static string GeneratorVersion { get; } =
        typeof(ReportFacts).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static string DefaultTitle(Investigation inv)
    {
        if (inv.NothingJudged) return "Access-log investigation: nothing judged (no request selected)";
        if (inv.Suspects.Count == 0) return "Access-log investigation: no failing or slow backend";
        var named = inv.Suspects.Take(3).Select(s => $"{s.Backend.Backend} {HealthNames.Of(s.Health)}");
        var more = inv.Suspects.Count > 3 ? string.Create(C, $" and {inv.Suspects.Count - 3} more") : "";
        return "Incident: " + string.Join(", ", named) + more;
    }

    private bool InRange(DateTime t) =>
        (Investigation.Options.From is not { } from || t >= from.UtcDateTime) && (Investigation.Options.To is not { } to || t < to.UtcDateTime);

    private bool Keep(DateTime t, string? listener) =>
        InRange(t) && (Investigation.Options.Listener is null || listener == Investigation.Options.Listener);

    /// <summary>
    /// The investigation's own figures for the suspect, as the terminal and the JSON give them; only the distinct clients
    /// of its listener's window, which the investigation does not count, come from the loaded rows.
    /// </summary>
    private SuspectFacts Facts(Suspect s)
    {
        var impact = new SuspectImpact(s, s.RequestsHurt, s.ClientsHurt ?? 0, s.ListenerRequests ?? 0, ClientsInWindow(s),
            s.RequestsRetried, s.FailedAttempts);
        var evidence = EvidenceReader.Read(Log, s.ExampleRequestRows.Take(Options.MaxEvidenceLines), s.Backend.Backend, s.Health);
        return new SuspectFacts(s, impact, How(s), s.Peers, evidence);
    }

    private long ClientsInWindow(Suspect s)
    {
        var w = s.Window;
        var r = Log.RequestColumns;
        var clients = new HashSet<string>(StringComparer.Ordinal);
        var times = r.Time.Values;
        var listeners = r.ListenerName.Values;
        var addrs = r.ClientIp.Values;
        for (var i = 0; i < times.Length; i++)
        {
            if (times[i] < w.StartUtc || times[i] >= w.EndUtc || !Keep(times[i], listeners[i])) continue;
            if ((listeners[i] ?? InvestigationAggregator.Unknown) == s.Backend.Listener) clients.Add(addrs[i] ?? "-");
        }
        return clients.Count;
    }

    /// <summary>One clause: how it failed, in the words an on-call engineer uses.</summary>
    private static string How(Suspect s)
    {
        var self = s.Peers.First(p => p.IsSuspect);
        if (s.Health == Health.Slow)
        {
            // The verdict's figures, as its reason gives them.
            var v = s.Backend.Verdict;
            return $"it answered slowly: response-header time p95 {Words.Seconds(v.HeaderP95)}" + (v.Baseline, v.BaselineHeaderP95) switch
            {
                (BaselineKind.Peers, { } peerP95) => $" against {Words.Seconds(peerP95)} on its peers (lower median)",
                (BaselineKind.OwnHistory, { } own) => $" against {Words.Seconds(own)} outside the window",
                _ => "",
            };
        }
        var codes = string.Join(", ", (self.ErrorStatuses ?? new Dictionary<int, long>()).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
            .Select(kv => string.Create(C, $"{kv.Key} × {kv.Value:N0}")));
        var made = self.Backend5xx >= self.Lb5xx ? "it answered 5xx itself (the load balancer passed its responses on)"
            : Parsing.AwsAlbFormat.IsLambda(s.Backend.Backend) ? "its invocations failed (the load balancer wrote 5xx for it: the function returned no valid response)"
            : "it refused or timed out connections (the load balancer wrote 502/504 for it; no response header)";
        return string.Create(C, $"{made}: {self.Errors:N0} of {self.Attempts:N0} attempts failed ({Words.Percent(self.ErrorRate)}; {codes})");
    }

    /// <summary>Per file: what was read, for provenance.</summary>
    public IReadOnlyList<FileParseReport> Files => Log.Report.Files;

    /// <summary>Every threshold the verdicts used, with its value and meaning, in the order of <see cref="InvestigationOptions"/>.</summary>
    public IReadOnlyList<(string Name, string Value, string Meaning)> Thresholds
    {
        get
        {
            var o = Investigation.Options;
            return
            [
                ("BucketSize", Words.Bucket(Investigation.BucketSize), "time series and window detection step" + (o.BucketSize is null ? " (picked for the range)" : "")),
                ("MinErrorRate", Words.Percent(o.MinErrorRate), "a failing backend's 5xx rate in its window is at least this"),
                ("MinErrorRatio", o.MinErrorRatio.ToString("0.##", C) + "×", "...and at least this multiple of its baseline (peers' median rate, or its own rate outside the window)"),
                ("MinErrors", o.MinErrors.ToString(C), "...with at least this many 5xx in the window; a verdict on fewer (only with nothing to compare with) is thin evidence"),
                ("MaxPValue", o.MaxPValue.ToString("G3", C), "...so many that the baseline explains them with at most this probability (binomial tail)"),
                ("MinBaselineRate", Words.Percent(o.MinBaselineRate), "floor of the baseline rate in that test"),
                ("MinPeerAttempts", o.MinPeerAttempts.ToString(C), "a peer counts only with this many attempts in the window"),
                ("MinBaselineAttempts", o.MinBaselineAttempts.ToString(C), "own history outside the window is a baseline only with this many attempts"),
                ("AbsoluteFailingErrorRate", Words.Percent(o.AbsoluteFailingErrorRate), "with nothing to compare with, this share of failed attempts is failing"),
                ("SlowRatio", o.SlowRatio.ToString("0.##", C) + "×", "a slow backend's header-time p95 is at least this multiple of its peers'"),
                ("SlowMinExcessSeconds", Words.Seconds(o.SlowMinExcessSeconds), "...and at least this much above it"),
                ("MinSlowSamples", o.MinSlowSamples.ToString(C), "...over at least this many responses in the window"),
                ("AbsoluteSlowHeaderSeconds", Words.Seconds(o.AbsoluteSlowHeaderSeconds), "with nothing to compare with, a header-time p95 this high is slow"),
                ("MaxGapBuckets", o.MaxGapBuckets.ToString(C), "abnormal buckets this close form one window"),
                ("MinBucketSamples", o.MinBucketSamples.ToString(C), "a bucket's header p95 is judged only with this many samples"),
            ];
        }
    }
}
