using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Charts;

/// <summary>Requests per status class and bucket. The 5xx are split by who made them.</summary>
internal sealed record StatusSeries(TimeBuckets Buckets, long[] S2xx, long[] S3xx, long[] S4xx, long[] Backend5xx, long[] Unreachable5xx, long[] NoBackend5xx);

/// <summary>Per backend and bucket: attempts, failed attempts (a 5xx by the backend or by the load balancer for it, as the judge counts them; never a client abort), and header times if asked for.</summary>
internal sealed record BackendSeries(TimeBuckets Buckets, List<string> Backends, long[][] Attempts, long[][] Errors, List<double>[][]? HeaderTimes);

/// <summary>Per backend: every connect / header / response time seen (seconds).</summary>
internal sealed record LatencySamples(List<string> Backends, List<double>[] Connect, List<double>[] Header, List<double>[] Response);

/// <summary>Failed (non-final) attempts by the backend that failed and the backend whose answer the client got.</summary>
internal sealed record RetryMatrix(List<string> Failed, List<string> Served, long[][] Counts, long Total);

/// <summary>
/// The numbers behind the charts, read straight from the log's typed column buffers (no DataFrame, no boxing).
/// Missing values are the buffers' sentinels (<see cref="Missing"/>).
/// </summary>
internal static class ChartData
{
    public const string NotRescued = "(not rescued)";

    public static StatusSeries StatusClasses(AccessLog log, ChartScope scope)
    {
        var buckets = scope.Buckets();
        var s = new long[6][];
        for (var k = 0; k < s.Length; k++) s[k] = new long[buckets.Count];
        var r = log.RequestColumns;
        var time = r.Time.Values;
        var status = r.Status.Values;
        var attempts = r.UpstreamAttempts.Values;
        var header = r.UpstreamHeaderTime.Values;
        var listener = r.ListenerName.Values;
        for (var i = 0; i < time.Length; i++)
        {
            if (!scope.Covers(time[i]) || !scope.Includes(listener[i])) continue;
            var b = buckets.IndexOf(time[i]);
            if (b < 0) continue;
            var k = status[i] switch
            {
                >= 200 and < 300 => 0,
                >= 300 and < 400 => 1,
                >= 400 and < 500 => 2,
                >= 500 and < 600 => Analysis.FiveXx.Source(attempts[i], header[i]) switch
                {
                    Analysis.FiveXxSource.LoadBalancerAlone => 5,
                    Analysis.FiveXxSource.LoadBalancerForBackend => 4,
                    _ => 3,
                },
                _ => -1,
            };
            if (k >= 0) s[k][b]++;
        }
        return new StatusSeries(buckets, s[0], s[1], s[2], s[3], s[4], s[5]);
    }

    public static BackendSeries PerBackend(AccessLog log, ChartScope scope, bool headerTimes)
    {
        var buckets = scope.Buckets();
        var a = log.AttemptColumns;
        var time = a.Time.Values;
        var backend = a.Backend.Values;
        var status = a.Status.Values;
        var header = a.HeaderTime.Values;
        var listener = a.Listener.Values;
        var isFinal = a.IsFinal.Values;
        var request = a.Request.Values;
        var clientStatus = log.RequestColumns.Status.Values;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var attempts = new List<long[]>();
        var errors = new List<long[]>();
        var times = new List<List<double>[]>();
        for (var i = 0; i < time.Length; i++)
        {
            if (backend[i] is not { } name || !scope.Covers(time[i]) || !scope.Includes(listener[i])) continue;
            var t = buckets.IndexOf(time[i]);
            if (t < 0) continue;
            if (!index.TryGetValue(name, out var k))
            {
                index.Add(name, k = attempts.Count);
                attempts.Add(new long[buckets.Count]);
                errors.Add(new long[buckets.Count]);
                if (headerTimes) times.Add(new List<double>[buckets.Count]);
            }
            attempts[k][t]++;
            // The judge's own rule (InvestigationAggregator.Classify): a 5xx the backend made or the load balancer
            // made for it is an error; a client abort (499 or an ALB's 460, or a final attempt of a request the client gave up) is not.
            var row = request[i];
            var client = row >= 0 && row < clientStatus.Length ? clientStatus[(int)row] : Missing.Int;
            if (Analysis.InvestigationAggregator.Classify(status[i], header[i], isFinal[i], client) is Analysis.AttemptOutcome.Backend5xx or Analysis.AttemptOutcome.Lb5xx)
                errors[k][t]++;
            if (headerTimes && !double.IsNaN(header[i])) (times[k][t] ??= []).Add(header[i]);
        }

        var order = scope.Order(index.Keys, b => Rate(errors[index[b]].Sum(), attempts[index[b]].Sum()) + errors[index[b]].Sum() * 1e-12);
        return new BackendSeries(buckets, order,
            order.Select(b => attempts[index[b]]).ToArray(),
            order.Select(b => errors[index[b]]).ToArray(),
            headerTimes ? order.Select(b => times[index[b]]).ToArray() : null);
    }

    public static LatencySamples Latency(AccessLog log, ChartScope scope)
    {
        var a = log.AttemptColumns;
        var time = a.Time.Values;
        var backend = a.Backend.Values;
        var listener = a.Listener.Values;
        var connect = a.ConnectTime.Values;
        var header = a.HeaderTime.Values;
        var response = a.ResponseTime.Values;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var c = new List<List<double>>();
        var h = new List<List<double>>();
        var r = new List<List<double>>();
        for (var i = 0; i < time.Length; i++)
        {
            if (backend[i] is not { } name || !scope.Covers(time[i]) || !scope.Includes(listener[i])) continue;
            if (!index.TryGetValue(name, out var k))
            {
                index.Add(name, k = c.Count);
                c.Add([]);
                h.Add([]);
                r.Add([]);
            }
            if (!double.IsNaN(connect[i])) c[k].Add(connect[i]);
            if (!double.IsNaN(header[i])) h[k].Add(header[i]);
            if (!double.IsNaN(response[i])) r[k].Add(response[i]);
        }
        var order = scope.Order(index.Keys, b => Stats.Percentile(h[index[b]], 0.95) is var p && double.IsNaN(p) ? -1 : p);
        return new LatencySamples(order,
            order.Select(b => c[index[b]]).ToArray(), order.Select(b => h[index[b]]).ToArray(), order.Select(b => r[index[b]]).ToArray());
    }

    public static RetryMatrix Retries(AccessLog log, ChartScope scope)
    {
        var a = log.AttemptColumns;
        var request = a.Request.Values;
        var isFinal = a.IsFinal.Values;
        var time = a.Time.Values;
        var backend = a.Backend.Values;
        var listener = a.Listener.Values;
        var clientStatus = log.RequestColumns.Status.Values;

        var finalBackend = new Dictionary<long, string?>();
        for (var i = 0; i < request.Length; i++)
            if (isFinal[i]) finalBackend[request[i]] = backend[i];

        var pairs = new Dictionary<(string Failed, string Served), long>();
        long total = 0;
        for (var i = 0; i < request.Length; i++)
        {
            if (isFinal[i] || !scope.Covers(time[i]) || !scope.Includes(listener[i])) continue;
            var failed = backend[i] ?? "(unknown)";
            var row = request[i];
            var client = row >= 0 && row < clientStatus.Length ? clientStatus[(int)row] : Missing.Int;
            var served = !Analysis.InvestigationAggregator.Hurt(isFinal: false, client) && finalBackend.GetValueOrDefault(row) is { } f ? f : NotRescued;
            pairs[(failed, served)] = pairs.GetValueOrDefault((failed, served)) + 1;
            total++;
        }

        var failedOrder = scope.Order(pairs.Keys.Select(p => p.Failed).Distinct(),
            b => pairs.Where(p => p.Key.Failed == b).Sum(p => p.Value));
        var servedOrder = scope.Order(pairs.Keys.Select(p => p.Served).Where(s => s != NotRescued).Distinct(),
            b => pairs.Where(p => p.Key.Served == b).Sum(p => p.Value));
        if (pairs.Keys.Any(p => p.Served == NotRescued)) servedOrder.Add(NotRescued);
        var counts = failedOrder.Select(f => servedOrder.Select(s => pairs.GetValueOrDefault((f, s))).ToArray()).ToArray();
        return new RetryMatrix(failedOrder, servedOrder, counts, total);
    }

    /// <summary>Requests answered 5xx by path (query cut off), most first.</summary>
    public static List<(string Path, long Count)> FailingPaths(AccessLog log, ChartScope scope, int top)
    {
        var r = log.RequestColumns;
        var time = r.Time.Values;
        var status = r.Status.Values;
        var method = r.Method.Values;
        var uri = r.Uri.Values;
        var listener = r.ListenerName.Values;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < time.Length; i++)
        {
            if (status[i] is < 500 or >= 600 || !scope.Covers(time[i]) || !scope.Includes(listener[i])) continue;
            var key = RequestEndpoint.Of(method[i], uri[i]);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(Math.Max(0, top)).Select(kv => (kv.Key, kv.Value)).ToList();
    }

    public static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
