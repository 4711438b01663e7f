using System.Runtime.InteropServices;

namespace ElbNotebooks.Analysis;

/// <summary>
/// A backend's accumulated attempts laid out densely over the investigation's buckets (index 0 = bucket
/// <see cref="FirstBucket"/>): counts and latency sketches per bucket, so that any window's percentiles come from
/// merging its buckets' sketches (within <see cref="LatencySketch.RelativeError"/> of the exact ones).
/// </summary>
internal sealed class BackendSeries
{
    public BackendSeries(BackendAccumulator accumulator, long firstBucket, int buckets)
    {
        Accumulator = accumulator;
        FirstBucket = firstBucket;
        Count = buckets;
        Counts = new BucketCounts[buckets];
        HeaderCount = new int[buckets];
        P50Header = new double[buckets];
        P95Header = new double[buckets];
        for (var t = 0; t < buckets; t++)
        {
            var counts = Counts[t] = accumulator.Buckets.GetValueOrDefault(firstBucket + t) ?? Empty;
            HeaderCount[t] = (int)counts.Header.Count;
            P50Header[t] = counts.Header.Quantile(0.50);
            P95Header[t] = counts.Header.Quantile(0.95);
        }

        Connect = accumulator.Connect.Stats();
        Header = accumulator.Header.Stats();
        Response = accumulator.Response.Stats();
    }

    private static readonly BucketCounts Empty = new();

    public BackendAccumulator Accumulator { get; }
    public BackendKey Key => Accumulator.Key;
    public long FirstBucket { get; }
    public int Count { get; }
    public BucketCounts[] Counts { get; }
    public int[] HeaderCount { get; }
    public double[] P50Header { get; }
    public double[] P95Header { get; }
    public LatencyStats Connect { get; }
    public LatencyStats Header { get; }
    public LatencyStats Response { get; }

    public long Attempts(int t0, int t1)
    {
        long n = 0;
        for (var t = t0; t <= t1; t++) n += Counts[t].Attempts;
        return n;
    }

    public long Errors(int t0, int t1)
    {
        long x = 0;
        for (var t = t0; t <= t1; t++) x += Counts[t].Errors;
        return x;
    }

    public (long Backend5xx, long Lb5xx) ErrorParts(int t0, int t1)
    {
        long b = 0, l = 0;
        for (var t = t0; t <= t1; t++)
        {
            b += Counts[t].Backend5xx;
            l += Counts[t].Lb5xx;
        }
        return (b, l);
    }

    /// <summary>How many present header times buckets t0..t1 hold (or those outside them), and their p95.</summary>
    public (int Count, double P95) Headers(int t0, int t1, bool outside = false) => WindowP95(t0, t1, outside, header: true);

    public (int Count, double P95) Connects(int t0, int t1, bool outside = false) => WindowP95(t0, t1, outside, header: false);

    /// <summary>
    /// Judging asks for the same windows again and again (each backend's window, for it and for every peer), so each
    /// window's figures are kept. Backends are judged in parallel, so a peer's windows may be asked for at once from
    /// two threads: a window computed twice gives the same figures.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int T0, int T1, bool Outside, bool Header), (int Count, double P95)> _windows = [];

    private (int Count, double P95) WindowP95(int t0, int t1, bool outside, bool header)
    {
        if (_windows.TryGetValue((t0, t1, outside, header), out var known)) return known;
        var merged = new LatencySketch();
        for (var t = 0; t < Count; t++)
            if ((t >= t0 && t <= t1) != outside) merged.Merge(header ? Counts[t].Header : Counts[t].Connect);
        return _windows[(t0, t1, outside, header)] = ((int)merged.Count, merged.Quantile(0.95));
    }

    /// <summary>Final attempts of buckets t0..t1 with a header time of <paramref name="threshold"/> or more (within the sketches' error).</summary>
    public long FinalsAtLeast(int t0, int t1, double threshold)
    {
        long n = 0;
        for (var t = t0; t <= t1; t++) n += Counts[t].FinalsAtLeast(threshold);
        return n;
    }
}
