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
    private (string? Listener, string? Ip, int Port, long Run) _run;

    public void Add(string listener, string ip, int port)
    {
        // A block's strings are pooled, so consecutive requests of one listener share these references: counted as a
        // run, with no lookup per request.
        if ((object?)_run.Listener == listener && (object?)_run.Ip == ip && _run.Port == port)
        {
            _run.Run++;
            return;
        }
        Flush();
        _run = (listener, ip, port, 1);
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
        _run = default;
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
        if (_run is { Listener: { } listener, Ip: { } ip, Run: > 0 })
            _counts[(listener, ip, _run.Port)] = _counts.GetValueOrDefault((listener, ip, _run.Port)) + _run.Run;
        _run = default;
    }
}
