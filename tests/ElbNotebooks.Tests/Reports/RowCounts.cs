using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Reports;

/// <summary>
/// What a suspect's figures are when counted the slow, plain way: from every loaded row, with exact percentiles. The
/// investigation counts them while it aggregates, without rows (a streamed one never has any); this is the test's
/// independent count to hold it to.
/// </summary>
internal sealed class RowCounts(Investigation investigation)
{
    private AccessLog Log => investigation.Log;
    private InvestigationOptions Options => investigation.Options;

    public sealed record Peer(string Backend, bool IsSuspect, long Attempts, long Backend5xx, long Lb5xx,
        IReadOnlyDictionary<int, long> ErrorStatuses, double? HeaderP50, double? HeaderP95, double? ConnectP95)
    {
        public double ErrorRate => Attempts == 0 ? 0 : (double)(Backend5xx + Lb5xx) / Attempts;
    }

    private bool Keep(DateTime t, string? listener) =>
        (Options.From is not { } from || t >= from.UtcDateTime) && (Options.To is not { } to || t < to.UtcDateTime) &&
        (Options.Listener is null || listener == Options.Listener);

    /// <summary>Requests to the suspect's listener in its window, every status and backend.</summary>
    public long ListenerRequests(Suspect s)
    {
        var r = Log.RequestColumns;
        var times = r.Time.Values;
        var listeners = r.ListenerName.Values;
        long n = 0;
        for (var i = 0; i < times.Length; i++)
            if (times[i] >= s.Window.StartUtc && times[i] < s.Window.EndUtc && Keep(times[i], listeners[i]) &&
                (listeners[i] ?? InvestigationAggregator.Unknown) == s.Backend.Listener)
                n++;
        return n;
    }

    /// <summary>
    /// Distinct clients of the requests the suspect hurt in its window: its 5xx that no retry rescued, or (slow) its
    /// final responses at or above the slow threshold.
    /// </summary>
    public long ClientsHurt(Suspect s)
    {
        var a = Log.AttemptColumns;
        var addrs = Log.RequestColumns.ClientIp.Values;
        var clients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in PoolAttemptsInWindow(s))
        {
            if ((a.Backend.Values[i] ?? InvestigationAggregator.Unknown) != s.Backend.Backend) continue;
            var (status, header, final, clientStatus) = (a.Status.Values[i], a.HeaderTime.Values[i], a.IsFinal.Values[i], a.ClientStatus.Values[i]);
            var hurt = s.Health == Health.Slow
                ? final && header >= s.SlowThreshold
                : InvestigationAggregator.Classify(status, header, final, clientStatus) is AttemptOutcome.Backend5xx or AttemptOutcome.Lb5xx &&
                  InvestigationAggregator.Hurt(final, clientStatus);
            if (hurt) clients.Add(addrs[(int)a.Request.Values[i]] ?? "-");
        }
        return clients.Count;
    }

    /// <summary>
    /// Every endpoint of the requests a failing suspect hurt in its window (its 5xx that no retry rescued), or of a slow
    /// suspect's final responses at least <paramref name="slowAtLeast"/> slow, read from the loaded request_method and
    /// router_request_uri columns, most first, then by name.
    /// </summary>
    public List<(string Endpoint, long Requests)> EndpointsHurt(Suspect s, double slowAtLeast = double.NaN)
    {
        var a = Log.AttemptColumns;
        var methods = Log.Requests["request_method"];
        var uris = Log.Requests["router_request_uri"];
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var i in PoolAttemptsInWindow(s))
        {
            if ((a.Backend.Values[i] ?? InvestigationAggregator.Unknown) != s.Backend.Backend) continue;
            var (status, header, final, clientStatus) = (a.Status.Values[i], a.HeaderTime.Values[i], a.IsFinal.Values[i], a.ClientStatus.Values[i]);
            var hurt = s.Health == Health.Slow
                ? final && header >= slowAtLeast
                : InvestigationAggregator.Classify(status, header, final, clientStatus) is AttemptOutcome.Backend5xx or AttemptOutcome.Lb5xx &&
                  InvestigationAggregator.Hurt(final, clientStatus);
            if (!hurt) continue;
            var request = a.Request.Values[i];
            var endpoint = RequestEndpoint.Of((string?)methods[request], (string?)uris[request]);
            counts[endpoint] = counts.GetValueOrDefault(endpoint) + 1;
        }
        return counts.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value)).ToList();
    }

    /// <summary>The suspect and the other backends of its pool over its window, it first, then by address.</summary>
    public List<Peer> Peers(Suspect s)
    {
        var a = Log.AttemptColumns;
        var rows = new Dictionary<string, (long N, long B5, long L5, SortedDictionary<int, long> Statuses, List<double> Header, List<double> Connect)>(StringComparer.Ordinal);
        foreach (var i in PoolAttemptsInWindow(s))
        {
            var backend = a.Backend.Values[i] ?? InvestigationAggregator.Unknown;
            if (!rows.TryGetValue(backend, out var row)) row = (0, 0, 0, new SortedDictionary<int, long>(), [], []);
            var status = a.Status.Values[i];
            row.N++;
            switch (InvestigationAggregator.Classify(status, a.HeaderTime.Values[i], a.IsFinal.Values[i], a.ClientStatus.Values[i]))
            {
                case AttemptOutcome.Backend5xx:
                    row.B5++;
                    row.Statuses[status] = row.Statuses.GetValueOrDefault(status) + 1;
                    break;
                case AttemptOutcome.Lb5xx:
                    row.L5++;
                    row.Statuses[status] = row.Statuses.GetValueOrDefault(status) + 1;
                    break;
            }
            if (!double.IsNaN(a.HeaderTime.Values[i])) row.Header.Add(a.HeaderTime.Values[i]);
            if (!double.IsNaN(a.ConnectTime.Values[i])) row.Connect.Add(a.ConnectTime.Values[i]);
            rows[backend] = row;
        }
        rows.TryAdd(s.Backend.Backend, (0, 0, 0, new SortedDictionary<int, long>(), [], []));
        return rows
            .OrderByDescending(kv => kv.Key == s.Backend.Backend).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv =>
            {
                var header = Percentiles.SortedPresent(kv.Value.Header);
                var connect = Percentiles.SortedPresent(kv.Value.Connect);
                var stats = Percentiles.Stats(header);
                return new Peer(kv.Key, kv.Key == s.Backend.Backend, kv.Value.N, kv.Value.B5, kv.Value.L5, kv.Value.Statuses,
                    stats.P50, stats.P95, Percentiles.Of(connect, 0.95));
            }).ToList();
    }

    /// <summary>
    /// Distinct clients of the requests answered 5xx that the investigation judged: its filters, and not the requests far
    /// in time from the rest (outside its From..To).
    /// </summary>
    public long ClientsWith5xx()
    {
        var r = Log.RequestColumns;
        var times = r.Time.Values;
        var listeners = r.ListenerName.Values;
        var statuses = r.Status.Values;
        var addrs = r.ClientIp.Values;
        var clients = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < times.Length; i++)
            if (statuses[i] >= 500 && statuses[i] != ElbNotebooks.Parsing.Missing.Int && times[i] >= investigation.From && times[i] <= investigation.To &&
                Keep(times[i], listeners[i]))
                clients.Add(addrs[i] ?? InvestigationAggregator.Unknown);
        return clients.Count;
    }

    /// <summary>Attempts of the suspect's pool (listener and pool) in its window that the investigation judged.</summary>
    private List<int> PoolAttemptsInWindow(Suspect s)
    {
        var a = Log.AttemptColumns;
        var times = a.Time.Values;
        var listeners = a.Listener.Values;
        var pools = a.Pool.Values;
        var rows = new List<int>();
        for (var i = 0; i < times.Length; i++)
            if (times[i] >= s.Window.StartUtc && times[i] < s.Window.EndUtc && Keep(times[i], listeners[i]) &&
                (listeners[i] ?? InvestigationAggregator.Unknown) == s.Backend.Listener && (pools[i] ?? InvestigationAggregator.Unknown) == s.Backend.Pool)
                rows.Add(i);
        return rows;
    }
}
