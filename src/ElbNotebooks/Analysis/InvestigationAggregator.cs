using System.Runtime.CompilerServices;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Analysis;

/// <summary>
/// One upstream attempt as the aggregator sees it (times in seconds, missing = NaN / <see cref="Missing.Int"/>).
/// <paramref name="Client"/>: its request's client address (<c>-</c> where the log has none), given only where whom it
/// hurt may be asked (a 5xx, or a final response as slow as <see cref="InvestigationAggregator.SlowClientsFrom"/>), else null.
/// <paramref name="At"/>: where its request's line is written, kept with the request row if it becomes an example.
/// <paramref name="Method"/> and <paramref name="Uri"/>: its request's, given where <paramref name="Client"/> is (the
/// endpoint a failing backend hurt, <see cref="BackendAccumulator.HurtEndpoints"/>).
/// </summary>
internal readonly record struct AttemptRecord(
    DateTime Time, string? Listener, string? Pool, string? Backend, int Status,
    double Connect, double Header, double Response, bool IsFinal, int ClientStatus, long Request, string? Client = null,
    LogPosition At = default, string? Method = null, string? Uri = null);

/// <summary>
/// One request as the aggregator sees it: what the client got and whether any backend was tried. <paramref name="Client"/>:
/// its client address (<c>-</c> where the log has none), given only for a 5xx, else null.
/// </summary>
internal readonly record struct RequestRecord(
    DateTime Time, string? Listener, int Status, int UpstreamAttempts, double FinalHeader, string? File = null, long Line = 0,
    string? ListenerIp = null, int ListenerPort = Missing.Int, string? Client = null);

internal enum AttemptOutcome { Ok, Backend5xx, Lb5xx, Status4xx, ClientAbort }

internal readonly record struct BackendKey(string Listener, string Pool, string Backend);

/// <summary>
/// Accumulates an investigation attempt by attempt and request by request, in any order: one pass, no look-back, so a
/// streaming reader can feed it while reading. Judging happens afterwards (<see cref="HealthJudge"/>), per pool, over
/// the accumulated per-bucket counts and latency sketches. <paramref name="examples"/>: request rows kept per backend
/// and bucket as evidence (<see cref="InvestigationOptions.ExamplesPerSuspect"/>). Whom the backends hurt is counted
/// as distinct client addresses per backend and bucket (<see cref="BackendAccumulator.HurtClients"/>,
/// <see cref="BackendAccumulator.SlowClients"/>): sets of the clients of failed or slow responses, which grow with the
/// clients those reached, not with the lines.
/// </summary>
internal sealed class InvestigationAggregator(BucketClock clock, int examples, double slowClientsFrom = double.PositiveInfinity)
{
    /// <summary>What a log writes when a field is absent; used for a missing listener, pool, backend or client.</summary>
    public const string Unknown = "-";

    /// <summary>
    /// Final responses at least this slow (seconds) have their clients kept (<see cref="BackendAccumulator.SlowClients"/>):
    /// the lowest slow threshold the options can give (<see cref="SlowClientsFloor"/>); infinite keeps none.
    /// </summary>
    public double SlowClientsFrom { get; } = slowClientsFrom;

    /// <summary>
    /// Final responses at least this slow have their client and endpoint read: <see cref="SlowClientsFrom"/>, or a little
    /// less, so that every response in its latency bin is read, as a slow backend's endpoints are counted by bins
    /// (<see cref="BackendAccumulator.SlowEndpoints"/>).
    /// </summary>
    public double WhomFrom => BackendAccumulator.SlowBinsFrom(SlowClientsFrom) switch
    {
        BucketEndpoints.NoBin => SlowClientsFrom,
        LatencySketch.ZeroBin => 0,
        var bin => LatencySketch.ValueOf(bin - 1),
    };

    /// <summary>
    /// The lowest header time a slow verdict's threshold can have: its baseline plus <see cref="InvestigationOptions.SlowMinExcessSeconds"/>
    /// at least, or <see cref="InvestigationOptions.AbsoluteSlowHeaderSeconds"/> with nothing to compare with.
    /// </summary>
    public static double SlowClientsFloor(InvestigationOptions o) => Math.Min(o.SlowMinExcessSeconds, o.AbsoluteSlowHeaderSeconds);

    /// <summary>
    /// Whether the counts come from rows, which name each request's client and listener: false for a bucket table,
    /// whose counts have neither, so whom a backend hurt and a listener's requests per bucket are not known.
    /// </summary>
    public bool KnowsClients { get; set; } = true;

    private readonly Dictionary<BackendKey, BackendAccumulator> _backends = new();

    public BucketClock Clock { get; private set; } = clock;
    public IReadOnlyCollection<BackendAccumulator> Backends => _backends.Values;
    public Dictionary<long, StatusCounts> StatusBuckets { get; private set; } = new();
    public Dictionary<(string Listener, int Status), ListenerErrorAccumulator> ListenerErrors { get; } = new();
    public long NoBackendErrors { get; private set; }
    public long Requests { get; private set; }

    /// <summary>Requests the investigation's own filters left out: other listeners', or outside its time range.</summary>
    public long FilteredOut { get; set; }
    public DateTime First { get; private set; } = DateTime.MaxValue;
    public DateTime Last { get; private set; } = DateTime.MinValue;

    /// <summary>Who made an attempt's status: a client abort is never an error; a 5xx without a response header was written by the load balancer.</summary>
    public static AttemptOutcome Classify(int status, double header, bool isFinal, int clientStatus)
    {
        if (ClientClosed(status) || (isFinal && ClientClosed(clientStatus))) return AttemptOutcome.ClientAbort;
        if (status == Missing.Int) return AttemptOutcome.Ok;
        if (status >= 500) return double.IsNaN(header) ? AttemptOutcome.Lb5xx : AttemptOutcome.Backend5xx;
        if (status >= 400) return AttemptOutcome.Status4xx;
        return AttemptOutcome.Ok;
    }

    /// <summary>
    /// The client closed the connection before it got its answer: 499 in nginx and Huawei ELB logs, 460 in an AWS ALB's
    /// (the client left before the idle timeout). An abort, never an error, whoever was being waited for.
    /// </summary>
    public static bool ClientClosed(int status) => status is 499 or 460;

    /// <summary>
    /// Whether a failed attempt hurt its client: it was the request's last one, or a retry did not rescue it (the client
    /// still got a 5xx, gave up, or no status is known). Every failed attempt is hurt or rescued, never neither.
    /// </summary>
    public static bool Hurt(bool isFinal, int clientStatus) => isFinal || !Rescued(clientStatus);

    /// <summary>A retry answered the client: it got a status under 500, and not one saying it closed the connection.</summary>
    private static bool Rescued(int clientStatus) => clientStatus is > 0 and < 500 && !ClientClosed(clientStatus);

    public void Add(in AttemptRecord a)
    {
        var backend = Find(a.Listener ?? Unknown, a.Pool ?? Unknown, a.Backend ?? Unknown);
        backend.Add(a, Clock.Index(a.Time));
    }

    public void Add(in RequestRecord r)
    {
        Requests++;
        if (r.ListenerIp is not null) Addresses.Add(r.Listener ?? Unknown, r.ListenerIp, r.ListenerPort);
        if (r.Time < First) First = r.Time;
        if (r.Time > Last) Last = r.Time;

        var bucket = Clock.Index(r.Time);
        var counts = BucketLookup.Of(StatusBuckets, bucket, ref _lastStatus);
        counts.Add(r.Time, r.File, r.Line);
        counts.CountListener(r.Listener ?? Unknown);
        var statusClass = r.Status / 100;
        if (statusClass is >= 1 and <= 5) counts.ByClass[statusClass]++;
        if (statusClass == 5 && r.Client is { } client) Clients5xx.Add(bucket, client);

        if (r.UpstreamAttempts <= 0)
        {
            if (r.Status >= 500)
            {
                NoBackendErrors++;
                counts.NoBackend5xx++;
            }
            if (r.Status >= 400)
            {
                var key = (r.Listener ?? Unknown, r.Status);
                if (!ListenerErrors.TryGetValue(key, out var errors)) ListenerErrors[key] = errors = new ListenerErrorAccumulator();
                errors.Add(r.Time, bucket);
                if (r.UpstreamAttempts == Missing.Int) errors.Unrecorded++;
            }
        }
        else if (r.Status >= 500)
        {
            if (double.IsNaN(r.FinalHeader)) counts.Lb5xx++;
            else counts.Backend5xx++;
        }
    }

    private (long Bucket, StatusCounts? Counts) _lastStatus;

    /// <summary>A bucket's request counts, made on first use (a bucket table fills them row by row).</summary>
    public StatusCounts StatusBucket(long bucket) => BucketLookup.Of(StatusBuckets, bucket, ref _lastStatus);

    public ListenerErrorAccumulator ListenerError(string listener, int status)
    {
        if (!ListenerErrors.TryGetValue((listener, status), out var errors)) ListenerErrors[(listener, status)] = errors = new ListenerErrorAccumulator();
        return errors;
    }

    /// <summary>
    /// Derives every total from the buckets, as if the attempts and requests had been added one by one: what a
    /// bucket table gives is per bucket only. Errors per minute come from the buckets (exact for buckets of a minute
    /// or less; a larger bucket's errors count in its first minute).
    /// </summary>
    public void Recount()
    {
        foreach (var backend in _backends.Values) backend.ErrorMinutesFromBuckets(Clock);
        Keep(long.MinValue, long.MaxValue);
    }

    /// <summary>Requests per listener and the address and port they reached it on.</summary>
    public ListenerAddresses Addresses { get; } = new();

    /// <summary>Distinct clients of the requests answered 5xx, per bucket; a bucket table has none.</summary>
    public BucketClients Clients5xx { get; } = new();

    /// <summary>
    /// Adds a later block's counts, as if its attempts and requests had been added here one by one: its example
    /// request rows are shifted by <paramref name="requestOffset"/>. Its counts are copied: <paramref name="other"/>
    /// can then be reset and count a later block.
    /// </summary>
    public void Merge(InvestigationAggregator other, long requestOffset)
    {
        if (other.Requests > 0)
        {
            Requests += other.Requests;
            if (other.First < First) First = other.First;
            if (other.Last > Last) Last = other.Last;
        }
        NoBackendErrors += other.NoBackendErrors;
        FilteredOut += other.FilteredOut;
        Addresses.Add(other.Addresses);
        Clients5xx.Add(other.Clients5xx);
        foreach (var (bucket, counts) in other.StatusBuckets)
        {
            if (!StatusBuckets.TryGetValue(bucket, out var mine)) StatusBuckets[bucket] = mine = new StatusCounts();
            mine.Add(counts);
        }
        foreach (var (key, errors) in other.ListenerErrors)
        {
            if (!ListenerErrors.TryGetValue(key, out var mine)) ListenerErrors[key] = mine = new ListenerErrorAccumulator();
            mine.Add(errors);
        }
        foreach (var backend in other._backends.Values)
            Find(backend.Key.Listener, backend.Key.Pool, backend.Key.Backend).Merge(backend, requestOffset);
    }

    /// <summary>
    /// Readies a block's counts for <see cref="Merge"/> on the thread that counted them: the clients and endpoints sorted
    /// per bucket (<see cref="BucketClients.Seal"/>, <see cref="BucketEndpoints.Seal"/>), so that the merge, on the
    /// reading thread, only walks them.
    /// </summary>
    public void Seal()
    {
        Clients5xx.Seal();
        foreach (var backend in _backends.Values)
        {
            backend.HurtClients.Seal();
            backend.SlowClients.Seal();
            backend.HurtEndpoints.Seal();
            backend.SlowEndpoints.Seal();
        }
    }

    /// <summary>Distinct clients of the requests answered 5xx in the buckets kept (after <see cref="Keep"/>); null for a bucket table.</summary>
    public long? ClientsWith5xx() => KnowsClients ? Clients5xx.Distinct(long.MinValue, long.MaxValue) : null;

    /// <summary>Requests to <paramref name="listener"/> in buckets <paramref name="first"/>..<paramref name="last"/>; null for a bucket table.</summary>
    public long? ListenerRequests(string listener, long first, long last)
    {
        if (!KnowsClients) return null;
        long n = 0;
        foreach (var (bucket, counts) in StatusBuckets)
            if (bucket >= first && bucket <= last) n += counts.RequestsOf(listener);
        return n;
    }

    /// <summary>
    /// Empties the counts and keeps the backends and dictionaries with their capacity, so a streaming reader can
    /// count block after block into a few aggregators without growing them again each time.
    /// </summary>
    public void Reset()
    {
        foreach (var backend in _backends.Values) backend.Reset();
        StatusBuckets.Clear();
        _lastStatus = default;
        Addresses.Clear();
        Clients5xx.Clear();
        ListenerErrors.Clear();
        NoBackendErrors = 0;
        Requests = 0;
        FilteredOut = 0;
        First = DateTime.MaxValue;
        Last = DateTime.MinValue;
    }

    /// <summary>
    /// Forgets everything counted outside buckets <paramref name="first"/>..<paramref name="last"/> of the current
    /// clock (requests far from the rest of the log, <see cref="TimeOutliers"/>, are left out of the judgement) and
    /// derives the totals from the buckets kept. The judgement calls it once, with the whole range when nothing is
    /// left out: the backends' totals exist only from then on.
    /// </summary>
    public void Keep(long first, long last)
    {
        bool Outside(long bucket) => bucket < first || bucket > last;
        foreach (var bucket in StatusBuckets.Keys.Where(Outside).ToList()) StatusBuckets.Remove(bucket);
        Clients5xx.Keep(first, last);
        _lastStatus = default;
        Requests = NoBackendErrors = 0;
        First = DateTime.MaxValue;
        Last = DateTime.MinValue;
        foreach (var counts in StatusBuckets.Values)
        {
            Requests += counts.Requests;
            NoBackendErrors += counts.NoBackend5xx;
            if (counts.First < First) First = counts.First;
            if (counts.Last > Last) Last = counts.Last;
        }
        foreach (var (key, errors) in ListenerErrors.ToList())
            if (!errors.Keep(first, last)) ListenerErrors.Remove(key);
        var backends = _backends.Values.ToArray();
        var kept = new bool[backends.Length];
        var clock = Clock;
        PerBackend(backends, k => kept[k] = backends[k].Keep(first, last, clock));
        for (var k = 0; k < backends.Length; k++)
            if (!kept[k]) _backends.Remove(backends[k].Key);
        Array.Clear(_recent);
        _nextRecent = 0;
    }

    /// <summary>
    /// Re-counts everything in the coarser buckets of <paramref name="target"/>, whose size is a whole multiple of the
    /// current one: a streaming pass counts in fine buckets and picks the final size once it knows the span.
    /// </summary>
    public void Coarsen(BucketClock target)
    {
        var source = Clock;
        long Map(long bucket) => target.Index(source.Start(bucket));

        var statuses = new Dictionary<long, StatusCounts>();
        foreach (var (bucket, counts) in StatusBuckets)
        {
            var to = Map(bucket);
            if (!statuses.TryGetValue(to, out var merged)) statuses[to] = merged = new StatusCounts();
            merged.Add(counts);
        }
        StatusBuckets = statuses;
        _lastStatus = default;
        Clients5xx.Coarsen(Map);
        var backends = _backends.Values.ToArray();
        PerBackend(backends, k => backends[k].Coarsen(Map));
        Clock = target;
    }

    /// <summary>
    /// Runs <paramref name="work"/> for each backend, on every core when there are several: keeping and coarsening
    /// the backends' buckets runs after the last block, on one thread otherwise, while the other cores wait (measured:
    /// 15 of the last 25 ms of a 500,000-line streamed investigation, before this).
    /// </summary>
    private static void PerBackend(BackendAccumulator[] backends, Action<int> work)
    {
        if (backends.Length > 1) Parallel.For(0, backends.Length, work);
        else if (backends.Length == 1) work(0);
    }

    /// <summary>
    /// The backends met last, by the strings they were looked up with, compared by reference: a block's strings come
    /// from one pool, so the same backend is the same string, and a balancer taking turns among a pool's members hits
    /// here instead of hashing three strings. The strings are the lookup's, not the accumulator's key: a partial
    /// aggregator is reused for blocks parsed with other pools, whose strings are equal to its keys but not the same
    /// objects (measured: keyed by the accumulator's own strings, 360,000 of a 500,000-line log's attempts missed).
    /// </summary>
    private readonly (string Listener, string Pool, string Backend, BackendAccumulator? Accumulator)[] _recent = new (string, string, string, BackendAccumulator?)[16];
    private int _nextRecent;

    /// <summary>The accumulator of a backend, made on first use.</summary>
    public BackendAccumulator Find(string listener, string pool, string backend)
    {
        foreach (var recent in _recent)
        {
            if (recent.Accumulator is null) break;
            if ((object)recent.Backend == backend && (object)recent.Pool == pool && (object)recent.Listener == listener) return recent.Accumulator;
        }
        var key = new BackendKey(listener, pool, backend);
        if (!_backends.TryGetValue(key, out var found)) _backends[key] = found = new BackendAccumulator(key, examples, SlowClientsFrom);
        _recent[_nextRecent] = (listener, pool, backend, found);
        _nextRecent = (_nextRecent + 1) % _recent.Length;
        return found;
    }
}

/// <summary>
/// A bucket's counts, made on first use (from <c>spare</c>, emptied counts of earlier blocks, when given). Requests
/// and attempts come in time order, so most share the previous one's bucket: the caller keeps it in <c>last</c>
/// (reset whenever the dictionary is replaced), and those cost no lookup.
/// </summary>
internal static class BucketLookup
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(Dictionary<long, T> buckets, long bucket, ref (long Bucket, T? Counts) last, Stack<T>? spare = null)
        where T : class, new()
    {
        if (last.Bucket == bucket && last.Counts is { } known) return known;
        if (!buckets.TryGetValue(bucket, out var counts))
            buckets[bucket] = counts = spare is not null && spare.TryPop(out var emptied) ? emptied : new T();
        last = (bucket, counts);
        return counts;
    }

    /// <summary>Empties every bucket with <paramref name="empty"/> and keeps it in <paramref name="spare"/> for <see cref="Of"/> to reuse.</summary>
    public static void Recycle<T>(Dictionary<long, T> buckets, Stack<T> spare, ref (long Bucket, T? Counts) last, Action<T> empty)
        where T : class
    {
        foreach (var counts in buckets.Values)
        {
            empty(counts);
            spare.Push(counts);
        }
        buckets.Clear();
        last = default;
    }
}

/// <summary>Requests per bucket by the status the client got (index 1-5 = 1xx-5xx) and by who made their 5xx.</summary>
internal sealed class StatusCounts
{
    public readonly long[] ByClass = new long[6];
    public long Requests, Backend5xx, Lb5xx, NoBackend5xx;

    /// <summary>The bucket's first and last request, and where the first is written (to name a request far from the rest).</summary>
    public DateTime First = DateTime.MaxValue, Last = DateTime.MinValue;
    public string? FirstFile;
    public long FirstLine;

    /// <summary>Requests per listener here (<see cref="InvestigationAggregator.Unknown"/> for none); a bucket table has none.</summary>
    private Dictionary<string, long>? _byListener;

    /// <summary>
    /// Requests not yet in <see cref="_byListener"/>, by the listener's string compared by reference, as
    /// <see cref="Loading.ListenerAddresses"/> counts them: a block's strings are pooled, so listeners taking turns
    /// are counted with no hashing.
    /// </summary>
    private readonly (string? Listener, long Requests)[] _listenerRuns = new (string?, long)[4];

    public void Add(DateTime time, string? file, long line)
    {
        Requests++;
        if (time < First) (First, FirstFile, FirstLine) = (time, file, line);
        if (time > Last) Last = time;
    }

    public void CountListener(string listener)
    {
        var runs = _listenerRuns.AsSpan();
        for (var i = 0; i < runs.Length; i++)
        {
            ref var run = ref runs[i];
            if (run.Listener is null)
            {
                run = (listener, 1);
                return;
            }
            if ((object)run.Listener == listener)
            {
                run.Requests++;
                return;
            }
        }
        FlushListeners();
        runs[0] = (listener, 1);
    }

    private Dictionary<string, long> FlushListeners()
    {
        var counts = _byListener ??= new(StringComparer.Ordinal);
        foreach (ref var run in _listenerRuns.AsSpan())
        {
            if (run.Listener is null) break;
            counts[run.Listener] = counts.GetValueOrDefault(run.Listener) + run.Requests;
            run = default;
        }
        return counts;
    }

    public long RequestsOf(string listener) => FlushListeners().GetValueOrDefault(listener);

    public void Add(StatusCounts other)
    {
        for (var i = 0; i < ByClass.Length; i++) ByClass[i] += other.ByClass[i];
        Requests += other.Requests;
        Backend5xx += other.Backend5xx;
        Lb5xx += other.Lb5xx;
        NoBackend5xx += other.NoBackend5xx;
        if (other.First < First) (First, FirstFile, FirstLine) = (other.First, other.FirstFile, other.FirstLine);
        if (other.Last > Last) Last = other.Last;
        if (other._listenerRuns[0].Listener is not null || other._byListener is not null)
        {
            var mine = FlushListeners();
            foreach (var (listener, n) in other.FlushListeners()) mine[listener] = mine.GetValueOrDefault(listener) + n;
        }
    }
}

internal sealed class ListenerErrorAccumulator
{
    public long Requests;
    public DateTime First = DateTime.MaxValue, Last = DateTime.MinValue;

    /// <summary>Of <see cref="Requests"/>, those whose log records no upstream at all (nginx without <c>$upstream_addr</c>).</summary>
    public long Unrecorded;

    /// <summary>The buckets (of the counting clock) that hold them: few, since these are errors of one listener and status.</summary>
    private readonly Dictionary<long, (long Requests, DateTime First, DateTime Last)> _buckets = [];

    public void Add(ListenerErrorAccumulator other)
    {
        Requests += other.Requests;
        Unrecorded += other.Unrecorded;
        if (other.First < First) First = other.First;
        if (other.Last > Last) Last = other.Last;
        foreach (var (bucket, theirs) in other._buckets) Count(bucket, theirs.Requests, theirs.First, theirs.Last);
    }

    public void Add(DateTime time, long bucket)
    {
        Requests++;
        if (time < First) First = time;
        if (time > Last) Last = time;
        Count(bucket, 1, time, time);
    }

    /// <summary>Per bucket of the counting clock: requests, first and last.</summary>
    public IReadOnlyDictionary<long, (long Requests, DateTime First, DateTime Last)> Buckets => _buckets;

    public void Count(long bucket, long requests, DateTime first, DateTime last)
    {
        var mine = _buckets.GetValueOrDefault(bucket, (0, DateTime.MaxValue, DateTime.MinValue));
        _buckets[bucket] = (mine.Requests + requests, first < mine.First ? first : mine.First, last > mine.Last ? last : mine.Last);
    }

    /// <summary>Keeps buckets first..last only; false when none is left.</summary>
    public bool Keep(long first, long last)
    {
        Requests = 0;
        First = DateTime.MaxValue;
        Last = DateTime.MinValue;
        foreach (var (bucket, counts) in _buckets.ToList())
        {
            if (bucket < first || bucket > last)
            {
                _buckets.Remove(bucket);
                continue;
            }
            Requests += counts.Requests;
            if (counts.First < First) First = counts.First;
            if (counts.Last > Last) Last = counts.Last;
        }
        return Requests > 0;
    }
}

/// <summary>
/// One backend's attempts in one bucket: counts, latency sketches and a few example request rows, so that memory
/// grows with backends and buckets, not with lines. Header times of the final attempts (for the requests a slow
/// backend hurt) are those of all attempts less those retried elsewhere: few, so their sketch stays small.
/// </summary>
internal sealed class BucketCounts
{
    public long Attempts, Backend5xx, Lb5xx, Status4xx, ClientAborts;

    /// <summary>5xx attempts that hurt their client, and those a retry on a peer rescued (see <see cref="InvestigationAggregator.Hurt"/>).</summary>
    public long HurtErrors, RescuedErrors;

    public long Errors => Backend5xx + Lb5xx;

    /// <summary>The bucket's first and last 5xx attempt (a bucket table carries them; the whole range's come from them).</summary>
    public DateTime FirstError = DateTime.MaxValue, LastError = DateTime.MinValue;

    public readonly LatencySketch Header = new(), Connect = new(), RetriedHeader = new();

    /// <summary>The first request rows with a 5xx attempt here (input order is row order).</summary>
    public readonly FirstRows ErrorRows = new();

    /// <summary>Final attempts whose header time stands for <paramref name="threshold"/> or more (by the bins of <see cref="Header"/>).</summary>
    public long FinalsAtLeast(double threshold) => Header.CountAtLeast(threshold, less: RetriedHeader);

    /// <summary>The slowest final attempts here, evidence for a slow backend.</summary>
    public readonly SlowestFinals Slowest = new();

    /// <summary>5xx attempts by status (<c>500</c> → n), null until the first; a bucket table has none.</summary>
    public Dictionary<int, long>? ErrorStatuses;

    public void CountErrorStatus(int status, long n = 1)
    {
        var statuses = ErrorStatuses ??= [];
        statuses[status] = statuses.GetValueOrDefault(status) + n;
    }

    /// <summary>Empties the counts and keeps the sketches' bins and the lists' room.</summary>
    public void Clear()
    {
        Attempts = Backend5xx = Lb5xx = Status4xx = ClientAborts = HurtErrors = RescuedErrors = 0;
        (FirstError, LastError) = (DateTime.MaxValue, DateTime.MinValue);
        Header.Clear();
        Connect.Clear();
        RetriedHeader.Clear();
        ErrorRows.Clear();
        Slowest.Clear();
        ErrorStatuses?.Clear();
    }

    /// <summary>Adds a bucket's counts; its request rows are shifted by <paramref name="requestOffset"/>.</summary>
    public void Add(BucketCounts other, long requestOffset, int examples)
    {
        Attempts += other.Attempts;
        Backend5xx += other.Backend5xx;
        Lb5xx += other.Lb5xx;
        Status4xx += other.Status4xx;
        ClientAborts += other.ClientAborts;
        HurtErrors += other.HurtErrors;
        RescuedErrors += other.RescuedErrors;
        if (other.FirstError < FirstError) FirstError = other.FirstError;
        if (other.LastError > LastError) LastError = other.LastError;
        Header.Merge(other.Header);
        Connect.Merge(other.Connect);
        RetriedHeader.Merge(other.RetriedHeader);
        ErrorRows.Merge(other.ErrorRows, requestOffset, examples);
        Slowest.Merge(other.Slowest, requestOffset, examples);
        if (other.ErrorStatuses is { Count: > 0 } statuses)
            foreach (var (status, n) in statuses) CountErrorStatus(status, n);
    }
}

/// <summary>A request row kept as evidence, and where its line is written (noted when kept: a streamed investigation keeps no rows to look it up later).</summary>
internal readonly record struct ExampleRow(long Request, LogPosition At);

/// <summary>At most a given number of distinct request rows, the smallest (earliest in the input) kept, in order.</summary>
internal sealed class FirstRows
{
    private readonly List<ExampleRow> _rows = [];

    public IReadOnlyList<ExampleRow> Rows => _rows;

    public void Add(ExampleRow row, int limit)
    {
        var at = _rows.Count;
        while (at > 0 && _rows[at - 1].Request > row.Request) at--;
        if (at > 0 && _rows[at - 1].Request == row.Request) return;
        if (at >= limit) return;
        if (_rows.Count == limit) _rows.RemoveAt(_rows.Count - 1);
        _rows.Insert(at, row);
    }

    public void Merge(FirstRows other, long requestOffset, int limit)
    {
        foreach (var row in other._rows) Add(row with { Request = row.Request + requestOffset }, limit);
    }

    public void Clear() => _rows.Clear();
}

/// <summary>A final attempt's header time, request row and where its line is written; slower first, then earlier.</summary>
internal readonly record struct SlowResponse(double Header, long Request, LogPosition At)
{
    public static int SlowestFirst(SlowResponse a, SlowResponse b) =>
        b.Header.CompareTo(a.Header) is var c and not 0 ? c : a.Request.CompareTo(b.Request);
}

/// <summary>At most a given number of the slowest final attempts (<see cref="SlowResponse.SlowestFirst"/>).</summary>
internal sealed class SlowestFinals
{
    private List<SlowResponse>? _items;

    public IReadOnlyList<SlowResponse> Items => _items ?? [];

    public void Add(SlowResponse item, int limit)
    {
        if (limit <= 0) return;
        // Made at its full size: a streamed investigation's total keeps one per backend and minute (5,800 for a
        // 500,000-line log), and grown item by item they allocated 3 MB, each megabyte fresh memory faulted in.
        _items ??= new List<SlowResponse>(limit);
        if (_items.Count == limit)
        {
            if (SlowResponse.SlowestFirst(item, _items[^1]) >= 0) return;
            _items.RemoveAt(_items.Count - 1);
        }
        var at = _items.Count;
        while (at > 0 && SlowResponse.SlowestFirst(item, _items[at - 1]) < 0) at--;
        _items.Insert(at, item);
    }

    public void Merge(SlowestFinals other, long requestOffset, int limit)
    {
        if (other._items is null) return;
        foreach (var item in other._items) Add(item with { Request = item.Request + requestOffset }, limit);
    }

    public void Clear() => _items?.Clear();
}

internal sealed class BackendAccumulator(BackendKey key, int examples, double slowClientsFrom = double.PositiveInfinity)
{
    public BackendKey Key { get; } = key;

    /// <summary>
    /// The whole range's totals: derived from <see cref="Buckets"/> by <see cref="Keep"/> before judging, not counted
    /// per attempt as well (each attempt is counted once, in its bucket).
    /// </summary>
    public long Attempts, Backend5xx, Lb5xx, Status4xx, ClientAborts;

    /// <inheritdoc cref="Attempts"/>
    public DateTime FirstError = DateTime.MaxValue, LastError = DateTime.MinValue;

    public Dictionary<long, BucketCounts> Buckets { get; private set; } = new();
    public readonly Dictionary<long, long> ErrorMinutes = new();

    /// <summary>
    /// Whole-range connect and header times: the buckets' merged, when first asked for after <see cref="Keep"/>. Asked
    /// for once the buckets are coarsened (<see cref="BackendSeries"/>, a backend per core), they merge a tenth as many
    /// sketches as <see cref="Keep"/> did, on one thread, before (3 of the 25 ms a 500,000-line streamed investigation
    /// spent on one thread after its last block).
    /// </summary>
    public LatencySketch Connect => _connect ??= Merged(counts => counts.Connect);

    /// <inheritdoc cref="Connect"/>
    public LatencySketch Header => _header ??= Merged(counts => counts.Header);

    private LatencySketch? _connect, _header;

    private LatencySketch Merged(Func<BucketCounts, LatencySketch> of)
    {
        var merged = new LatencySketch();
        foreach (var counts in Buckets.Values) merged.Merge(of(counts));
        return merged;
    }

    /// <summary>Response times over all its attempts: judged over the whole range only, so counted here, not per bucket.</summary>
    public readonly LatencySketch Response = new();

    /// <summary>Distinct clients of the 5xx attempts that hurt their client (<see cref="BucketCounts.HurtErrors"/>), per bucket.</summary>
    public readonly BucketClients HurtClients = new();

    /// <summary>Endpoints of the 5xx attempts that hurt their client (<see cref="BucketCounts.HurtErrors"/>), per bucket.</summary>
    public readonly BucketEndpoints HurtEndpoints = new();

    /// <summary>
    /// Clients of the final attempts at least <see cref="InvestigationAggregator.SlowClientsFrom"/> slow, per bucket,
    /// each with its slowest such header time: a slow verdict's hurt clients are those at its threshold or above.
    /// </summary>
    public readonly BucketClients SlowClients = new();

    /// <summary>
    /// Endpoints of the final attempts in the latency bin of <see cref="InvestigationAggregator.SlowClientsFrom"/> or
    /// above, per bucket and bin: a slow verdict's endpoints are those of the bins its requests hurt are counted from
    /// (<see cref="BucketCounts.FinalsAtLeast"/>).
    /// </summary>
    public readonly BucketEndpoints SlowEndpoints = new();

    private readonly int _slowBinsFrom = SlowBinsFrom(slowClientsFrom);

    /// <summary>The latency bin of <paramref name="slowClientsFrom"/>; <see cref="BucketEndpoints.NoBin"/> when infinite (none kept).</summary>
    public static int SlowBinsFrom(double slowClientsFrom) =>
        double.IsFinite(slowClientsFrom) ? LatencySketch.Bin(slowClientsFrom) : BucketEndpoints.NoBin;

    /// <summary>
    /// Adds a later block's counts. They are copied, never taken over: <paramref name="other"/> keeps its buckets, to
    /// count the next block in once <see cref="Reset"/> has emptied them.
    /// </summary>
    public void Merge(BackendAccumulator other, long requestOffset)
    {
        foreach (var (bucket, counts) in other.Buckets)
        {
            if (!Buckets.TryGetValue(bucket, out var mine)) Buckets[bucket] = mine = new BucketCounts();
            mine.Add(counts, requestOffset, examples);
        }
        foreach (var (minute, errors) in other.ErrorMinutes) ErrorMinutes[minute] = ErrorMinutes.GetValueOrDefault(minute) + errors;
        Response.Merge(other.Response);
        HurtClients.Add(other.HurtClients);
        HurtEndpoints.Add(other.HurtEndpoints);
        SlowClients.Add(other.SlowClients);
        SlowEndpoints.Add(other.SlowEndpoints);
    }

    /// <summary>
    /// Empties the counts for the next block and keeps the emptied buckets, with their sketches' bins and example
    /// lists, for the buckets it will count in. Partial aggregators that made new buckets for every block allocated 16
    /// of the 43 MB a 500,000-line streaming investigation allocated, and collecting them cost about a tenth of its time.
    /// </summary>
    public void Reset()
    {
        BucketLookup.Recycle(Buckets, _spare, ref _last, static counts => counts.Clear());
        ErrorMinutes.Clear();
        Response.Clear();
        HurtClients.Clear();
        HurtEndpoints.Clear();
        SlowClients.Clear();
        SlowEndpoints.Clear();
    }

    private readonly Stack<BucketCounts> _spare = new();

    /// <summary>Keeps buckets first..last of <paramref name="clock"/> only and derives the totals from them; false when nothing is left.</summary>
    public bool Keep(long first, long last, BucketClock clock)
    {
        bool Outside(long bucket) => bucket < first || bucket > last;
        foreach (var bucket in Buckets.Keys.Where(Outside).ToList()) Buckets.Remove(bucket);
        HurtClients.Keep(first, last);
        HurtEndpoints.Keep(first, last);
        SlowClients.Keep(first, last);
        SlowEndpoints.Keep(first, last);
        _last = default;
        Attempts = Backend5xx = Lb5xx = Status4xx = ClientAborts = 0;
        (FirstError, LastError) = (DateTime.MaxValue, DateTime.MinValue);
        // The whole range's connect and header sketches are the kept buckets' merged (when asked for); the response
        // sketch has no per-bucket parts, so it keeps the left-out requests (at most 1% of them, by TimeOutliers' rule).
        _connect = _header = null;
        foreach (var counts in Buckets.Values)
        {
            Attempts += counts.Attempts;
            Backend5xx += counts.Backend5xx;
            Lb5xx += counts.Lb5xx;
            Status4xx += counts.Status4xx;
            ClientAborts += counts.ClientAborts;
            if (counts.FirstError < FirstError) FirstError = counts.FirstError;
            if (counts.LastError > LastError) LastError = counts.LastError;
        }
        foreach (var minute in ErrorMinutes.Keys.ToList())
            if (Outside(clock.Index(new DateTime(minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc)))) ErrorMinutes.Remove(minute);
        return Attempts > 0;
    }

    public void Coarsen(Func<long, long> map)
    {
        var buckets = new Dictionary<long, BucketCounts>();
        foreach (var (bucket, counts) in Buckets)
        {
            var to = map(bucket);
            if (buckets.TryGetValue(to, out var merged)) merged.Add(counts, 0, examples);
            else buckets[to] = counts;
        }
        Buckets = buckets;
        _last = default;
        HurtClients.Coarsen(map);
        HurtEndpoints.Coarsen(map);
        SlowClients.Coarsen(map);
        SlowEndpoints.Coarsen(map);
    }

    public long ErrorCount => Backend5xx + Lb5xx;

    /// <summary>Error minutes from the buckets alone (first and last error are <see cref="Keep"/>'s, from the same buckets).</summary>
    public void ErrorMinutesFromBuckets(BucketClock clock)
    {
        ErrorMinutes.Clear();
        foreach (var (bucket, counts) in Buckets)
        {
            if (counts.Errors == 0) continue;
            var minute = clock.Start(bucket).Ticks / TimeSpan.TicksPerMinute;
            ErrorMinutes[minute] = ErrorMinutes.GetValueOrDefault(minute) + counts.Errors;
        }
    }

    private (long Bucket, BucketCounts? Counts) _last;

    public void Add(in AttemptRecord a, long bucket)
    {
        var counts = BucketLookup.Of(Buckets, bucket, ref _last, _spare);
        counts.Attempts++;
        if (!double.IsNaN(a.Header))
        {
            var bin = LatencySketch.Bin(a.Header);
            counts.Header.AddBin(bin, a.Header);
            if (a.IsFinal)
            {
                counts.Slowest.Add(new SlowResponse(a.Header, a.Request, a.At), examples);
                if (a.Header >= slowClientsFrom && a.Client is { } client) SlowClients.Add(bucket, client, a.Header);
                if (bin >= _slowBinsFrom) SlowEndpoints.Add(bucket, a.Method, a.Uri, bin);
            }
            else counts.RetriedHeader.AddBin(bin, a.Header);
        }
        if (!double.IsNaN(a.Connect)) counts.Connect.Add(a.Connect);
        if (!double.IsNaN(a.Response)) Response.Add(a.Response);

        switch (AttemptOutcome(a))
        {
            case Analysis.AttemptOutcome.Backend5xx:
                counts.Backend5xx++;
                Error(a, bucket, counts);
                break;
            case Analysis.AttemptOutcome.Lb5xx:
                counts.Lb5xx++;
                Error(a, bucket, counts);
                break;
            case Analysis.AttemptOutcome.Status4xx:
                counts.Status4xx++;
                break;
            case Analysis.AttemptOutcome.ClientAbort:
                counts.ClientAborts++;
                break;
        }
    }

    private static AttemptOutcome AttemptOutcome(in AttemptRecord a) =>
        InvestigationAggregator.Classify(a.Status, a.Header, a.IsFinal, a.ClientStatus);

    private void Error(in AttemptRecord a, long bucket, BucketCounts counts)
    {
        if (a.Time < counts.FirstError) counts.FirstError = a.Time;
        if (a.Time > counts.LastError) counts.LastError = a.Time;
        var minute = a.Time.Ticks / TimeSpan.TicksPerMinute;
        ErrorMinutes[minute] = ErrorMinutes.GetValueOrDefault(minute) + 1;
        counts.CountErrorStatus(a.Status);
        if (InvestigationAggregator.Hurt(a.IsFinal, a.ClientStatus))
        {
            counts.HurtErrors++;
            if (a.Client is { } client)
            {
                HurtClients.Add(bucket, client);
                HurtEndpoints.Add(bucket, a.Method, a.Uri);
            }
        }
        else counts.RescuedErrors++;
        counts.ErrorRows.Add(new ExampleRow(a.Request, a.At), examples);
    }
}
