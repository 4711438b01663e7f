namespace ElbNotebooks.Analysis;

/// <summary>
/// Distinct clients per bucket, kept as one set of (bucket, client) pairs for a whole backend (or a whole
/// investigation) rather than a set per bucket: a streamed investigation merges a block's pairs into the total on one
/// thread, and thousands of small sets, each grown and copied as the buckets filled, made a 500,000-line
/// investigation collect twice as often (5% of its processor time, measured in the Native AOT tool).
/// </summary>
internal sealed class BucketClients
{
    private readonly HashSet<(long Bucket, string Client)> _pairs = [];

    public void Add(long bucket, string client) => _pairs.Add((bucket, client));

    public void Add(BucketClients other) => _pairs.UnionWith(other._pairs);

    public void Clear() => _pairs.Clear();

    /// <summary>Distinct clients in buckets <paramref name="first"/>..<paramref name="last"/>.</summary>
    public long Distinct(long first, long last)
    {
        var clients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (bucket, client) in _pairs)
            if (bucket >= first && bucket <= last) clients.Add(client);
        return clients.Count;
    }

    /// <summary>Forgets the buckets outside <paramref name="first"/>..<paramref name="last"/>.</summary>
    public void Keep(long first, long last) => _pairs.RemoveWhere(p => p.Bucket < first || p.Bucket > last);

    /// <summary>Moves every pair to the bucket <paramref name="map"/> gives (a coarser clock's).</summary>
    public void Coarsen(Func<long, long> map)
    {
        if (_pairs.Count == 0) return;
        var pairs = _pairs.ToList();
        _pairs.Clear();
        foreach (var (bucket, client) in pairs) _pairs.Add((map(bucket), client));
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

    public void Add(long bucket, string client, double header)
    {
        ref var slowest = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_slowest, (bucket, client), out var known);
        if (!known || header > slowest) slowest = header;
    }

    public void Add(SlowBucketClients other)
    {
        foreach (var ((bucket, client), header) in other._slowest) Add(bucket, client, header);
    }

    public void Clear() => _slowest.Clear();

    /// <summary>Distinct clients with a response of <paramref name="threshold"/> or slower in buckets <paramref name="first"/>..<paramref name="last"/>.</summary>
    public long Distinct(long first, long last, double threshold)
    {
        var clients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ((bucket, client), slowest) in _slowest)
            if (bucket >= first && bucket <= last && slowest >= threshold) clients.Add(client);
        return clients.Count;
    }

    /// <inheritdoc cref="BucketClients.Keep"/>
    public void Keep(long first, long last)
    {
        foreach (var key in _slowest.Keys.Where(k => k.Bucket < first || k.Bucket > last).ToList()) _slowest.Remove(key);
    }

    /// <inheritdoc cref="BucketClients.Coarsen"/>
    public void Coarsen(Func<long, long> map)
    {
        if (_slowest.Count == 0) return;
        var pairs = _slowest.ToList();
        _slowest.Clear();
        foreach (var ((bucket, client), header) in pairs) Add(map(bucket), client, header);
    }
}
