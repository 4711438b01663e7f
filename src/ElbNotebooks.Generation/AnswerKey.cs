using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ElbNotebooks.Generation;

/// <summary>One injected incident, resolved against the topology: who fails, how, and when.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="Backend"><c>ip:port</c> of the failing backend; null for listener-level errors.</param>
/// <param name="Listener">The listener (friendly name and ids) whose pool holds the backend, or that answers by itself.</param>
/// <param name="FromLocal">Window start, in the log's offset (inclusive, by request arrival).</param>
/// <param name="ToLocal">Window end, in the log's offset (exclusive).</param>
/// <param name="Share">Share of the affected requests (attempts) that go wrong.</param>
/// <param name="Status">Status written for the failures (0 for slow backends).</param>
/// <param name="ExtraSeconds">Extra header time for slow backends.</param>
/// <param name="TimeoutShare">For refused connections, share of failed attempts that are 5 s timeouts (504).</param>
public sealed record IncidentKey(
    IncidentKind Kind, string? Backend, ListenerKey Listener, DateTimeOffset FromLocal, DateTimeOffset ToLocal,
    double Share, int Status, double ExtraSeconds, double TimeoutShare)
{
    /// <summary>Window start in UTC.</summary>
    public DateTimeOffset FromUtc => FromLocal.ToUniversalTime();
    /// <summary>Window end in UTC.</summary>
    public DateTimeOffset ToUtc => ToLocal.ToUniversalTime();
    /// <summary>Friendly pool name.</summary>
    public string Pool => Listener.Pool;

    /// <summary>True if the incident makes <see cref="Backend"/> a rightful suspect (everything but listener-level errors).</summary>
    public bool BlamesBackend => Backend is not null;

    /// <summary>One human sentence, e.g. for a README, in the words of a Huawei log.</summary>
    public string Describe() => Describe(GeneratedFormat.HuaweiElb);

    /// <summary>One human sentence in the words of a log of <paramref name="format"/> (its field names, whether it retries).</summary>
    public string Describe(GeneratedFormat format)
    {
        var c = CultureInfo.InvariantCulture;
        var f = FieldNames.Of(format);
        var what = Kind switch
        {
            IncidentKind.BackendErrors => string.Format(c, "backend {0} answers {1:0.##}% of its requests with {2} (passed through: {3} == {4}, header time normal)", Backend, Share * 100, Status, f.Status, f.UpstreamStatus),
            IncidentKind.ConnectionRefused when format is GeneratedFormat.AwsAlb or GeneratedFormat.AwsClb =>
                string.Format(c, "backend {0} refuses {1:0.##}% of connection attempts: the load balancer answers those requests itself, {2} 502 ({3:0.##}% of them 504, 5 s connect timeouts) and {4} \"-\", with no retry on a peer", Backend, Share * 100, f.Status, TimeoutShare * 100, f.UpstreamStatus),
            IncidentKind.ConnectionRefused => string.Format(c, "backend {0} refuses {1:0.##}% of connection attempts: its attempts carry {2} 502 (connect ~0.001 s), {3:0.##}% of them 504 connect timeouts (5.000 s); GET/HEAD retried on a peer (two-item lists), POST/PUT/PATCH/DELETE get the 502/504", Backend, Share * 100, f.UpstreamStatus, TimeoutShare * 100),
            IncidentKind.SlowBackend => string.Format(c, "backend {0} is slow: header time +~{1:0.###} s on {2:0.##}% of its requests, connect time normal, status 200", Backend, ExtraSeconds, Share * 100),
            IncidentKind.ListenerErrors => string.Format(c, "listener {0} ({1}): the load balancer itself answers {2:0.##}% of requests with {3}, {4}, no backend: NOT a backend suspect", Listener.Name, format == GeneratedFormat.HuaweiElb ? Listener.ListenerName : Listener.Eip, Share * 100, Status, f.NoBackend),
            _ => Kind.ToString(),
        };
        return $"{what}; {AnswerKey.Window(FromLocal, ToLocal)}";
    }
}

/// <summary>What a format's lines call the fields an answer key names.</summary>
internal sealed record FieldNames(string Status, string UpstreamStatus, string NoBackend, string Listener, string Pool, string ClientAbort)
{
    public static FieldNames Of(GeneratedFormat format) => format switch
    {
        GeneratedFormat.AwsAlb => new("elb_status_code", "target_status_code", "target \"-\"", "elb (one per load balancer)", "target group (target_group_arn)",
            "end 460 (the ALB's status for a client that closed the connection)"),
        GeneratedFormat.AwsClb => new("elb_status_code", "backend_status_code", "backend \"-\"", "elb (one per load balancer)", "none (a CLB has no pools)",
            "get no line (a CLB writes none for a client that closed the connection)"),
        GeneratedFormat.Nginx => new("$status", "$upstream_status", "$upstream_addr \"-\"", "$server_addr:$server_port", "$proxy_host",
            "end 499 ($upstream_status \"-\")"),
        _ => new("status", "upstream_status", "upstream fields \"-\"", "listener_name (field 21)", "pool_name (field 23)",
            "end 499 (upstream_status \"-\")"),
    };
}

/// <summary>The truth about a generated log: its topology and the incidents injected, for tests and READMEs.</summary>
/// <param name="Seed">Random seed.</param>
/// <param name="Layout">Line layout.</param>
/// <param name="StartLocal">First possible arrival, in the log's offset.</param>
/// <param name="EndLocal">End of arrivals (exclusive); the last lines may be written a few seconds later.</param>
/// <param name="LoadBalancerName">Field 20.</param>
/// <param name="TenantId">Field 25.</param>
/// <param name="Listeners">Listeners with their pools and backends.</param>
/// <param name="Incidents">Incidents injected.</param>
/// <param name="BaselineErrorRate">Backend 500/503 noise on every backend.</param>
/// <param name="ClientAbortRate">499 noise on every backend.</param>
public sealed record AnswerKey(
    int Seed, LogLayout Layout, DateTimeOffset StartLocal, DateTimeOffset EndLocal, string LoadBalancerName, string TenantId,
    IReadOnlyList<ListenerKey> Listeners, IReadOnlyList<IncidentKey> Incidents, double BaselineErrorRate, double ClientAbortRate)
{
    /// <summary>The load balancer whose lines were written (left out of the JSON for Huawei ELB, the default).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public GeneratedFormat Format { get; init; }

    /// <summary>The name an AWS log's lines give the load balancer (their <c>elb</c> field's, <c>shop-elb</c>); null for the others.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AwsName { get; init; }

    /// <summary>For an nginx log, the <c>log_format</c> its lines are in (<see cref="LogGenerator.NginxLogFormat"/>), to read them with.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NginxLogFormat => Format == GeneratedFormat.Nginx ? LogGenerator.NginxLogFormat : null;

    /// <summary>Start in UTC.</summary>
    public DateTimeOffset StartUtc => StartLocal.ToUniversalTime();
    /// <summary>End in UTC.</summary>
    public DateTimeOffset EndUtc => EndLocal.ToUniversalTime();

    /// <summary>Backends that rightly fail at some point, in incident order, without duplicates.</summary>
    public IReadOnlyList<string> FailingBackends => Incidents.Where(i => i.Backend is not null).Select(i => i.Backend!).Distinct().ToArray();

    /// <summary>Backends that never fail beyond the baseline noise.</summary>
    public IReadOnlyList<string> HealthyBackends => Listeners.SelectMany(l => l.Backends).Except(FailingBackends).ToArray();

    internal static string Window(DateTimeOffset from, DateTimeOffset to)
    {
        var c = CultureInfo.InvariantCulture;
        return string.Format(c, "from {0} to {1} local ({2} to {3} UTC)",
            from.ToString("yyyy-MM-dd HH:mm:ss", c), to.ToString("HH:mm:ss zzz", c),
            from.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c), to.UtcDateTime.ToString("HH:mm:ss", c));
    }

    /// <summary>Markdown description: range, topology, incidents and what must not be blamed.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var f = FieldNames.Of(Format);
        if (Format == GeneratedFormat.HuaweiElb)
            sb.Append(c, $"- Layout: {Layout} ({FieldCount(Layout)} fields, log_ver `{(Layout == LogLayout.Legacy ? "elb" : "elb_01")}`), seed {Seed}\n");
        else
            sb.Append(c, $"- Format: {Format}, seed {Seed}\n");
        sb.Append(c, $"- Arrivals {Window(StartLocal, EndLocal)}\n");
        if (Format == GeneratedFormat.HuaweiElb) sb.Append(c, $"- Load balancer `{LoadBalancerName}`, tenant `{TenantId}`\n");
        else if (AwsName is { } name) sb.Append(c, $"- Load balancer `{name}`\n");
        sb.Append(c, $"\n| listener | {f.Listener} | scheme, eip | pool | {f.Pool} | backends |\n|---|---|---|---|---|---|\n");
        foreach (var l in Listeners)
        {
            var (listener, pool) = WrittenNames(l);
            sb.Append(c, $"| {l.Name} | `{listener}` | {l.Scheme} {l.Eip} | {l.Pool} | {(pool is null ? "–" : $"`{pool}`")} | {string.Join(", ", l.Backends)} |\n");
        }
        sb.Append("\nIncidents (by request arrival time):\n\n");
        if (Incidents.Count == 0) sb.Append("- none\n");
        foreach (var i in Incidents) sb.Append("- ").Append(i.Describe(Format)).Append('\n');
        sb.Append("\nNot suspects:\n\n");
        sb.Append(c, $"- baseline noise: every backend answers ~{BaselineErrorRate * 100:0.###}% of requests with 500/503, uniformly over time\n");
        sb.Append(c, $"- client aborts: ~{ClientAbortRate * 100:0.###}% of requests {f.ClientAbort}, spread over all backends\n");
        foreach (var i in Incidents.Where(i => !i.BlamesBackend))
            sb.Append(c, $"- listener-level {i.Status}s on {i.Listener.Name}: no backend involved\n");
        var healthy = HealthyBackends;
        if (healthy.Count > 0) sb.Append(c, $"- healthy backends: {string.Join(", ", healthy)}\n");
        return sb.ToString();
    }

    /// <summary>What this format's lines write for a listener and its pool (the pool null where the format has none).</summary>
    private (string Listener, string? Pool) WrittenNames(ListenerKey l) => Format switch
    {
        GeneratedFormat.AwsAlb => (AlbName(AwsName!), l.Pool),
        GeneratedFormat.AwsClb => (AwsName!, null),
        GeneratedFormat.Nginx => (l.Eip, l.Pool),
        _ => (l.ListenerName, l.PoolName),
    };

    /// <summary>An ALB line's <c>elb</c> field: <c>app/name/id</c>.</summary>
    internal static string AlbName(string loadBalancer) => $"app/{loadBalancer}/{StableId.Hex32("alb", loadBalancer)[..16]}";

    /// <summary>Machine-readable form (camelCase JSON, enums as names, times as ISO-8601 with offset, UTC copies included).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, AnswerKeyJson.Default.AnswerKey).ReplaceLineEndings("\n") + "\n";

    /// <summary>Number of space-separated fields (quoted fields counted once) a line of the layout has.</summary>
    public static int FieldCount(LogLayout layout) => layout switch
    {
        LogLayout.Legacy => 22,
        LogLayout.Full => 33,
        LogLayout.Extended => 37,
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };
}

/// <summary>What <see cref="LogGenerator.Write(GeneratorOptions, TextWriter, IProgress{long})"/> produced.</summary>
/// <param name="LineCount">Lines written.</param>
/// <param name="Key">The answer key.</param>
public sealed record GeneratedLog(long LineCount, AnswerKey Key);

/// <summary>The answer key's JSON, made at compile time: the Native AOT tool has no reflection-based serializer.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AnswerKey))]
internal sealed partial class AnswerKeyJson : JsonSerializerContext;
