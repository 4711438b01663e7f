namespace ElbNotebooks.Analysis;

/// <summary>
/// The peers tell which backends stand out, not whether any failed: where most or all of a pool fails (or slows down)
/// together, each member is in line with its peers. So a backend with peers is also judged against its own quieter
/// periods, with the same thresholds; <see cref="HealthJudge"/> keeps the verdict against peers unless this one shows
/// a longer window.
/// </summary>
internal sealed partial class HealthJudge
{
    /// <summary>
    /// Failing against its own quieter periods: buckets well above its quieter bucket rates (their lower quartile: a
    /// pool may fail for much of the range) form windows, and a window fails the same test as against peers, with its
    /// rate outside the window as the baseline; with no quieter period of its own, against
    /// <see cref="InvestigationOptions.AbsoluteFailingErrorRate"/>.
    /// </summary>
    private Verdict? FailingAgainstOwnHistory(BackendSeries b, IReadOnlyList<BackendSeries> peers, double quiet, out bool inWindows)
    {
        inWindows = false;
        var abnormal = new bool[b.Count];
        for (var t = 0; t < b.Count; t++)
        {
            var c = b.Counts[t];
            if (c.Errors == 0) continue;
            var rate = (double)c.Errors / c.Attempts;
            abnormal[t] = rate >= o.MinErrorRate && rate >= o.MinErrorRatio * quiet && rate - quiet >= o.MinErrorRate;
        }

        DropLoneErrors(b, abnormal);
        var runs = Runs(abnormal).ToList();
        var passed = new List<Run<ErrorWindow>>();
        foreach (var (t0, t1) in runs)
            if (OwnHistoryTest(b, peers, t0, t1) is { Passed: true } test) passed.Add(new(t0, t1, test));
        if (passed.Count > 0 && passed.Count < runs.Count)
        {
            // A failure found is no quieter period: a backend refusing every connection one afternoon would otherwise
            // raise its baseline so far that failing with its whole pool the next morning passed for normal. The runs
            // that did not pass are tested again with the failures found left out of their baseline (once: what passes
            // now does not move the others' baseline again).
            var found = passed.ToList();
            foreach (var (t0, t1) in runs)
                if (!found.Exists(r => r.T0 == t0) && OwnHistoryTest(b, peers, t0, t1, found) is { Passed: true } test) passed.Add(new(t0, t1, test));
            passed.Sort(static (x, y) => x.T0.CompareTo(y.T0));
        }
        inWindows = passed.Count > 0;
        if (passed.Count == 0)
        {
            // Failing all along with its peers: no quieter period, so absolute thresholds.
            var (t0, t1) = ErrorSpan(b);
            var whole = OwnHistoryTest(b, peers, t0, t1, ownHistory: false);
            if (!whole.Passed) return null;
            passed.Add(new(t0, t1, whole));
        }

        var (start, end) = Latest(passed);
        // Its other failures are no quieter period for the one reported either: its baseline leaves them out.
        var others = inWindows ? passed.FindAll(r => r.T1 < start || r.T0 > end) : [];
        var w = others.Count == 0 && passed.Find(r => r.T0 == start && r.T1 == end) is { } run
            ? run.Test
            : OwnHistoryTest(b, peers, start, end, others);
        return FailingVerdict(b, peers, w, start, end, passed);
    }

    private ErrorWindow OwnHistoryTest(BackendSeries b, IReadOnlyList<BackendSeries> peers, int t0, int t1, bool ownHistory = true) =>
        OwnHistoryTest(b, peers, t0, t1, [], ownHistory);

    /// <summary>The test of a window against its own history, the failures already <paramref name="found"/> left out of it.</summary>
    private ErrorWindow OwnHistoryTest(BackendSeries b, IReadOnlyList<BackendSeries> peers, int t0, int t1, List<Run<ErrorWindow>> found, bool ownHistory = true)
    {
        var n = b.Attempts(t0, t1);
        var x = b.Errors(t0, t1);
        var (b5, l5) = b.ErrorParts(t0, t1);
        var peerRates = new List<double>();
        foreach (var p in peers)
        {
            var pn = p.Attempts(t0, t1);
            if (pn >= o.MinPeerAttempts) peerRates.Add((double)p.Errors(t0, t1) / pn);
        }
        var peerRate = PeerLevel(peerRates);

        // Everything outside the window, other abnormal buckets included: leaving out every bucket that happened to be
        // high would bias a steady rate low and make its own noise look like a failure.
        var quietN = ownHistory ? b.Accumulator.Attempts - n : 0;
        var quietX = ownHistory ? b.Accumulator.ErrorCount - x : 0;
        foreach (var failure in found)
        {
            quietN -= b.Attempts(failure.T0, failure.T1);
            quietX -= b.Errors(failure.T0, failure.T1);
        }

        var rate = n == 0 ? 0 : (double)x / n;
        if (quietN < o.MinBaselineAttempts)
        {
            var absolute = x >= o.MinErrors && rate >= o.AbsoluteFailingErrorRate;
            return new ErrorWindow(n, x, b5, l5, BaselineKind.AbsoluteThreshold, double.NaN, peerRates.Count, double.NaN, absolute)
                { OwnHistory = true, PeerRate = peerRate };
        }
        var baseline = (double)quietX / quietN;
        var pValue = Binomial.UpperTail(x, n, Math.Clamp(baseline, o.MinBaselineRate, 0.999));
        var ok = x >= o.MinErrors && rate >= o.MinErrorRate && rate >= o.MinErrorRatio * baseline &&
                 rate - baseline >= o.MinErrorRate && pValue <= o.MaxPValue;
        return new ErrorWindow(n, x, b5, l5, BaselineKind.OwnHistory, baseline, peerRates.Count, pValue, ok)
            { OwnHistory = true, PeerRate = peerRate };
    }

    private Verdict? SlowAgainstOwnHistory(BackendSeries b, IReadOnlyList<BackendSeries> peers, double quiet, out bool inWindows)
    {
        inWindows = false;
        var abnormal = new bool[b.Count];
        for (var t = 0; t < b.Count; t++)
            abnormal[t] = b.HeaderCount[t] >= o.MinBucketSamples && Slower(b.P95Header[t], quiet);

        var passed = new List<Run<SlowWindow>>();
        foreach (var (t0, t1) in Runs(abnormal))
            if (OwnSlowTest(b, peers, t0, t1) is { Passed: true } test) passed.Add(new(t0, t1, test));
        inWindows = passed.Count > 0;
        if (passed.Count == 0)
        {
            var (first, last) = (0, b.Count - 1);
            while (first < b.Count && b.HeaderCount[first] == 0) first++;
            if (first == b.Count) return null;
            while (b.HeaderCount[last] == 0) last--;
            var whole = OwnSlowTest(b, peers, first, last, ownHistory: false);
            if (!whole.Passed) return null;
            passed.Add(new(first, last, whole));
        }

        var (start, end) = Latest(passed);
        var w = passed.Find(r => r.T0 == start && r.T1 == end)?.Test ?? OwnSlowTest(b, peers, start, end);
        return SlowVerdict(b, peers, w, start, end, passed, ownHistory: true);
    }

    private SlowWindow OwnSlowTest(BackendSeries b, IReadOnlyList<BackendSeries> peers, int t0, int t1, bool ownHistory = true)
    {
        var headers = b.Headers(t0, t1);
        var peerP95 = new List<double>();
        foreach (var p in peers)
            if (p.Headers(t0, t1) is { Count: var count, P95: var p95 } && count >= o.MinSlowSamples) peerP95.Add(p95);
        var outside = ownHistory ? b.Headers(t0, t1, outside: true) : default;
        var kind = outside.Count >= o.MinSlowSamples ? BaselineKind.OwnHistory : BaselineKind.AbsoluteThreshold;
        var baseline = kind == BaselineKind.AbsoluteThreshold ? double.NaN : outside.P95;
        var passed = headers.Count >= o.MinSlowSamples && (kind == BaselineKind.AbsoluteThreshold
            ? headers.P95 >= o.AbsoluteSlowHeaderSeconds
            : Slower(headers.P95, baseline));
        return new SlowWindow(headers.Count, headers.P95, b.Connects(t0, t1).P95, kind, baseline, double.NaN, peerP95.Count, passed)
            { PeerP95 = PeerLevel(peerP95) };
    }
}
