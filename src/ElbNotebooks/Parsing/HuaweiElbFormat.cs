using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Huawei Cloud ELB layer-7 access logs (fields as in the "Access Logs" user guide). Any line with fields 1-16 is a
/// request: the seed document's short legacy layout stops after field 22, the full one after 33, newer ones add
/// 34-37, and anything past those is kept in <c>extra_fields</c>.
/// </summary>
internal sealed class HuaweiElbFormat : ILogFormat
{
    public const int RequiredFields = 16;
    private const int KnownFields = 37;

    public static HuaweiElbFormat Instance { get; } = new();

    public string Name => "huawei-elb";

    /// <summary>
    /// Fields 12-19 (0-based 11-18) are always written quoted. A bare one means a quote before it was not closed (a user
    /// agent cut short): the fields after it are shifted, so the line is rejected rather than read into the wrong columns.
    /// </summary>
    private static ReadOnlySpan<byte> QuotedFields => [11, 12, 13, 14, 15, 16, 17, 18];

    private static readonly string[] QuotedFieldNames =
    [
        "upstream_status", "upstream_connect_time", "upstream_header_time", "upstream_response_time", "upstream_addr",
        "http_user_agent", "http_referer", "http_x_forwarded_for",
    ];

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

        var r = target.Requests;
        var s = new FieldReader(line, target);

        // 3: [$time_iso8601]; the instant is stored in UTC, the offset kept for local display.
        var timeField = line.Slice(f[2].Start, f[2].Length);
        if (f[2].Kind != FieldKind.Bracketed || !Utf8Values.TryIsoTimestamp(timeField, out var time, out var offset))
        {
            rejection = LineRejection.BadTimestamp(timeField);
            return false;
        }

        // 6: $status, the code the client got.
        var statusField = line.Slice(f[5].Start, f[5].Length);
        if (!Utf8Values.TryStatus(statusField, out var status))
        {
            rejection = LineRejection.BadStatus(statusField);
            return false;
        }

        if (!s.Double(f[0], "msec", out var msec) ||
            !s.Long(f[7], "request_length", out var requestLength) ||
            !s.Long(f[8], "bytes_sent", out var bytesSent) ||
            !s.Long(f[9], "body_bytes_sent", out var bodyBytesSent) ||
            !s.Duration(f[10], "request_time", out var requestTime))
        {
            rejection = s.Rejection;
            return false;
        }

        if (!Attempts.Check(line, f[11], f[12], f[13], f[14], f[15], out rejection)) return false;

        r.Time.Add(time);
        r.OffsetMinutes.Add(offset);
        r.Status.Add(status);
        if (n > 20) s.AddString(f[20], r.ListenerName);
        if (n > 22) s.AddString(f[22], r.PoolName);
        // The listener's own address and port (eip_address:eip_port): how people name a listener, so a minimal parse keeps it too.
        if (n > 25) s.AddressAndPort(f[25], r.EipAddress, r.EipPort);
        if (!target.Minimal) ReadDescriptiveFields(line, f, n, restStart, ref s, r, msec, requestLength, bytesSent, bodyBytesSent, requestTime);

        var listener = n > 20 ? r.ListenerName[target.PendingRequest] : null;
        var pool = n > 22 ? r.PoolName[target.PendingRequest] : null;
        var method = target.Minimal ? null : r.Method[target.PendingRequest];
        Attempts.Expand(line, f[11], f[12], f[13], f[14], f[15], n > 26 ? f[26] : default, time, status, listener, pool, method, target);

        rejection = default;
        return true;
    }

    /// <summary>Everything a request row keeps beyond what judging backends needs (skipped by a minimal target).</summary>
    [MethodImpl(HotPath.Optimized)]
    private static void ReadDescriptiveFields(scoped ReadOnlySpan<byte> line, scoped ReadOnlySpan<FieldSpan> f, int n, int restStart,
        ref FieldReader s, RequestColumns r, double msec, long requestLength, long bytesSent, long bodyBytesSent, double requestTime)
    {
        r.Msec.Add(msec);
        s.AddString(f[1], r.TopicId);
        s.AddString(f[3], r.LogVersion);
        s.AddressAndPort(f[4], r.ClientIp, r.ClientPort);
        s.RequestLine(f[6], r);
        r.RequestLength.Add(requestLength);
        r.BytesSent.Add(bytesSent);
        r.BodyBytesSent.Add(bodyBytesSent);
        r.RequestTime.Add(requestTime);

        if (n > 16) s.AddString(f[16], r.UserAgent);
        if (n > 17) s.AddString(f[17], r.Referer);
        if (n > 18) s.AddString(f[18], r.XForwardedFor);
        if (n > 19) s.AddString(f[19], r.LbName);
        if (n > 21) s.AddString(f[21], r.ListenerId);
        if (n > 23) s.AddString(f[23], r.MemberName);
        if (n > 24) s.AddString(f[24], r.TenantId);
        if (n > 26) s.AddString(f[26], r.UpstreamAddrPriv);
        if (n > 27) s.AddString(f[27], r.CertificateId);
        if (n > 28) s.AddString(f[28], r.SslProtocol);
        if (n > 29) s.AddString(f[29], r.SslCipher);
        if (n > 30) s.AddString(f[30], r.SniDomainName);
        if (n > 31) r.TcpInfoRtt.Add(s.LenientLong(f[31]));
        if (n > 32) s.AddString(f[32], r.SelfDefinedHeader);
        if (n > 33) r.RequestHeaderLength.Add(s.LenientLong(f[33]));
        if (n > 34) s.AddString(f[34], r.ActionsExecuted);
        if (n > 35) s.AddString(f[35], r.ErrorReason);
        if (n > 36) s.AddString(f[36], r.PoolUserName);
        if (restStart >= 0) r.ExtraFields.Add(s.Pooled(line[restStart..].TrimEnd((byte)' ')));
    }
}
