using ElbNotebooks.Loading;

namespace ElbNotebooks.Charts;

/// <summary>
/// What a chart covers: the time window (UTC), the log's offset for the axis, the bucket size, an optional listener,
/// and the order of backends (suspects first for an investigation; most errors first otherwise).
/// </summary>
internal sealed record ChartScope(DateTime FromUtc, DateTime ToUtc, TimeSpan Offset, TimeSpan? BucketSize, string? Listener,
    IReadOnlyList<string>? BackendOrder, IReadOnlySet<string>? Suspects)
{
    public static ChartScope Of(AccessLog log, TimeSpan? bucketSize = null) =>
        new(log.From ?? DateTime.UnixEpoch, log.To ?? DateTime.UnixEpoch, log.UtcOffset, bucketSize, null, null, null);

    public TimeBuckets Buckets() => TimeBuckets.Cover(FromUtc, ToUtc, Offset, BucketSize);

    public bool Covers(DateTime utc) => utc >= FromUtc && utc <= ToUtc;

    public bool Includes(string? listener) => Listener is null || string.Equals(Listener, listener, StringComparison.Ordinal);

    /// <summary>The time axis title, naming the log's offset: <c>time (UTC+08:00)</c>.</summary>
    public string TimeAxis => "time (" + Offsets.Utc(Offset) + ")";

    /// <summary>Orders <paramref name="backends"/>: the scope's order first, then by <paramref name="rank"/> (larger first), then by name.</summary>
    public List<string> Order(IEnumerable<string> backends, Func<string, double> rank)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        if (BackendOrder is not null)
            foreach (var b in BackendOrder) position.TryAdd(b, position.Count);
        return backends
            .OrderBy(b => position.TryGetValue(b, out var p) ? p : int.MaxValue)
            .ThenByDescending(rank)
            .ThenBy(b => b, StringComparer.Ordinal)
            .ToList();
    }
}
