using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// AWS Application Load Balancer access logs (the "Access logs for your Application Load Balancer" guide). A line
/// needs fields 1-13 (type to request); the documented fields up to <c>classification_reason</c> are read, and
/// whatever AWS appends after them (<c>conn_trace_id</c>, ...) is kept in <c>extra_fields</c>.
/// </summary>
/// <remarks>
/// ALB sends a request to one target. Attempts: none when <c>target:port</c> is <c>-</c> (nothing dispatched:
/// the load balancer answered itself, e.g. 503 without healthy targets); otherwise one, charged to the target.
/// When the target answered (<c>target_status_code</c> present) its status is the attempt's and
/// <c>target_processing_time</c> its header time; when it did not (a reset, a timeout: target status <c>-</c>)
/// the attempt carries the load balancer's status (502, 504, 460...) and no header time, so it reads as made by the
/// load balancer for that target. The processing times' <c>-1</c> is missing.
/// </remarks>
internal sealed class AwsAlbFormat : ILogFormat
{
    public const int RequiredFields = 13;
    private const int KnownFields = 29;

    public static AwsAlbFormat Instance { get; } = new();

    public string Name => "aws-alb";

    [MethodImpl(HotPath.Optimized)]
    public bool TryParse(ReadOnlySpan<byte> line, ParseTarget target, out LineRejection rejection)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        if (!LineFields.TrySplit(line, f, RequiredFields, out var n, out var restStart, out rejection)) return false;

        // 1: type, one of a few listener kinds: the cheapest test that this is an ALB line at all.
        var type = line.Slice(f[0].Start, f[0].Length);
        if (f[0].Kind != FieldKind.Bare || !IsType(type))
        {
            rejection = LineRejection.FormatMismatch($"type is not http, https, h2, grpcs, ws or wss: '{LineRejection.Excerpt(type)}'");
            return false;
        }

        if (LineFields.FirstUnquoted(f, n, QuotedFields) is var unquoted and >= 0)
        {
            rejection = LineRejection.Unquoted(unquoted + 1, QuotedFieldName(unquoted));
            return false;
        }

        // 2: time, UTC with microseconds: when the load balancer sent the response.
        var timeField = line.Slice(f[1].Start, f[1].Length);
        if (!Utf8Values.TryIsoTimestamp(timeField, out var time, out var offset))
        {
            rejection = LineRejection.BadTimestamp(timeField);
            return false;
        }

        var statusField = line.Slice(f[8].Start, f[8].Length);
        var targetStatusField = line.Slice(f[9].Start, f[9].Length);
        if (!Status(statusField, out var status) || !Status(targetStatusField, out var targetStatus))
        {
            rejection = LineRejection.BadStatus(Utf8Values.IsDash(statusField) || Utf8Values.TryStatus(statusField, out _) ? targetStatusField : statusField);
            return false;
        }

        var s = new FieldReader(line, target);
        if (!s.Double(f[5], "request_processing_time", out var requestProcessing) ||
            !s.Double(f[6], "target_processing_time", out var targetProcessing) ||
            !s.Double(f[7], "response_processing_time", out var responseProcessing) ||
            !s.Long(f[10], "received_bytes", out var received) ||
            !s.Long(f[11], "sent_bytes", out var sent))
        {
            rejection = s.Rejection;
            return false;
        }
        requestProcessing = AwsTimes.Seconds(requestProcessing);
        targetProcessing = AwsTimes.Seconds(targetProcessing);
        responseProcessing = AwsTimes.Seconds(responseProcessing);

        var r = target.Requests;
        var row = target.PendingRequest;
        r.Time.Add(time);
        r.OffsetMinutes.Add(offset);
        var lb = s.String(f[2]);
        r.LbName.Add(lb);
        r.ListenerName.Add(lb is null ? null : target.Strings.Get(AwsTimes.LoadBalancerName(line.Slice(f[2].Start, f[2].Length))));
        s.AddressAndPort(f[3], r.ClientIp, r.ClientPort);
        r.Status.Add(status);
        r.RequestLength.Add(received);
        r.BytesSent.Add(sent);
        s.RequestLine(f[12], r);
        if (n > 13) r.UserAgent.Add(s.String(f[13]));
        if (n > 14) r.SslCipher.Add(s.String(f[14]));
        if (n > 15) r.SslProtocol.Add(s.String(f[15]));
        string? pool = null;
        if (n > 16)
        {
            r.TargetGroupArn.Add(s.String(f[16]));
            var groupName = TargetGroupName(line.Slice(f[16].Start, f[16].Length));
            pool = groupName.IsEmpty ? null : target.Strings.Get(groupName);
            r.PoolName.Add(pool);
        }
        if (n > 17) r.TraceId.Add(s.String(f[17]));
        if (n > 18) r.SniDomainName.Add(s.String(f[18]));
        if (n > 19) r.CertificateId.Add(s.String(f[19]));
        if (n > 22) r.ActionsExecuted.Add(s.String(f[22]));
        if (n > 24) r.ErrorReason.Add(s.String(f[24]));
        if (restStart >= 0) r.ExtraFields.Add(target.Strings.Get(line[restStart..].TrimEnd((byte)' ')));

        // request_time as Huawei and nginx mean it, first byte from the client to the response: time minus
        // request_creation_time; without that field, the three processing times when all are known.
        var requestTime = Missing.Double;
        if (n > 21 && Utf8Values.TryIsoTimestamp(line.Slice(f[21].Start, f[21].Length), out var created, out _) && created <= time)
            requestTime = (time - created).TotalSeconds;
        else if (!double.IsNaN(requestProcessing) && !double.IsNaN(targetProcessing) && !double.IsNaN(responseProcessing))
            requestTime = requestProcessing + targetProcessing + responseProcessing;
        r.RequestTime.Add(requestTime);

        var listener = r.ListenerName[row];
        var method = r.Method.Count > row ? r.Method[row] : null;
        var backendField = line.Slice(f[4].Start, f[4].Length);
        var backend = Utf8Values.IsDash(backendField) || backendField.IsEmpty ? null : target.Strings.Get(backendField);
        var dispatched = backend is not null || targetStatus != Missing.Int;
        var header = targetStatus != Missing.Int ? targetProcessing : Missing.Double;
        var attemptStatus = targetStatus != Missing.Int ? targetStatus : status;

        // target:port_list and target_status_code_list (space-separated) name earlier targets when there are
        // several; today AWS writes one item, equal to target:port. Earlier items get their status only.
        var earlier = 0;
        if (dispatched && n > 26)
        {
            var targets = line.Slice(f[25].Start, f[25].Length);
            var statuses = line.Slice(f[26].Start, f[26].Length);
            var items = SpaceList.Count(targets);
            for (; earlier < items - 1; earlier++)
            {
                var earlierStatus = Utf8Values.TryInt(SpaceList.Item(statuses, earlier), out var st) ? st : Missing.Int;
                var earlierTarget = SpaceList.Item(targets, earlier);
                Attempts.Add(target, earlier, false, time, listener, pool,
                    Utf8Values.IsDash(earlierTarget) ? null : target.Strings.Get(earlierTarget), null,
                    earlierStatus, Missing.Double, Missing.Double, Missing.Double, status, method);
            }
        }

        r.UpstreamAttempts.Add(dispatched ? earlier + 1 : 0);
        if (dispatched)
            Attempts.Add(target, earlier, true, time, listener, pool, backend, null,
                attemptStatus, Missing.Double, header, Missing.Double, status, method);

        rejection = default;
        return true;
    }

    /// <summary>The fields AWS writes in quotes (0-based): request, user_agent, trace_id, domain_name,
    /// chosen_cert_arn, and actions_executed to classification_reason.</summary>
    private static ReadOnlySpan<byte> QuotedFields => [12, 13, 17, 18, 19, 22, 23, 24, 25, 26, 27, 28];

    private static string QuotedFieldName(int index) => index switch
    {
        12 => "request",
        13 => "user_agent",
        17 => "trace_id",
        18 => "domain_name",
        19 => "chosen_cert_arn",
        22 => "actions_executed",
        23 => "redirect_url",
        24 => "error_reason",
        25 => "target:port_list",
        26 => "target_status_code_list",
        27 => "classification",
        _ => "classification_reason",
    };

    private static bool IsType(ReadOnlySpan<byte> type) =>
        type.SequenceEqual("https"u8) || type.SequenceEqual("http"u8) || type.SequenceEqual("h2"u8) ||
        type.SequenceEqual("grpcs"u8) || type.SequenceEqual("wss"u8) || type.SequenceEqual("ws"u8);

    private static bool Status(ReadOnlySpan<byte> field, out int status)
    {
        status = Missing.Int;
        return Utf8Values.IsDash(field) || Utf8Values.TryStatus(field, out status);
    }

    /// <summary><c>arn:aws:elasticloadbalancing:...:targetgroup/web/73e2d6bc24d8a067</c> → <c>web</c>.</summary>
    internal static ReadOnlySpan<byte> TargetGroupName(ReadOnlySpan<byte> arn)
    {
        if (Utf8Values.IsDash(arn)) return default;
        var at = arn.IndexOf("targetgroup/"u8);
        if (at < 0) return arn;
        var name = arn[(at + "targetgroup/".Length)..];
        var slash = name.IndexOf((byte)'/');
        return slash < 0 ? name : name[..slash];
    }

    /// <summary>Items of a space-separated list such as <c>target:port_list</c>.</summary>
    private static class SpaceList
    {
        public static int Count(ReadOnlySpan<byte> list)
        {
            list = list.Trim((byte)' ');
            if (list.IsEmpty || Utf8Values.IsDash(list)) return 0;
            var n = 1;
            for (var i = 1; i < list.Length; i++)
                if (list[i] == (byte)' ' && list[i - 1] != (byte)' ') n++;
            return n;
        }

        public static ReadOnlySpan<byte> Item(ReadOnlySpan<byte> list, int index)
        {
            list = list.Trim((byte)' ');
            for (var i = 0; i < index; i++)
            {
                var space = list.IndexOf((byte)' ');
                if (space < 0) return "-"u8;
                list = list[(space + 1)..].TrimStart((byte)' ');
            }
            var end = list.IndexOf((byte)' ');
            return end < 0 ? list : list[..end];
        }
    }
}

/// <summary>What the AWS formats share.</summary>
internal static class AwsTimes
{
    /// <summary>AWS writes <c>-1</c> for a time it could not measure: missing, never a negative duration.</summary>
    public static double Seconds(double value) => value < 0 ? Missing.Double : value;

    /// <summary><c>app/web-alb/50dc6c495c0c9188</c> → <c>web-alb</c>; a CLB's plain name stays as it is.</summary>
    public static ReadOnlySpan<byte> LoadBalancerName(ReadOnlySpan<byte> elb)
    {
        var first = elb.IndexOf((byte)'/');
        if (first < 0) return elb;
        var rest = elb[(first + 1)..];
        var second = rest.IndexOf((byte)'/');
        return second < 0 ? rest : rest[..second];
    }
}
