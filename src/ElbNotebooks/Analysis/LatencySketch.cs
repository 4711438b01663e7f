namespace ElbNotebooks.Analysis;

/// <summary>
/// A mergeable summary of latencies (seconds) whose quantiles are within <see cref="RelativeError"/> (1%) of the exact
/// ones, in memory that depends on the spread of the values, not on how many there are. Values are counted in
/// log-spaced bins (bin i holds (γ^(i-1), γ^i], γ = 1.02, DDSketch's layout) and a bin stands for 2γ^i/(γ+1), at most
/// 1% from any value in it; values under <see cref="Tiny"/> (a tenth of a millisecond, including 0) are counted
/// apart and stand for 0. Bins are kept densely between the lowest and highest seen: 116 per decade, so 1 ms to a
/// minute is about 560 counts. A count is 16 bits (a backend's bucket rarely puts 65,536 values in one 2% bin): the
/// rare bin that passes that keeps the rest apart. The smallest and largest value counted in a bin are kept too, and
/// a quantile is never outside them: a backend that timed out at exactly 5 s reads 5 s, not its bin's 5.022 s.
/// Logs mostly write times to the millisecond, and while every value counted is a whole millisecond, a bin that can
/// hold only one such value (every bin under about 50 ms) stands for it: a 2 ms connect time reads 2 ms, not 2.013 ms,
/// and quantiles there are the exact ones.
/// </summary>
internal sealed class LatencySketch
{
    public const double Gamma = 1.02;

    /// <summary>The most a quantile differs from the exact one, relative to it (values under <see cref="Tiny"/> aside).</summary>
    public const double RelativeError = (Gamma - 1) / (Gamma + 1);

    /// <summary>Values below this are counted as zero: the absolute error there is under 0.1 ms.</summary>
    public const double Tiny = 1e-4;

    /// <summary>The bin of a value that is not counted in a bin (under <see cref="Tiny"/>).</summary>
    public const int ZeroBin = int.MinValue;

    private static readonly double LogGamma = Math.Log(Gamma);

    private ushort[] _counts = [];
    private int _first; // the bin _counts[0] counts
    private Dictionary<int, long>? _carries; // by bin: what its 16-bit count wrapped past
    private long _zeros;

    // The smallest and largest value counted in a bin (not the zero bin); -∞ and +∞ once counts came without them (a
    // bucket table that has no such columns), so that nothing is clamped.
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;

    private bool _wholeMilliseconds = true;

    public long Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>The bin <paramref name="seconds"/> falls in, or <see cref="ZeroBin"/>; compute once to add to several sketches.</summary>
    public static int Bin(double seconds)
    {
        // Logs write times in whole milliseconds, and a time read as k/1000 has its bin in a table made by the formula.
        var ms = (int)(seconds * 1000 + 0.5);
        return (uint)ms < (uint)MillisecondBins.Length && ms / 1000.0 == seconds ? MillisecondBins[ms] : Calculated(seconds);
    }

    private static int Calculated(double seconds) => seconds >= Tiny ? (int)Math.Ceiling(Math.Log(seconds) / LogGamma) : ZeroBin;

    /// <summary>
    /// The bins of 0 to 4.095 s in whole milliseconds: a streaming investigation finds three bins per attempt, and
    /// their logarithms took about 3% of its time.
    /// </summary>
    private static readonly int[] MillisecondBins = Enumerable.Range(0, 4096).Select(ms => Calculated(ms / 1000.0)).ToArray();

    private static bool IsWholeMillisecond(double seconds) => Math.Round(seconds * 1000) / 1000 == seconds;

    /// <summary>
    /// By bin from the bin of 1 ms: the one whole millisecond (in seconds) the bin can hold, or NaN when it holds none or
    /// several. Bins are 2% wide, so those past about 50 ms hold several.
    /// </summary>
    private static readonly double[] OnlyMillisecond = OnlyMilliseconds();

    private static double[] OnlyMilliseconds()
    {
        var first = MillisecondBins[1];
        var only = new double[MillisecondBins[^1] - first + 1];
        var held = new int[only.Length];
        for (var ms = 1; ms < MillisecondBins.Length; ms++)
        {
            held[MillisecondBins[ms] - first]++;
            only[MillisecondBins[ms] - first] = ms / 1000.0;
        }
        for (var i = 0; i < only.Length; i++)
            if (held[i] != 1) only[i] = double.NaN;
        return only;
    }

    /// <summary>The value a bin stands for.</summary>
    public static double ValueOf(int bin) => bin == ZeroBin ? 0 : 2 * Math.Pow(Gamma, bin) / (Gamma + 1);

    /// <summary>Adds one value (not NaN).</summary>
    public void Add(double seconds) => AddBin(Bin(seconds), seconds);

    /// <summary>Adds one value whose <see cref="Bin"/> is <paramref name="bin"/>.</summary>
    public void AddBin(int bin, double seconds)
    {
        Count++;
        if (bin == ZeroBin)
        {
            _zeros++;
            return;
        }
        if (seconds < _min) _min = seconds;
        if (seconds > _max) _max = seconds;
        if (_wholeMilliseconds && !IsWholeMillisecond(seconds)) _wholeMilliseconds = false;
        Cover(bin, bin);
        if (++_counts[bin - _first] == 0) Carry(bin, 1 << 16);
    }

    /// <summary>
    /// Adds <paramref name="count"/> values of one bin at once, as a bucket table's histogram row holds them, the
    /// smallest at least <paramref name="min"/> and the largest at most <paramref name="max"/> (null: not known), each
    /// a whole number of milliseconds or not (<paramref name="wholeMilliseconds"/>).
    /// </summary>
    public void AddBin(int bin, long count, double? min, double? max, bool wholeMilliseconds)
    {
        if (count <= 0) return;
        Count += count;
        if (bin == ZeroBin)
        {
            _zeros += count;
            return;
        }
        _min = Math.Min(_min, min ?? double.NegativeInfinity);
        _max = Math.Max(_max, max ?? double.PositiveInfinity);
        _wholeMilliseconds &= wholeMilliseconds;
        Cover(bin, bin);
        var sum = _counts[bin - _first] + count;
        _counts[bin - _first] = (ushort)sum;
        if (sum > ushort.MaxValue) Carry(bin, sum - (ushort)sum);
    }

    /// <summary>The smallest value counted in a bin (not <see cref="ZeroBin"/>), if known.</summary>
    public double? Min => double.IsFinite(_min) ? _min : null;

    /// <summary>The largest value counted in a bin (not <see cref="ZeroBin"/>), if known.</summary>
    public double? Max => double.IsFinite(_max) ? _max : null;

    /// <summary>Whether every value counted in a bin (not <see cref="ZeroBin"/>) was a whole number of milliseconds.</summary>
    public bool WholeMilliseconds => _wholeMilliseconds;

    /// <summary>Every bin that holds values and its count, <see cref="ZeroBin"/> first, then by bin.</summary>
    public IEnumerable<(int Bin, long Count)> Bins()
    {
        if (_zeros > 0) yield return (ZeroBin, _zeros);
        for (var i = 0; i < _counts.Length; i++)
            if (CountAt(i) is var n and > 0) yield return (_first + i, n);
    }

    public void Merge(LatencySketch other)
    {
        if (other.Count == 0) return;
        Count += other.Count;
        _zeros += other._zeros;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
        _wholeMilliseconds &= other._wholeMilliseconds;
        // Only the bins that hold values: a sketch reused block after block keeps bins for every value it ever saw.
        var from = other._counts.AsSpan().IndexOfAnyExcept((ushort)0);
        if (from >= 0)
        {
            var counts = other._counts.AsSpan(from, other._counts.AsSpan().LastIndexOfAnyExcept((ushort)0) - from + 1);
            var first = other._first + from;
            Cover(first, first + counts.Length - 1);
            var into = _counts.AsSpan(first - _first, counts.Length);
            for (var i = 0; i < into.Length; i++)
            {
                var sum = into[i] + counts[i];
                into[i] = (ushort)sum;
                if (sum > ushort.MaxValue) Carry(first + i, 1 << 16);
            }
        }
        if (other._carries is not null)
            foreach (var (bin, carried) in other._carries)
            {
                Cover(bin, bin); // a bin whose count wrapped to exactly 0 is outside the range merged above
                Carry(bin, carried);
            }
    }

    private void Carry(int bin, long carried)
    {
        _carries ??= [];
        _carries[bin] = _carries.GetValueOrDefault(bin) + carried;
    }

    /// <summary>The count of the bin at <paramref name="index"/> in <see cref="_counts"/>.</summary>
    private long CountAt(int index) =>
        _carries is null ? _counts[index] : _counts[index] + _carries.GetValueOrDefault(_first + index);

    public void Clear()
    {
        Array.Clear(_counts);
        _carries = null;
        _zeros = 0;
        Count = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
        _wholeMilliseconds = true;
    }

    /// <summary>
    /// The <paramref name="p"/> quantile (0..1) as <see cref="Percentiles"/> defines it (linear interpolation between
    /// the closest ranks), with each rank's value replaced by its bin's (<see cref="StandIn"/>); NaN when empty.
    /// </summary>
    public double Quantile(double p)
    {
        if (Count == 0) return double.NaN;
        var rank = p * (Count - 1);
        var lo = (long)Math.Floor(rank);
        var below = ValueAt(lo);
        var above = lo + 1 < Count ? ValueAt(lo + 1) : below;
        return Math.Round(below + (above - below) * (rank - lo), 9);
    }

    public double? QuantileOrNull(double p) => Count == 0 ? null : Quantile(p);

    public LatencyStats Stats() => Count == 0 ? LatencyStats.Empty : new(Quantile(0.50), Quantile(0.95), Quantile(0.99));

    /// <summary>
    /// How many values stand for <paramref name="threshold"/> or more (exact but for the bin the threshold falls in), less
    /// those of <paramref name="less"/> in the same bins: a part of these values (a bucket's retried attempts of all its
    /// attempts) is left out bin by bin, each bin counted or not as this sketch's stand-in for it says, so that what is
    /// left can be counted again bin by bin (<see cref="StandsAtLeast"/>) and add up to the same.
    /// </summary>
    public long CountAtLeast(double threshold, LatencySketch? less = null)
    {
        if (Count == 0) return 0;
        long n = threshold <= 0 ? _zeros - (less?._zeros ?? 0) : 0;
        for (var i = _counts.Length - 1; i >= 0; i--)
        {
            if (StandIn(_first + i) < threshold) break;
            n += CountAt(i) - (less?.CountOfBin(_first + i) ?? 0);
        }
        return n;
    }

    /// <summary>Whether <see cref="CountAtLeast"/> counts the values of <paramref name="bin"/> for <paramref name="threshold"/>.</summary>
    public bool StandsAtLeast(int bin, double threshold) =>
        bin == ZeroBin ? threshold <= 0 : Count > 0 && StandIn(bin) >= threshold;

    private long CountOfBin(int bin) => bin - _first is var i && (uint)i < (uint)_counts.Length ? CountAt(i) : 0;

    /// <summary>
    /// The value standing for the <paramref name="rank"/>-th smallest (0-based): the largest and the smallest counted
    /// in a bin stand for themselves where known.
    /// </summary>
    private double ValueAt(long rank)
    {
        if (rank < _zeros) return 0;
        if (rank == Count - 1 && double.IsFinite(_max)) return _max;
        rank -= _zeros;
        if (rank == 0 && double.IsFinite(_min)) return _min;
        for (var i = 0; i < _counts.Length; i++)
        {
            rank -= CountAt(i);
            if (rank < 0) return StandIn(_first + i);
        }
        throw new InvalidOperationException("rank beyond the sketch's count");
    }

    /// <summary>
    /// The value a bin of this sketch stands for: its <see cref="ValueOf"/>, or the one whole millisecond it can hold
    /// while every value counted was one, but never below the smallest value counted or above the largest. Only the
    /// lowest and the highest bin can be moved, toward the values they hold. (With no value counted in a bin, _max is
    /// -∞: every empty bin then stands below any threshold.)
    /// </summary>
    private double StandIn(int bin)
    {
        var value = _wholeMilliseconds && Exact(bin) is var exact && !double.IsNaN(exact) ? exact : ValueOf(bin);
        return value > _max ? _max : value < _min ? _min : value;
    }

    private static double Exact(int bin) =>
        bin - MillisecondBins[1] is var i && (uint)i < (uint)OnlyMillisecond.Length ? OnlyMillisecond[i] : double.NaN;

    /// <summary>Grows the dense bins to cover <paramref name="low"/>..<paramref name="high"/>, with a little room to spare.</summary>
    private void Cover(int low, int high)
    {
        if (_counts.Length == 0)
        {
            _counts = new ushort[high - low + 1 + Room];
            _first = low - Room / 2;
            return;
        }
        var last = _first + _counts.Length - 1;
        if (low >= _first && high <= last) return;
        var room = Math.Max(Room, _counts.Length / 2);
        var first = low < _first ? low - room : _first;
        var end = high > last ? high + room : last;
        var grown = new ushort[end - first + 1];
        _counts.CopyTo(grown, _first - first);
        _counts = grown;
        _first = first;
    }

    /// <summary>
    /// Spare bins when growing (at least about 8% either way, or half the bins already kept): values wander, and
    /// each growth copies the bins.
    /// </summary>
    private const int Room = 8;
}
