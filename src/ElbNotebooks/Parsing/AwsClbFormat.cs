using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// AWS Classic Load Balancer access logs (the "Access logs for your Classic Load Balancer" guide): 15 fields, HTTP
/// and TCP listeners. On a TCP listener the status codes are <c>-</c>, the request is <c>"- - - "</c> and
/// <c>backend_processing_time</c> is the time to connect to the instance, so it becomes the connect time.
/// </summary>
/// <remarks>
/// Attempts follow the ALB rules: none when <c>backend:port</c> is <c>-</c>; else one, with the backend's status
/// and <c>backend_processing_time</c> as header time when the backend answered, or the load balancer's status and
/// no header time when it did not (502, 504). Anything after field 15 is kept in <c>extra_fields</c>.
/// </remarks>
internal sealed class AwsClbFormat : ILogFormat
{
    public const int RequiredFields = 12;
    private const int KnownFields = 15;

    public static AwsClbFormat Instance { get; } = new();

    public string Name => "aws-clb";

    [MethodImpl(HotPath.Optimized)]
    public bool TryParse(ReadOnlySpan<byte> line, ParseTarget target, out LineRejection rejection)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        if (!LineFields.TrySplit(line, f, RequiredFields, out var n, out var restStart, out rejection)) return false;

        var timeField = line.Slice(f[0].Start, f[0].Length);
        if (f[0].Kind != FieldKind.Bare || !Utf8Values.TryIsoTimestamp(timeField, out var time, out var offset))
        {
            rejection = LineRejection.BadTimestamp(timeField);
            return false;
        }
        if (f[11].Kind != FieldKind.Quoted)
        {
            rejection = LineRejection.FormatMismatch("field 12 (request) is not quoted");
            return false;
        }
        if (n > 12 && f[12].Kind != FieldKind.Quoted)
        {
            rejection = LineRejection.Unquoted(13, "user_agent");
            return false;
        }

        var statusField = line.Slice(f[7].Start, f[7].Length);
        var backendStatusField = line.Slice(f[8].Start, f[8].Length);
        if (!Status(statusField, out var status))
        {
            rejection = LineRejection.BadStatus(statusField);
            return false;
        }
        // A CLB writes backend_status_code 0 when it sent the request to no backend: missing, like '-'.
        var noBackendAnswer = backendStatusField.Length == 1 && backendStatusField[0] == (byte)'0';
        var backendStatus = Missing.Int;
        if (!noBackendAnswer && !Status(backendStatusField, out backendStatus))
        {
            rejection = LineRejection.BadStatus(backendStatusField);
            return false;
        }

        var s = new FieldReader(line, target);
        if (!s.Double(f[4], "request_processing_time", out var requestProcessing) ||
            !s.Double(f[5], "backend_processing_time", out var backendProcessing) ||
            !s.Double(f[6], "response_processing_time", out var responseProcessing) ||
            !s.Long(f[9], "received_bytes", out var received) ||
            !s.Long(f[10], "sent_bytes", out var sent))
        {
            rejection = s.Rejection;
            return false;
        }
        requestProcessing = AwsTimes.Seconds(requestProcessing);
        backendProcessing = AwsTimes.Seconds(backendProcessing);
        responseProcessing = AwsTimes.Seconds(responseProcessing);

        var r = target.Requests;
        var row = target.PendingRequest;
        r.Time.Add(time);
        r.OffsetMinutes.Add(offset);
        var lb = s.String(f[1]);
        r.LbName.Add(lb);
        r.ListenerName.Add(lb);
        s.AddressAndPort(f[2], r.ClientIp, r.ClientPort);
        r.Status.Add(status);
        r.RequestLength.Add(received);
        r.BytesSent.Add(sent);
        r.RequestTime.Add(double.IsNaN(requestProcessing) || double.IsNaN(backendProcessing) || double.IsNaN(responseProcessing)
            ? Missing.Double
            : requestProcessing + backendProcessing + responseProcessing);
        s.RequestLine(f[11], r);
        if (n > 12) r.UserAgent.Add(s.String(f[12]));
        if (n > 13) r.SslCipher.Add(s.String(f[13]));
        if (n > 14) r.SslProtocol.Add(s.String(f[14]));
        if (restStart >= 0) r.ExtraFields.Add(target.Strings.Get(line[restStart..].TrimEnd((byte)' ')));

        var backendField = line.Slice(f[3].Start, f[3].Length);
        var dispatched = !Utf8Values.IsDash(backendField) && !backendField.IsEmpty;
        r.UpstreamAttempts.Add(dispatched ? 1 : 0);
        if (dispatched)
        {
            var tcp = r.Method.Count == row; // "- - - ": no HTTP request, a TCP connection
            var answered = backendStatus != Missing.Int;
            Attempts.Add(target, 0, true, time, lb, null, target.Strings.Get(backendField), null,
                answered ? backendStatus : status,
                tcp ? backendProcessing : Missing.Double,
                answered ? backendProcessing : Missing.Double,
                Missing.Double,
                status, tcp ? null : r.Method[row]);
        }

        rejection = default;
        return true;
    }

    private static bool Status(ReadOnlySpan<byte> field, out int status)
    {
        status = Missing.Int;
        return Utf8Values.IsDash(field) || Utf8Values.TryStatus(field, out status);
    }
}
