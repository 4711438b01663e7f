namespace ElbNotebooks.Charts;

/// <summary>
/// Equal time buckets over a window, aligned in the log's own offset (so hourly buckets start on the log's hours).
/// <see cref="Local"/> gives a bucket's start as local wall-clock time, what the charts put on their x axis.
/// </summary>
internal readonly record struct TimeBuckets(DateTime StartUtc, TimeSpan Size, int Count, TimeSpan Offset)
{
    /// <summary>Sizes a chart may use: the smallest that keeps the window within <see cref="MaxBuckets"/> buckets.</summary>
    private static readonly TimeSpan[] NiceSizes =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(7),
    ];

    public const int MaxBuckets = 120;

    public static TimeBuckets Cover(DateTime fromUtc, DateTime toUtc, TimeSpan offset, TimeSpan? size = null)
    {
        if (toUtc < fromUtc) (fromUtc, toUtc) = (toUtc, fromUtc);
        var span = toUtc - fromUtc;
        var chosen = size is { } s && s > TimeSpan.Zero ? s : Pick(span);
        var localTicks = (fromUtc + offset).Ticks;
        var start = new DateTime(localTicks - localTicks % chosen.Ticks) - offset;
        var count = (int)Math.Min(int.MaxValue - 1, (toUtc - start).Ticks / chosen.Ticks + 1);
        return new TimeBuckets(DateTime.SpecifyKind(start, DateTimeKind.Utc), chosen, count, offset);
    }

    public static TimeSpan Pick(TimeSpan span)
    {
        foreach (var size in NiceSizes)
            if (span.Ticks / size.Ticks < MaxBuckets) return size;
        return TimeSpan.FromTicks(span.Ticks / MaxBuckets + 1);
    }

    /// <summary>The bucket of <paramref name="utc"/>, or -1 outside the window.</summary>
    public int IndexOf(DateTime utc)
    {
        if (utc < StartUtc) return -1;
        var index = (utc - StartUtc).Ticks / Size.Ticks;
        return index < Count ? (int)index : -1;
    }

    /// <summary>Bucket starts as local wall-clock times (Kind Unspecified, so Plotly shows them as written).</summary>
    public DateTime[] Local()
    {
        var starts = new DateTime[Count];
        for (var i = 0; i < Count; i++) starts[i] = DateTime.SpecifyKind(StartUtc + Offset + Size * i, DateTimeKind.Unspecified);
        return starts;
    }
}
