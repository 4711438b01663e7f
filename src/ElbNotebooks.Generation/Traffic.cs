using static System.FormattableString;

namespace ElbNotebooks.Generation;

/// <summary>A client as the log sees it: address, user agent and network distance.</summary>
internal sealed record Client(string Address, string UserAgent, bool Browser, int BaseRttMicros);

/// <summary>What kind of resource a path is: decides sizes and latencies.</summary>
internal enum ResourceKind { Static, Page, Api, Heavy, Health }

/// <summary>The population of clients and the request vocabulary, drawn once per run from the seeded random.</summary>
internal sealed class Traffic
{
    private static readonly string[] Ipv4FirstOctets = ["36", "39", "42", "58", "59", "60", "61", "101", "106", "110", "111", "112", "113", "114", "115", "116", "117", "119", "120", "121", "122", "123", "124", "125", "171", "180", "182", "183", "202", "203", "210", "211", "218", "219", "220", "221", "222", "223"];

    private static readonly (string Agent, bool Browser, double Weight)[] Agents =
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", true, 0.25),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", true, 0.10),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", true, 0.12),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", true, 0.06),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51", true, 0.07),
        ("okhttp/4.12.0", false, 0.20),
        ("curl/8.5.0", false, 0.08),
        ("python-requests/2.31.0", false, 0.07),
        ("Go-http-client/1.1", false, 0.05),
    ];

    private static readonly string[] Words = ["shoes", "laptop", "phone", "tea", "lamp", "desk", "kettle", "socks", "bag", "watch"];

    // Path templates per profile and method; {id}, {sku}, {n}, {word} are filled per request.
    private static readonly Dictionary<(TrafficProfile, string), string[]> Paths = new()
    {
        [(TrafficProfile.Web, "GET")] = ["/", "/", "/index.html", "/login", "/products", "/products/{id}", "/products/{id}", "/cart", "/search?q={word}", "/static/app.js", "/static/app.js", "/static/app.css", "/static/vendor.js", "/static/logo.png", "/static/img/p{id}.jpg", "/static/img/p{id}.jpg", "/favicon.ico", "/api/orders/{id}", "/api/cart", "/account", "/help/faq"],
        [(TrafficProfile.Web, "POST")] = ["/login", "/cart/items", "/cart/items", "/checkout", "/api/orders", "/logout"],
        [(TrafficProfile.Web, "PUT")] = ["/cart/items/{id}", "/api/orders/{id}", "/account"],
        [(TrafficProfile.Web, "DELETE")] = ["/cart/items/{id}", "/api/orders/{id}"],
        [(TrafficProfile.Web, "HEAD")] = ["/", "/static/app.js", "/health"],
        [(TrafficProfile.Api, "GET")] = ["/api/orders/{id}", "/api/orders/{id}", "/api/orders?page={n}", "/api/users/{id}", "/api/inventory/{sku}", "/api/products/{id}", "/api/products/{id}", "/api/products?category={word}", "/api/shipments/{id}", "/api/v2/prices/{sku}", "/health"],
        [(TrafficProfile.Api, "POST")] = ["/api/orders", "/api/orders", "/api/payments", "/api/users", "/api/auth/token", "/api/events", "/api/events"],
        [(TrafficProfile.Api, "PUT")] = ["/api/orders/{id}", "/api/users/{id}", "/api/inventory/{sku}"],
        [(TrafficProfile.Api, "DELETE")] = ["/api/orders/{id}", "/api/sessions/{id}"],
        [(TrafficProfile.Api, "HEAD")] = ["/health", "/api/products/{id}"],
    };

    private readonly Random _rng;
    private readonly Client[] _v4;
    private readonly Client[] _v6;

    public Traffic(Random rng)
    {
        _rng = rng;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var v4 = new List<Client>();
        while (v4.Count < 300)
        {
            var ip = Invariant($"{Ipv4FirstOctets[rng.Next(Ipv4FirstOctets.Length)]}.{rng.Next(1, 255)}.{rng.Next(0, 256)}.{rng.Next(1, 255)}");
            if (seen.Add(ip)) v4.Add(NewClient(ip));
        }
        var v6 = new List<Client>();
        while (v6.Count < 8)
        {
            var ip = rng.Next(2) == 0
                ? Invariant($"2001:db8:{rng.Next(1, 0xffff):x}::{rng.Next(1, 0xffff):x}")
                : Invariant($"240e:{rng.Next(0x300, 0x3ff):x}:{rng.Next(1, 0xffff):x}:{rng.Next(1, 0xffff):x}::{rng.Next(1, 0xff):x}");
            if (seen.Add(ip)) v6.Add(NewClient(ip));
        }
        _v4 = [.. v4];
        _v6 = [.. v6];
    }

    private Client NewClient(string ip)
    {
        var u = _rng.NextDouble() * Agents.Sum(a => a.Weight);
        var agent = Agents[^1];
        foreach (var a in Agents)
        {
            if (u < a.Weight) { agent = a; break; }
            u -= a.Weight;
        }
        var rtt = (int)(Math.Exp(Math.Log(5_000) + _rng.NextDouble() * Math.Log(40))); // 5 ms .. 200 ms
        return new Client(ip, agent.Agent, agent.Browser, rtt);
    }

    /// <summary>Clients are heavy-tailed: a few send much of the traffic; about 3% of requests come over IPv6.</summary>
    public Client PickClient()
    {
        if (_rng.NextDouble() < 0.03) return _v6[_rng.Next(_v6.Length)];
        var u = _rng.NextDouble();
        return _v4[(int)(_v4.Length * u * u)];
    }

    public string PickMethod()
    {
        var u = _rng.NextDouble();
        return u switch
        {
            < 0.75 => "GET",
            < 0.90 => "POST",
            < 0.94 => "PUT",
            < 0.97 => "DELETE",
            _ => "HEAD",
        };
    }

    public string PickPath(TrafficProfile profile, string method)
    {
        var templates = Paths[(profile, method)];
        var t = templates[_rng.Next(templates.Length)];
        if (t.Contains('{'))
        {
            t = t.Replace("{id}", _rng.Next(1000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                 .Replace("{sku}", "SKU-" + _rng.Next(100, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                 .Replace("{n}", _rng.Next(1, 40).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                 .Replace("{word}", Words[_rng.Next(Words.Length)], StringComparison.Ordinal);
        }
        return t;
    }

    public static ResourceKind Classify(string path, string method)
    {
        if (path.StartsWith("/static/", StringComparison.Ordinal) || path == "/favicon.ico") return ResourceKind.Static;
        if (path == "/health") return ResourceKind.Health;
        if (path.StartsWith("/checkout", StringComparison.Ordinal) || path.StartsWith("/api/payments", StringComparison.Ordinal)
            || path.StartsWith("/api/auth", StringComparison.Ordinal) || (path == "/login" && method == "POST")) return ResourceKind.Heavy;
        if (path.StartsWith("/api/", StringComparison.Ordinal)) return ResourceKind.Api;
        return ResourceKind.Page;
    }
}
