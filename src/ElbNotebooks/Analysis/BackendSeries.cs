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

        _samples = accumulator.Samples.ToArray();
        Array.Sort(_samples, static (a, b) => a.Bucket != b.Bucket ? a.Bucket.CompareTo(b.Bucket) : CompareNaNLast(a.Header, b.Header));
        _offsets = new int[buckets + 1];
        var i = 0;
        for (var t = 0; t < buckets; t++)
        {
            while (i < _samples.Length && _samples[i].Bucket < firstBucket + t) i++;
            _offsets[t] = i;
        }
        _offsets[buckets] = _samples.Length;

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

        Connect = Percentiles.Stats(Percentiles.SortedPresent(_samples.Select(s => s.Connect)));
        Header = Percentiles.Stats(Percentiles.SortedPresent(_samples.Select(s => s.Header)));
        Response = Percentiles.Stats(Percentiles.SortedPresent(_samples.Select(s => s.Response)));
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
    public double[] Headers(int t0, int t1, bool outside = false) => Sorted(t0, t1, outside, static s => s.Header);

    public double[] Connects(int t0, int t1, bool outside = false) => Sorted(t0, t1, outside, static s => s.Connect);

    private double[] Sorted(int t0, int t1, bool outside, Func<Sample, double> value)
    {
        IEnumerable<Sample> chosen = outside
            ? _samples.Take(_offsets[t0]).Concat(_samples.Skip(_offsets[t1 + 1]))
            : _samples.Skip(_offsets[t0]).Take(_offsets[t1 + 1] - _offsets[t0]);
        return Percentiles.SortedPresent(chosen.Select(value));
    }

    private static int CompareNaNLast(double a, double b) =>
        double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);
}
