using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The investigation's time series, one value per bucket (UTC start, <see cref="BucketStarts"/>), typed:
/// <see cref="Backends"/> (dense: every backend has every bucket) and <see cref="Status"/> (requests by the status the
/// client got, and by who made the 5xx). <see cref="PerBackend"/> and <see cref="StatusClasses"/> show the same
/// values as DataFrames, built from them on first use.
/// </summary>
public sealed partial class Timeline
{
    private LogFrame? _perBackend;
    private LogFrame? _statusClasses;

    internal Timeline(TimeSpan bucketSize, IReadOnlyList<DateTime> bucketStarts, IReadOnlyList<BackendTimeSeries> backends, StatusTimeSeries status)
    {
        BucketSize = bucketSize;
        BucketStarts = bucketStarts;
        Backends = backends;
        Status = status;
    }

    /// <summary>The width of a bucket.</summary>
    public TimeSpan BucketSize { get; }

    /// <summary>Each bucket's start, UTC, oldest first; every series has one value per bucket, in this order.</summary>
    public IReadOnlyList<DateTime> BucketStarts { get; }

    /// <summary>Each backend's counts per bucket, ordered by listener, pool and backend.</summary>
    public IReadOnlyList<BackendTimeSeries> Backends { get; }

    /// <summary>Requests per bucket by the status class the client got, 5xx split by who made it.</summary>
    public StatusTimeSeries Status { get; }

    /// <summary>
    /// <see cref="Backends"/> as one frame, a row per backend and bucket: bucket, listener, pool, backend, attempts,
    /// backend_5xx, lb_5xx, status_4xx, client_aborts, error_rate, p50_header_time, p95_header_time; the pool is null
    /// where the log records none.
    /// </summary>
    public LogFrame PerBackend => _perBackend ??= BuildPerBackend();

    /// <summary>
    /// <see cref="Status"/> as one frame, a row per bucket: bucket, 2xx, 3xx, 4xx, 5xx, lb_5xx, backend_5xx,
    /// no_backend_5xx (requests; 5xx split by who made it).
    /// </summary>
    public LogFrame StatusClasses => _statusClasses ??= BuildStatusClasses();

    internal static Timeline Build(InvestigationAggregator aggregator, IReadOnlyList<BackendSeries> series, long firstBucket, int buckets)
    {
        var clock = aggregator.Clock;
        var starts = new DateTime[buckets];
        for (var t = 0; t < buckets; t++) starts[t] = clock.Start(firstBucket + t);

        var backends = new BackendTimeSeries[series.Count];
        for (var k = 0; k < series.Count; k++)
        {
            var s = series[k];
            var (attempts, backend5xx, lb5xx, status4xx, aborts, errors) =
                (new long[buckets], new long[buckets], new long[buckets], new long[buckets], new long[buckets], new long[buckets]);
            for (var t = 0; t < buckets; t++)
            {
                var c = s.Counts[t];
                attempts[t] = c.Attempts;
                backend5xx[t] = c.Backend5xx;
                lb5xx[t] = c.Lb5xx;
                status4xx[t] = c.Status4xx;
                aborts[t] = c.ClientAborts;
                errors[t] = c.Errors;
            }
            backends[k] = new BackendTimeSeries(s.Key.Listener, s.Key.Pool, s.Key.Backend, attempts, backend5xx, lb5xx, status4xx, aborts,
                errors, s.P50Header, s.P95Header);
        }

        var classes = new long[6][];
        for (var k = 2; k <= 5; k++) classes[k] = new long[buckets];
        var (lb, be, none) = (new long[buckets], new long[buckets], new long[buckets]);
        for (var t = 0; t < buckets; t++)
        {
            var c = aggregator.StatusBuckets.GetValueOrDefault(firstBucket + t) ?? new StatusCounts();
            for (var k = 2; k <= 5; k++) classes[k][t] = c.ByClass[k];
            lb[t] = c.Lb5xx;
            be[t] = c.Backend5xx;
            none[t] = c.NoBackend5xx;
        }
        var status = new StatusTimeSeries(classes[2], classes[3], classes[4], classes[5], lb, be, none);
        return new Timeline(clock.Size, starts, backends, status);
    }

    private LogFrame BuildPerBackend()
    {
        var buckets = BucketStarts.Count;
        var rows = Backends.Count * buckets;
        var bucket = new List<DateTime?>(rows);
        var listener = new List<string?>(rows);
        var pool = new List<string?>(rows);
        var backend = new List<string?>(rows);
        var attempts = new List<long?>(rows);
        var backend5xx = new List<long?>(rows);
        var lb5xx = new List<long?>(rows);
        var status4xx = new List<long?>(rows);
        var aborts = new List<long?>(rows);
        var errorRate = new List<double?>(rows);
        var p50 = new List<double?>(rows);
        var p95 = new List<double?>(rows);
        foreach (var s in Backends)
        {
            for (var t = 0; t < buckets; t++)
            {
                bucket.Add(BucketStarts[t]);
                listener.Add(s.Listener);
                pool.Add(PoolNames.OrNull(s.Pool));
                backend.Add(s.Backend);
                attempts.Add(s.Attempts[t]);
                backend5xx.Add(s.Backend5xx[t]);
                lb5xx.Add(s.Lb5xx[t]);
                status4xx.Add(s.Status4xx[t]);
                aborts.Add(s.ClientAborts[t]);
                errorRate.Add(s.ErrorRate(t));
                p50.Add(NullIfNaN(s.P50HeaderTime[t]));
                p95.Add(NullIfNaN(s.P95HeaderTime[t]));
            }
        }
        return new LogFrame(new DataFrameColumn[]
        {
            new DateTimeDataFrameColumn("bucket", bucket), new StringDataFrameColumn("listener", listener),
            new StringDataFrameColumn("pool", pool), new StringDataFrameColumn("backend", backend),
            new Int64DataFrameColumn("attempts", attempts), new Int64DataFrameColumn("backend_5xx", backend5xx),
            new Int64DataFrameColumn("lb_5xx", lb5xx), new Int64DataFrameColumn("status_4xx", status4xx),
            new Int64DataFrameColumn("client_aborts", aborts), new DoubleDataFrameColumn("error_rate", errorRate),
            new DoubleDataFrameColumn("p50_header_time", p50), new DoubleDataFrameColumn("p95_header_time", p95),
        });
    }

    private LogFrame BuildStatusClasses()
    {
        static IEnumerable<long?> Values(IReadOnlyList<long> series) => series.Select(v => (long?)v);
        var s = Status;
        return new LogFrame(new DataFrameColumn[]
        {
            new DateTimeDataFrameColumn("bucket", BucketStarts.Select(t => (DateTime?)t)), new Int64DataFrameColumn("2xx", Values(s.Status2xx)),
            new Int64DataFrameColumn("3xx", Values(s.Status3xx)), new Int64DataFrameColumn("4xx", Values(s.Status4xx)),
            new Int64DataFrameColumn("5xx", Values(s.Status5xx)), new Int64DataFrameColumn("lb_5xx", Values(s.Lb5xx)),
            new Int64DataFrameColumn("backend_5xx", Values(s.Backend5xx)), new Int64DataFrameColumn("no_backend_5xx", Values(s.NoBackend5xx)),
        });
    }

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}

/// <summary>
/// One backend (of one listener and pool) over the investigation's buckets: a value per bucket of
/// <see cref="Timeline.BucketStarts"/>, in its order.
/// </summary>
/// <param name="Listener">The listener (listener_name) the backend was reached through.</param>
/// <param name="Pool">The backend pool.</param>
/// <param name="Backend">The backend's address and port.</param>
/// <param name="Attempts">Attempts sent to it.</param>
/// <param name="Backend5xx">Attempts it answered with a 5xx itself.</param>
/// <param name="Lb5xx">Attempts the load balancer answered 5xx for it (it could not be reached or did not answer).</param>
/// <param name="Status4xx">Attempts answered with a 4xx.</param>
/// <param name="ClientAborts">Attempts the client gave up on before the answer.</param>
/// <param name="Errors">Attempts counted as its errors (the numerator of <see cref="ErrorRate"/>).</param>
/// <param name="P50HeaderTime">Median response-header time in seconds; NaN where it had no timed attempt.</param>
/// <param name="P95HeaderTime">95th-percentile response-header time in seconds; NaN where it had no timed attempt.</param>
public sealed record BackendTimeSeries(
    string Listener, string Pool, string Backend, IReadOnlyList<long> Attempts, IReadOnlyList<long> Backend5xx, IReadOnlyList<long> Lb5xx,
    IReadOnlyList<long> Status4xx, IReadOnlyList<long> ClientAborts, IReadOnlyList<long> Errors,
    IReadOnlyList<double> P50HeaderTime, IReadOnlyList<double> P95HeaderTime)
{
    /// <summary>The share of bucket <paramref name="bucket"/>'s attempts that were errors; null when it had none.</summary>
    public double? ErrorRate(int bucket) => Attempts[bucket] == 0 ? null : (double)Errors[bucket] / Attempts[bucket];
}

/// <summary>
/// Requests per bucket of <see cref="Timeline.BucketStarts"/> by the status class the client got; the 5xx split by who
/// made them.
/// </summary>
/// <param name="Status2xx">Requests answered 2xx.</param>
/// <param name="Status3xx">Requests answered 3xx.</param>
/// <param name="Status4xx">Requests answered 4xx.</param>
/// <param name="Status5xx">Requests answered 5xx, whoever made them.</param>
/// <param name="Lb5xx">5xx the load balancer made for a backend it could not reach or that did not answer.</param>
/// <param name="Backend5xx">5xx a backend made.</param>
/// <param name="NoBackend5xx">5xx the load balancer made with no backend tried.</param>
public sealed record StatusTimeSeries(
    IReadOnlyList<long> Status2xx, IReadOnlyList<long> Status3xx, IReadOnlyList<long> Status4xx, IReadOnlyList<long> Status5xx,
    IReadOnlyList<long> Lb5xx, IReadOnlyList<long> Backend5xx, IReadOnlyList<long> NoBackend5xx);
