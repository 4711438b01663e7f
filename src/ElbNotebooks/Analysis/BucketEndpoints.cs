using System.Runtime.InteropServices;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Analysis;

/// <summary>
/// How many requests asked for each endpoint, per bucket (<see cref="RequestEndpoint"/>): the endpoints a failing
/// backend hurt. A bucket keeps at most <see cref="MostPerBucket"/> endpoints, so memory stays bounded by buckets, not
/// by lines: when a new one finds it full (a scanner's random paths), the endpoints asked for once so far are counted
/// together as uncounted to make room, or, if none was, the new one is. Every request is still counted, and an
/// endpoint asked for more than once before that keeps its exact count. Counts stay in the buckets they were counted
/// in; a coarser clock's buckets are found when asked (<see cref="BucketMap"/>), as <see cref="BucketClients"/> does.
/// </summary>
internal sealed class BucketEndpoints
{
    public const int MostPerBucket = 1000;

    private readonly Dictionary<long, EndpointCounts> _buckets = [];
    private readonly Stack<EndpointCounts> _spare = new();
    private (long Bucket, EndpointCounts? Counts) _last;
    private BucketMap _map;

    /// <summary>Counts one request for the endpoint of <paramref name="method"/> and <paramref name="uri"/>.</summary>
    public void Add(long bucket, string? method, string? uri)
    {
        // A minimal parse pools each method and endpoint path, so the same pair of strings comes again and again: its
        // endpoint is found by their identity, without writing it again.
        if (!_recent.TryGetValue((method, uri), out var endpoint))
        {
            if (_recent.Count >= MostRecent) _recent.Clear(); // whole URIs of a loaded log, which rarely repeat
            Span<char> buffer = stackalloc char[RequestEndpoint.MaxLength];
            var written = buffer[..RequestEndpoint.Write(method, uri, buffer)];
            var known = _known.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!known.TryGetValue(written, out endpoint))
            {
                if (_known.Count >= MostRecent) _known.Clear();
                known[written] = endpoint = new string(written);
            }
            _recent[(method, uri)] = endpoint;
        }
        Of(bucket).Add(endpoint);
    }

    private const int MostRecent = 1024;
    private readonly Dictionary<(string? Method, string? Uri), string> _recent = new(SameStrings.Instance);
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

    /// <summary>Two pairs of strings are the same when they are the same two objects.</summary>
    private sealed class SameStrings : IEqualityComparer<(string?, string?)>
    {
        public static readonly SameStrings Instance = new();
        public bool Equals((string?, string?) x, (string?, string?) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);
        public int GetHashCode((string?, string?) pair) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item2));
    }

    private EndpointCounts Of(long bucket)
    {
        if (_last.Bucket == bucket && _last.Counts is { } last) return last;
        if (!_buckets.TryGetValue(bucket, out var counts)) _buckets[bucket] = counts = _spare.TryPop(out var emptied) ? emptied : new EndpointCounts();
        _last = (bucket, counts);
        return counts;
    }

    /// <summary>Adds a block's counts.</summary>
    public void Add(BucketEndpoints other)
    {
        foreach (var (bucket, theirs) in other._buckets) Of(bucket).Add(theirs);
    }

    public void Clear()
    {
        foreach (var counts in _buckets.Values)
        {
            counts.Clear();
            _spare.Push(counts);
        }
        _buckets.Clear();
        _last = default;
        _map = default;
    }

    /// <summary>
    /// The <paramref name="most"/> endpoints with the most requests in buckets <paramref name="first"/>..<paramref name="last"/>,
    /// most first (then by name).
    /// </summary>
    public List<EndpointCount> Top(long first, long last, int most)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (bucket, counts) in _buckets)
            if (_map.Within(bucket, first, last))
                foreach (var (endpoint, n) in counts.ByEndpoint)
                    total[endpoint] = total.GetValueOrDefault(endpoint) + n;
        return total.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(most)
            .Select(e => new EndpointCount(e.Key, e.Value)).ToList();
    }

    /// <summary>Requests counted in buckets <paramref name="first"/>..<paramref name="last"/>, with those counted apart.</summary>
    public long Requests(long first, long last) =>
        _buckets.Where(b => _map.Within(b.Key, first, last)).Sum(b => b.Value.ByEndpoint.Values.Sum() + b.Value.Uncounted);

    /// <summary>Forgets the buckets outside <paramref name="first"/>..<paramref name="last"/>.</summary>
    public void Keep(long first, long last)
    {
        foreach (var bucket in _buckets.Keys.Where(b => !_map.Within(b, first, last)).ToList()) _buckets.Remove(bucket);
        _last = default;
    }

    /// <inheritdoc cref="BucketMap.Then"/>
    public void Coarsen(Func<long, long> map) => _map = _map.Then(map);

    /// <summary>One bucket's counts, at most <see cref="MostPerBucket"/> endpoints, and the requests counted apart.</summary>
    private sealed class EndpointCounts
    {
        public readonly Dictionary<string, long> ByEndpoint = new(StringComparer.Ordinal);
        public long Uncounted;

        /// <summary>Set once no endpoint was asked for only once: no room can be made again, as counts only grow.</summary>
        private bool _full;

        public void Add(string endpoint, long n = 1)
        {
            if (ByEndpoint.Count >= MostPerBucket && !ByEndpoint.ContainsKey(endpoint) && !MakeRoom()) Uncounted += n;
            else CollectionsMarshal.GetValueRefOrAddDefault(ByEndpoint, endpoint, out _) += n;
        }

        public void Add(EndpointCounts other)
        {
            Uncounted += other.Uncounted;
            foreach (var (endpoint, n) in other.ByEndpoint) Add(endpoint, n);
        }

        /// <summary>Counts the endpoints asked for once as uncounted, and forgets them; false when there was none.</summary>
        private bool MakeRoom()
        {
            if (_full) return false;
            var before = ByEndpoint.Count;
            foreach (var (endpoint, n) in ByEndpoint)
                if (n == 1) ByEndpoint.Remove(endpoint);
            Uncounted += before - ByEndpoint.Count;
            _full = ByEndpoint.Count == before;
            return !_full;
        }

        public void Clear()
        {
            ByEndpoint.Clear();
            Uncounted = 0;
            _full = false;
        }
    }
}
