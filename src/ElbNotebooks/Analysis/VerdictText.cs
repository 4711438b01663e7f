using System.Globalization;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The one place that puts a <see cref="Verdict"/> into words (its <see cref="Verdict.Reason"/>), for the terminal,
/// JSON, reports and notebooks alike; the judge only decides and keeps the figures.
/// </summary>
internal static class VerdictText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The sentence for a verdict.</summary>
    public static string Reason(Verdict v) => v.Health switch
    {
        Health.Failing => Failing(v) + Earlier(v, "it had failed earlier too"),
        Health.Slow => Slow(v) + Earlier(v, "it had been slow earlier too"),
        _ => Healthy(v),
    };

    /// <summary>"; it had failed earlier too, between 10:20 and 10:35 +08:00": the failures before the one judged.</summary>
    private static string Earlier(Verdict v, string words) =>
        v.EarlierWindows.Count == 0 ? "" : $"; {words}, {Windows(v.EarlierWindows, static w => "between " + w.Between())}";

    /// <summary>
    /// The windows oldest first, "10:20–10:35 +08:00, 12:00–12:10 +08:00"; of more than three, the latest three (those
    /// nearest the window judged) after how many came before them.
    /// </summary>
    internal static string Windows(IReadOnlyList<IncidentWindow> windows, Func<IncidentWindow, string> describe)
    {
        const int Named = 3;
        var named = string.Join(", ", windows.Skip(Math.Max(0, windows.Count - Named)).Select(describe));
        return windows.Count > Named ? $"{N(windows.Count - Named)} time(s) before, then {named}" : named;
    }

    private static string Failing(Verdict v) =>
        $"{v.Subject} failed {N(v.Errors)} of {N(v.Attempts)} attempts ({Pct(v.ErrorRate)}; {Parts(v.Backend5xx ?? 0, v.Lb5xx ?? 0, Parsing.AwsAlbFormat.IsLambda(v.Subject))}) " +
        $"between {Between(v)} " + v.Kind switch
        {
            VerdictKind.AgainstPeers =>
                $"while its {Peers(v.Peers)} {v.Place} failed {Pct(v.BaselineErrorRate)} (lower median{(v.BaselineOverWholeRange ? " over the whole range" : "")})",
            VerdictKind.AgainstOwnHistory =>
                $"while it failed {Pct(v.BaselineErrorRate)} outside that window ({NoPeerThen(v, "attempts")})",
            VerdictKind.AgainstThreshold =>
                $"with nothing to compare with ({NoPeer(v, "attempts")}, no quieter period), and {Pct(v.ThresholdErrorRate)} or more is failing",
            _ => FailingAlongWithPeers(v),
        };

    private static string FailingAlongWithPeers(Verdict v)
    {
        var peers = v.Peers == 0
            ? $"no peer {v.Place} had {N(v.MinPeerSamples)} attempts then"
            : $"its {Peers(v.Peers)} {v.Place} failed {Pct(v.PeerErrorRate)} then (lower median): it failed along with them";
        return v.Baseline == BaselineKind.AbsoluteThreshold
            ? $"with no quieter period of its own to compare with, and {Pct(v.ThresholdErrorRate)} or more is failing; {peers}"
            : $"while it failed {Pct(v.BaselineErrorRate)} in its quieter periods; {peers}";
    }

    private static string Slow(Verdict v) =>
        $"{v.Subject} was slow between {Between(v)}: header time p95 {Sec(v.HeaderP95)} over {N(v.HeaderSamples)} responses " + v.Kind switch
        {
            VerdictKind.AgainstPeers => $"while its {Peers(v.Peers)} {v.Place} had {Sec(v.BaselineHeaderP95)} (lower median); " +
                                        (v.ConnectP95 is null
                                            ? "the log records no connect time, so a slow network cannot be told from a slow application"
                                            : v.ConnectSlowToo == true
                                            ? $"connect p95 {Sec(v.ConnectP95)} was high too (peers {Sec(v.PeerConnectP95)}): network or an overloaded host"
                                            : $"connect p95 {Sec(v.ConnectP95)} was normal (peers {Sec(v.PeerConnectP95)}): the application is slow"),
            VerdictKind.AgainstOwnHistory => $"against {Sec(v.BaselineHeaderP95)} outside that window ({NoPeerThen(v, "responses")})",
            VerdictKind.AgainstThreshold =>
                $"with nothing to compare with ({NoPeer(v, "responses")}, no quieter period); {Sec(v.ThresholdHeaderSeconds)} or more is slow",
            _ => SlowAlongWithPeers(v),
        };

    /// <summary>
    /// Why no peer was compared with in the window: the pool has none ("no peer in pool_x"), or its peers had fewer
    /// than <see cref="Verdict.MinPeerSamples"/> attempts (responses) each then, which is not having none.
    /// </summary>
    private static string NoPeer(Verdict v, string samples) =>
        v.PoolPeers == 0 ? $"no peer {v.Place}" : FewPeerSamples(v, samples);

    /// <inheritdoc cref="NoPeer"/>
    private static string NoPeerThen(Verdict v, string samples) =>
        v.PoolPeers == 0 ? $"no peer {v.Place} had traffic then" : FewPeerSamples(v, samples);

    private static string FewPeerSamples(Verdict v, string samples) =>
        $"{(v.PoolPeers == 1 ? "its 1 peer" : $"its {v.PoolPeers} peers")} {v.Place} had fewer than {N(v.MinPeerSamples)} {samples}" +
        $"{(v.PoolPeers == 1 ? "" : " each")} then, too few to compare with";

    private static string SlowAlongWithPeers(Verdict v)
    {
        var peersThen = v.Peers == 0
            ? $"no peer {v.Place} had {N(v.MinPeerSamples)} responses then"
            : $"its {Peers(v.Peers)} {v.Place} had {Sec(v.PeerHeaderP95)} then (lower median): it was slow along with them";
        return v.Baseline == BaselineKind.AbsoluteThreshold
            ? $"with no quieter period of its own to compare with, and {Sec(v.ThresholdHeaderSeconds)} or more is slow; " + peersThen
            : $"against {Sec(v.BaselineHeaderP95)} in its quieter periods; {peersThen}";
    }

    private static string Healthy(Verdict v)
    {
        var own = $"{v.Subject} failed {N(v.Errors)} of {N(v.Attempts)} attempts ({Pct(v.ErrorRate)}), header p95 {Sec(v.HeaderP95)}";
        var suspectPeers = v.SuspectPeers ?? 0;
        if (v.Kind == VerdictKind.SparedWhilePeersFailed)
            return $"{own}: it stayed healthy while {suspectPeers} of its {Peers(v.PoolPeers)} {v.Place} " +
                   "failed or slowed (suspects), so the trouble did not reach it: it is the one to compare them with";
        var suspects = suspectPeers == 0 ? "" : $"; {Peers(suspectPeers)} {(suspectPeers == 1 ? "is a suspect" : "are suspects")}";
        if (v.Kind == VerdictKind.TooFewAttempts)
            return $"{own}: too few attempts to judge (thin evidence): its error rate stands out against its " +
                   $"{Peers(v.Peers, suspectPeers == 0 ? "" : "healthy ")} {v.Place} ({Pct(v.PeerErrorRate)}, {Sec(v.PeerHeaderP95)}, medians), " +
                   (v.Errors < v.MinErrors
                       ? $"but {N(v.Errors)} failed {(v.Errors == 1 ? "attempt is" : "attempts are")} fewer than the {N(v.MinErrors)} a failing verdict needs"
                       : $"but {N(v.Attempts)} attempts are too few to tell its rate from theirs by chance") +
                   $", so it is neither in line with them nor a suspect{suspects}";
        if (v.Kind == VerdictKind.TooFewResponses)
            return $"{own}: too few responses to judge (thin evidence): its header time p95 stands out against its " +
                   $"{Peers(v.Peers, suspectPeers == 0 ? "" : "healthy ")} {v.Place} ({Pct(v.PeerErrorRate)}, {Sec(v.PeerHeaderP95)}, medians), " +
                   $"but its {N(v.HeaderSamples)} {(v.HeaderSamples == 1 ? "response is" : "responses are")} fewer than the {N(v.MinResponses)} a slow verdict needs" +
                   $", so it is neither in line with them nor a suspect{suspects}";
        if (v.Kind == VerdictKind.NoPeers)
            return $"{own}; no {(suspectPeers == 0 ? "" : "healthy ")}peer {v.Place} to compare with{suspects}";
        return $"{own}, in line with its {Peers(v.Peers, suspectPeers == 0 ? "" : "healthy ")} {v.Place} " +
               $"({Pct(v.PeerErrorRate)}, {Sec(v.PeerHeaderP95)}, medians){suspects}";
    }

    /// <summary>The window inside a sentence ("10:20 and 10:35 +08:00").</summary>
    private static string Between(Verdict v) => v.Window?.Between() ?? "n/a";

    private static string Peers(int count, string adjective = "") => count == 1 ? $"1 {adjective}peer" : $"{count} {adjective}peers";

    private static string Parts(long backend5xx, long lb5xx, bool lambda)
    {
        var parts = new List<string>();
        if (backend5xx > 0) parts.Add($"{N(backend5xx)} backend 5xx");
        if (lb5xx > 0) parts.Add(lambda ? $"{N(lb5xx)} load-balancer 5xx: the function's invocation failed" : $"{N(lb5xx)} load-balancer 502/504: refused or timed out");
        return string.Join(", ", parts);
    }

    /// <summary>A count with its digits grouped ("1,305"), as every view writes counts; empty for none.</summary>
    private static string N(long? count) => count is { } n ? n.ToString("N0", Inv) : "";

    /// <summary>A percentage with enough decimals to tell a small baseline from zero; "n/a" for none.</summary>
    public static string Pct(double? rate)
    {
        if (rate is not { } r || double.IsNaN(r)) return "n/a";
        var pct = r * 100;
        var format = pct == 0 || pct >= 1 ? "0.0" : pct >= 0.1 ? "0.00" : "0.000";
        return pct.ToString(format, Inv) + "%";
    }

    /// <summary>Seconds with three decimals ("0.250 s"); "n/a" for none.</summary>
    public static string Sec(double? seconds) =>
        seconds is { } s && !double.IsNaN(s) ? s.ToString("0.000", Inv) + " s" : "n/a";
}
