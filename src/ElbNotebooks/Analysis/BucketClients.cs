namespace ElbNotebooks.Analysis;

/// <summary>
/// Distinct clients per bucket, kept as one set of (bucket, client) pairs for a whole backend (or a whole
/// investigation) rather than a set per bucket: a streamed investigation merges a block's pairs into the total on one
/// thread, and thousands of small sets, each grown and copied as the buckets filled, made a 500,000-line
/// investigation collect twice as often (5% of its processor time, measured in the Native AOT tool). The pairs stay in
/// the buckets they were counted in: a coarser clock's buckets are found from them when asked (<see cref="Coarsen"/>).
/// A client that is an IPv4 address is kept as its number (<see cref="ClientAddress"/>).
/// </summary>
internal sealed class BucketClients
{
    private readonly HashSet<(long Bucket, uint Address)> _addresses = [];
    private readonly HashSet<(long Bucket, string Client)> _others = [];
    private BucketMap _map;

    public void Add(long bucket, string client)
    {
        if (ClientAddress.TryParse(client, out var address)) _addresses.Add((bucket, address));
        else _others.Add((bucket, client));
    }

    public void Add(BucketClients other)
    {
        _addresses.UnionWith(other._addresses);
        _others.UnionWith(other._others);
    }

    public void Clear()
    {
        _addresses.Clear();
        _others.Clear();
        _map = default;
    }

    /// <summary>Distinct clients in buckets <paramref name="first"/>..<paramref name="last"/>.</summary>
    public long Distinct(long first, long last)
    {
        var addresses = new HashSet<uint>();
        foreach (var (bucket, address) in _addresses)
            if (_map.Of(bucket) is var b && b >= first && b <= last) addresses.Add(address);
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (bucket, client) in _others)
            if (_map.Of(bucket) is var b && b >= first && b <= last) others.Add(client);
        return addresses.Count + others.Count;
    }

    /// <summary>Forgets the buckets outside <paramref name="first"/>..<paramref name="last"/>.</summary>
    public void Keep(long first, long last)
    {
        _addresses.RemoveWhere(p => _map.Of(p.Bucket) is var b && (b < first || b > last));
        _others.RemoveWhere(p => _map.Of(p.Bucket) is var b && (b < first || b > last));
    }

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
/// with a response at its threshold or slower. A log whose backends all answer in over 0.5 s (the lowest slow
/// threshold the options allow) has an entry for nearly every response: keyed by the client's string, hashing them
/// took 14% of such a log's processor time, so an IPv4 client is kept as its number (<see cref="ClientAddress"/>).
/// </summary>
internal sealed class SlowBucketClients
{
    private readonly Dictionary<(long Bucket, uint Address), double> _addresses = [];
    private readonly Dictionary<(long Bucket, string Client), double> _others = [];
    private BucketMap _map;

    public void Add(long bucket, string client, double header)
    {
        if (ClientAddress.TryParse(client, out var address)) Slowest(_addresses, (bucket, address), header);
        else Slowest(_others, (bucket, client), header);
    }

    public void Add(SlowBucketClients other)
    {
        foreach (var (key, header) in other._addresses) Slowest(_addresses, key, header);
        foreach (var (key, header) in other._others) Slowest(_others, key, header);
    }

    private static void Slowest<TKey>(Dictionary<TKey, double> slowest, TKey key, double header) where TKey : notnull
    {
        ref var known = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(slowest, key, out var exists);
        if (!exists || header > known) known = header;
    }

    public void Clear()
    {
        _addresses.Clear();
        _others.Clear();
        _map = default;
    }

    /// <summary>Distinct clients with a response of <paramref name="threshold"/> or slower in buckets <paramref name="first"/>..<paramref name="last"/>.</summary>
    public long Distinct(long first, long last, double threshold)
    {
        var addresses = new HashSet<uint>();
        foreach (var ((bucket, address), slowest) in _addresses)
            if (slowest >= threshold && _map.Of(bucket) is var b && b >= first && b <= last) addresses.Add(address);
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ((bucket, client), slowest) in _others)
            if (slowest >= threshold && _map.Of(bucket) is var b && b >= first && b <= last) others.Add(client);
        return addresses.Count + others.Count;
    }

    /// <inheritdoc cref="BucketClients.Keep"/>
    public void Keep(long first, long last)
    {
        foreach (var key in _addresses.Keys.Where(k => _map.Of(k.Bucket) is var b && (b < first || b > last)).ToList()) _addresses.Remove(key);
        foreach (var key in _others.Keys.Where(k => _map.Of(k.Bucket) is var b && (b < first || b > last)).ToList()) _others.Remove(key);
    }

    /// <inheritdoc cref="BucketMap.Then"/>
    public void Coarsen(Func<long, long> map) => _map = _map.Then(map);
}

/// <summary>
/// A client written as a dotted IPv4 address in its one canonical form (four parts of 0-255, no leading zeros), as a
/// number: two different such strings are two different numbers, so counting numbers counts the same clients as counting
/// the strings. Anything else (IPv6, <c>-</c>, a zero-padded part) is no such address and stays a string.
/// </summary>
internal static class ClientAddress
{
    public static bool TryParse(string client, out uint address)
    {
        address = 0;
        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            uint part = 0;
            while (i < client.Length && (uint)(client[i] - '0') <= 9 && i - start < 3) part = part * 10 + (uint)(client[i++] - '0');
            var digits = i - start;
            if (digits == 0 || part > 255 || (digits > 1 && client[start] == '0')) return false;
            address = address << 8 | part;
            if (++parts == 4) return i == client.Length;
            if (i >= client.Length || client[i] != '.') return false;
            i++;
        }
    }
}
