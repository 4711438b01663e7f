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
    /// <summary>
    /// 0-based positions of the fields on a line, named after the CLB guide's field list.
    /// The format reference numbers fields from 1: its field <c>n</c> is <c>n - 1</c> here.
    /// </summary>
    internal static class Field
    {
        /// <summary><c>timestamp</c></summary>
        public const int Timestamp = 0;
        /// <summary><c>elb</c></summary>
        public const int Elb = 1;
        /// <summary><c>client:port</c></summary>
        public const int Client = 2;
        /// <summary><c>backend:port</c></summary>
        public const int Backend = 3;
        /// <summary><c>request_processing_time</c></summary>
        public const int RequestProcessingTime = 4;
        /// <summary><c>backend_processing_time</c></summary>
        public const int BackendProcessingTime = 5;
        /// <summary><c>response_processing_time</c></summary>
        public const int ResponseProcessingTime = 6;
        /// <summary><c>elb_status_code</c></summary>
        public const int ElbStatusCode = 7;
        /// <summary><c>backend_status_code</c></summary>
        public const int BackendStatusCode = 8;
        /// <summary><c>received_bytes</c></summary>
        public const int ReceivedBytes = 9;
        /// <summary><c>sent_bytes</c></summary>
        public const int SentBytes = 10;
        /// <summary><c>"request"</c></summary>
        public const int Request = 11;
        /// <summary><c>"user_agent"</c></summary>
        public const int UserAgent = 12;
        /// <summary><c>ssl_cipher</c></summary>
        public const int SslCipher = 13;
        /// <summary><c>ssl_protocol</c></summary>
        public const int SslProtocol = 14;
    }

    public const int RequiredFields = Field.Request + 1;
    private const int KnownFields = Field.SslProtocol + 1;

    public static AwsClbFormat Instance { get; } = new();

    public string Name => "aws-clb";

    /// <inheritdoc/>
    public bool MightRead(ReadOnlySpan<byte> line)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        return LineFields.TrySplit(line, f, RequiredFields, out _, out _, out _) && f[Field.Timestamp].Kind == FieldKind.Bare &&
            Utf8Values.TryIsoTimestamp(line.Slice(f[Field.Timestamp].Start, f[Field.Timestamp].Length), out _, out _);
    }

    /// <inheritdoc/>
    public int Fields(ReadOnlySpan<byte> line) => LineFields.Count(line, KnownFields);

    [MethodImpl(HotPath.Optimized)]
    public bool TryParse(ReadOnlySpan<byte> line, ParseTarget target, out LineRejection rejection)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        if (!LineFields.TrySplit(line, f, RequiredFields, out var n, out var restStart, out rejection)) return false;

        var timeField = line.Slice(f[Field.Timestamp].Start, f[Field.Timestamp].Length);
        if (f[Field.Timestamp].Kind != FieldKind.Bare || !Utf8Values.TryIsoTimestamp(timeField, out var time, out var offset))
        {
            rejection = LineRejection.BadTimestamp(timeField);
            return false;
        }
        if (f[Field.Request].Kind != FieldKind.Quoted)
        {
            rejection = LineRejection.FormatMismatch("field 12 (request) is not quoted");
            return false;
        }
        if (n > Field.UserAgent && f[Field.UserAgent].Kind != FieldKind.Quoted)
        {
            rejection = LineRejection.Unquoted(Field.UserAgent + 1, "user_agent");
            return false;
        }
        if (n < target.LayoutFields)
        {
            rejection = LineRejection.CutShort(n, target.LayoutFields);
            return false;
        }

        var statusField = line.Slice(f[Field.ElbStatusCode].Start, f[Field.ElbStatusCode].Length);
        var backendStatusField = line.Slice(f[Field.BackendStatusCode].Start, f[Field.BackendStatusCode].Length);
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
        if (!s.Double(f[Field.RequestProcessingTime], "request_processing_time", out var requestProcessing) ||
            !s.Double(f[Field.BackendProcessingTime], "backend_processing_time", out var backendProcessing) ||
            !s.Double(f[Field.ResponseProcessingTime], "response_processing_time", out var responseProcessing) ||
            !s.Long(f[Field.ReceivedBytes], "received_bytes", out var received) ||
            !s.Long(f[Field.SentBytes], "sent_bytes", out var sent))
        {
            rejection = s.Rejection;
            return false;
        }
        requestProcessing = AwsTimes.Seconds(requestProcessing);
        backendProcessing = AwsTimes.Seconds(backendProcessing);
        responseProcessing = AwsTimes.Seconds(responseProcessing);

        var r = target.Requests;
        r.Time.Add(time);
        r.OffsetMinutes.Add(offset);
        var lb = s.String(f[Field.Elb]);
        r.ListenerName.Add(lb);
        r.Status.Add(status);
        // A minimal parse (a streamed investigation) keeps none of these: the numbers above are still read, so it
        // rejects the lines a load rejects.
        if (!target.Minimal)
        {
            r.LbName.Add(lb);
            r.RequestLength.Add(received);
            r.BytesSent.Add(sent);
            r.RequestTime.Add(double.IsNaN(requestProcessing) || double.IsNaN(backendProcessing) || double.IsNaN(responseProcessing)
                ? Missing.Double
                : requestProcessing + backendProcessing + responseProcessing);
            s.RequestLine(f[Field.Request], r);
            if (n > Field.UserAgent) s.AddString(f[Field.UserAgent], r.UserAgent);
            if (n > Field.SslCipher) s.AddString(f[Field.SslCipher], r.SslCipher);
            if (n > Field.SslProtocol) s.AddString(f[Field.SslProtocol], r.SslProtocol);
            if (restStart >= 0) s.AddText(line[restStart..].TrimEnd((byte)' '), r.ExtraFields);
        }

        var row = target.PendingRequest;
        var firstAttempt = target.Attempts.Count;
        var backendField = line.Slice(f[Field.Backend].Start, f[Field.Backend].Length);
        var dispatched = !Utf8Values.IsDash(backendField) && !backendField.IsEmpty;
        r.UpstreamAttempts.Add(dispatched ? 1 : 0);
        if (dispatched)
        {
            var tcp = FieldReader.HasNoRequest(s.Bytes(f[Field.Request])); // "- - - ": no HTTP request, a TCP connection
            var answered = backendStatus != Missing.Int;
            var method = tcp || target.Minimal ? null : r.Method[row];
            Attempts.Add(target, new AttemptRequest(time, lb, null, status, method), 0, true, new Attempt
            {
                Backend = target.Strings.Get(backendField),
                Status = answered ? backendStatus : status,
                Connect = tcp ? backendProcessing : Missing.Double,
                Header = answered ? backendProcessing : Missing.Double,
            });
        }
        // client:port and the request's endpoint: whom a failing or slow backend hurt; a minimal parse reads them only
        // where that may be asked.
        s.ClientAndEndpoint(target.WantsClient(status, firstAttempt), f[Field.Client], f[Field.Request], r);

        rejection = default;
        return true;
    }

    private static bool Status(ReadOnlySpan<byte> field, out int status)
    {
        status = Missing.Int;
        return Utf8Values.IsDash(field) || Utf8Values.TryStatus(field, out status);
    }
}
