using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The investigation's time series, one row per bucket (UTC start): <see cref="PerBackend"/> (dense: every backend has
/// every bucket) and <see cref="StatusClasses"/> (requests by the status the client got, and by who made the 5xx).
/// </summary>
public sealed partial class Timeline
{
    internal Timeline(TimeSpan bucketSize, LogFrame perBackend, LogFrame statusClasses)
    {
        BucketSize = bucketSize;
        PerBackend = perBackend;
        StatusClasses = statusClasses;
    }

    public TimeSpan BucketSize { get; }

    /// <summary>bucket, listener, pool, backend, attempts, backend_5xx, lb_5xx, status_4xx, client_aborts, error_rate, p50_header_time, p95_header_time.</summary>
    public LogFrame PerBackend { get; }

    /// <summary>bucket, 2xx, 3xx, 4xx, 5xx, lb_5xx, backend_5xx, no_backend_5xx (requests; 5xx split by who made it).</summary>
    public LogFrame StatusClasses { get; }

    internal static Timeline Build(InvestigationAggregator aggregator, IReadOnlyList<BackendSeries> series, long firstBucket, int buckets)
    {
        var clock = aggregator.Clock;
        var rows = series.Count * buckets;
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
        foreach (var s in series)
        {
            for (var t = 0; t < buckets; t++)
            {
                var c = s.Counts[t];
                bucket.Add(clock.Start(firstBucket + t));
                listener.Add(s.Key.Listener);
                pool.Add(s.Key.Pool);
                backend.Add(s.Key.Backend);
                attempts.Add(c.Attempts);
                backend5xx.Add(c.Backend5xx);
                lb5xx.Add(c.Lb5xx);
                status4xx.Add(c.Status4xx);
                aborts.Add(c.ClientAborts);
                errorRate.Add(c.Attempts == 0 ? null : (double)c.Errors / c.Attempts);
                p50.Add(NullIfNaN(s.P50Header[t]));
                p95.Add(NullIfNaN(s.P95Header[t]));
            }
        }
        var perBackend = new LogFrame(new DataFrameColumn[]
        {
            new DateTimeDataFrameColumn("bucket", bucket), new StringDataFrameColumn("listener", listener),
            new StringDataFrameColumn("pool", pool), new StringDataFrameColumn("backend", backend),
            new Int64DataFrameColumn("attempts", attempts), new Int64DataFrameColumn("backend_5xx", backend5xx),
            new Int64DataFrameColumn("lb_5xx", lb5xx), new Int64DataFrameColumn("status_4xx", status4xx),
            new Int64DataFrameColumn("client_aborts", aborts), new DoubleDataFrameColumn("error_rate", errorRate),
            new DoubleDataFrameColumn("p50_header_time", p50), new DoubleDataFrameColumn("p95_header_time", p95),
        });

        var times = new List<DateTime?>(buckets);
        var classes = Enumerable.Range(0, 6).Select(_ => new List<long?>(buckets)).ToArray();
        var lb = new List<long?>(buckets);
        var be = new List<long?>(buckets);
        var none = new List<long?>(buckets);
        for (var t = 0; t < buckets; t++)
        {
            var c = aggregator.StatusBuckets.GetValueOrDefault(firstBucket + t) ?? new StatusCounts();
            times.Add(clock.Start(firstBucket + t));
            for (var k = 2; k <= 5; k++) classes[k].Add(c.ByClass[k]);
            lb.Add(c.Lb5xx);
            be.Add(c.Backend5xx);
            none.Add(c.NoBackend5xx);
        }
        var statusClasses = new LogFrame(new DataFrameColumn[]
        {
            new DateTimeDataFrameColumn("bucket", times), new Int64DataFrameColumn("2xx", classes[2]),
            new Int64DataFrameColumn("3xx", classes[3]), new Int64DataFrameColumn("4xx", classes[4]),
            new Int64DataFrameColumn("5xx", classes[5]), new Int64DataFrameColumn("lb_5xx", lb),
            new Int64DataFrameColumn("backend_5xx", be), new Int64DataFrameColumn("no_backend_5xx", none),
        });
        return new Timeline(clock.Size, perBackend, statusClasses);
    }

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}
