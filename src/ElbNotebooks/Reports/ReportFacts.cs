using System.Globalization;
using System.Reflection;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Reports;

/// <summary>
/// Whom a suspect hurt, in its window. <see cref="RequestsHurt"/> and <see cref="RequestsRetried"/> are the
/// investigation's own figures; <see cref="ClientsHurt"/> counts the distinct client addresses (remote_addr) of the
/// hurt requests; the traffic they are compared with is every request to the suspect's listener in the window.
/// </summary>
public sealed record SuspectImpact(
    Suspect Suspect, long RequestsHurt, long ClientsHurt, long RequestsInWindow, long ClientsInWindow, long RequestsRetried, long FailedAttempts)
{
    /// <summary>Hurt requests as a share of the requests to the suspect's listener in its window.</summary>
    public double ShareOfTraffic => RequestsInWindow == 0 ? 0 : (double)RequestsHurt / RequestsInWindow;
}

/// <summary>One backend of a suspect's pool over the suspect's window: the figures the suspect is compared with.</summary>
internal sealed record PeerRow(
    string Backend, bool IsSuspect, long Attempts, long Backend5xx, long Lb5xx, IReadOnlyDictionary<int, long> ErrorStatuses,
    LatencyStats Header, double? ConnectP95)
{
    public long Errors => Backend5xx + Lb5xx;
    public double ErrorRate => Attempts == 0 ? 0 : (double)Errors / Attempts;
}

internal sealed record SuspectFacts(Suspect Suspect, SuspectImpact Impact, string How, IReadOnlyList<PeerRow> Peers, IReadOnlyList<EvidenceLine> Evidence)
{
    public PeerRow? Self => Peers.FirstOrDefault(p => p.IsSuspect);
}

/// <summary>
/// Everything a report says, computed once, so the HTML and the Markdown tell the same story with the same numbers.
/// Every count comes from the investigation or from the same attempts it judged, with its filters (listener, range).
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
        ClientsWith5xx = CountClientsWith5xx();
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

    private SuspectFacts Facts(Suspect s)
    {
        var w = s.Window;
        var r = Log.RequestColumns;
        var clients = new HashSet<string>(StringComparer.Ordinal);
        long requests = 0;
        var times = r.Time.Values;
        var listeners = r.ListenerName.Values;
        var addrs = r.ClientIp.Values;
        for (var i = 0; i < times.Length; i++)
        {
            if (times[i] < w.StartUtc || times[i] >= w.EndUtc || !Keep(times[i], listeners[i])) continue;
            if ((listeners[i] ?? InvestigationAggregator.Unknown) != s.Backend.Listener) continue;
            requests++;
            clients.Add(addrs[i] ?? "-");
        }
        var hurt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in HurtRequestRows(s)) hurt.Add(addrs[(int)row] ?? "-");
        long hurtClients = hurt.Count;
        var impact = new SuspectImpact(s, s.RequestsHurt, hurtClients, requests, clients.Count, s.RequestsRetried, s.FailedAttempts);
        var peers = Peers(s);
        var evidence = EvidenceReader.Read(Log, s.ExampleRequestRows.Take(Options.MaxEvidenceLines), s.Backend.Backend, s.Health);
        return new SuspectFacts(s, impact, How(s, peers), peers, evidence);
    }

    /// <summary>
    /// Rows of the requests the suspect hurt in its window, found again in the loaded attempts: its 5xx that no retry
    /// rescued (<see cref="InvestigationAggregator.Hurt"/>), or (slow) its final response took the slow threshold or more.
    /// </summary>
    private List<long> HurtRequestRows(Suspect s)
    {
        var a = Log.AttemptColumns;
        var backends = a.Backend.Values;
        var statuses = a.Status.Values;
        var headers = a.HeaderTime.Values;
        var finals = a.IsFinal.Values;
        var clientStatuses = a.ClientStatus.Values;
        var requests = a.Request.Values;
        var slow = s.Health == Health.Slow;
        var rows = new List<long>();
        foreach (var i in PoolAttemptsInWindow(s))
        {
            if ((backends[i] ?? InvestigationAggregator.Unknown) != s.Backend.Backend) continue;
            var hurt = slow
                ? finals[i] && headers[i] >= s.SlowThreshold
                : InvestigationAggregator.Classify(statuses[i], headers[i], finals[i], clientStatuses[i]) is (AttemptOutcome.Backend5xx or AttemptOutcome.Lb5xx) &&
                  InvestigationAggregator.Hurt(finals[i], clientStatuses[i]);
            if (hurt) rows.Add(requests[i]);
        }
        return rows;
    }

    /// <summary>Attempts of the suspect's pool (listener and pool) in its window that the investigation judged.</summary>
    private List<int> PoolAttemptsInWindow(Suspect s)
    {
        var a = Log.AttemptColumns;
        var w = s.Window;
        var times = a.Time.Values;
        var listeners = a.Listener.Values;
        var pools = a.Pool.Values;
        var rows = new List<int>();
        for (var i = 0; i < times.Length; i++)
        {
            if (times[i] < w.StartUtc || times[i] >= w.EndUtc || !Keep(times[i], listeners[i])) continue;
            if ((listeners[i] ?? InvestigationAggregator.Unknown) != s.Backend.Listener || (pools[i] ?? InvestigationAggregator.Unknown) != s.Backend.Pool) continue;
            rows.Add(i);
        }
        return rows;
    }

    /// <summary>The suspect and the other backends of its pool, over its window, from the attempts the investigation judged.</summary>
    private List<PeerRow> Peers(Suspect s)
    {
        var a = Log.AttemptColumns;
        var backends = a.Backend.Values;
        var statuses = a.Status.Values;
        var connects = a.ConnectTime.Values;
        var headers = a.HeaderTime.Values;
        var finals = a.IsFinal.Values;
        var clientStatuses = a.ClientStatus.Values;
        var rows = new Dictionary<string, (long N, long B5, long L5, Dictionary<int, long> Statuses, List<double> Header, List<double> Connect)>(StringComparer.Ordinal);
        foreach (var i in PoolAttemptsInWindow(s))
        {
            var backend = backends[i] ?? InvestigationAggregator.Unknown;
            if (!rows.TryGetValue(backend, out var row)) row = (0, 0, 0, new Dictionary<int, long>(), new List<double>(), new List<double>());
            row.N++;
            switch (InvestigationAggregator.Classify(statuses[i], headers[i], finals[i], clientStatuses[i]))
            {
                case AttemptOutcome.Backend5xx:
                    row.B5++;
                    row.Statuses[statuses[i]] = row.Statuses.GetValueOrDefault(statuses[i]) + 1;
                    break;
                case AttemptOutcome.Lb5xx:
                    row.L5++;
                    row.Statuses[statuses[i]] = row.Statuses.GetValueOrDefault(statuses[i]) + 1;
                    break;
            }
            if (!double.IsNaN(headers[i])) row.Header.Add(headers[i]);
            if (!double.IsNaN(connects[i])) row.Connect.Add(connects[i]);
            rows[backend] = row;
        }
        if (!rows.ContainsKey(s.Backend.Backend)) rows[s.Backend.Backend] = (0, 0, 0, new Dictionary<int, long>(), [], []);
        return rows
            .OrderByDescending(kv => kv.Key == s.Backend.Backend).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv =>
            {
                var header = Percentiles.SortedPresent(kv.Value.Header);
                var connect = Percentiles.SortedPresent(kv.Value.Connect);
                return new PeerRow(kv.Key, kv.Key == s.Backend.Backend, kv.Value.N, kv.Value.B5, kv.Value.L5, kv.Value.Statuses,
                    Percentiles.Stats(header), Percentiles.Of(connect, 0.95));
            }).ToList();
    }

    /// <summary>One clause: how it failed, in the words an on-call engineer uses.</summary>
    private static string How(Suspect s, IReadOnlyList<PeerRow> peers)
    {
        var self = peers.First(p => p.IsSuspect);
        if (s.Health == Health.Slow)
        {
            // The verdict's figures, as its reason, the terminal and the JSON give them (the table's are exact, from the rows).
            var v = s.Backend.Verdict;
            return $"it answered slowly: response-header time p95 {Words.Seconds(v.HeaderP95)}" + (v.Baseline, v.BaselineHeaderP95) switch
            {
                (BaselineKind.Peers, { } peerP95) => $" against {Words.Seconds(peerP95)} on its peers (lower median)",
                (BaselineKind.OwnHistory, { } own) => $" against {Words.Seconds(own)} outside the window",
                _ => "",
            };
        }
        var codes = string.Join(", ", self.ErrorStatuses.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
            .Select(kv => string.Create(C, $"{kv.Key} × {kv.Value:N0}")));
        var made = self.Backend5xx >= self.Lb5xx
            ? "it answered 5xx itself (the load balancer passed its responses on)"
            : "it refused or timed out connections (the load balancer wrote 502/504 for it; no response header)";
        return string.Create(C, $"{made}: {self.Errors:N0} of {self.Attempts:N0} attempts failed ({Words.Percent(self.ErrorRate)}; {codes})");
    }

    /// <summary>
    /// Distinct clients of the requests answered 5xx that the investigation judged: its filters, and not the requests
    /// far in time from the rest (<see cref="InvestigationResult.TimeOutliers"/>, outside From..To), as the table's
    /// other counts, which come from its timeline.
    /// </summary>
    private long CountClientsWith5xx()
    {
        var r = Log.RequestColumns;
        var times = r.Time.Values;
        var listeners = r.ListenerName.Values;
        var statuses = r.Status.Values;
        var addrs = r.ClientIp.Values;
        var (first, last) = (Investigation.From, Investigation.To);
        var clients = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < times.Length; i++)
            if (statuses[i] >= 500 && statuses[i] != Parsing.Missing.Int && times[i] >= first && times[i] <= last && Keep(times[i], listeners[i]))
                clients.Add(addrs[i] ?? InvestigationAggregator.Unknown);
        return clients.Count;
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
