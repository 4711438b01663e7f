using System.Globalization;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>
/// Counts, per listener, the address and port requests reached it on (Huawei's <c>eip_address:eip_port</c>, nginx's
/// <c>$server_addr:$server_port</c>): how people name a listener, rather than by its generated id.
/// </summary>
internal sealed class ListenerAddresses
{
    private readonly Dictionary<(string Listener, string Ip, int Port), long> _counts = [];
    /// <summary>
    /// Requests not yet in <see cref="_counts"/>, by the strings they came with, compared by reference: a block's
    /// strings are pooled, so requests of one listener and address share these references, and are counted here with
    /// no hashing even when listeners take turns. (With one run at a time, two listeners taking turns flushed to the
    /// dictionary on most requests: about 1.5% of a 500,000-line investigation's processor time, in the profile.)
    /// </summary>
    private readonly (string? Listener, string? Ip, int Port, long Requests)[] _runs = new (string?, string?, int, long)[8];

    public void Add(string listener, string ip, int port)
    {
        var runs = _runs.AsSpan();
        for (var i = 0; i < runs.Length; i++)
        {
            ref var run = ref runs[i];
            if (run.Listener is null)
            {
                run = (listener, ip, port, 1);
                return;
            }
            if ((object)run.Listener == listener && (object?)run.Ip == ip && run.Port == port)
            {
                run.Requests++;
                return;
            }
        }
        Flush();
        runs[0] = (listener, ip, port, 1);
    }

    public void Add(ListenerAddresses other)
    {
        other.Flush();
        foreach (var (key, requests) in other._counts) _counts[key] = _counts.GetValueOrDefault(key) + requests;
    }

    /// <summary>Adds <paramref name="requests"/> requests at once (a bucket table's row).</summary>
    public void Add(string listener, string ip, int port, long requests)
    {
        Flush();
        _counts[(listener, ip, port)] = _counts.GetValueOrDefault((listener, ip, port)) + requests;
    }

    /// <summary>Requests per listener, address and port.</summary>
    public IReadOnlyDictionary<(string Listener, string Ip, int Port), long> Counts
    {
        get
        {
            Flush();
            return _counts;
        }
    }

    public void Clear()
    {
        _counts.Clear();
        Array.Clear(_runs);
    }

    /// <summary>Each listener's most used address, <c>121.64.212.1:443</c> (IPv6 in brackets; ties: the first in order).</summary>
    public Dictionary<string, string> MostUsed()
    {
        Flush();
        var best = new Dictionary<string, (string Address, long Requests)>(StringComparer.Ordinal);
        foreach (var ((listener, ip, port), requests) in _counts)
        {
            var host = ip.Contains(':') ? "[" + ip + "]" : ip;
            var address = port == Missing.Int ? host : host + ":" + port.ToString(CultureInfo.InvariantCulture);
            if (!best.TryGetValue(listener, out var known) || requests > known.Requests ||
                (requests == known.Requests && string.CompareOrdinal(address, known.Address) < 0))
                best[listener] = (address, requests);
        }
        return best.ToDictionary(kv => kv.Key, kv => kv.Value.Address, StringComparer.Ordinal);
    }

    private void Flush()
    {
        foreach (var (listener, ip, port, requests) in _runs)
        {
            if (listener is null || ip is null) break;
            _counts[(listener, ip, port)] = _counts.GetValueOrDefault((listener, ip, port)) + requests;
        }
        Array.Clear(_runs);
    }
}
