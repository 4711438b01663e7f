namespace ElbNotebooks.Generation;

/// <summary>Which fields a generated line carries.</summary>
public enum LogLayout
{
    /// <summary>Older Huawei layout, log_ver <c>elb</c>: fields 1-22, stops after <c>$listener_id</c> like the seed line.</summary>
    Legacy,
    /// <summary>Current layout, log_ver <c>elb_01</c>: fields 1-33.</summary>
    Full,
    /// <summary>Full plus the 2025 fields 34-37 (<c>request_header_length actions_executed error_reason "pool_usr_name"</c>).</summary>
    Extended,
}

/// <summary>Which load balancer writes the log, and so the format of its lines.</summary>
public enum GeneratedFormat
{
    /// <summary>Huawei Cloud ELB layer 7, in the options' <see cref="LogLayout"/>.</summary>
    HuaweiElb,
    /// <summary>
    /// AWS Application Load Balancer: times in UTC, each listener's pool a target group, one target per request (an ALB
    /// does not retry): a refused or timed-out connection is the client's 502 or 504, and a client that gave up is 460.
    /// </summary>
    AwsAlb,
    /// <summary>
    /// AWS Classic Load Balancer: times in UTC, no pools (every backend is one pool's), no retries, and no line for a
    /// request whose client gave up (a CLB has no status for it).
    /// </summary>
    AwsClb,
    /// <summary>nginx as the load balancer, its lines in <see cref="LogGenerator.NginxLogFormat"/>: retries as Huawei's.</summary>
    Nginx,
}

/// <summary>What kind of traffic a listener carries: decides paths, sizes and latencies.</summary>
public enum TrafficProfile
{
    /// <summary>A shop front: pages, static files, some API calls.</summary>
    Web,
    /// <summary>A JSON API.</summary>
    Api,
}

/// <summary>One layer-7 listener with the single backend pool it forwards to.</summary>
public sealed record ListenerSpec
{
    /// <summary>Friendly name (e.g. <c>web</c>); the log shows <c>listener_&lt;uuid&gt;</c> derived from it.</summary>
    public required string Name { get; init; }
    /// <summary>Friendly pool name (e.g. <c>pool_web</c>); the log shows <c>pool_&lt;uuid&gt;</c> derived from it, and the name itself in field 37.</summary>
    public required string Pool { get; init; }
    /// <summary>Backend members as <c>ip:port</c>.</summary>
    public required IReadOnlyList<string> Backends { get; init; }
    /// <summary>HTTPS listeners fill the ssl fields 29-31.</summary>
    public bool Https { get; init; } = true;
    /// <summary>Front-end port (written with the EIP in field 26).</summary>
    public int Port { get; init; } = 443;
    /// <summary>Host written in the request line and as SNI.</summary>
    public string Host { get; init; } = "shop.example.com";
    /// <summary>Relative share of the traffic this listener receives.</summary>
    public double Weight { get; init; } = 1;
    /// <summary>Traffic shape.</summary>
    public TrafficProfile Profile { get; init; } = TrafficProfile.Web;

    /// <summary>HTTPS shop front on 443, pool <c>pool_web</c> with 10.0.1.11-14:8080.</summary>
    public static ListenerSpec Web { get; } = new()
    {
        Name = "web",
        Pool = "pool_web",
        Backends = ["10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080", "10.0.1.14:8080"],
        Https = true,
        Port = 443,
        Host = "shop.example.com",
        Weight = 0.65,
        Profile = TrafficProfile.Web,
    };

    /// <summary>Plain-HTTP API on 80, pool <c>pool_api</c> with 10.0.2.21-23:9000.</summary>
    public static ListenerSpec Api { get; } = new()
    {
        Name = "api",
        Pool = "pool_api",
        Backends = ["10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000"],
        Https = false,
        Port = 80,
        Host = "api.example.com",
        Weight = 0.35,
        Profile = TrafficProfile.Api,
    };

    /// <summary>HTTPS admin API on 8443 whose pool <c>pool_admin</c> has a single backend, 10.0.3.31:8080.</summary>
    public static ListenerSpec Admin { get; } = new()
    {
        Name = "admin",
        Pool = "pool_admin",
        Backends = ["10.0.3.31:8080"],
        Https = true,
        Port = 8443,
        Host = "admin.example.com",
        Weight = 0.15,
        Profile = TrafficProfile.Api,
    };
}

/// <summary>Everything that decides a generated log. Same options, same bytes.</summary>
public sealed record GeneratorOptions
{
    /// <summary>The two listeners used unless told otherwise: <see cref="ListenerSpec.Web"/> and <see cref="ListenerSpec.Api"/>.</summary>
    public static IReadOnlyList<ListenerSpec> DefaultListeners { get; } = [ListenerSpec.Web, ListenerSpec.Api];

    /// <summary>Seed of the <see cref="System.Random"/> that drives every choice.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>First arrival; its offset is the log's local offset in <c>[$time_iso8601]</c>.</summary>
    public DateTimeOffset Start { get; init; } = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(8));
    /// <summary>Requests arrive in [Start, Start + Duration).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Mean arrival rate (Poisson arrivals with a gentle slow wave around it).</summary>
    public double RequestsPerSecond { get; init; } = 10;
    /// <summary>Which load balancer writes the lines.</summary>
    public GeneratedFormat Format { get; init; } = GeneratedFormat.HuaweiElb;
    /// <summary>Which fields each line carries (Huawei ELB lines only).</summary>
    public LogLayout Layout { get; init; } = LogLayout.Full;
    /// <summary>Listeners, each with its pool.</summary>
    public IReadOnlyList<ListenerSpec> Listeners { get; init; } = DefaultListeners;
    /// <summary>Share of requests every healthy backend answers with 500 or 503 (noise, not an incident).</summary>
    public double BaselineErrorRate { get; init; } = 0.002;
    /// <summary>Share of requests the client abandons (499), spread over all backends.</summary>
    public double ClientAbortRate { get; init; } = 0.001;
    /// <summary>Incidents to inject.</summary>
    public IReadOnlyList<Incident> Incidents { get; init; } = [];
    /// <summary>Load balancer's friendly name; its ids (lb, tenant, log stream) derive from it.</summary>
    public string LoadBalancer { get; init; } = "shop-elb";
    /// <summary>Load balancer's public address (field 26, with the listener port).</summary>
    public string Eip { get; init; } = "121.64.212.1";
}
