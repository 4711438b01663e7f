using System.Runtime.InteropServices;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Analysis;

/// <summary>
/// How many requests asked for each endpoint, per bucket (<see cref="RequestEndpoint"/>): the endpoints a failing
/// backend hurt, or (with the latency bin of each response's header time, <see cref="LatencySketch.Bin"/>) those a slow
/// one delayed: its requests hurt are counted from its buckets' sketches once its threshold is known, bin by bin, and
/// its endpoints from the same bins, so that the two add up. Kept as <see cref="BucketClients"/> keeps clients: a block's
/// requests are listed per bucket as they come and folded on the worker that counted them (<see cref="Seal"/>: sorted,
/// each endpoint and bin once with its count), and merging a block walks two sorted arrays per bucket. Kept in a hash
/// table per bucket instead, the endpoints of a log where every response is slow (each counted, nearly each in a bin of
/// its own) took 118 MB and 0.74 s of processor time, against 59 MB and 0.60 s without them (docs/big-data.md,
/// nineteenth part). A bucket keeps at most <see cref="MostPerBucket"/> endpoints, so memory stays bounded by buckets,
/// not by lines: when it has more (a scanner's random paths), those with the fewest requests are counted apart, by bin,
/// so every request is still counted. Counts stay in the buckets they were counted in; a coarser clock's buckets are
/// found when asked (<see cref="BucketMap"/>).
/// </summary>
internal sealed class BucketEndpoints
{
    public const int MostPerBucket = 1000;

    /// <summary>A request counted without a latency bin (a failed one).</summary>
    public const int NoBin = int.MaxValue;

    /// <summary>
    /// Requests for one endpoint in one latency bin; a null endpoint stands for those counted apart. <paramref name="Hash"/>
    /// is the endpoint's hash code (0 for none), which orders the tallies before their characters do (<see cref="Order"/>).
    /// </summary>
    private record struct Tally(string? Endpoint, int Hash, int Bin, long Count)
    {
        /// <summary>The same requests counted apart.</summary>
        public readonly Tally Apart => this with { Endpoint = null, Hash = 0 };
    }

    /// <summary>Per bucket, the requests as they came (one each), until <see cref="Seal"/> folds them.</summary>
    private readonly ListedPerBucket<Tally> _listed = new();

    /// <summary>Per bucket, each endpoint and bin once, in <see cref="Order"/>.</summary>
    private readonly Dictionary<long, Tally[]> _merged = [];

    private BucketMap _map;
    private bool _sealed;

    /// <summary>
    /// Counts one request for the endpoint of <paramref name="method"/> and <paramref name="uri"/>, in the latency bin
    /// <paramref name="bin"/> of its header time when it is counted for a slow backend.
    /// </summary>
    public void Add(long bucket, string? method, string? uri, int bin = NoBin)
    {
        // A minimal parse pools each method and endpoint path, so the same pair of strings comes again and again: its
        // endpoint is found by their identity, without writing it again.
        if (!_recent.TryGetValue((method, uri), out var found))
        {
            if (_recent.Count >= MostRecent) _recent.Clear(); // whole URIs of a loaded log, which rarely repeat
            Span<char> buffer = stackalloc char[RequestEndpoint.MaxLength];
            var written = buffer[..RequestEndpoint.Write(method, uri, buffer)];
            var known = _known.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!known.TryGetValue(written, out var endpoint))
            {
                if (_known.Count >= MostRecent) _known.Clear();
                known[written] = endpoint = new string(written);
            }
            _recent[(method, uri)] = found = (endpoint, endpoint.GetHashCode());
        }
        _sealed = false;
        _listed.Add(bucket, new Tally(found.Endpoint, found.Hash, bin, 1));
    }

    private const int MostRecent = 1024;
    private readonly Dictionary<(string? Method, string? Uri), (string Endpoint, int Hash)> _recent = new(SameStrings.Instance);
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

    /// <summary>Two pairs of strings are the same when they are the same two objects.</summary>
    private sealed class SameStrings : IEqualityComparer<(string?, string?)>
    {
        public static readonly SameStrings Instance = new();
        public bool Equals((string?, string?) x, (string?, string?) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);
        public int GetHashCode((string?, string?) pair) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item2));
    }

    /// <summary>Folds the listed requests of each bucket (each endpoint and bin once, at most <see cref="MostPerBucket"/> endpoints), ready to merge.</summary>
    public void Seal()
    {
        foreach (var list in _listed.Lists.Values) Fold(list);
        _sealed = true;
    }

    /// <summary>Adds a block's counts: sealed on its worker, or here.</summary>
    public void Add(BucketEndpoints other)
    {
        foreach (var (bucket, list) in other._listed.Lists)
        {
            if (!other._sealed) Fold(list);
            Merge(bucket, CollectionsMarshal.AsSpan(list));
        }
        foreach (var (bucket, merged) in other._merged) Merge(bucket, merged);
    }

    private void Merge(long bucket, ReadOnlySpan<Tally> theirs) =>
        _merged[bucket] = _merged.TryGetValue(bucket, out var mine) ? Merge(mine, theirs) : theirs.ToArray();

    /// <summary>The listed requests of every bucket folded into <see cref="_merged"/>, to be read.</summary>
    private void FoldListed()
    {
        foreach (var (bucket, list) in _listed.Lists)
        {
            Fold(list);
            Merge(bucket, CollectionsMarshal.AsSpan(list));
        }
        _listed.Clear();
    }

    /// <summary>
    /// By the endpoint's hash code, then its characters (ordinal), then the bin: any order the blocks all sort by lets
    /// their arrays be merged, and this one compares two numbers where it can. By the characters first, sorting a
    /// pool-wide outage's failed requests took about 7% of its processor time, most of it ordinal comparisons of different
    /// endpoints (docs/big-data.md, twentieth part). Hash codes are the same for the same characters within a process,
    /// and what is read from the arrays (<see cref="Top"/>) does not depend on their order.
    /// </summary>
    private static int Order(in Tally a, in Tally b) =>
        a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash)
        : ReferenceEquals(a.Endpoint, b.Endpoint) ? a.Bin.CompareTo(b.Bin)
        : string.CompareOrdinal(a.Endpoint, b.Endpoint) is var c and not 0 ? c
        : a.Bin.CompareTo(b.Bin);

    /// <summary>
    /// <see cref="Order"/> as a struct, which the sort is compiled for: through a comparison delegate, sorting the
    /// requests of a log where every response is slow took 6% of the investigation's processor time; this way the
    /// investigation took 0.71 → 0.675 s of it (twenty interleaved rounds; other logs within their noise).
    /// </summary>
    private readonly struct InOrder : IComparer<Tally>
    {
        public int Compare(Tally a, Tally b) => Order(a, b);
    }

    /// <summary>Sorts <paramref name="list"/> and keeps each endpoint and bin once, with their count (idempotent).</summary>
    private static void Fold(List<Tally> list)
    {
        var items = CollectionsMarshal.AsSpan(list);
        items.Sort(new InOrder());
        var kept = Combine(items);
        list.RemoveRange(kept, list.Count - kept);
        if (Bound(CollectionsMarshal.AsSpan(list)) is { } bounded)
        {
            list.Clear();
            list.AddRange(bounded);
        }
    }

    /// <summary>Adds up the neighbours of sorted <paramref name="items"/> with one endpoint and bin; how many are left.</summary>
    private static int Combine(Span<Tally> items)
    {
        var kept = 0;
        foreach (var item in items)
        {
            if (kept > 0 && items[kept - 1].Bin == item.Bin && items[kept - 1].Hash == item.Hash &&
                string.Equals(items[kept - 1].Endpoint, item.Endpoint, StringComparison.Ordinal))
                items[kept - 1].Count += item.Count;
            else items[kept++] = item;
        }
        return kept;
    }

    /// <summary>Two folded arrays as one.</summary>
    private static Tally[] Merge(ReadOnlySpan<Tally> a, ReadOnlySpan<Tally> b)
    {
        var merged = new Tally[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            var order = Order(a[i], b[j]);
            if (order < 0) merged[n++] = a[i++];
            else if (order > 0) merged[n++] = b[j++];
            else merged[n++] = a[i] with { Count = a[i++].Count + b[j++].Count };
        }
        while (i < a.Length) merged[n++] = a[i++];
        while (j < b.Length) merged[n++] = b[j++];
        var result = n == merged.Length ? merged : merged[..n];
        return Bound(result) ?? result;
    }

    /// <summary>
    /// When folded <paramref name="items"/> name more than <see cref="MostPerBucket"/> endpoints, the same requests with
    /// the endpoints asked for least (then last by name) counted apart, by bin; else null.
    /// </summary>
    private static Tally[]? Bound(ReadOnlySpan<Tally> items)
    {
        var endpoints = 0;
        for (var k = 0; k < items.Length; k++)
            if (items[k].Endpoint is { } e && (k == 0 || !string.Equals(items[k - 1].Endpoint, e, StringComparison.Ordinal)) && ++endpoints > MostPerBucket)
                break;
        if (endpoints <= MostPerBucket) return null;
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in items)
            if (item.Endpoint is { } e) totals[e] = totals.GetValueOrDefault(e) + item.Count;
        var kept = totals.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(MostPerBucket)
            .Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var bounded = new Tally[items.Length];
        for (var k = 0; k < items.Length; k++)
            bounded[k] = items[k].Endpoint is { } e && !kept.Contains(e) ? items[k].Apart : items[k];
        bounded.AsSpan().Sort(new InOrder());
        return bounded[..Combine(bounded)];
    }

    public void Clear()
    {
        _listed.Clear();
        _merged.Clear();
        _map = default;
        _sealed = false;
    }

    /// <summary>
    /// The <paramref name="most"/> endpoints with the most requests in buckets <paramref name="first"/>..<paramref name="last"/>,
    /// most first (then by name); with <paramref name="counted"/>, only the requests of the (bucket, latency bin) pairs
    /// it says count.
    /// </summary>
    public List<EndpointCount> Top(long first, long last, int most, Func<long, int, bool>? counted = null)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (bucket, item) in Within(first, last, counted))
            if (item.Endpoint is { } endpoint)
                total[endpoint] = total.GetValueOrDefault(endpoint) + item.Count;
        return total.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(most)
            .Select(e => new EndpointCount(e.Key, e.Value)).ToList();
    }

    /// <summary>
    /// Requests counted in buckets <paramref name="first"/>..<paramref name="last"/>, with those counted apart; with
    /// <paramref name="counted"/>, as <see cref="Top"/> counts them.
    /// </summary>
    public long Requests(long first, long last, Func<long, int, bool>? counted = null) =>
        Within(first, last, counted).Sum(e => e.Item.Count);

    private IEnumerable<(long Bucket, Tally Item)> Within(long first, long last, Func<long, int, bool>? counted)
    {
        FoldListed();
        foreach (var (bucket, items) in _merged)
        {
            var current = _map.Of(bucket);
            if (current < first || current > last) continue;
            foreach (var item in items)
                if (counted is null || counted(current, item.Bin)) yield return (current, item);
        }
    }

    /// <summary>Forgets the buckets outside <paramref name="first"/>..<paramref name="last"/>.</summary>
    public void Keep(long first, long last)
    {
        FoldListed();
        foreach (var bucket in _merged.Keys.Where(b => !_map.Within(b, first, last)).ToList()) _merged.Remove(bucket);
    }

    /// <inheritdoc cref="BucketMap.Then"/>
    public void Coarsen(Func<long, long> map) => _map = _map.Then(map);
}
