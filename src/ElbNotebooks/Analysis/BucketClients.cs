namespace ElbNotebooks.Analysis;

/// <summary>
/// Distinct clients per bucket, each with the largest time it was added with: the clients of a backend's failed
/// responses (added with no time), of its slow ones (with their header time: a slow verdict hurt those at its threshold
/// or slower), of the traffic's 5xx. A log where every response counts (every backend failing, or answering slower than
/// the lowest slow threshold the options allow, 0.5 s) adds nearly every line's client. Kept as a map of (bucket,
/// client) pairs per backend, such a log spent 12-14% of its processor time hashing them, most of it inserts at random
/// into the backend's map, tens of thousands of pairs, as each block was merged on the reading thread. So an IPv4
/// client is kept as its number (<see cref="ClientAddress"/>), a block's are listed per bucket as they come and sorted by
/// address on the worker that counted them (<see cref="Seal"/>), and merging a block walks two sorted lists per bucket.
/// Other clients (IPv6, <c>-</c>) stay in a map of pairs. The pairs stay in the buckets they were counted in: a coarser
/// clock's buckets are found from them when asked (<see cref="Coarsen"/>).
/// </summary>
internal sealed class BucketClients
{
    /// <summary>Per bucket, the IPv4 clients as they came (unsorted, repeated) until <see cref="Seal"/>.</summary>
    private readonly ListedPerBucket<(uint Address, double Time)> _listed = new();

    /// <summary>Per bucket, each IPv4 client once, by address, with its largest time: what merges keep.</summary>
    private readonly Dictionary<long, (uint Address, double Time)[]> _merged = [];

    private readonly Dictionary<(long Bucket, string Client), double> _others = [];
    private BucketMap _map;
    private bool _sealed;

    /// <summary>
    /// Adds <paramref name="client"/> to <paramref name="bucket"/>, with the time <see cref="Distinct"/> may count it by
    /// (a slow response's header time).
    /// </summary>
    public void Add(long bucket, string client, double time = 0)
    {
        _sealed = false;
        if (!ClientAddress.TryParse(client, out var address))
        {
            Slowest(_others, (bucket, client), time);
            return;
        }
        _listed.Add(bucket, (address, time));
    }

    /// <summary>Sorts and folds the listed clients of each bucket (each address once, its largest time), ready to merge.</summary>
    public void Seal()
    {
        foreach (var list in _listed.Lists.Values) Fold(list);
        _sealed = true;
    }

    /// <summary>Adds a block's clients: sealed on its worker, or here.</summary>
    public void Add(BucketClients other)
    {
        foreach (var (bucket, list) in other._listed.Lists)
        {
            if (!other._sealed) Fold(list);
            var theirs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
            _merged[bucket] = _merged.TryGetValue(bucket, out var mine) ? Merge(mine, theirs) : theirs.ToArray();
        }
        foreach (var (bucket, merged) in other._merged)
            _merged[bucket] = _merged.TryGetValue(bucket, out var mine) ? Merge(mine, merged) : merged.AsSpan().ToArray();
        foreach (var (key, time) in other._others) Slowest(_others, key, time);
    }

    private static void Slowest<TKey>(Dictionary<TKey, double> slowest, TKey key, double time) where TKey : notnull
    {
        ref var known = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(slowest, key, out var exists);
        if (!exists || time > known) known = time;
    }

    /// <summary>Sorts <paramref name="list"/> by address and keeps each address once, with its largest time (idempotent).</summary>
    private static void Fold(List<(uint Address, double Time)> list)
    {
        var items = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
        items.Sort(static (a, b) => a.Address.CompareTo(b.Address));
        var kept = 0;
        foreach (var item in items)
        {
            if (kept > 0 && items[kept - 1].Address == item.Address)
            {
                if (item.Time > items[kept - 1].Time) items[kept - 1].Time = item.Time;
                continue;
            }
            items[kept++] = item;
        }
        list.RemoveRange(kept, list.Count - kept);
    }

    /// <summary>Two folded lists as one (each address once, its largest time).</summary>
    private static (uint Address, double Time)[] Merge(ReadOnlySpan<(uint Address, double Time)> a, ReadOnlySpan<(uint Address, double Time)> b)
    {
        var merged = new (uint Address, double Time)[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i].Address < b[j].Address) merged[n++] = a[i++];
            else if (a[i].Address > b[j].Address) merged[n++] = b[j++];
            else merged[n++] = (a[i].Address, Math.Max(a[i++].Time, b[j++].Time));
        }
        while (i < a.Length) merged[n++] = a[i++];
        while (j < b.Length) merged[n++] = b[j++];
        return n == merged.Length ? merged : merged[..n];
    }

    public void Clear()
    {
        _listed.Clear();
        _merged.Clear();
        _others.Clear();
        _map = default;
        _sealed = false;
    }

    /// <summary>
    /// Distinct clients in buckets <paramref name="first"/>..<paramref name="last"/>, of those added with a time of
    /// <paramref name="threshold"/> or more (every one, by default).
    /// </summary>
    public long Distinct(long first, long last, double threshold = double.NegativeInfinity)
    {
        var addresses = new HashSet<uint>();
        foreach (var (bucket, list) in _listed.Lists)
            if (_map.Within(bucket, first, last))
                foreach (var (address, time) in list)
                    if (time >= threshold) addresses.Add(address);
        foreach (var (bucket, merged) in _merged)
            if (_map.Within(bucket, first, last))
                foreach (var (address, time) in merged)
                    if (time >= threshold) addresses.Add(address);
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ((bucket, client), slowest) in _others)
            if (slowest >= threshold && _map.Within(bucket, first, last)) others.Add(client);
        return addresses.Count + others.Count;
    }

    /// <summary>Forgets the buckets outside <paramref name="first"/>..<paramref name="last"/>.</summary>
    public void Keep(long first, long last)
    {
        bool Outside(long bucket) => !_map.Within(bucket, first, last);
        _listed.RemoveWhere(Outside);
        foreach (var bucket in _merged.Keys.Where(Outside).ToList()) _merged.Remove(bucket);
        foreach (var key in _others.Keys.Where(k => Outside(k.Bucket)).ToList()) _others.Remove(key);
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

    /// <summary>Whether <paramref name="bucket"/> (as counted) is in the current clock's buckets <paramref name="first"/>..<paramref name="last"/>.</summary>
    public bool Within(long bucket, long first, long last) => Of(bucket) is var b && b >= first && b <= last;

    /// <summary>Buckets counted so far are then in the buckets <paramref name="map"/> gives (a coarser clock's).</summary>
    public BucketMap Then(Func<long, long> map)
    {
        var before = _map;
        return new BucketMap(before is null ? map : bucket => map(before(bucket)));
    }
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
