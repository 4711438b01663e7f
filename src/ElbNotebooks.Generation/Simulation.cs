using System.Globalization;
using System.Text;

namespace ElbNotebooks.Generation;

/// <summary>
/// One pass over the arrivals: draws every request from one seeded <see cref="Random"/> and formats its line in the
/// format asked for (Huawei's here, the others in Simulation.OtherFormats.cs).
/// </summary>
internal sealed partial class Simulation
{
    /// <summary>One try to reach a backend; <see cref="Status"/> 0 and <see cref="HeaderMs"/> null are written <c>-</c>.</summary>
    private readonly record struct Attempt(string Backend, int Status, int ConnectMs, int? HeaderMs, int ResponseMs);

    /// <summary>Everything about a request that its line may write.</summary>
    private sealed record Written(
        ListenerSpec Spec, ListenerKey Listener, Client Client, int ClientPort, string Method, string Path, string Protocol,
        int Status, int RequestHeaders, int RequestBody, int BytesSent, int Body, int RequestMs, List<Attempt> Attempts,
        int RttMicros, long ArrivalMs, long EndMs, string Referer, bool Tls13, bool StrongCipher);

    /// <summary>An incident with its window in epoch milliseconds.</summary>
    private sealed record ActiveIncident(IncidentKey Key, long FromMs, long ToMs)
    {
        public bool Covers(long ms) => ms >= FromMs && ms < ToMs;
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly GeneratorOptions _o;
    private readonly Topology _topology;
    private readonly ActiveIncident[] _incidents;
    private readonly double[] _listenerWeights;

    public Simulation(GeneratorOptions options, AnswerKey key)
    {
        _o = options;
        _topology = Topology.From(options);
        _incidents = key.Incidents.Select(i => new ActiveIncident(i, i.FromLocal.ToUnixTimeMilliseconds(), i.ToLocal.ToUnixTimeMilliseconds())).ToArray();
        _listenerWeights = options.Listeners.Select(l => l.Weight).ToArray();
    }

    /// <summary>
    /// Draws what only one format writes (an ALB's trace id, a CLB's processing times), apart from the traffic's random,
    /// so that every format's log has the same requests.
    /// </summary>
    private Random _formatRng = new(0);

    public IEnumerable<string> Run()
    {
        var rng = new Random(_o.Seed);
        _formatRng = new Random(unchecked(_o.Seed * 7919 + 17));
        var traffic = new Traffic(rng);
        var startMs = _o.Start.ToUnixTimeMilliseconds();
        var endMs = startMs + (long)Math.Round(_o.Duration.TotalMilliseconds);
        var phase = rng.NextDouble() * 2 * Math.PI;
        var pending = new PriorityQueue<string, (long End, long Seq)>();
        var sb = new StringBuilder(640);
        double t = 0;
        long seq = 0;
        while (true)
        {
            // Poisson arrivals; the rate drifts +-20% over a 30-minute wave so minutes are not all alike.
            var rate = _o.RequestsPerSecond * (1 + 0.2 * Math.Sin(phase + 2 * Math.PI * t / 1800));
            t += -Math.Log(1 - rng.NextDouble()) / rate;
            var arrival = startMs + (long)Math.Floor(t * 1000);
            if (arrival >= endMs) break;
            // Lines are written when requests end; anything ending by this arrival can no longer be overtaken.
            while (pending.TryPeek(out var ready, out var k) && k.End <= arrival)
            {
                pending.Dequeue();
                yield return ready;
            }
            var (end, line) = Request(rng, traffic, arrival, sb);
            if (line is not null) pending.Enqueue(line, (end, seq++));
        }
        while (pending.TryDequeue(out var rest, out _)) yield return rest;
    }

    private int PickListener(Random rng)
    {
        var u = rng.NextDouble() * _listenerWeights.Sum();
        for (var i = 0; i < _listenerWeights.Length; i++)
        {
            if (u < _listenerWeights[i]) return i;
            u -= _listenerWeights[i];
        }
        return _listenerWeights.Length - 1;
    }

    private ActiveIncident? Find(IncidentKind kind, string target, long ms)
    {
        foreach (var i in _incidents)
        {
            if (i.Key.Kind != kind || !i.Covers(ms)) continue;
            if (kind == IncidentKind.ListenerErrors ? i.Key.Listener.Name == target : i.Key.Backend == target) return i;
        }
        return null;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static int LogNormalMs(Random rng, double medianMs, double sigma, int min, int max)
    {
        var v = medianMs * Math.Exp(sigma * Normal(rng));
        if (rng.NextDouble() < 0.005) v *= 5; // an occasional slow outlier on any backend
        return (int)Math.Clamp(Math.Round(v), min, max);
    }

    /// <summary>The request arriving at <paramref name="arrival"/>: when it ends, and its line (null: the format writes none).</summary>
    private (long End, string? Line) Request(Random rng, Traffic traffic, long arrival, StringBuilder sb)
    {
        var li = PickListener(rng);
        var spec = _o.Listeners[li];
        var listener = _topology.Listeners[li];
        var client = traffic.PickClient();
        var clientPort = rng.Next(1024, 65536);
        var method = traffic.PickMethod();
        var path = traffic.PickPath(spec.Profile, method);
        var kind = Traffic.Classify(path, method);
        var protocol = spec.Https && rng.NextDouble() < 0.4 ? "HTTP/2.0" : "HTTP/1.1";
        var requestBody = method is "POST" or "PUT" or "PATCH" ? rng.Next(80, 3000) : 0;
        var requestHeaders = rng.Next(client.Browser ? 420 : 180, client.Browser ? 1100 : 420);
        var rttMicros = (int)(client.BaseRttMicros * (0.8 + 0.5 * rng.NextDouble()));

        var attempts = new List<Attempt>(2);
        int status;
        int body;
        int clientMs;

        var lbError = Find(IncidentKind.ListenerErrors, listener.Name, arrival);
        if (lbError is not null && rng.NextDouble() < lbError.Key.Share)
        {
            // The load balancer answers by itself: nothing reached a backend.
            status = lbError.Key.Status;
            body = rng.Next(150, 240);
            clientMs = rng.Next(0, 2);
        }
        else
        {
            var pool = listener.Backends;
            var backend = pool[rng.Next(pool.Count)];
            var tried = new HashSet<string>(StringComparer.Ordinal);
            var idempotent = method is "GET" or "HEAD";
            while (true)
            {
                tried.Add(backend);
                var refused = Find(IncidentKind.ConnectionRefused, backend, arrival);
                if (refused is not null && rng.NextDouble() < refused.Key.Share)
                {
                    var timeout = rng.NextDouble() < refused.Key.TimeoutShare;
                    var connect = timeout ? 5000 : rng.Next(0, 3) == 0 ? 0 : 1;
                    attempts.Add(new Attempt(backend, timeout ? 504 : 502, connect, null, connect));
                    var peers = pool.Where(p => !tried.Contains(p)).ToArray();
                    if (idempotent && peers.Length > 0 && attempts.Count < 5)
                    {
                        backend = peers[rng.Next(peers.Length)];
                        continue;
                    }
                    status = timeout ? 504 : 502;
                    body = rng.Next(150, 240);
                    clientMs = rng.Next(0, 2);
                    break;
                }

                var connectMs = rng.NextDouble() switch { < 0.6 => 0, < 0.95 => 1, _ => 2 };
                if (rng.NextDouble() < _o.ClientAbortRate)
                {
                    // The client gave up before the backend answered: 499, no upstream status.
                    var waited = rng.Next(connectMs + 1, 3000);
                    attempts.Add(new Attempt(backend, 0, connectMs, null, waited));
                    status = 499;
                    body = 0;
                    clientMs = 0;
                    break;
                }

                var (median, sigma) = kind switch
                {
                    ResourceKind.Static => (3.0, 0.5),
                    ResourceKind.Health => (1.5, 0.4),
                    ResourceKind.Page => (40.0, 0.6),
                    ResourceKind.Heavy => (110.0, 0.5),
                    _ => (22.0, 0.6),
                };
                var headerMs = connectMs + LogNormalMs(rng, median, sigma, 1, 4000);
                var slow = Find(IncidentKind.SlowBackend, backend, arrival);
                if (slow is not null && rng.NextDouble() < slow.Key.Share)
                    headerMs += (int)Math.Round(slow.Key.ExtraSeconds * 1000 * (0.8 + 0.4 * rng.NextDouble()));

                var errors = Find(IncidentKind.BackendErrors, backend, arrival);
                if (errors is not null && rng.NextDouble() < errors.Key.Share)
                {
                    status = errors.Key.Status;
                    body = rng.Next(90, 700);
                }
                else if (rng.NextDouble() < _o.BaselineErrorRate)
                {
                    status = rng.NextDouble() < 0.7 ? 500 : 503;
                    body = rng.Next(90, 700);
                }
                else
                {
                    (status, body) = Success(rng, method, path, kind);
                }

                var bodyMs = body / 125_000 + rng.Next(0, 2); // ~1 Gbit/s inside the VPC
                attempts.Add(new Attempt(backend, status, connectMs, headerMs, headerMs + bodyMs));
                // Time to push the response to the client grows with its size and distance.
                var rttMs = rttMicros / 1000.0;
                clientMs = (int)Math.Round(body < 14_000 ? rng.NextDouble() * 1.5 : rttMs * Math.Log2(body / 14_000.0 + 1) * (0.5 + rng.NextDouble()));
                break;
            }
        }

        var bytesSent = status == 499 ? 0 : body + rng.Next(200, 420);
        if (method == "HEAD" && status != 499) { bytesSent -= body; body = 0; }
        if (!Retries && attempts.Count > 1)
        {
            // An AWS load balancer does not retry on a peer: the client got the first attempt's failure. The retries were
            // still drawn from the traffic's random, so that every format's log has the same requests.
            attempts.RemoveRange(1, attempts.Count - 1);
            status = attempts[0].Status;
            body = method == "HEAD" ? 0 : _formatRng.Next(150, 240);
            bytesSent = body + _formatRng.Next(200, 420);
            clientMs = _formatRng.Next(0, 2);
        }
        var upstreamMs = attempts.Sum(a => a.ResponseMs);
        var requestMs = upstreamMs + clientMs;
        var end = arrival + requestMs;
        // Drawn last, in this order, as the Huawei lines have always drawn them: the same seed gives the same bytes.
        var referer = client.Browser && method == "GET" && rng.NextDouble() < 0.6 ? $"{listener.Scheme}://{listener.Host}/" : "-";
        var tls13 = false;
        var strong = false;
        if (_o.Layout != LogLayout.Legacy && spec.Https)
        {
            tls13 = rng.NextDouble() < 0.65;
            strong = rng.NextDouble() < 0.3;
        }
        var written = new Written(spec, listener, client, clientPort, method, path, protocol, status, requestHeaders, requestBody,
            bytesSent, body, requestMs, attempts, rttMicros, arrival, end, referer, tls13, strong);
        var line = _o.Format switch
        {
            GeneratedFormat.AwsAlb => FormatAlb(sb, written),
            GeneratedFormat.AwsClb => FormatClb(sb, written),
            GeneratedFormat.Nginx => FormatNginx(sb, written),
            _ => Format(sb, written),
        };
        return (end, line);
    }

    private static (int Status, int Body) Success(Random rng, string method, string path, ResourceKind kind)
    {
        switch (method)
        {
            case "DELETE": return (204, 0);
            case "POST" when path == "/login": return (302, 0);
            case "POST" when path is "/api/orders" or "/api/users" or "/cart/items": return (201, rng.Next(120, 900));
            case "POST" or "PUT": return (200, rng.Next(60, 1500));
        }
        if (kind == ResourceKind.Static && rng.NextDouble() < 0.12) return (304, 0);
        if (kind is ResourceKind.Page or ResourceKind.Api && rng.NextDouble() < 0.01) return (404, rng.Next(90, 300));
        return kind switch
        {
            ResourceKind.Static => (200, path.EndsWith(".js", StringComparison.Ordinal) ? rng.Next(40_000, 260_000) : rng.Next(1_500, 90_000)),
            ResourceKind.Health => (200, rng.Next(2, 30)),
            ResourceKind.Page => (200, rng.Next(6_000, 48_000)),
            _ => (200, rng.Next(120, 6_000)),
        };
    }

    private static void Seconds(StringBuilder sb, long ms) =>
        sb.Append(ms / 1000).Append('.').Append((ms % 1000).ToString("D3", Inv));

    private static void List(StringBuilder sb, List<Attempt> attempts, Action<StringBuilder, Attempt> item)
    {
        sb.Append('"');
        if (attempts.Count == 0) sb.Append('-');
        for (var i = 0; i < attempts.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            item(sb, attempts[i]);
        }
        sb.Append('"');
    }

    /// <summary>A Huawei ELB line in the options' layout.</summary>
    private string Format(StringBuilder sb, Written w)
    {
        var (spec, listener, client, clientPort, method, path, protocol, status, requestHeaders, requestBody, bytesSent, body,
            requestMs, attempts, rttMicros, _, endMs, referer, tls13, strong) = w;
        var legacy = _o.Layout == LogLayout.Legacy;
        sb.Clear();
        Seconds(sb, endMs);
        sb.Append(' ').Append(legacy ? "-" : _topology.TopicId);
        sb.Append(" [").Append(DateTimeOffset.FromUnixTimeMilliseconds(endMs).ToOffset(_o.Start.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", Inv)).Append(']');
        sb.Append(' ').Append(legacy ? "elb" : "elb_01");
        sb.Append(' ').Append(client.Address).Append(':').Append(clientPort.ToString(Inv));
        sb.Append(' ').Append(status.ToString(Inv));
        sb.Append(" \"").Append(method).Append(' ').Append(listener.Scheme).Append("://").Append(listener.Host).Append(path).Append(' ').Append(protocol).Append('"');
        sb.Append(' ').Append((requestHeaders + requestBody).ToString(Inv));
        sb.Append(' ').Append(bytesSent.ToString(Inv));
        sb.Append(' ').Append(body.ToString(Inv));
        sb.Append(' ');
        Seconds(sb, requestMs);
        sb.Append(' ');
        List(sb, attempts, static (s, a) => s.Append(a.Status == 0 ? "-" : a.Status.ToString(Inv)));
        sb.Append(' ');
        List(sb, attempts, static (s, a) => Seconds(s, a.ConnectMs));
        sb.Append(' ');
        List(sb, attempts, static (s, a) => { if (a.HeaderMs is { } h) Seconds(s, h); else s.Append('-'); });
        sb.Append(' ');
        List(sb, attempts, static (s, a) => Seconds(s, a.ResponseMs));
        sb.Append(' ');
        List(sb, attempts, static (s, a) => s.Append(a.Backend));
        sb.Append(" \"").Append(client.UserAgent).Append('"');
        sb.Append(" \"").Append(referer).Append('"');
        sb.Append(" \"-\"");
        sb.Append(' ').Append(_topology.LbName);
        sb.Append(' ').Append(listener.ListenerName);
        sb.Append(' ').Append(listener.ListenerId);
        if (legacy) return sb.ToString();

        var routed = attempts.Count > 0;
        sb.Append(' ').Append(routed ? listener.PoolName : "-");
        sb.Append(" \"-\"");
        sb.Append(' ').Append(_topology.TenantId);
        sb.Append(' ').Append(listener.Eip);
        sb.Append(' ');
        List(sb, attempts, static (s, a) => s.Append(a.Backend));
        sb.Append(" -");
        if (spec.Https)
        {
            sb.Append(' ').Append(tls13 ? "TLSv1.3" : "TLSv1.2");
            sb.Append(' ').Append(tls13
                ? strong ? "TLS_AES_256_GCM_SHA384" : "TLS_AES_128_GCM_SHA256"
                : strong ? "ECDHE-RSA-AES256-GCM-SHA384" : "ECDHE-RSA-AES128-GCM-SHA256");
            sb.Append(' ').Append(listener.Host);
        }
        else
        {
            sb.Append(" - - -");
        }
        sb.Append(' ').Append(rttMicros.ToString(Inv));
        sb.Append(" -");
        if (_o.Layout == LogLayout.Extended)
        {
            sb.Append(' ').Append(requestHeaders.ToString(Inv));
            sb.Append(" - -");
            sb.Append(" \"").Append(routed ? listener.Pool : "-").Append('"');
        }
        return sb.ToString();
    }
}
