using System.Runtime.InteropServices;

namespace ElbNotebooks.Analysis;

/// <summary>
/// A backend's accumulated attempts laid out densely over the investigation's buckets (index 0 = bucket
/// <see cref="FirstBucket"/>): counts per bucket, and its samples sorted by bucket then header time, so that any
/// window's exact percentiles come from one slice.
/// </summary>
internal sealed class BackendSeries
{
    private readonly int[] _offsets;
    private readonly List<Sample> _ordered;

    /// <summary>The samples ordered by bucket.</summary>
    private ReadOnlySpan<Sample> Ordered => CollectionsMarshal.AsSpan(_ordered);

    public BackendSeries(BackendAccumulator accumulator, long firstBucket, int buckets)
    {
        Accumulator = accumulator;
        FirstBucket = firstBucket;
        Count = buckets;
        Counts = new BucketCounts[buckets];
        for (var t = 0; t < buckets; t++)
            Counts[t] = accumulator.Buckets.GetValueOrDefault(firstBucket + t) ?? Empty;

        // Samples by bucket (buckets are dense); within a bucket samples keep their order. Logs are written in time
        // order, so the samples usually are already: then they are used as they are, else a counting sort copies
        // them. Percentiles come from selection over copies of the timings, never from sorting the samples.
        var all = CollectionsMarshal.AsSpan(accumulator.Samples);
        _offsets = new int[buckets + 1];
        var sorted = true;
        var previous = 0;
        foreach (ref readonly var sample in all)
        {
            var slot = Slot(sample.Bucket);
            _offsets[slot + 1]++;
            sorted &= slot >= previous;
            previous = slot;
        }
        for (var t = 0; t < buckets; t++) _offsets[t + 1] += _offsets[t];
        if (sorted)
        {
            _ordered = accumulator.Samples;
        }
        else
        {
            _ordered = new List<Sample>(all.Length);
            CollectionsMarshal.SetCount(_ordered, all.Length);
            var ordered = CollectionsMarshal.AsSpan(_ordered);
            var next = _offsets[..^1];
            foreach (ref readonly var sample in all) ordered[next[Slot(sample.Bucket)]++] = sample;
        }

        HeaderCount = new int[buckets];
        P50Header = new double[buckets];
        P95Header = new double[buckets];
        var scratch = new double[_ordered.Count];
        for (var t = 0; t < buckets; t++)
        {
            var headers = Present(static s => s.Header, Samples(t, t), default, scratch);
            HeaderCount[t] = headers.Length;
            P50Header[t] = Percentiles.NaNBySelection(headers, 0.50);
            P95Header[t] = Percentiles.NaNBySelection(headers, 0.95);
        }

        Connect = Percentiles.StatsBySelection(Present(static s => s.Connect, Ordered, default, scratch));
        Header = Percentiles.StatsBySelection(Present(static s => s.Header, Ordered, default, scratch));
        Response = Percentiles.StatsBySelection(Present(static s => s.Response, Ordered, default, scratch));

        int Slot(long bucket) => (int)Math.Clamp(bucket - firstBucket, 0, buckets - 1);
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

    /// <summary>Samples of buckets t0..t1 (inclusive).</summary>
    public ReadOnlySpan<Sample> Samples(int t0, int t1) => Ordered.Slice(_offsets[t0], _offsets[t1 + 1] - _offsets[t0]);

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
        Func<Sample, double> value = header ? static s => s.Header : static s => s.Connect;
        var (start, end) = (_offsets[t0], _offsets[t1 + 1]);
        var values = outside
            ? Present(value, Ordered[..start], Ordered[end..], new double[_ordered.Count - (end - start)])
            : Present(value, Ordered[start..end], default, new double[end - start]);
        return _windows[(t0, t1, outside, header)] = (values.Length, Percentiles.NaNBySelection(values, 0.95));
    }

    /// <summary>The present (non-NaN) values of one timing in two runs of samples, copied into <paramref name="into"/>.</summary>
    private static Span<double> Present(Func<Sample, double> value, ReadOnlySpan<Sample> first, ReadOnlySpan<Sample> second, double[] into)
    {
        var n = 0;
        foreach (ref readonly var sample in first)
            if (value(sample) is var v && !double.IsNaN(v)) into[n++] = v;
        foreach (ref readonly var sample in second)
            if (value(sample) is var v && !double.IsNaN(v)) into[n++] = v;
        return into.AsSpan(0, n);
    }
}
