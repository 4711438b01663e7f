namespace ElbNotebooks.Analysis;

/// <summary>
/// Judges the backends of one pool (same listener and pool) against each other, bucket by bucket, then window by
/// window. Failing: in some window its 5xx rate is material (<see cref="InvestigationOptions.MinErrorRate"/>), a clear
/// multiple of and clearly above its baseline, with enough errors (<see cref="InvestigationOptions.MinErrors"/>) and an exact
/// binomial tail of at most <see cref="InvestigationOptions.MaxPValue"/>. The baseline is the lower median rate of its
/// peers over the same window (robust to a second failing peer); with no peer traffic, its own rate outside the window;
/// with neither, an absolute rate. Slow: its header-time p95 in a window is a clear multiple of and clearly above the
/// peers' (lower median of their p95s), same fallbacks. A backend whose peers failed (or slowed) with it is also judged
/// against its own quieter periods (HealthJudge.OwnHistory.cs). Failing outranks slow.
/// </summary>
internal sealed partial class HealthJudge(InvestigationOptions o, BucketClock clock)
{
    /// <summary>Failing or slow, or null when healthy (see <see cref="Healthy"/>, which needs the other verdicts).</summary>
    public Verdict? Judge(BackendSeries b, IReadOnlyList<BackendSeries> peers) => Failing(b, peers) ?? Slow(b, peers);

    // ---------------- failing ----------------

    private sealed record ErrorWindow(
        long Attempts, long Errors, long Backend5xx, long Lb5xx, BaselineKind Kind, double Baseline, int Peers, double PValue, bool Passed, bool LongRun = false)
    {
        public double Rate => Attempts == 0 ? 0 : (double)Errors / Attempts;
        public double Excess => Errors - Attempts * (double.IsNaN(Baseline) ? 0 : Baseline);

        /// <summary>Judged against its own quieter periods although peers had traffic (they failed with it).</summary>
        public bool OwnHistory { get; init; }

        /// <summary>The peers' lower median rate in the window, for the reason (NaN without peer traffic).</summary>
        public double PeerRate { get; init; } = double.NaN;
    }

    private Verdict? Failing(BackendSeries b, IReadOnlyList<BackendSeries> peers)
    {
        if (b.Accumulator.ErrorCount == 0) return null;
        var rates = new List<double>(b.Count);
        foreach (var c in b.Counts)
            if (c.Attempts > 0) rates.Add((double)c.Errors / c.Attempts);
        var quiet = Median(rates);
        var byPeers = FailingAgainstPeers(b, peers, quiet);
        // Without peer traffic the peer comparison already fell back to its own history.
        if (!peers.Any(p => p.Accumulator.Attempts > 0)) return byPeers;
        // The peers tell which backends stand out, not whether any failed: where most of a pool fails together, each
        // failing member is in line with its failing peers, yet failed against its own quieter periods.
        var lowerQuartile = Percentiles.NaNBySelection(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rates), 0.25);
        var byHistory = FailingAgainstOwnHistory(b, peers, lowerQuartile, out var inWindows);
        return Longer(byPeers, byHistory, inWindows);
    }

    /// <summary>
    /// The verdict against peers (with its reason) unless the one against its own history, found in windows of its
    /// own (not a first-to-last span), saw a later failure, or the same one for longer: a backend that stood out only
    /// until its peers failed too (a rollout reaching them one after another) failed for longer than the peer
    /// comparison shows. Either way the failures only the other saw stay named, as earlier ones (a pool outage the
    /// peers shared, then a failure of its own): "where to look" counts the backend in both.
    /// </summary>
    private Verdict? Longer(Verdict? byPeers, Verdict? byHistory, bool inWindows)
    {
        if (byPeers is null) return byHistory;
        if (byHistory is null || !inWindows) return byPeers;
        var gap = o.MaxGapBuckets;
        var history = byHistory.T1 > byPeers.T1 + gap || (byHistory.T1 >= byPeers.T1 - gap && byHistory.T0 < byPeers.T0 - gap);
        var (kept, other) = history ? (byHistory, byPeers) : (byPeers, byHistory);
        return kept with { EarlierWindows = Before(kept.Window!, [.. kept.EarlierWindows, .. other.EarlierWindows, other.Window!]) };
    }

    /// <summary>The windows that end before <paramref name="latest"/> starts, oldest first, overlapping ones as one.</summary>
    private List<IncidentWindow> Before(IncidentWindow latest, IEnumerable<IncidentWindow> windows)
    {
        var before = new List<IncidentWindow>();
        foreach (var w in windows.Where(w => w.EndUtc <= latest.StartUtc).OrderBy(w => w.StartUtc))
        {
            if (before.Count > 0 && w.StartUtc <= before[^1].EndUtc)
                before[^1] = clock.Window(before[^1].StartUtc, w.EndUtc > before[^1].EndUtc ? w.EndUtc : before[^1].EndUtc);
            else
                before.Add(w);
        }
        return before;
    }

    private Verdict? FailingAgainstPeers(BackendSeries b, IReadOnlyList<BackendSeries> peers, double quiet)
    {
        var abnormal = new bool[b.Count];
        var peerRates = new double[peers.Count];
        for (var t = 0; t < b.Count; t++)
        {
            var c = b.Counts[t];
            if (c.Errors == 0) continue;
            var rate = (double)c.Errors / c.Attempts;
            var n = 0;
            foreach (var p in peers)
                if (p.Counts[t] is { Attempts: > 0 } pc) peerRates[n++] = (double)pc.Errors / pc.Attempts;
            var reference = n > 0 ? PeerLevel(peerRates.AsSpan(0, n)) : quiet;
            abnormal[t] = StandsOut(rate, reference);
        }

        DropLoneErrors(b, abnormal);
        var passed = new List<Run<ErrorWindow>>();
        foreach (var (t0, t1) in Runs(abnormal))
            if (ErrorTest(b, peers, t0, t1) is { Passed: true } test) passed.Add(new(t0, t1, test));
        if (passed.Count == 0)
        {
            // Errors spread too thin for any bucket to stand out (or a backend failing all along): judge first to last error.
            var (t0, t1) = ErrorSpan(b);
            // Its own "outside" is mostly only the edges here, not a quieter period: no peers means absolute
            // thresholds. Unless the span holds less than half its attempts (one stray error in a small bucket):
            // what it served around it is a quieter period, and "nothing to compare with" would not be true.
            var inSpan = b.Attempts(t0, t1);
            var whole = ErrorTest(b, peers, t0, t1, ownHistory: b.Accumulator.Attempts - inSpan > inSpan);
            if (!whole.Passed) return null;
            passed.Add(new(t0, t1, whole));
        }

        var (start, end) = Latest(passed);
        var w = passed.Find(r => r.T0 == start && r.T1 == end)?.Test ?? ErrorTest(b, peers, start, end);
        return FailingVerdict(b, peers, w, start, end, passed);
    }

    private Verdict FailingVerdict(BackendSeries b, IReadOnlyList<BackendSeries> peers, ErrorWindow w, int start, int end, List<Run<ErrorWindow>> passed) =>
        new()
        {
            Health = Health.Failing,
            Kind = Kind(w.OwnHistory, w.Kind),
            Baseline = w.Kind,
            Window = Window(b, start, end),
            Attempts = w.Attempts,
            Errors = w.Errors,
            Backend5xx = w.Backend5xx,
            Lb5xx = w.Lb5xx,
            ErrorRate = w.Rate,
            BaselineErrorRate = Verdict.Value(w.Baseline),
            BaselineOverWholeRange = w.LongRun,
            PeerErrorRate = Verdict.Value(w.PeerRate),
            Peers = w.Peers,
            PoolPeers = peers.Count,
            MinPeerSamples = o.MinPeerAttempts,
            ThresholdErrorRate = w.Kind == BaselineKind.AbsoluteThreshold ? o.AbsoluteFailingErrorRate : null,
            Subject = b.Key.Backend,
            Place = In(b),
            T0 = start,
            T1 = end,
            Severity = Excess(passed, static w => w.Excess),
            EarlierWindows = Earlier(b, passed),
        };

    private Verdict SlowVerdict(BackendSeries b, IReadOnlyList<BackendSeries> peers, SlowWindow w, int start, int end, List<Run<SlowWindow>> passed, bool ownHistory)
    {
        var (attempts, errors) = (b.Attempts(start, end), b.Errors(start, end));
        var (backend5xx, lb5xx) = b.ErrorParts(start, end);
        return new()
        {
            Health = Health.Slow,
            Kind = Kind(ownHistory, w.Kind),
            Baseline = w.Kind,
            Window = Window(b, start, end),
            // What it served in its slow window, as for a failing verdict: a slow backend may fail a few attempts too.
            Attempts = attempts,
            Errors = errors,
            Backend5xx = backend5xx,
            Lb5xx = lb5xx,
            ErrorRate = attempts == 0 ? 0 : (double)errors / attempts,
            HeaderSamples = w.Samples,
            HeaderP95 = Verdict.Value(w.P95),
            BaselineHeaderP95 = Verdict.Value(w.Baseline),
            PeerHeaderP95 = Verdict.Value(w.PeerP95),
            ConnectP95 = ownHistory ? null : Verdict.Value(w.ConnectP95),
            PeerConnectP95 = ownHistory ? null : Verdict.Value(w.PeerConnectP95),
            ConnectSlowToo = !ownHistory && w.Kind == BaselineKind.Peers && !double.IsNaN(w.ConnectP95) ? !IsNormalConnect(w) : null,
            Peers = w.Peers,
            PoolPeers = peers.Count,
            MinPeerSamples = o.MinSlowSamples,
            ThresholdHeaderSeconds = w.Kind == BaselineKind.AbsoluteThreshold ? o.AbsoluteSlowHeaderSeconds : null,
            Subject = b.Key.Backend,
            Place = In(b),
            T0 = start,
            T1 = end,
            Severity = Excess(passed, static w => w.Excess),
            EarlierWindows = Earlier(b, passed),
            SlowThreshold = w.Threshold(o),
        };
    }

    /// <summary>The kind of a failing or slow verdict: along with its peers, or by what it was compared with.</summary>
    private static VerdictKind Kind(bool alongWithPeers, BaselineKind baseline) =>
        alongWithPeers ? VerdictKind.AlongWithPeers
        : baseline switch
        {
            BaselineKind.Peers => VerdictKind.AgainstPeers,
            BaselineKind.OwnHistory => VerdictKind.AgainstOwnHistory,
            _ => VerdictKind.AgainstThreshold,
        };

    private (int T0, int T1) ErrorSpan(BackendSeries b) => (Bucket(b, b.Accumulator.FirstError), Bucket(b, b.Accumulator.LastError));

    private ErrorWindow ErrorTest(BackendSeries b, IReadOnlyList<BackendSeries> peers, int t0, int t1, bool ownHistory = true)
    {
        var n = b.Attempts(t0, t1);
        var x = b.Errors(t0, t1);
        var (b5, l5) = b.ErrorParts(t0, t1);
        var peerRates = new List<double>();
        var peerLongRun = new List<double>();
        foreach (var p in peers)
        {
            var pn = p.Attempts(t0, t1);
            if (pn < o.MinPeerAttempts) continue;
            peerRates.Add((double)p.Errors(t0, t1) / pn);
            peerLongRun.Add((double)p.Accumulator.ErrorCount / p.Accumulator.Attempts);
        }

        BaselineKind kind;
        double baseline;
        var longRun = false;
        if (peerRates.Count > 0)
        {
            kind = BaselineKind.Peers;
            baseline = Math.Max(PeerLevel(peerRates), PeerLevel(peerLongRun));
            longRun = baseline > PeerLevel(peerRates);
        }
        else
        {
            var outsideN = b.Accumulator.Attempts - n;
            var outsideX = b.Accumulator.ErrorCount - x;
            if (ownHistory && outsideN >= o.MinBaselineAttempts)
            {
                kind = BaselineKind.OwnHistory;
                baseline = (double)outsideX / outsideN;
            }
            else
            {
                kind = BaselineKind.AbsoluteThreshold;
                baseline = double.NaN;
            }
        }

        var rate = n == 0 ? 0 : (double)x / n;
        if (kind == BaselineKind.AbsoluteThreshold)
        {
            var absolute = x > 0 && rate >= o.AbsoluteFailingErrorRate && (x >= o.MinErrors || 2 * x >= n);
            return new ErrorWindow(n, x, b5, l5, kind, baseline, peerRates.Count, double.NaN, absolute);
        }

        var pValue = Binomial.UpperTail(x, n, Math.Clamp(baseline, o.MinBaselineRate, 0.999));
        var ok = x >= o.MinErrors && rate >= o.MinErrorRate && rate >= o.MinErrorRatio * baseline &&
                 rate - baseline >= o.MinErrorRate && pValue <= o.MaxPValue;
        return new ErrorWindow(n, x, b5, l5, kind, baseline, peerRates.Count, pValue, ok, longRun);
    }

    // ---------------- slow ----------------

    private sealed record SlowWindow(
        int Samples, double P95, double ConnectP95, BaselineKind Kind, double Baseline, double PeerConnectP95, int Peers, bool Passed)
    {
        public double Threshold(InvestigationOptions o) => Kind == BaselineKind.AbsoluteThreshold
            ? o.AbsoluteSlowHeaderSeconds
            : Math.Max(Baseline * o.SlowRatio, Baseline + o.SlowMinExcessSeconds);
        public double Excess => Samples * Math.Max(0, P95 - (double.IsNaN(Baseline) ? 0 : Baseline));

        /// <summary>The peers' lower median p95 in the window, for a backend judged against its own history.</summary>
        public double PeerP95 { get; init; } = double.NaN;
    }

    private Verdict? Slow(BackendSeries b, IReadOnlyList<BackendSeries> peers)
    {
        var p95s = new List<double>(b.Count);
        for (var t = 0; t < b.Count; t++)
            if (b.HeaderCount[t] >= o.MinBucketSamples) p95s.Add(b.P95Header[t]);
        var lowerQuartile = Percentiles.NaNBySelection(Present(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(p95s)), 0.25);
        var quiet = Median(p95s);
        var byPeers = SlowAgainstPeers(b, peers, quiet);
        if (!peers.Any(p => p.Header.P95 is not null)) return byPeers;
        // As for errors: a whole pool slowed down together is slow against its own quieter periods.
        var byHistory = SlowAgainstOwnHistory(b, peers, lowerQuartile, out var inWindows);
        return Longer(byPeers, byHistory, inWindows);
    }

    private Verdict? SlowAgainstPeers(BackendSeries b, IReadOnlyList<BackendSeries> peers, double quiet)
    {
        var abnormal = new bool[b.Count];
        var peerP95 = new double[peers.Count];
        for (var t = 0; t < b.Count; t++)
        {
            if (b.HeaderCount[t] < o.MinBucketSamples) continue;
            var n = 0;
            foreach (var p in peers)
                if (p.HeaderCount[t] >= o.MinBucketSamples) peerP95[n++] = p.P95Header[t];
            var reference = n > 0 ? PeerLevel(peerP95.AsSpan(0, n)) : quiet;
            abnormal[t] = Slower(b.P95Header[t], reference);
        }

        var passed = new List<Run<SlowWindow>>();
        foreach (var (t0, t1) in Runs(abnormal))
            if (SlowTest(b, peers, t0, t1) is { Passed: true } test) passed.Add(new(t0, t1, test));
        if (passed.Count == 0)
        {
            var (first, last) = (0, b.Count - 1);
            while (first < b.Count && b.HeaderCount[first] == 0) first++;
            if (first == b.Count) return null;
            while (b.HeaderCount[last] == 0) last--;
            var whole = SlowTest(b, peers, first, last, ownHistory: false);
            if (!whole.Passed) return null;
            passed.Add(new(first, last, whole));
        }

        var (start, end) = Latest(passed);
        var w = passed.Find(r => r.T0 == start && r.T1 == end)?.Test ?? SlowTest(b, peers, start, end);
        return SlowVerdict(b, peers, w, start, end, passed, ownHistory: false);
    }

    private bool IsNormalConnect(SlowWindow w) =>
        double.IsNaN(w.ConnectP95) || double.IsNaN(w.PeerConnectP95) || !Slower(w.ConnectP95, w.PeerConnectP95);

    private SlowWindow SlowTest(BackendSeries b, IReadOnlyList<BackendSeries> peers, int t0, int t1, bool ownHistory = true)
    {
        var headers = b.Headers(t0, t1);
        var connectP95 = b.Connects(t0, t1).P95;
        var peerP95 = new List<double>();
        var peerConnect = new List<double>();
        foreach (var p in peers)
        {
            var ph = p.Headers(t0, t1);
            if (ph.Count < o.MinSlowSamples) continue;
            peerP95.Add(ph.P95);
            var pc = p.Connects(t0, t1);
            if (pc.Count > 0) peerConnect.Add(pc.P95);
        }

        BaselineKind kind;
        double baseline;
        if (peerP95.Count > 0)
        {
            kind = BaselineKind.Peers;
            baseline = PeerLevel(peerP95);
        }
        else if (ownHistory && b.Headers(t0, t1, outside: true) is { Count: var outside } others && outside >= o.MinSlowSamples)
        {
            kind = BaselineKind.OwnHistory;
            baseline = others.P95;
        }
        else
        {
            kind = BaselineKind.AbsoluteThreshold;
            baseline = double.NaN;
        }

        var p95 = headers.P95;
        var passed = headers.Count >= o.MinSlowSamples && (kind == BaselineKind.AbsoluteThreshold
            ? p95 >= o.AbsoluteSlowHeaderSeconds
            : Slower(p95, baseline));
        return new SlowWindow(headers.Count, p95, connectP95, kind, baseline, Median(peerConnect), peerP95.Count, passed);
    }

    // ---------------- healthy ----------------

    /// <summary>A healthy backend, compared with its healthy peers (a suspect peer would skew the medians).</summary>
    public Verdict Healthy(BackendSeries b, IReadOnlyList<BackendSeries> peers, int suspectPeers)
    {
        var a = b.Accumulator;
        var active = peers.Where(p => p.Accumulator.Attempts > 0).ToList();
        var kind = suspectPeers > active.Count + 1 ? VerdictKind.SparedWhilePeersFailed
            : active.Count == 0 ? VerdictKind.NoPeers
            : VerdictKind.InLineWithPeers;
        double? peerRate = null, peerP95 = null;
        if (kind == VerdictKind.InLineWithPeers)
        {
            var peerRates = new List<double>(active.Count);
            var peerP95s = new List<double>(active.Count);
            foreach (var p in active)
            {
                peerRates.Add((double)p.Accumulator.ErrorCount / p.Accumulator.Attempts);
                if (p.Header.P95 is { } p95) peerP95s.Add(p95);
            }
            peerRate = Verdict.Value(Median(peerRates));
            peerP95 = Verdict.Value(Median(peerP95s));
            // Not failing need not mean in line: a new member that refused its 6 attempts stands out against peers at
            // 0.2% as a failing one would, but on too few attempts for the judge to say so. Say that, not "in line".
            var rate = a.Attempts == 0 ? 0 : (double)a.ErrorCount / a.Attempts;
            if (peerRate is { } level && StandsOut(rate, level)) kind = VerdictKind.TooFewAttempts;
            // The same for time: a new member whose 5 responses took 8 s against peers' 0.1 s stands out as a slow one
            // would (the slow rule), but on fewer responses than a slow verdict needs.
            else if (peerP95 is { } time && b.Header.P95 is { } ownP95 && a.Header.Count < o.MinSlowSamples && Slower(ownP95, time))
                kind = VerdictKind.TooFewResponses;
        }
        return new Verdict
        {
            Health = Health.Healthy,
            Kind = kind,
            Baseline = kind is VerdictKind.InLineWithPeers or VerdictKind.TooFewAttempts or VerdictKind.TooFewResponses ? BaselineKind.Peers : null,
            Attempts = a.Attempts,
            Errors = a.ErrorCount,
            ErrorRate = a.Attempts == 0 ? 0 : (double)a.ErrorCount / a.Attempts,
            HeaderP95 = b.Header.P95 is { } own ? Verdict.Value(own) : null,
            HeaderSamples = kind == VerdictKind.TooFewResponses ? a.Header.Count : null,
            PeerErrorRate = peerRate,
            PeerHeaderP95 = peerP95,
            Peers = active.Count,
            PoolPeers = suspectPeers + peers.Count,
            SuspectPeers = suspectPeers,
            MinErrors = o.MinErrors,
            MinResponses = o.MinSlowSamples,
            Subject = b.Key.Backend,
            Place = In(b),
            T0 = 0,
            T1 = b.Count - 1,
        };
    }

    // ---------------- helpers ----------------

    /// <summary>An error rate material and well above a reference one: what a failing bucket or window needs besides enough errors.</summary>
    private bool StandsOut(double rate, double reference) =>
        rate >= o.MinErrorRate && rate >= o.MinErrorRatio * reference && rate - reference >= o.MinErrorRate;

    /// <summary>
    /// A p95 (header time; connect time for the network question) a clear multiple of and clearly above a reference one
    /// (<see cref="InvestigationOptions.SlowRatio"/>, <see cref="InvestigationOptions.SlowMinExcessSeconds"/>): what a
    /// slow bucket or window needs besides enough responses. <see cref="SlowWindow.Threshold"/> is the same rule as a
    /// time, for counting hurt responses.
    /// </summary>
    private bool Slower(double p95, double reference) =>
        p95 >= o.SlowRatio * reference && p95 - reference >= o.SlowMinExcessSeconds;

    public IncidentWindow Window(BackendSeries b, int t0, int t1) =>
        clock.Window(clock.Start(b.FirstBucket + t0), clock.Start(b.FirstBucket + t1 + 1));

    private int Bucket(BackendSeries b, DateTime time) => (int)Math.Clamp(clock.Index(time) - b.FirstBucket, 0, b.Count - 1);

    /// <summary>
    /// A bucket whose only failed attempt made its rate stand out (a quiet bucket of 16 attempts with 1 failed is 6%) is
    /// no sign of failure on its own: joined across a gap to a window, one background error two minutes after a
    /// backend recovered would stretch "until when" by those minutes. So such a bucket counts only beside another that
    /// stands out; a backend failing its one attempt a minute for a while still forms a window.
    /// </summary>
    private static void DropLoneErrors(BackendSeries b, bool[] abnormal)
    {
        var standsOut = (bool[])abnormal.Clone();
        for (var t = 0; t < abnormal.Length; t++)
            if (standsOut[t] && b.Counts[t].Errors == 1)
                abnormal[t] = (t > 0 && standsOut[t - 1]) || (t + 1 < standsOut.Length && standsOut[t + 1]);
    }

    /// <summary>Runs of abnormal buckets, merged across gaps of at most <see cref="InvestigationOptions.MaxGapBuckets"/>.</summary>
    private IEnumerable<(int T0, int T1)> Runs(bool[] abnormal)
    {
        var start = -1;
        var last = -1;
        for (var t = 0; t < abnormal.Length; t++)
        {
            if (!abnormal[t]) continue;
            if (start >= 0 && t - last - 1 > o.MaxGapBuckets)
            {
                yield return (start, last);
                start = -1;
            }
            if (start < 0) start = t;
            last = t;
        }
        if (start >= 0) yield return (start, last);
    }

    /// <summary>
    /// What the peers show: their lower median (the lower middle value), so a backend failing alongside one other
    /// peer of three is still compared with the healthy one instead of the average of the two. Where most of a pool
    /// fails at once there is no healthy majority to compare with: its own history finds those (see
    /// <see cref="FailingAgainstOwnHistory"/>).
    /// </summary>
    private static double PeerLevel(List<double> values) => PeerLevel(values.ToArray());

    /// <summary>The lower median of the present values (reorders <paramref name="values"/>).</summary>
    private static double PeerLevel(Span<double> values)
    {
        var present = Present(values);
        if (present.IsEmpty) return double.NaN;
        present.Sort();
        return present[(present.Length - 1) / 2];
    }

    /// <summary>The median of the present values (reorders <paramref name="values"/>).</summary>
    private static double Median(List<double> values) =>
        Percentiles.NaNBySelection(Present(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values)), 0.5);

    /// <summary>Moves the values that are not NaN to the front and returns them.</summary>
    private static Span<double> Present(Span<double> values)
    {
        var n = 0;
        foreach (var v in values)
            if (!double.IsNaN(v)) values[n++] = v;
        return values[..n];
    }

    /// <summary>
    /// A window of abnormal buckets that passed its test. (A class, not a tuple: generic code over value types is
    /// compiled at run time, which a judge called once per backend would wait for.)
    /// </summary>
    private sealed record Run<TWindow>(int T0, int T1, TWindow Test);

    /// <summary>A stretch of buckets, first and last.</summary>
    private sealed record Episode(int T0, int T1);

    /// <summary>
    /// The runs that passed (in time order) as separate failures: a run joins the one before across a gap no longer
    /// than the longer of the two, so a backend failing on and off is one failure, while two failures hours apart stay
    /// two. One window from the first to the last would say "failing from 10:20 to 14:35" at a rate diluted by the
    /// hours it served well, and would read two unrelated incidents as one.
    /// </summary>
    private static List<Episode> Episodes<TWindow>(List<Run<TWindow>> runs)
    {
        var episodes = new List<Episode>(runs.Count);
        Run<TWindow>? previous = null;
        foreach (var run in runs)
        {
            // The two runs' own lengths, not the episode's so far: a backend flapping for two hours does not thereby
            // join a failure an hour after it.
            if (previous is not null && run.T0 - previous.T1 - 1 <= Math.Max(previous.T1 - previous.T0 + 1, run.T1 - run.T0 + 1))
                episodes[^1] = new Episode(episodes[^1].T0, Math.Max(episodes[^1].T1, run.T1));
            else
                episodes.Add(new Episode(run.T0, run.T1));
            previous = run;
        }
        return episodes;
    }

    /// <summary>The latest failure: the verdict says since when the backend is failing (or slow) now.</summary>
    private static (int Start, int End) Latest<TWindow>(List<Run<TWindow>> runs)
    {
        var latest = Episodes(runs)[^1];
        return (latest.T0, latest.T1);
    }

    /// <summary>The failures before the latest (every episode but the last), which its reason names.</summary>
    private List<IncidentWindow> Earlier<TWindow>(BackendSeries b, List<Run<TWindow>> runs) =>
        Episodes(runs).SkipLast(1).Select(e => Window(b, e.T0, e.T1)).ToList();

    private static double Excess<TWindow>(List<Run<TWindow>> runs, Func<TWindow, double> excess)
    {
        double sum = 0;
        foreach (var run in runs) sum += excess(run.Test);
        return sum;
    }

    /// <summary>"in pool_x", or "on listener_y" for logs without pool_name (the legacy layout), or "in this log" without either.</summary>
    private static string In(BackendSeries b) =>
        PoolNames.IsRecorded(b.Key.Pool) ? $"in {b.Key.Pool}" : ListenerNames.IsRecorded(b.Key.Listener) ? $"on {b.Key.Listener}" : "in this log";
}
