using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ElbNotebooks.Generation;

/// <summary>What goes wrong in an ALB log, and how the load balancer writes it.</summary>
public enum AlbIncidentKind
{
    /// <summary>The target answers 500 itself: elb 500, target status 500, a target processing time.</summary>
    TargetErrors,

    /// <summary>The target resets connections: elb 502, target status <c>-</c>, target and response times <c>-1</c>.</summary>
    ConnectionResets,

    /// <summary>No healthy target: elb 503, target <c>-</c>, every processing time <c>-1</c>. No target to blame.</summary>
    NoHealthyTargets,
}

/// <summary>An incident from <paramref name="FromUtc"/> (inclusive) to <paramref name="ToUtc"/> (exclusive), by arrival.
/// <paramref name="Target"/> is null for <see cref="AlbIncidentKind.NoHealthyTargets"/>; <paramref name="Share"/> is the
/// fraction of the affected requests that fail.</summary>
public sealed record AlbIncident(AlbIncidentKind Kind, string? Target, DateTime FromUtc, DateTime ToUtc, double Share = 1.0);

/// <summary>An ALB log to write; every default lives here. Change one with <c>with</c>.</summary>
public sealed record AlbLogOptions
{
    /// <summary>Seed of the random choices: the same options write the same bytes.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The first instant of the log, UTC (ALB writes UTC only).</summary>
    public DateTime StartUtc { get; init; } = new(2024, 5, 1, 10, 10, 0, DateTimeKind.Utc);

    /// <summary>How long the log covers, from <see cref="StartUtc"/>.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Mean arrival rate (Poisson), requests per second.</summary>
    public double RequestsPerSecond { get; init; } = 5;

    /// <summary>The <c>elb</c> field: <c>app/&lt;name&gt;/&lt;id&gt;</c>.</summary>
    public string LoadBalancer { get; init; } = "app/web-alb/50dc6c495c0c9188";

    /// <summary>The <c>target_group_arn</c> field; its <c>targetgroup/&lt;name&gt;</c> part becomes the pool.</summary>
    public string TargetGroupArn { get; init; } = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067";

    /// <summary>Host of the request URLs and the <c>domain_name</c> field.</summary>
    public string Domain { get; init; } = "shop.example.com";

    /// <summary>The targets (<c>ip:port</c>) requests are spread over; at least one.</summary>
    public IReadOnlyList<string> Targets { get; init; } = ["10.0.1.21:8080", "10.0.1.22:8080", "10.0.1.23:8080", "10.0.1.24:8080"];

    /// <summary>Incidents to inject; none by default (a healthy log).</summary>
    public IReadOnlyList<AlbIncident> Incidents { get; init; } = [];
}

/// <summary>
/// Writes AWS Application Load Balancer access logs (all documented fields, up to <c>classification_reason</c>):
/// seeded, so the same options give the same bytes. Arrivals are Poisson; each request goes to one target of one
/// target group, as ALB does; latencies are lognormal; ~1% of requests are 404s the target answers.
/// </summary>
public static class AlbLogWriter
{
    private static readonly string[] Paths = ["/", "/cart", "/api/products", "/api/products/42", "/api/orders", "/static/app.js", "/login"];
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "curl/8.5.0",
        "okhttp/4.12.0",
    ];

    /// <summary>The lines, in arrival order, without line ends.</summary>
    public static IEnumerable<string> Lines(AlbLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequestsPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(options), "RequestsPerSecond must be positive");
        if (options.Targets.Count == 0) throw new InvalidInputException("An ALB log needs at least one target.", nameof(options));

        var random = new Random(options.Seed);
        var c = CultureInfo.InvariantCulture;
        var end = options.StartUtc + options.Duration;
        var arrival = options.StartUtc;
        var line = new StringBuilder(768);
        while (true)
        {
            arrival = arrival.AddTicks((long)(-Math.Log(1 - random.NextDouble()) / options.RequestsPerSecond * TimeSpan.TicksPerSecond));
            if (arrival >= end) yield break;

            var target = options.Targets[random.Next(options.Targets.Count)];
            var path = Paths[random.Next(Paths.Length)];
            var method = path == "/api/orders" && random.NextDouble() < 0.5 ? "POST" : "GET";
            var client = $"203.0.113.{1 + random.Next(120)}";
            var clientPort = 1024 + random.Next(60000);
            var agent = Agents[random.Next(Agents.Length)];
            var requestProcessing = 0.0005 + random.NextDouble() * 0.0015;
            var targetProcessing = LogNormal(random, path.StartsWith("/api", StringComparison.Ordinal) ? 0.060 : 0.015, 0.5);
            var responseProcessing = random.NextDouble() * 0.0003;
            var targetStatus = random.NextDouble() < 0.01 ? 404 : path == "/api/orders" && method == "POST" ? 201 : 200;
            var sent = targetStatus == 404 ? 180 + random.Next(40) : 600 + random.Next(20_000);
            var received = method == "POST" ? 700 + random.Next(900) : 250 + random.Next(500);
            var traceRandom = random.NextInt64();
            var roll = random.NextDouble();

            var kind = Incident(options, arrival, target, roll);
            string elbStatus, targetField = target, targetStatusField;
            string targetTime, responseTime;
            switch (kind)
            {
                case AlbIncidentKind.TargetErrors:
                    elbStatus = targetStatusField = "500";
                    sent = 250 + random.Next(60);
                    targetTime = Seconds(targetProcessing);
                    responseTime = Seconds(responseProcessing);
                    break;
                case AlbIncidentKind.ConnectionResets:
                    elbStatus = "502";
                    targetStatusField = "-";
                    sent = 272;
                    targetTime = responseTime = "-1";
                    break;
                case AlbIncidentKind.NoHealthyTargets:
                    elbStatus = "503";
                    targetField = targetStatusField = "-";
                    sent = 336;
                    targetTime = responseTime = "-1";
                    requestProcessing = -1;
                    break;
                default:
                    elbStatus = targetStatusField = targetStatus.ToString(c);
                    targetTime = Seconds(targetProcessing);
                    responseTime = Seconds(responseProcessing);
                    break;
            }

            var took = (requestProcessing > 0 ? requestProcessing : 0) + (targetTime == "-1" ? 0.001 : targetProcessing) + responseProcessing;
            var responded = arrival.AddTicks((long)(took * TimeSpan.TicksPerSecond));
            yield return new AwsLine
            {
                Type = "https", Time = responded, LoadBalancer = options.LoadBalancer, ClientAddress = client, ClientPort = clientPort,
                Target = targetField,
                RequestProcessing = requestProcessing < 0 ? "-1" : Seconds(requestProcessing), TargetProcessing = targetTime, ResponseProcessing = responseTime,
                ElbStatus = elbStatus, TargetStatus = targetStatusField, Received = received, Sent = sent,
                Method = method, Scheme = "https", Host = options.Domain, Port = 443, Path = path, Protocol = "HTTP/1.1", UserAgent = agent,
                Tls = "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2", TargetGroupArn = options.TargetGroupArn,
                Trace = $"Root=1-{(long)(arrival - DateTime.UnixEpoch).TotalSeconds:x8}-{traceRandom & 0xFFFF_FFFF_FFFF:x12}{(traceRandom >> 16) & 0xFFFF_FFFF_FFFF:x12}",
                Domain = options.Domain, CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
                RequestCreationTime = arrival,
            }.Alb(line);
        }
    }

    /// <summary>The log gzip-compressed, as AWS delivers it, one <c>\n</c> after every line.</summary>
    public static void WriteGzip(Stream destination, AlbLogOptions options)
    {
        using var gzip = new GZipStream(destination, CompressionLevel.Optimal, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false)) { NewLine = "\n" };
        foreach (var line in Lines(options)) writer.WriteLine(line);
    }

    /// <summary>
    /// AWS's object name: <c>{account}_elasticloadbalancing_{region}_{lb id}_{end time}_{lb ip}_{random}.log.gz</c>,
    /// where the end time closes the five-minute interval the file covers.
    /// </summary>
    public static string FileName(AlbLogOptions options, string account = "123456789012", string region = "eu-west-1",
        string loadBalancerIp = "10.0.0.1", string random = "abc123") =>
        $"{account}_elasticloadbalancing_{region}_{options.LoadBalancer.Replace('/', '.')}_{(options.StartUtc + options.Duration):yyyyMMdd'T'HHmm}Z_{loadBalancerIp}_{random}.log.gz";

    private static AlbIncidentKind? Incident(AlbLogOptions options, DateTime arrival, string target, double roll)
    {
        foreach (var incident in options.Incidents)
        {
            if (arrival < incident.FromUtc || arrival >= incident.ToUtc || roll >= incident.Share) continue;
            if (incident.Kind == AlbIncidentKind.NoHealthyTargets || incident.Target == target) return incident.Kind;
        }
        return null;
    }

    private static double LogNormal(Random random, double median, double sigma)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * normal);
    }

    private static string Seconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
