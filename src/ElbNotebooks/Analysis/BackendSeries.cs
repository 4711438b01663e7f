namespace ElbNotebooks.Analysis;

/// <summary>
/// A backend's accumulated attempts laid out densely over the investigation's buckets (index 0 = bucket
/// <see cref="FirstBucket"/>): counts per bucket, and its samples sorted by bucket then header time, so that any
/// window's exact percentiles come from one slice.
/// </summary>
internal sealed class BackendSeries
{
    private readonly int[] _offsets;
    private readonly Sample[] _samples;

    public BackendSeries(BackendAccumulator accumulator, long firstBucket, int buckets)
    {
        Accumulator = accumulator;
        FirstBucket = firstBucket;
        Count = buckets;
        Counts = new BucketCounts[buckets];
        for (var t = 0; t < buckets; t++)
            Counts[t] = accumulator.Buckets.GetValueOrDefault(firstBucket + t) ?? Empty;

        // Counting sort by bucket (buckets are dense), then each bucket by header time with missing ones last: no
        // comparison delegate over the whole sample set.
        var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(accumulator.Samples);
        _samples = new Sample[all.Length];
        _offsets = new int[buckets + 1];
        foreach (ref readonly var sample in all) _offsets[Slot(sample.Bucket) + 1]++;
        for (var t = 0; t < buckets; t++) _offsets[t + 1] += _offsets[t];
        var next = _offsets[..^1];
        foreach (ref readonly var sample in all) _samples[next[Slot(sample.Bucket)]++] = sample;
        var keys = new double[_samples.Length];
        for (var k = 0; k < keys.Length; k++) keys[k] = double.IsNaN(_samples[k].Header) ? double.PositiveInfinity : _samples[k].Header;
        for (var t = 0; t < buckets; t++)
        {
            var (start, length) = (_offsets[t], _offsets[t + 1] - _offsets[t]);
            if (length > 1) keys.AsSpan(start, length).Sort(_samples.AsSpan(start, length));
        }

        HeaderCount = new int[buckets];
        P50Header = new double[buckets];
        P95Header = new double[buckets];
        for (var t = 0; t < buckets; t++)
        {
            var headers = BucketHeaders(t);
            HeaderCount[t] = headers.Length;
            P50Header[t] = Percentiles.NaNOf(headers, 0.50);
            P95Header[t] = Percentiles.NaNOf(headers, 0.95);
        }

        Connect = Percentiles.StatsBySelection(Present(static s => s.Connect, _samples, default));
        Header = Percentiles.StatsBySelection(Present(static s => s.Header, _samples, default));
        Response = Percentiles.StatsBySelection(Present(static s => s.Response, _samples, default));

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
    public ReadOnlySpan<Sample> Samples(int t0, int t1) => _samples.AsSpan(_offsets[t0], _offsets[t1 + 1] - _offsets[t0]);

    /// <summary>Sorted header times of one bucket (a slice: samples are sorted by bucket then header).</summary>
    private ReadOnlySpan<double> BucketHeaders(int t)
    {
        var slice = Samples(t, t);
        var present = 0;
        while (present < slice.Length && !double.IsNaN(slice[present].Header)) present++;
        var values = new double[present];
        for (var i = 0; i < present; i++) values[i] = slice[i].Header;
        return values;
    }

    /// <summary>Sorted present header times in buckets t0..t1, or outside them when <paramref name="outside"/>.</summary>
    public double[] Headers(int t0, int t1, bool outside = false) => Sorted(t0, t1, outside, header: true);

    public double[] Connects(int t0, int t1, bool outside = false) => Sorted(t0, t1, outside, header: false);

    /// <summary>
    /// Judging asks for the same windows again and again (each backend's window, for it and for every peer), so each
    /// sorted window is kept; the arrays are only read.
    /// </summary>
    private readonly Dictionary<(int T0, int T1, bool Outside, bool Header), double[]> _sorted = [];

    private double[] Sorted(int t0, int t1, bool outside, bool header)
    {
        if (_sorted.TryGetValue((t0, t1, outside, header), out var cached)) return cached;
        Func<Sample, double> value = header ? static s => s.Header : static s => s.Connect;
        var (start, end) = (_offsets[t0], _offsets[t1 + 1]);
        return _sorted[(t0, t1, outside, header)] = outside
            ? SortedPresent(value, _samples.AsSpan(0, start), _samples.AsSpan(end))
            : SortedPresent(value, _samples.AsSpan(start, end - start), default);
    }

    /// <summary>The present (non-NaN) values of one timing in two runs of samples, sorted together.</summary>
    private static double[] SortedPresent(Func<Sample, double> value, ReadOnlySpan<Sample> first, ReadOnlySpan<Sample> second)
    {
        var values = Present(value, first, second);
        Array.Sort(values);
        return values;
    }

    /// <summary>The present (non-NaN) values of one timing in two runs of samples.</summary>
    private static double[] Present(Func<Sample, double> value, ReadOnlySpan<Sample> first, ReadOnlySpan<Sample> second)
    {
        var values = new double[first.Length + second.Length];
        var n = 0;
        foreach (ref readonly var sample in first)
            if (value(sample) is var v && !double.IsNaN(v)) values[n++] = v;
        foreach (ref readonly var sample in second)
            if (value(sample) is var v && !double.IsNaN(v)) values[n++] = v;
        Array.Resize(ref values, n);
        return values;
    }
}
