namespace ElbNotebooks.Analysis;

/// <summary>
/// Cuts time into buckets of a fixed size aligned on the log's local clock (a 60-minute bucket starts on the local
/// hour even at +05:30). Bucket indexes are absolute, so a streaming aggregator can use them without knowing the span.
/// </summary>
internal readonly struct BucketClock
{
    /// <summary>Candidate automatic sizes, in minutes.</summary>
    public static readonly int[] AutoMinutes = [1, 2, 5, 10, 15, 30, 60];
    public const int MaxAutoBuckets = 120;

    private readonly long _sizeTicks;
    private readonly long _offsetTicks;

    public BucketClock(TimeSpan size, TimeSpan offset)
    {
        Size = size;
        Offset = offset;
        _sizeTicks = size.Ticks;
        _offsetTicks = offset.Ticks;
    }

    public TimeSpan Size { get; }
    public TimeSpan Offset { get; }

    /// <summary>
    /// The investigation spans more than one calendar day in <see cref="Offset"/> (its requests, or the range asked
    /// for): windows made on this clock name their dates (<see cref="IncidentWindow.Dated"/>).
    /// </summary>
    public bool Dated { get; init; }

    /// <summary>
    /// The end of the investigation's last bucket, the one its last request falls in: a window that ends there had not
    /// ended when the logs do (<see cref="IncidentWindow.Ongoing"/>). Null until the span is known.
    /// </summary>
    public DateTime? LastEnd { get; init; }

    /// <summary>A time range was asked for with an end (To): the investigation ends with it, not with the logs.</summary>
    public bool RangeEnds { get; init; }

    /// <summary>A window on this clock from <paramref name="startUtc"/> to <paramref name="endUtc"/> (bucket boundaries).</summary>
    public IncidentWindow Window(DateTime startUtc, DateTime endUtc) =>
        new(startUtc, endUtc, Offset) { Dated = Dated, Ongoing = LastEnd is { } last && endUtc >= last, RangeEnds = RangeEnds };

    // Always inlined: every attempt and request calls it, and once the clock grew its Dated field the compiler stopped inlining it.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long Index(DateTime utc) => FloorDiv(utc.Ticks + _offsetTicks, _sizeTicks);

    public DateTime Start(long index) => new(index * _sizeTicks - _offsetTicks, DateTimeKind.Utc);

    /// <summary>
    /// The bucket a streaming pass counts in before it knows the span: one minute (every automatic size is a whole
    /// number of minutes), or for a requested size that is not, the largest part of a minute that divides it (30 s
    /// for 90 s): each bucket holds latency sketches, so the fewer the better. Offsets are whole minutes, so these
    /// buckets nest exactly inside the final ones whatever the offset.
    /// </summary>
    public static BucketClock Base(TimeSpan? requested) =>
        new(requested is { } r && r.Ticks % TimeSpan.TicksPerMinute != 0
            ? TimeSpan.FromTicks(Gcd(r.Ticks, TimeSpan.TicksPerMinute))
            : TimeSpan.FromMinutes(1), TimeSpan.Zero);

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>The smallest of 1/2/5/10/15/30/60 min that cuts <paramref name="span"/> into at most 120 buckets (~60-120).</summary>
    public static TimeSpan AutoSize(TimeSpan span) => AutoSize(span, span);

    /// <summary>A stretch with no request at least this long is not counted as busy time by <see cref="AutoSize(TimeSpan, TimeSpan)"/>.</summary>
    public static readonly TimeSpan IdleStretch = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The smallest of 1/2/5/10/15/30/60 min that cuts the <paramref name="busy"/> time (the range less long idle
    /// stretches) into at most 120 buckets, while the whole <paramref name="range"/> stays within
    /// <see cref="MaxAutoSpanBuckets"/> of them.
    /// </summary>
    public static TimeSpan AutoSize(TimeSpan busy, TimeSpan range)
    {
        foreach (var minutes in AutoMinutes)
        {
            var size = TimeSpan.FromMinutes(minutes).Ticks;
            if (busy.Ticks / size <= MaxAutoBuckets && range.Ticks / size <= MaxAutoSpanBuckets) return TimeSpan.FromMinutes(minutes);
        }
        return TimeSpan.FromMinutes(AutoMinutes[^1]);
    }

    /// <summary>The most buckets an automatic size lets the whole range have.</summary>
    public const int MaxAutoSpanBuckets = 2000;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
