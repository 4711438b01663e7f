namespace ElbNotebooks.Analysis;

/// <summary>
/// Distinct clients per bucket, kept as one set of (bucket, client) pairs for a whole backend (or a whole
/// investigation) rather than a set per bucket: a streamed investigation merges a block's pairs into the total on one
/// thread, and thousands of small sets, each grown and copied as the buckets filled, made a 500,000-line
/// investigation collect twice as often (5% of its processor time, measured in the Native AOT tool). The pairs stay in
/// the buckets they were counted in: a coarser clock's buckets are found from them when asked (<see cref="Coarsen"/>).
/// </summary>
internal sealed class BucketClients
{
    private readonly HashSet<(long Bucket, string Client)> _pairs = [];
    private BucketMap _map;

    public void Add(long bucket, string client) => _pairs.Add((bucket, client));

    public void Add(BucketClients other) => _pairs.UnionWith(other._pairs);

    public void Clear()
    {
        _pairs.Clear();
        _map = default;
    }

    /// <summary>Distinct clients in buckets <paramref name="first"/>..<paramref name="last"/>.</summary>
    public long Distinct(long first, long last)
    {
        var clients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (bucket, client) in _pairs)
            if (_map.Of(bucket) is var b && b >= first && b <= last) clients.Add(client);
        return clients.Count;
    }

    /// <summary>Forgets the buckets outside <paramref name="first"/>..<paramref name="last"/>.</summary>
    public void Keep(long first, long last) => _pairs.RemoveWhere(p => _map.Of(p.Bucket) is var b && (b < first || b > last));

    /// <inheritdoc cref="BucketMap.Then"/>
    public void Coarsen(Func<long, long> map) => _map = _map.Then(map);
}

/// <summary>
/// From the bucket a pair was counted in to the current clock's (the same until a clock is coarsened). Moving every
/// pair when the clock changed took 3 of the 25 ms a 500,000-line streamed investigation spends on one thread after its
/// last block (the clients of a slow backend's responses: tens of thousands of pairs hashed again); the few questions
/// asked afterwards, one per suspect, map the pairs they read instead.
/// </summary>
internal readonly struct BucketMap
{
    private readonly Func<long, long>? _map;

    private BucketMap(Func<long, long> map) => _map = map;

    public long Of(long bucket) => _map is null ? bucket : _map(bucket);

    /// <summary>Buckets counted so far are then in the buckets <paramref name="map"/> gives (a coarser clock's).</summary>
    public BucketMap Then(Func<long, long> map)
    {
        var before = _map;
        return new BucketMap(before is null ? map : bucket => map(before(bucket)));
    }
}

/// <summary>
/// The clients of slow responses per bucket, each with its slowest such header time, as one map of (bucket, client)
/// pairs (see <see cref="BucketClients"/> for why not a map per bucket): the clients a slow verdict hurt are those
/// with a response at its threshold or slower.
/// </summary>
internal sealed class SlowBucketClients
{
    private readonly Dictionary<(long Bucket, string Client), double> _slowest = [];
    private BucketMap _map;

    public void Add(long bucket, string client, double header)
    {
        ref var slowest = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_slowest, (bucket, client), out var known);
        if (!known || header > slowest) slowest = header;
    }

    public void Add(SlowBucketClients other)
    {
        foreach (var ((bucket, client), header) in other._slowest) Add(bucket, client, header);
    }

    public void Clear()
    {
        _slowest.Clear();
        _map = default;
    }

    /// <summary>Distinct clients with a response of <paramref name="threshold"/> or slower in buckets <paramref name="first"/>..<paramref name="last"/>.</summary>
    public long Distinct(long first, long last, double threshold)
    {
        var clients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ((bucket, client), slowest) in _slowest)
            if (slowest >= threshold && _map.Of(bucket) is var b && b >= first && b <= last) clients.Add(client);
        return clients.Count;
    }

    /// <inheritdoc cref="BucketClients.Keep"/>
    public void Keep(long first, long last)
    {
        foreach (var key in _slowest.Keys.Where(k => _map.Of(k.Bucket) is var b && (b < first || b > last)).ToList()) _slowest.Remove(key);
    }

    /// <inheritdoc cref="BucketMap.Then"/>
    public void Coarsen(Func<long, long> map) => _map = _map.Then(map);
}
