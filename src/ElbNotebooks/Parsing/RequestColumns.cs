using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// The requests table while it is being filled: one typed buffer per column, one row per parsed request.
/// Column names follow the log's own variable names (without <c>$</c>), so a reader of the Huawei docs finds them.
/// For the upstream lists, the request row carries the final attempt (what the client got); every attempt is a
/// row of <see cref="AttemptColumns"/>.
/// </summary>
internal sealed class RequestColumns
{
    public readonly DateTimeBuffer Time = new("time");
    public readonly IntBuffer OffsetMinutes = new("offset_minutes");
    public readonly DoubleBuffer Msec = new("msec");
    public readonly StringBuffer TopicId = new("access_log_topic_id");
    public readonly StringBuffer LogVersion = new("log_ver");
    public readonly StringBuffer ClientIp = new("remote_addr");
    public readonly IntBuffer ClientPort = new("remote_port");
    public readonly IntBuffer Status = new("status");
    public readonly StringBuffer Method = new("request_method");
    public readonly StringBuffer Scheme = new("scheme");
    public readonly StringBuffer Host = new("host");
    public readonly StringBuffer Uri = new("router_request_uri");
    public readonly StringBuffer Protocol = new("server_protocol");
    public readonly LongBuffer RequestLength = new("request_length");
    public readonly LongBuffer BytesSent = new("bytes_sent");
    public readonly LongBuffer BodyBytesSent = new("body_bytes_sent");
    public readonly DoubleBuffer RequestTime = new("request_time");
    public readonly IntBuffer UpstreamStatus = new("upstream_status");
    public readonly DoubleBuffer UpstreamConnectTime = new("upstream_connect_time");
    public readonly DoubleBuffer UpstreamHeaderTime = new("upstream_header_time");
    public readonly DoubleBuffer UpstreamResponseTime = new("upstream_response_time");
    public readonly StringBuffer UpstreamAddr = new("upstream_addr");
    public readonly IntBuffer UpstreamAttempts = new("upstream_attempts");
    public readonly StringBuffer UserAgent = new("http_user_agent");
    public readonly StringBuffer Referer = new("http_referer");
    public readonly StringBuffer XForwardedFor = new("http_x_forwarded_for");
    public readonly StringBuffer LbName = new("lb_name");
    public readonly StringBuffer ListenerName = new("listener_name");
    public readonly StringBuffer ListenerId = new("listener_id");
    public readonly StringBuffer PoolName = new("pool_name");
    public readonly StringBuffer MemberName = new("member_name");
    public readonly StringBuffer TenantId = new("tenant_id");
    public readonly StringBuffer EipAddress = new("eip_address");
    public readonly IntBuffer EipPort = new("eip_port");
    public readonly StringBuffer UpstreamAddrPriv = new("upstream_addr_priv");
    public readonly StringBuffer CertificateId = new("certificate_id");
    public readonly StringBuffer SslProtocol = new("ssl_protocol");
    public readonly StringBuffer SslCipher = new("ssl_cipher");
    public readonly StringBuffer SniDomainName = new("sni_domain_name");
    public readonly LongBuffer TcpInfoRtt = new("tcpinfo_rtt");
    public readonly StringBuffer SelfDefinedHeader = new("self_defined_header");
    public readonly LongBuffer RequestHeaderLength = new("request_header_length");
    public readonly StringBuffer ActionsExecuted = new("actions_executed");
    public readonly StringBuffer ErrorReason = new("error_reason");
    public readonly StringBuffer PoolUserName = new("pool_usr_name");

    /// <summary>A request id to follow into other logs: AWS ALB <c>trace_id</c> (X-Amzn-Trace-Id), nginx <c>$request_id</c>.</summary>
    public readonly StringBuffer TraceId = new("trace_id");

    /// <summary>AWS ALB: the full target group ARN (<c>pool_name</c> holds its name).</summary>
    public readonly StringBuffer TargetGroupArn = new("target_group_arn");

    public readonly StringBuffer ExtraFields = new("extra_fields");
    public readonly StringBuffer File = new("file");
    public readonly LongBuffer Line = new("line");

    public RequestColumns() : this(minimal: false) { }

    /// <param name="minimal">Keep only the columns a minimal parse writes (see <see cref="ParseTarget.Minimal"/>).</param>
    public RequestColumns(bool minimal)
    {
        // Listed, not found by reflection: a trimmed or Native AOT build (the linux-x64 tool) keeps no field metadata.
        // A test checks the list against the fields.
        _all =
        [
            Time, OffsetMinutes, Msec, TopicId, LogVersion, ClientIp, ClientPort, Status, Method, Scheme, Host, Uri,
            Protocol, RequestLength, BytesSent, BodyBytesSent, RequestTime, UpstreamStatus, UpstreamConnectTime,
            UpstreamHeaderTime, UpstreamResponseTime, UpstreamAddr, UpstreamAttempts, UserAgent, Referer,
            XForwardedFor, LbName, ListenerName, ListenerId, PoolName, MemberName, TenantId, EipAddress, EipPort,
            UpstreamAddrPriv, CertificateId, SslProtocol, SslCipher, SniDomainName, TcpInfoRtt, SelfDefinedHeader,
            RequestHeaderLength, ActionsExecuted, ErrorReason, PoolUserName, TraceId, TargetGroupArn, ExtraFields,
            File, Line
        ];
        _kept = minimal
            ? [Time, OffsetMinutes, ClientIp, ClientPort, Method, Uri, Status, ListenerName, PoolName, UpstreamStatus, UpstreamConnectTime,
               UpstreamHeaderTime, UpstreamResponseTime, UpstreamAddr, UpstreamAttempts, EipAddress, EipPort, File, Line]
            : _all;
    }

    /// <summary>Every column, in declaration order (the DataFrame's column order).</summary>
    public IReadOnlyList<ColumnBuffer> All => _all;

    private readonly ColumnBuffer[] _all;
    private readonly ColumnBuffer[] _kept;

    public int Count { get; private set; }

    /// <summary>Ends a row: columns the line did not fill become missing.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void CommitRow()
    {
        Count++;
        foreach (var column in _kept) column.PadTo(Count);
    }

    /// <summary>Forgets whatever a half-parsed line wrote.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void RollbackRow()
    {
        foreach (var column in _all) column.TruncateTo(Count);
    }

    /// <summary>Empties the table and keeps its buffers: a streaming reader reuses them chunk after chunk.</summary>
    public void Clear()
    {
        foreach (var column in All) column.Clear();
        Count = 0;
    }

    public void EnsureCapacity(int rows)
    {
        foreach (var column in _kept) column.EnsureCapacity(rows);
    }

    /// <summary>A load's table: room for <paramref name="rows"/> in the columns <paramref name="sample"/>, its first block, suggests.</summary>
    public void Reserve(int rows, RequestColumns sample)
    {
        for (var i = 0; i < _all.Length; i++)
            if (_kept == _all || _kept.Contains(_all[i])) _all[i].Reserve(rows, sample._all[i]);
    }

    /// <summary>Bytes a row takes in the column arrays (strings not counted).</summary>
    public int BytesPerRow => _kept.Sum(c => c.BytesPerRow);

    [MethodImpl(HotPath.Optimized)]
    public void AppendFrom(RequestColumns other)
    {
        for (var i = 0; i < All.Count; i++) All[i].AppendFrom(other.All[i]);
        Count += other.Count;
    }
}

/// <summary>
/// The attempts table while it is being filled: one row per backend the load balancer tried for a request,
/// matched by position across the upstream lists. <c>request</c> is the row of the request it belongs to.
/// </summary>
internal sealed class AttemptColumns
{
    public readonly LongBuffer Request = new("request");
    public readonly IntBuffer Attempt = new("attempt");
    public readonly BoolBuffer IsFinal = new("is_final");
    public readonly DateTimeBuffer Time = new("time");
    public readonly StringBuffer Listener = new("listener");
    public readonly StringBuffer Pool = new("pool");
    public readonly StringBuffer Backend = new("backend");
    public readonly StringBuffer BackendPrivate = new("backend_private");
    public readonly IntBuffer Status = new("status");
    public readonly DoubleBuffer ConnectTime = new("connect_time");
    public readonly DoubleBuffer HeaderTime = new("header_time");
    public readonly DoubleBuffer ResponseTime = new("response_time");
    public readonly IntBuffer ClientStatus = new("client_status");
    public readonly StringBuffer Method = new("request_method");

    // Listed for the reason RequestColumns gives.
    public AttemptColumns() => _all =
    [
        Request, Attempt, IsFinal, Time, Listener, Pool, Backend, BackendPrivate, Status, ConnectTime, HeaderTime,
        ResponseTime, ClientStatus, Method
    ];

    public IReadOnlyList<ColumnBuffer> All => _all;

    private readonly ColumnBuffer[] _all;

    public int Count { get; private set; }

    [MethodImpl(HotPath.Optimized)]
    public void CommitRow()
    {
        Count++;
        foreach (var column in _all) column.PadTo(Count);
    }

    [MethodImpl(HotPath.Optimized)]
    public void RollbackTo(int rows)
    {
        Count = Math.Min(Count, rows);
        foreach (var column in _all) column.TruncateTo(Count);
    }

    /// <summary>Empties the table and keeps its buffers: a streaming reader reuses them chunk after chunk.</summary>
    public void Clear()
    {
        foreach (var column in _all) column.Clear();
        Count = 0;
    }

    public void EnsureCapacity(int rows)
    {
        foreach (var column in _all) column.EnsureCapacity(rows);
    }

    /// <summary>A load's table: room for <paramref name="rows"/> in the columns <paramref name="sample"/>, its first block, suggests.</summary>
    public void Reserve(int rows, AttemptColumns sample)
    {
        for (var i = 0; i < _all.Length; i++) _all[i].Reserve(rows, sample._all[i]);
    }

    /// <summary>Bytes a row takes in the column arrays (strings not counted).</summary>
    public int BytesPerRow => _all.Sum(c => c.BytesPerRow);

    /// <summary>Appends another table's rows, shifting their request index by <paramref name="requestOffset"/>.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void AppendFrom(AttemptColumns other, long requestOffset)
    {
        var start = Request.Count;
        for (var i = 0; i < All.Count; i++) All[i].AppendFrom(other.All[i]);
        if (requestOffset != 0)
            for (var row = start; row < Request.Count; row++) Request.Set(row, Request[row] + requestOffset);
        Count += other.Count;
    }
}
