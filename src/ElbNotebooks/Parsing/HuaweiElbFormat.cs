using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Huawei Cloud ELB layer-7 access logs (fields as in the "Access Logs" user guide). A line with fields 1-16, and at
/// least as many as its file's layout (<see cref="ParseTarget.LayoutFields"/>: fewer is a cut line), is a request:
/// the seed document's short legacy layout stops after field 22, the full one after 33, newer ones add 34-37, and
/// anything past those is kept in <c>extra_fields</c>, unless a second record starts there (a lost line ending).
/// </summary>
internal sealed class HuaweiElbFormat : ILogFormat
{
    /// <summary>
    /// 0-based positions of the fields on a line, named after Huawei's <c>log_format</c> ("Access Logs" user guide).
    /// The format reference numbers fields from 1: its field <c>n</c> is <c>n - 1</c> here.
    /// </summary>
    internal static class Field
    {
        /// <summary><c>$msec</c></summary>
        public const int Msec = 0;
        /// <summary><c>$access_log_topic_id</c></summary>
        public const int TopicId = 1;
        /// <summary><c>[$time_iso8601]</c></summary>
        public const int TimeIso8601 = 2;
        /// <summary><c>$log_ver</c></summary>
        public const int LogVersion = 3;
        /// <summary><c>$remote_addr:$remote_port</c></summary>
        public const int RemoteAddrPort = 4;
        /// <summary><c>$status</c></summary>
        public const int Status = 5;
        /// <summary><c>"$request_method $scheme://$host$router_request_uri $server_protocol"</c></summary>
        public const int Request = 6;
        /// <summary><c>$request_length</c></summary>
        public const int RequestLength = 7;
        /// <summary><c>$bytes_sent</c></summary>
        public const int BytesSent = 8;
        /// <summary><c>$body_bytes_sent</c></summary>
        public const int BodyBytesSent = 9;
        /// <summary><c>$request_time</c></summary>
        public const int RequestTime = 10;
        /// <summary><c>"$upstream_status"</c></summary>
        public const int UpstreamStatus = 11;
        /// <summary><c>"$upstream_connect_time"</c></summary>
        public const int UpstreamConnectTime = 12;
        /// <summary><c>"$upstream_header_time"</c></summary>
        public const int UpstreamHeaderTime = 13;
        /// <summary><c>"$upstream_response_time"</c></summary>
        public const int UpstreamResponseTime = 14;
        /// <summary><c>"$upstream_addr"</c></summary>
        public const int UpstreamAddr = 15;
        /// <summary><c>"$http_user_agent"</c></summary>
        public const int UserAgent = 16;
        /// <summary><c>"$http_referer"</c></summary>
        public const int Referer = 17;
        /// <summary><c>"$http_x_forwarded_for"</c></summary>
        public const int XForwardedFor = 18;
        /// <summary><c>$lb_name</c></summary>
        public const int LbName = 19;
        /// <summary><c>$listener_name</c></summary>
        public const int ListenerName = 20;
        /// <summary><c>$listener_id</c></summary>
        public const int ListenerId = 21;
        /// <summary><c>$pool_name</c></summary>
        public const int PoolName = 22;
        /// <summary><c>"$member_name"</c></summary>
        public const int MemberName = 23;
        /// <summary><c>$tenant_id</c></summary>
        public const int TenantId = 24;
        /// <summary><c>$eip_address:$eip_port</c></summary>
        public const int EipAddressPort = 25;
        /// <summary><c>"$upstream_addr_priv"</c></summary>
        public const int UpstreamAddrPriv = 26;
        /// <summary><c>$certificate_id</c></summary>
        public const int CertificateId = 27;
        /// <summary><c>$ssl_protocol</c></summary>
        public const int SslProtocol = 28;
        /// <summary><c>$ssl_cipher</c></summary>
        public const int SslCipher = 29;
        /// <summary><c>$sni_domain_name</c></summary>
        public const int SniDomainName = 30;
        /// <summary><c>$tcpinfo_rtt</c></summary>
        public const int TcpInfoRtt = 31;
        /// <summary><c>$self_defined_header</c></summary>
        public const int SelfDefinedHeader = 32;
        /// <summary><c>$request_header_length</c></summary>
        public const int RequestHeaderLength = 33;
        /// <summary><c>$actions_executed</c></summary>
        public const int ActionsExecuted = 34;
        /// <summary><c>$error_reason</c></summary>
        public const int ErrorReason = 35;
        /// <summary><c>"$pool_usr_name"</c></summary>
        public const int PoolUserName = 36;
    }

    public const int RequiredFields = Field.UpstreamAddr + 1;
    private const int KnownFields = Field.PoolUserName + 1;

    public static HuaweiElbFormat Instance { get; } = new();

    public string Name => "huawei-elb";

    /// <summary>
    /// Fields 12-19 (0-based 11-18) are always written quoted. A bare one means a quote before it was not closed (a user
    /// agent cut short): the fields after it are shifted, so the line is rejected rather than read into the wrong columns.
    /// </summary>
    private static ReadOnlySpan<byte> QuotedFields => [
        Field.UpstreamStatus, Field.UpstreamConnectTime, Field.UpstreamHeaderTime, Field.UpstreamResponseTime,
        Field.UpstreamAddr, Field.UserAgent, Field.Referer, Field.XForwardedFor,
    ];

    private static readonly string[] QuotedFieldNames =
    [
        "upstream_status", "upstream_connect_time", "upstream_header_time", "upstream_response_time", "upstream_addr",
        "http_user_agent", "http_referer", "http_x_forwarded_for",
    ];

    /// <inheritdoc/>
    public bool MightRead(ReadOnlySpan<byte> line)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        return LineFields.TrySplit(line, f, RequiredFields, out _, out _, out _) && f[Field.TimeIso8601].Kind == FieldKind.Bracketed;
    }

    /// <inheritdoc/>
    public int Fields(ReadOnlySpan<byte> line) => LineFields.Count(line, KnownFields);

    [MethodImpl(HotPath.Optimized)]
    public bool TryParse(ReadOnlySpan<byte> line, ParseTarget target, out LineRejection rejection)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        if (!LineFields.TrySplit(line, f, RequiredFields, out var n, out var restStart, out rejection)) return false;
        if (LineFields.FirstUnquoted(f, n, QuotedFields) is var unquoted and >= 0)
        {
            rejection = LineRejection.Unquoted(unquoted + 1, QuotedFieldNames[unquoted - QuotedFields[0]]);
            return false;
        }
        // A quote lost merges fields, so that is told first; then fewer fields than the file's lines have is a cut.
        if (n < target.LayoutFields)
        {
            rejection = LineRejection.CutShort(n, target.LayoutFields);
            return false;
        }
        // Only a line longer than the file's layout can hold a second record: the usual line pays one comparison.
        if ((n > target.LayoutFields || restStart >= 0) && SecondRecord(line, f[Field.TimeIso8601].Start + f[Field.TimeIso8601].Length) is var second and >= 0)
        {
            rejection = LineRejection.TwoRecords(second + 1, line[second..]);
            return false;
        }

        var r = target.Requests;
        var s = new FieldReader(line, target);

        // 3: [$time_iso8601]; the instant is stored in UTC, the offset kept for local display.
        var timeField = line.Slice(f[Field.TimeIso8601].Start, f[Field.TimeIso8601].Length);
        if (f[Field.TimeIso8601].Kind != FieldKind.Bracketed || !target.Timestamps.TryIso(timeField, out var time, out var offset))
        {
            rejection = LineRejection.BadTimestamp(timeField);
            return false;
        }

        // 6: $status, the code the client got.
        var statusField = line.Slice(f[Field.Status].Start, f[Field.Status].Length);
        if (!Utf8Values.TryStatus(statusField, out var status))
        {
            rejection = LineRejection.BadStatus(statusField);
            return false;
        }

        if (!s.Double(f[Field.Msec], "msec", out var msec) ||
            !s.Long(f[Field.RequestLength], "request_length", out var requestLength) ||
            !s.Long(f[Field.BytesSent], "bytes_sent", out var bytesSent) ||
            !s.Long(f[Field.BodyBytesSent], "body_bytes_sent", out var bodyBytesSent) ||
            !s.Duration(f[Field.RequestTime], "request_time", out var requestTime))
        {
            rejection = s.Rejection;
            return false;
        }

        if (!Attempts.Check(line, f[Field.UpstreamStatus], f[Field.UpstreamConnectTime], f[Field.UpstreamHeaderTime],
                f[Field.UpstreamResponseTime], f[Field.UpstreamAddr], target, out rejection))
            return false;

        r.Time.Add(time);
        r.OffsetMinutes.Add(offset);
        r.Status.Add(status);
        if (n > Field.ListenerName) s.AddString(f[Field.ListenerName], r.ListenerName);
        if (n > Field.PoolName) s.AddString(f[Field.PoolName], r.PoolName);
        // The listener's own address and port (eip_address:eip_port): how people name a listener, so a minimal parse keeps it too.
        if (n > Field.EipAddressPort) s.AddressAndPort(f[Field.EipAddressPort], r.EipAddress, r.EipPort);
        if (!target.Minimal) ReadDescriptiveFields(line, f, n, restStart, ref s, r, msec, requestLength, bytesSent, bodyBytesSent, requestTime);

        var listener = n > Field.ListenerName ? r.ListenerName[target.PendingRequest] : null;
        var pool = n > Field.PoolName ? r.PoolName[target.PendingRequest] : null;
        var method = target.Minimal ? null : r.Method[target.PendingRequest];
        var firstAttempt = target.Attempts.Count;
        Attempts.Expand(line, f[Field.UpstreamAddr], n > Field.UpstreamAddrPriv ? f[Field.UpstreamAddrPriv] : default,
            new AttemptRequest(time, listener, pool, status, method), target);
        // remote_addr:remote_port and the request's endpoint: whom a failing or slow backend hurt; a minimal parse reads
        // them only where that may be asked.
        s.ClientAndEndpoint(target.WantsClient(status, firstAttempt), f[Field.RemoteAddrPort], f[Field.Request], r);

        rejection = default;
        return true;
    }

    /// <summary>
    /// Where a second record starts in the line (the token ending in its <c>$msec</c>), else -1: after the first
    /// record's time, a <c>[</c> after a space, holding an ISO-8601 time and closed before a space or the line's end,
    /// two tokens after one that ends like <c>$msec</c> (<c>1714532373.775</c>). A record whose line ending was lost runs
    /// on into the next one, its last field glued to the next <c>$msec</c>:
    /// <c>... pool_948c1714532373.775 2f39479f-... [2024-05-01T10:59:33+08:00] elb_01 ...</c>. The bytes are searched,
    /// not the fields, since a glued quoted field (<c>"pool_web"1714532373.775</c>) is not closed where it should be
    /// and swallows the next record's first fields. Only a line with more fields than its file's is searched.
    /// </summary>
    private static int SecondRecord(ReadOnlySpan<byte> line, int from)
    {
        while (from < line.Length && line[from..].IndexOf(" ["u8) is var found and >= 0)
        {
            var open = from + found + 1;
            from = open + 1;
            var close = line[from..].IndexOf((byte)']');
            if (close < 0) return -1;
            close += from;
            if (close + 1 < line.Length && line[close + 1] != (byte)' ') continue;
            if (!Utf8Values.TryIsoTimestamp(line[from..close], out _, out _)) continue;
            var topic = line[..(open - 1)].LastIndexOf((byte)' ');
            if (topic <= 0) continue;
            var msec = line[..topic].LastIndexOf((byte)' ') + 1;
            if (EndsLikeMsec(line[msec..topic])) return msec;
        }
        return -1;
    }

    /// <summary>Digits, a point and three digits at the end: <c>$msec</c>, or a field glued to one.</summary>
    private static bool EndsLikeMsec(ReadOnlySpan<byte> token) =>
        token.Length >= 5 && token[^4] == (byte)'.' && char.IsAsciiDigit((char)token[^5]) && char.IsAsciiDigit((char)token[^3]) &&
        char.IsAsciiDigit((char)token[^2]) && char.IsAsciiDigit((char)token[^1]);

    /// <summary>Everything a request row keeps beyond what judging backends needs (skipped by a minimal target).</summary>
    [MethodImpl(HotPath.Optimized)]
    private static void ReadDescriptiveFields(scoped ReadOnlySpan<byte> line, scoped ReadOnlySpan<FieldSpan> f, int n, int restStart,
        ref FieldReader s, RequestColumns r, double msec, long requestLength, long bytesSent, long bodyBytesSent, double requestTime)
    {
        r.Msec.Add(msec);
        s.AddString(f[Field.TopicId], r.TopicId);
        s.AddString(f[Field.LogVersion], r.LogVersion);
        s.RequestLine(f[Field.Request], r);
        r.RequestLength.Add(requestLength);
        r.BytesSent.Add(bytesSent);
        r.BodyBytesSent.Add(bodyBytesSent);
        r.RequestTime.Add(requestTime);

        if (n > Field.UserAgent) s.AddString(f[Field.UserAgent], r.UserAgent);
        if (n > Field.Referer) s.AddString(f[Field.Referer], r.Referer);
        if (n > Field.XForwardedFor) s.AddString(f[Field.XForwardedFor], r.XForwardedFor);
        if (n > Field.LbName) s.AddString(f[Field.LbName], r.LbName);
        if (n > Field.ListenerId) s.AddString(f[Field.ListenerId], r.ListenerId);
        if (n > Field.MemberName) s.AddString(f[Field.MemberName], r.MemberName);
        if (n > Field.TenantId) s.AddString(f[Field.TenantId], r.TenantId);
        if (n > Field.UpstreamAddrPriv) s.AddString(f[Field.UpstreamAddrPriv], r.UpstreamAddrPriv);
        if (n > Field.CertificateId) s.AddString(f[Field.CertificateId], r.CertificateId);
        if (n > Field.SslProtocol) s.AddString(f[Field.SslProtocol], r.SslProtocol);
        if (n > Field.SslCipher) s.AddString(f[Field.SslCipher], r.SslCipher);
        if (n > Field.SniDomainName) s.AddString(f[Field.SniDomainName], r.SniDomainName);
        if (n > Field.TcpInfoRtt) r.TcpInfoRtt.Add(s.LenientLong(f[Field.TcpInfoRtt]));
        if (n > Field.SelfDefinedHeader) s.AddString(f[Field.SelfDefinedHeader], r.SelfDefinedHeader);
        if (n > Field.RequestHeaderLength) r.RequestHeaderLength.Add(s.LenientLong(f[Field.RequestHeaderLength]));
        if (n > Field.ActionsExecuted) s.AddString(f[Field.ActionsExecuted], r.ActionsExecuted);
        if (n > Field.ErrorReason) s.AddString(f[Field.ErrorReason], r.ErrorReason);
        if (n > Field.PoolUserName) s.AddString(f[Field.PoolUserName], r.PoolUserName);
        if (restStart >= 0) r.ExtraFields.Add(s.Pooled(line[restStart..].TrimEnd((byte)' ')));
    }
}
