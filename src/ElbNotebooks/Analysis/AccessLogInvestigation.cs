using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Analysis;

/// <summary><c>log.Investigate()</c>: one pass over the typed buffers, then per-backend sorts and per-pool judgement.</summary>
public static class AccessLogInvestigation
{
    /// <summary>Dense per-backend series are kept per bucket: a bucket size that makes more than this is refused.</summary>
    public const int MaxBuckets = 100_000;

    /// <summary>Judges every backend of a loaded log: which one failed, since when, and whom it hurt.</summary>
    public static Investigation Investigate(this AccessLog log, InvestigationOptions? options = null) => Investigate(log, options, buckets: null);

    /// <summary>
    /// <see cref="Investigate(AccessLog, InvestigationOptions?)"/>, handing <paramref name="buckets"/> the bucket table
    /// it judges (docs/bucket-table.md) before judging it.
    /// </summary>
    public static Investigation Investigate(this AccessLog log, InvestigationOptions? options, Action<BucketTable>? buckets)
    {
        ArgumentNullException.ThrowIfNull(log);
        options ??= InvestigationOptions.Default;
        options.Validate();
        if (options.Listener is { } wanted) options = options with { Listener = FindListener(log, wanted) };
        var aggregator = new InvestigationAggregator(BucketClock.Base(options.BucketSize), options.ExamplesPerSuspect, InvestigationAggregator.SlowClientsFloor(options));
        Feed(log.RequestColumns, log.AttemptColumns, 0, options, aggregator);
        buckets?.Invoke(BucketTable.Of(aggregator, log.UtcOffset, string.Join(", ", log.Sources)));
        return new Investigation(log, Judge(log.Inputs, options, aggregator));
    }

    /// <summary>
    /// The listener_name <paramref name="text"/> names in a loaded log: itself, its address and port, or the one
    /// listener whose name or id (after <c>listener_</c>) starts with it; anything else is refused with the listeners there are.
    /// </summary>
    private static string FindListener(AccessLog log, string text)
    {
        var (counts, addresses) = LogCensus.Count(log.RequestColumns);
        if (counts.Count == 0) return text;
        var named = addresses.MostUsed();
        return LogCensus.MatchListener(counts.Keys, text, named) ?? throw new InvalidInputException(
            $"Listener '{text}' names no single listener of this log. Listeners (requests): " +
            LogCensus.Describe(counts, named) + ".", "options");
    }

    /// <summary>
    /// Investigates inputs too large to hold: reads them block by block, counts each block into the investigation and
    /// drops it, so memory grows with the backends and the buckets (latencies are kept in sketches, see
    /// <see cref="LatencySketch"/>), not with the lines. The result equals
    /// <c>AccessLog.Load(sources, load).Investigate(options)</c>, except that it has no rows: it is a
    /// <see cref="StreamedInvestigation"/>, so charts and reports that show rows need a loaded log.
    /// </summary>
    public static StreamedInvestigation Investigate(IEnumerable<LogSource> sources, LoadOptions? load = null, InvestigationOptions? options = null) =>
        Investigate(sources, load, options, buckets: null);

    /// <summary>
    /// <see cref="Investigate(IEnumerable{LogSource}, LoadOptions?, InvestigationOptions?)"/>, handing
    /// <paramref name="buckets"/> the bucket table it judges (docs/bucket-table.md) before judging it: the same
    /// table the shipped SQL makes, so an engine's answer can be checked against the library's.
    /// </summary>
    public static StreamedInvestigation Investigate(IEnumerable<LogSource> sources, LoadOptions? load, InvestigationOptions? options, Action<BucketTable>? buckets)
    {
        options ??= InvestigationOptions.Default;
        options.Validate();
        var clock = BucketClock.Base(options.BucketSize);
        var aggregator = new InvestigationAggregator(clock, options.ExamplesPerSuspect, InvestigationAggregator.SlowClientsFloor(options));
        var inputs = AccessLog.Stream(sources, load, minimal: true, new CountingSink(aggregator, clock, options), aggregator.WhomFrom);
        buckets?.Invoke(BucketTable.Of(aggregator, inputs.UtcOffset, string.Join(", ", inputs.Sources)));
        return new StreamedInvestigation(Judge(inputs, options, aggregator));
    }

    /// <summary>
    /// Streaming's sink: each block is counted on the worker that parsed it into a partial aggregator; the partials are
    /// merged in input order, each with the row its block's first request would have had in a full load, and the
    /// emptied partial goes back for a later block.
    /// </summary>
    private sealed class CountingSink(InvestigationAggregator aggregator, BucketClock clock, InvestigationOptions options) : IBlockSink<InvestigationAggregator>
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<InvestigationAggregator> _spare = [];
        private long _firstRequest;

        public InvestigationAggregator Summarize(ParseTarget block)
        {
            var partial = _spare.TryTake(out var reused) ? reused : new InvestigationAggregator(clock, options.ExamplesPerSuspect, aggregator.SlowClientsFrom);
            Feed(block.Requests, block.Attempts, 0, options, partial);
            partial.Seal();
            return partial;
        }

        public void Accept(LogSource source, ParseTarget block, InvestigationAggregator partial)
        {
            aggregator.Merge(partial, _firstRequest);
            _firstRequest += block.Requests.Count;
            partial.Reset();
            _spare.Add(partial);
        }
    }

    private static void Feed(RequestColumns r, AttemptColumns a, long firstRequest, InvestigationOptions options, InvestigationAggregator aggregator)
    {
        var from = options.From?.UtcDateTime;
        var to = options.To?.UtcDateTime;
        bool Keep(DateTime time, string? listener) =>
            (from is null || time >= from) && (to is null || time < to) && (options.Listener is null || listener == options.Listener);

        var times = r.Time.Values;
        var listeners = r.ListenerName.Values;
        var statuses = r.Status.Values;
        var upstreams = r.UpstreamAttempts.Values;
        var headers = r.UpstreamHeaderTime.Values;
        var files = r.File.Values;
        var lines = r.Line.Values;
        var ips = r.EipAddress.Values;
        var ports = r.EipPort.Values;
        // Whom a request's failure or slowness reached: its client's address and its endpoint, read only where that may be asked.
        var clients = r.ClientIp.Values;
        var methods = r.Method.Values;
        var uris = r.Uri.Values;
        for (var i = 0; i < times.Length; i++)
        {
            if (!Keep(times[i], listeners[i]))
            {
                aggregator.FilteredOut++;
                continue;
            }
            aggregator.Add(new RequestRecord(times[i], listeners[i], statuses[i], upstreams[i], headers[i], files[i], lines[i], ips[i], ports[i],
                statuses[i] is >= 500 and <= 599 ? clients[i] ?? InvestigationAggregator.Unknown : null));
        }

        var aTimes = a.Time.Values;
        var aListeners = a.Listener.Values;
        var pools = a.Pool.Values;
        var backends = a.Backend.Values;
        var aStatuses = a.Status.Values;
        var connects = a.ConnectTime.Values;
        var aHeaders = a.HeaderTime.Values;
        var responses = a.ResponseTime.Values;
        var finals = a.IsFinal.Values;
        var clientStatuses = a.ClientStatus.Values;
        var requests = a.Request.Values;
        var slowFrom = aggregator.WhomFrom;
        for (var i = 0; i < aTimes.Length; i++)
        {
            if (!Keep(aTimes[i], aListeners[i])) continue;
            var request = (int)requests[i];
            var whom = aStatuses[i] >= 500 || (finals[i] && aHeaders[i] >= slowFrom);
            aggregator.Add(new AttemptRecord(aTimes[i], aListeners[i], pools[i], backends[i], aStatuses[i],
                connects[i], aHeaders[i], responses[i], finals[i], clientStatuses[i], firstRequest + request,
                whom ? clients[request] ?? InvestigationAggregator.Unknown : null, new LogPosition(files[request], lines[request]),
                whom ? methods[request] : null, whom ? uris[request] : null));
        }
    }

    /// <summary>
    /// The part of <paramref name="range"/> that holds requests: stretches of at least <see cref="BucketClock.IdleStretch"/>
    /// with none (between two logs hours apart) are left out, so the automatic bucket is as fine as for one log.
    /// </summary>
    private static TimeSpan Busy(TimeSpan range, InvestigationAggregator aggregator)
    {
        var fine = aggregator.Clock.Size;
        var idle = 0L;
        long? previous = null;
        foreach (var bucket in aggregator.StatusBuckets.Keys.Order())
        {
            var empty = previous is { } p ? bucket - p - 1 : 0;
            if (fine * empty >= BucketClock.IdleStretch) idle += empty;
            previous = bucket;
        }
        return range - fine * idle;
    }

    /// <summary>
    /// Judges a bucket table (docs/bucket-table.md) as the library judges its own counts. Filters by time or listener
    /// belong in the query that made the table: the table's requests are not kept per listener, nor its times finer
    /// than a bucket, so <see cref="InvestigationOptions.From"/>, <c>To</c> and <c>Listener</c> are refused here.
    /// </summary>
    internal static StreamedInvestigation Judge(BucketTable table, InvestigationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= InvestigationOptions.Default;
        options.Validate();
        if (options.From is not null || options.To is not null || options.Listener is not null)
            throw new InvalidInputException(
                "A bucket table is judged whole: filter by time or listener in the query that makes it (a WHERE on time or listener).", nameof(options));
        var (aggregator, offset, rows) = table.ToAggregator();
        // A table of no request (only its header, or rows counting none) judges nothing: not an all-clear, as for logs of no parsed line.
        if (aggregator.Requests == 0)
            throw new LogLoadException(
                $"The bucket table {table.Source} counts no request ({rows:N0} rows): {EmptySelection.NotAnAllClear}.");
        if (options.BucketSize is { } size && size.Ticks % aggregator.Clock.Size.Ticks != 0)
            throw new InvalidInputException(
                $"A bucket of {size} is not a whole number of the table's {aggregator.Clock.Size} buckets: ask for a multiple of them, or make the table with smaller buckets.", nameof(options));
        var any = aggregator.Requests > 0;
        var inputs = InputSummary.OfTable(table.Source, "bucket-table", offset, any ? aggregator.First : null, any ? aggregator.Last : null, aggregator.Requests);
        return new StreamedInvestigation(Judge(inputs, options with { ExamplesPerSuspect = 0 }, aggregator));
    }

    private static Judgement Judge(InputSummary log, InvestigationOptions options, InvestigationAggregator aggregator)
    {
        // Requests far from the rest are left out first; the bucket size is chosen from the span of those judged, then
        // the fine buckets counted while reading are merged into it.
        var (outliers, keepFirst, keepLast) = TimeOutliers.Find(aggregator.StatusBuckets);
        if (outliers.Count > 0) aggregator.Keep(keepFirst, keepLast);
        else aggregator.Keep(long.MinValue, long.MaxValue);
        var from = (options.From ?? log.RangeFrom)?.UtcDateTime;
        var range = aggregator.Requests > 0 ? aggregator.Last - aggregator.First : TimeSpan.Zero;
        if (options.BucketSize is { } asked && range > TimeSpan.Zero && asked > 2 * range)
            throw new InvalidInputException(
                $"A bucket of {TimeText.Duration(asked)} is more than twice the {TimeText.Duration(range)} the log covers: every request would fall in one or two buckets, " +
                "so no window could be found. Use a smaller bucket, or leave it out to have one chosen.");
        aggregator.Coarsen(new BucketClock(options.BucketSize ?? AtLeast(BucketClock.AutoSize(Busy(range, aggregator), range), aggregator.Clock.Size), log.UtcOffset));
        var clock = aggregator.Clock;
        var addresses = aggregator.Addresses.MostUsed();
        var any = aggregator.Requests > 0;
        // No request selected: the window is the one asked for (from its start to its end; an open end is the log's
        // first or last request, or the other end), so views and JSON say what was looked at.
        var to = (options.To ?? log.RangeTo)?.UtcDateTime;
        var first = any ? aggregator.First : from ?? (to is { } t && log.From is { } f && f < t ? f : to) ?? log.From ?? DateTime.UnixEpoch;
        var last = any ? aggregator.Last : to ?? (log.To is { } l && l > first ? l : first);
        var firstBucket = clock.Index(first);
        var span = any ? clock.Index(last) - firstBucket + 1 : 0;
        if (span > MaxBuckets)
            throw new InvalidInputException(
                $"A bucket of {clock.Size} cuts the {Math.Floor((last - first).TotalDays):N0} days from {Words(first)} to {Words(last)} into {span:N0} buckets, " +
                $"more than {MaxBuckets:N0}: narrow the time range (From/To) or use a larger bucket.");
        var buckets = (int)span;
        DateTime? lastEnd = any ? clock.Start(clock.Index(last) + 1) : null;
        clock = clock with
        {
            Dated = SpansDays(first, last, options.From ?? log.RangeFrom, options.To ?? log.RangeTo, log.UtcOffset),
            LastEnd = lastEnd,
            // The range's end cut the logs (it falls in their last bucket), rather than lying past where they end.
            RangeEnds = to is { } end && end <= lastEnd,
        };
        string Words(DateTime utc) => (utc + log.UtcOffset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " " + Offsets.Format(log.UtcOffset);

        var ordered = aggregator.Backends
            .OrderBy(b => b.Key.Listener, StringComparer.Ordinal).ThenBy(b => b.Key.Pool, StringComparer.Ordinal)
            .ThenBy(b => b.Key.Backend, StringComparer.Ordinal).ToArray();
        // Each backend reads its percentiles from its sketches: independent work, one backend per core.
        var series = new BackendSeries[ordered.Length];
        Parallel.For(0, ordered.Length, k => series[k] = new BackendSeries(ordered[k], firstBucket, buckets));

        var judge = new HealthJudge(options, clock);
        var pools = Pools(series);
        // Each backend is judged against its pool independently of the others' verdicts: one backend per core.
        var peers = new List<List<BackendSeries>>(series.Length);
        foreach (var members in pools)
            foreach (var b in members) peers.Add(members.Where(p => p != b).ToList());
        var verdictOf = new Verdict?[series.Length];
        Parallel.For(0, series.Length, k => verdictOf[k] = judge.Judge(series[k], peers[k]));

        // Suspects first (failing before slow, then by severity), then the healthy; ties keep backend order. Classes
        // and loops here, not tuples through LINQ: generic code over value types is compiled at run time.
        var judged = new List<JudgedBackend>();
        var index = 0;
        foreach (var members in pools)
        {
            var healthy = new List<BackendSeries>();
            for (var k = 0; k < members.Count; k++)
                if (verdictOf[index + k] is null) healthy.Add(members[k]);
            for (var k = 0; k < members.Count; k++, index++)
            {
                var b = members[k];
                var verdict = verdictOf[index] ?? judge.Healthy(b, healthy.Where(p => p != b).ToList(), members.Count - healthy.Count);
                judged.Add(new JudgedBackend(b, verdict, Health(b, verdict) with { ListenerAddress = addresses.GetValueOrDefault(b.Key.Listener) }, judged.Count));
            }
        }
        judged.Sort(JudgedBackend.SuspectsFirst);

        var suspects = new List<Suspect>();
        var backends = new List<BackendHealth>();
        foreach (var j in judged)
        {
            if (j.Verdict.Health == Analysis.Health.Healthy) continue;
            var suspect = Suspect(j.Series, j.Verdict, j.Health, judge, options, pools.First(p => p.Contains(j.Series)), aggregator);
            suspects.Add(suspect);
            backends.Add(suspect.Backend);
        }
        foreach (var j in judged)
            if (j.Verdict.Health == Analysis.Health.Healthy) backends.Add(j.Health);

        var listenerErrors = new List<ListenerErrors>();
        var upstreamMayBeUnread = log.Report.Files.Any(f => f.UpstreamFieldsUnread);
        foreach (var ((listener, status), errors) in aggregator.ListenerErrors)
            listenerErrors.Add(new ListenerErrors
            {
                Listener = listener, Status = status, Requests = errors.Requests, First = errors.First, Last = errors.Last,
                ListenerAddress = addresses.GetValueOrDefault(listener), UpstreamRecorded = errors.Unrecorded == 0,
                UpstreamMayBeUnread = errors.Unrecorded > 0 && upstreamMayBeUnread,
            });
        listenerErrors.Sort((a, b) => string.CompareOrdinal(a.Listener, b.Listener) is var c and not 0 ? c : a.Status.CompareTo(b.Status));

        var incidents = new IncidentClassifier(options, clock).Classify(suspects, pools, listenerErrors);
        foreach (var incident in incidents)
            foreach (var suspect in suspects)
                // The incident of its latest window: an earlier failure of it may be part of another.
                if (incident.Pool == suspect.Backend.Pool && incident.Listener == suspect.Backend.Listener && incident.Health == suspect.Health &&
                    incident.Backends.Contains(suspect.Backend.Backend) &&
                    incident.Window.StartUtc < suspect.Window.EndUtc && suspect.Window.StartUtc < incident.Window.EndUtc)
                    suspect.Scope = incident.Scope;

        var timeline = new Lazy<Timeline>(() => Timeline.Build(aggregator, series, firstBucket, buckets));
        return new Judgement(log, options, first, last, clock.Size, backends, suspects, listenerErrors,
            aggregator.NoBackendErrors, aggregator.Requests, aggregator.FilteredOut, timeline, incidents, outliers, addresses,
            Traffic(aggregator, suspects));
    }

    /// <summary>The requests answered 5xx, by who made them, over the buckets judged (as the timeline sums them).</summary>
    private static TrafficSummary Traffic(InvestigationAggregator aggregator, List<Suspect> suspects)
    {
        long requests5xx = 0, backend5xx = 0, lb5xx = 0, noBackend5xx = 0;
        foreach (var counts in aggregator.StatusBuckets.Values)
        {
            requests5xx += counts.ByClass[5];
            backend5xx += counts.Backend5xx;
            lb5xx += counts.Lb5xx;
            noBackend5xx += counts.NoBackend5xx;
        }
        return new TrafficSummary
        {
            Requests5xx = requests5xx, Backend5xx = backend5xx, Lb5xx = lb5xx, NoBackend5xx = noBackend5xx,
            RescuedByRetry = suspects.Sum(s => s.RequestsRetried), Clients5xx = aggregator.ClientsWith5xx(),
        };
    }

    /// <summary>
    /// True when an investigation's requests (<paramref name="first"/> to <paramref name="last"/>, UTC), or the range
    /// asked for (both ends given; its end excluded), lie on more than one calendar day in <paramref name="offset"/>:
    /// every time its texts give then names its date (suspect lines, windows, reasons, where to look).
    /// </summary>
    internal static bool SpansDays(DateTime first, DateTime last, DateTimeOffset? from, DateTimeOffset? to, TimeSpan offset)
    {
        static DateTime Day(DateTime utc, TimeSpan offset) => (DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) + offset).Date;
        if (Day(first, offset) != Day(last, offset)) return true;
        return from is { } f && to is { } t && t > f && Day(f.UtcDateTime, offset) != Day(t.UtcDateTime.AddTicks(-1), offset);
    }

    /// <summary>
    /// The automatic size rounded up to a whole number of the counting buckets: the library counts in one minute, which
    /// divides every automatic size, but a bucket table may count in five.
    /// </summary>
    private static TimeSpan AtLeast(TimeSpan auto, TimeSpan counted) =>
        TimeSpan.FromTicks((auto.Ticks + counted.Ticks - 1) / counted.Ticks * counted.Ticks);

    /// <summary>The series cut into pools (same listener and pool); they arrive ordered by listener, pool and backend.</summary>
    private static List<List<BackendSeries>> Pools(BackendSeries[] ordered)
    {
        var pools = new List<List<BackendSeries>>();
        foreach (var b in ordered)
        {
            if (pools.Count == 0 || pools[^1][0].Key.Listener != b.Key.Listener || pools[^1][0].Key.Pool != b.Key.Pool)
                pools.Add([]);
            pools[^1].Add(b);
        }
        return pools;
    }

    private sealed record JudgedBackend(BackendSeries Series, Verdict Verdict, BackendHealth Health, int Order)
    {
        public static int SuspectsFirst(JudgedBackend a, JudgedBackend b) =>
            ((int)b.Verdict.Health).CompareTo((int)a.Verdict.Health) is var byHealth and not 0 ? byHealth
            : b.Verdict.Severity.CompareTo(a.Verdict.Severity) is var bySeverity and not 0 ? bySeverity
            : a.Order.CompareTo(b.Order);
    }

    private static BackendHealth Health(BackendSeries s, Verdict verdict)
    {
        var a = s.Accumulator;
        DateTime? worst = null;
        long worstErrors = 0;
        foreach (var (minute, errors) in a.ErrorMinutes)
        {
            var start = new DateTime(minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc);
            if (errors > worstErrors || (errors == worstErrors && start < worst))
            {
                worst = start;
                worstErrors = errors;
            }
        }
        return new BackendHealth
        {
            Listener = a.Key.Listener, Pool = a.Key.Pool, Backend = a.Key.Backend, Attempts = a.Attempts, Backend5xx = a.Backend5xx,
            Lb5xx = a.Lb5xx, Status4xx = a.Status4xx, ClientAborts = a.ClientAborts,
            ErrorRate = a.Attempts == 0 ? 0 : (double)a.ErrorCount / a.Attempts, Connect = s.Connect, Header = s.Header, Response = s.Response,
            FirstError = a.ErrorCount > 0 ? a.FirstError : null, LastError = a.ErrorCount > 0 ? a.LastError : null,
            WorstMinute = worst, WorstMinuteErrors = worstErrors, Verdict = verdict,
        };
    }

    private static Suspect Suspect(BackendSeries s, Verdict v, BackendHealth health, HealthJudge judge, InvestigationOptions options,
        List<BackendSeries> pool, InvestigationAggregator aggregator)
    {
        var window = judge.Window(s, v.T0, v.T1);
        var failed = s.Errors(v.T0, v.T1);
        long hurt = 0, retried = 0;
        var examples = new List<ExampleRow>();
        for (var t = v.T0; t <= v.T1; t++)
        {
            hurt += s.Counts[t].HurtErrors;
            retried += s.Counts[t].RescuedErrors;
            if (v.Health == Analysis.Health.Failing) examples.AddRange(s.Counts[t].ErrorRows.Rows);
        }
        // The first distinct rows of the window: each bucket kept its first ones, and rows follow the input.
        examples = examples.DistinctBy(e => e.Request).OrderBy(e => e.Request).Take(options.ExamplesPerSuspect).ToList();

        if (v.Health == Analysis.Health.Slow)
        {
            // Hurt = responses it delayed past the slow threshold; evidence = the slowest of them.
            hurt = s.FinalsAtLeast(v.T0, v.T1, v.SlowThreshold);
            var slow = new List<SlowResponse>();
            for (var t = v.T0; t <= v.T1; t++)
                foreach (var response in s.Counts[t].Slowest.Items)
                    if (response.Header >= v.SlowThreshold) slow.Add(response);
            slow.Sort(SlowResponse.SlowestFirst);
            for (var k = 0; k < slow.Count && k < options.ExamplesPerSuspect; k++) examples.Add(new ExampleRow(slow[k].Request, slow[k].At));
        }
        return new Suspect
        {
            Backend = health, Window = window, FailedAttempts = failed, RequestsHurt = hurt, RequestsRetried = retried,
            ExampleRequestRows = examples.Select(e => e.Request).ToList(), ExampleLines = examples.Select(e => e.At).ToList(),
            SlowThreshold = v.SlowThreshold, Evidence = IncidentClassifier.EvidenceOf(v.Health, failed, options),
            ClientsHurt = aggregator.KnowsClients ? ClientsHurt(s, v) : null,
            EndpointsHurt = aggregator.KnowsClients ? EndpointsHurt(s, v) : null,
            ListenerRequests = aggregator.ListenerRequests(s.Key.Listener, s.FirstBucket + v.T0, s.FirstBucket + v.T1),
            Peers = Peers(s, pool, v.T0, v.T1, aggregator.KnowsClients),
        };
    }

    /// <summary>The endpoints a suspect names (<see cref="Suspect.EndpointsHurt"/>).</summary>
    private const int MostEndpoints = 10;

    /// <summary>
    /// The endpoints of the requests it hurt in buckets T0..T1, most first: of its hurt 5xx attempts, or (slow) of its
    /// final responses in the latency bins its requests hurt were counted from, so that they add up the same.
    /// </summary>
    private static List<EndpointCount> EndpointsHurt(BackendSeries s, Verdict v)
    {
        long first = s.FirstBucket + v.T0, last = s.FirstBucket + v.T1;
        return v.Health == Analysis.Health.Slow
            ? s.Accumulator.SlowEndpoints.Top(first, last, MostEndpoints,
                (bucket, bin) => s.Counts[bucket - s.FirstBucket].Header.StandsAtLeast(bin, v.SlowThreshold))
            : s.Accumulator.HurtEndpoints.Top(first, last, MostEndpoints);
    }

    /// <summary>
    /// Distinct clients of the requests it hurt in buckets T0..T1: those of its hurt 5xx attempts, or (slow) those of its
    /// final responses at the slow threshold or slower, as a report finds them in the rows.
    /// </summary>
    private static long ClientsHurt(BackendSeries s, Verdict v)
    {
        long first = s.FirstBucket + v.T0, last = s.FirstBucket + v.T1;
        return v.Health == Analysis.Health.Slow
            ? s.Accumulator.SlowClients.Distinct(first, last, v.SlowThreshold)
            : s.Accumulator.HurtClients.Distinct(first, last);
    }

    /// <summary>The suspect and the other backends of its pool with attempts in buckets T0..T1, it first, then by address.</summary>
    private static List<WindowPeer> Peers(BackendSeries suspect, List<BackendSeries> pool, int t0, int t1, bool knowsStatuses)
    {
        var peers = new List<WindowPeer>();
        foreach (var m in pool.OrderByDescending(m => m == suspect).ThenBy(m => m.Key.Backend, StringComparer.Ordinal))
        {
            var attempts = m.Attempts(t0, t1);
            if (attempts == 0 && m != suspect) continue;
            var (backend5xx, lb5xx) = m.ErrorParts(t0, t1);
            var header = new LatencySketch();
            var statuses = new SortedDictionary<int, long>();
            for (var t = t0; t <= t1; t++)
            {
                header.Merge(m.Counts[t].Header);
                if (m.Counts[t].ErrorStatuses is { } some)
                    foreach (var (status, n) in some) statuses[status] = statuses.GetValueOrDefault(status) + n;
            }
            var connect = m.Connects(t0, t1);
            peers.Add(new WindowPeer
            {
                Backend = m.Key.Backend, IsSuspect = m == suspect, Attempts = attempts, Backend5xx = backend5xx, Lb5xx = lb5xx,
                ErrorStatuses = knowsStatuses ? statuses : null, Header = header.Stats(),
                ConnectP95 = connect.Count > 0 && !double.IsNaN(connect.P95) ? connect.P95 : null,
            });
        }
        return peers;
    }

}
