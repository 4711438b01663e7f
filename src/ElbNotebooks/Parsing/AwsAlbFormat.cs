using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// AWS Application Load Balancer access logs (the "Access logs for your Application Load Balancer" guide). A line
/// needs fields 1-13 (type to request); the documented fields up to <c>classification_reason</c> are read, and
/// whatever AWS appends after them (<c>conn_trace_id</c>, ...) is kept in <c>extra_fields</c>.
/// </summary>
/// <remarks>
/// ALB sends a request to one target. Attempts: none when <c>target:port</c> is <c>-</c> (nothing dispatched:
/// the load balancer answered itself, e.g. 503 without healthy targets), unless the target is a Lambda function, which
/// AWS also writes <c>-</c> (<see cref="LambdaBackend"/>); otherwise one, charged to the target.
/// When the target answered (<c>target_status_code</c> present) its status is the attempt's and
/// <c>target_processing_time</c> its header time; when it did not (a reset, a timeout: target status <c>-</c>)
/// the attempt carries the load balancer's status (502, 504, 460...) and no header time, so it reads as made by the
/// load balancer for that target. The processing times' <c>-1</c> is missing.
/// </remarks>
internal sealed class AwsAlbFormat : ILogFormat
{
    /// <summary>
    /// 0-based positions of the fields on a line, named after the ALB guide's field list.
    /// The format reference numbers fields from 1: its field <c>n</c> is <c>n - 1</c> here.
    /// </summary>
    internal static class Field
    {
        /// <summary><c>type</c></summary>
        public const int Type = 0;
        /// <summary><c>time</c></summary>
        public const int Time = 1;
        /// <summary><c>elb</c></summary>
        public const int Elb = 2;
        /// <summary><c>client:port</c></summary>
        public const int Client = 3;
        /// <summary><c>target:port</c></summary>
        public const int Target = 4;
        /// <summary><c>request_processing_time</c></summary>
        public const int RequestProcessingTime = 5;
        /// <summary><c>target_processing_time</c></summary>
        public const int TargetProcessingTime = 6;
        /// <summary><c>response_processing_time</c></summary>
        public const int ResponseProcessingTime = 7;
        /// <summary><c>elb_status_code</c></summary>
        public const int ElbStatusCode = 8;
        /// <summary><c>target_status_code</c></summary>
        public const int TargetStatusCode = 9;
        /// <summary><c>received_bytes</c></summary>
        public const int ReceivedBytes = 10;
        /// <summary><c>sent_bytes</c></summary>
        public const int SentBytes = 11;
        /// <summary><c>"request"</c></summary>
        public const int Request = 12;
        /// <summary><c>"user_agent"</c></summary>
        public const int UserAgent = 13;
        /// <summary><c>ssl_cipher</c></summary>
        public const int SslCipher = 14;
        /// <summary><c>ssl_protocol</c></summary>
        public const int SslProtocol = 15;
        /// <summary><c>target_group_arn</c></summary>
        public const int TargetGroupArn = 16;
        /// <summary><c>"trace_id"</c></summary>
        public const int TraceId = 17;
        /// <summary><c>"domain_name"</c></summary>
        public const int DomainName = 18;
        /// <summary><c>"chosen_cert_arn"</c></summary>
        public const int ChosenCertArn = 19;
        /// <summary><c>matched_rule_priority</c></summary>
        public const int MatchedRulePriority = 20;
        /// <summary><c>request_creation_time</c></summary>
        public const int RequestCreationTime = 21;
        /// <summary><c>"actions_executed"</c></summary>
        public const int ActionsExecuted = 22;
        /// <summary><c>"redirect_url"</c></summary>
        public const int RedirectUrl = 23;
        /// <summary><c>"error_reason"</c></summary>
        public const int ErrorReason = 24;
        /// <summary><c>"target:port_list"</c></summary>
        public const int TargetPortList = 25;
        /// <summary><c>"target_status_code_list"</c></summary>
        public const int TargetStatusCodeList = 26;
        /// <summary><c>"classification"</c></summary>
        public const int Classification = 27;
        /// <summary><c>"classification_reason"</c></summary>
        public const int ClassificationReason = 28;
    }

    public const int RequiredFields = Field.Request + 1;
    private const int KnownFields = Field.ClassificationReason + 1;

    public static AwsAlbFormat Instance { get; } = new();

    public string Name => "aws-alb";

    /// <inheritdoc/>
    public bool MightRead(ReadOnlySpan<byte> line)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        return LineFields.TrySplit(line, f, RequiredFields, out _, out _, out _) && f[Field.Type].Kind == FieldKind.Bare &&
            IsType(line.Slice(f[Field.Type].Start, f[Field.Type].Length));
    }

    /// <inheritdoc/>
    public int Fields(ReadOnlySpan<byte> line) => LineFields.Count(line, KnownFields);

    [MethodImpl(HotPath.Optimized)]
    public bool TryParse(ReadOnlySpan<byte> line, ParseTarget target, out LineRejection rejection)
    {
        Span<FieldSpan> f = stackalloc FieldSpan[KnownFields];
        if (!LineFields.TrySplit(line, f, RequiredFields, out var n, out var restStart, out rejection)) return false;

        // 1: type, one of a few listener kinds: the cheapest test that this is an ALB line at all.
        var type = line.Slice(f[Field.Type].Start, f[Field.Type].Length);
        if (f[Field.Type].Kind != FieldKind.Bare || !IsType(type))
        {
            rejection = LineRejection.FormatMismatch($"type is not http, https, h2, grpcs, ws or wss: '{LineRejection.Excerpt(type)}'");
            return false;
        }

        if (LineFields.FirstUnquoted(f, n, QuotedFields) is var unquoted and >= 0)
        {
            rejection = LineRejection.Unquoted(unquoted + 1, QuotedFieldName(unquoted));
            return false;
        }
        if (n < target.LayoutFields)
        {
            rejection = LineRejection.CutShort(n, target.LayoutFields);
            return false;
        }

        // 2: time, UTC with microseconds: when the load balancer sent the response.
        var timeField = line.Slice(f[Field.Time].Start, f[Field.Time].Length);
        if (!Utf8Values.TryIsoTimestamp(timeField, out var time, out var offset))
        {
            rejection = LineRejection.BadTimestamp(timeField);
            return false;
        }

        var statusField = line.Slice(f[Field.ElbStatusCode].Start, f[Field.ElbStatusCode].Length);
        var targetStatusField = line.Slice(f[Field.TargetStatusCode].Start, f[Field.TargetStatusCode].Length);
        if (!Status(statusField, out var status) || !Status(targetStatusField, out var targetStatus))
        {
            rejection = LineRejection.BadStatus(Utf8Values.IsDash(statusField) || Utf8Values.TryStatus(statusField, out _) ? targetStatusField : statusField);
            return false;
        }

        var s = new FieldReader(line, target);
        if (!s.Double(f[Field.RequestProcessingTime], "request_processing_time", out var requestProcessing) ||
            !s.Double(f[Field.TargetProcessingTime], "target_processing_time", out var targetProcessing) ||
            !s.Double(f[Field.ResponseProcessingTime], "response_processing_time", out var responseProcessing) ||
            !s.Long(f[Field.ReceivedBytes], "received_bytes", out var received) ||
            !s.Long(f[Field.SentBytes], "sent_bytes", out var sent))
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
        var elb = line.Slice(f[Field.Elb].Start, f[Field.Elb].Length);
        var listener = Utf8Values.IsDash(elb) ? null : target.Strings.Get(AwsTimes.LoadBalancerName(elb));
        r.ListenerName.Add(listener);
        r.Status.Add(status);
        string? pool = null;
        ReadOnlySpan<byte> groupName = default;
        if (n > Field.TargetGroupArn)
        {
            groupName = TargetGroupName(line.Slice(f[Field.TargetGroupArn].Start, f[Field.TargetGroupArn].Length));
            pool = groupName.IsEmpty ? null : target.Strings.Get(groupName);
            r.PoolName.Add(pool);
        }
        // A minimal parse (a streamed investigation) keeps none of these: the numbers above are still read, so it
        // rejects the lines a load rejects. Unique per line (trace id, conn_trace_id), some cost a string each.
        if (!target.Minimal)
            ReadDescriptiveFields(line, f, n, restStart, ref s, r, time, received, sent, requestProcessing, targetProcessing, responseProcessing);

        var method = target.Minimal ? null : r.Method.At(row);
        var backendField = line.Slice(f[Field.Target].Start, f[Field.Target].Length);
        var backend = Utf8Values.IsDash(backendField) || backendField.IsEmpty ? null : target.Strings.Get(backendField);
        if (backend is null && (targetStatus != Missing.Int ||
                                n > Field.ErrorReason && line.Slice(f[Field.ErrorReason].Start, f[Field.ErrorReason].Length).StartsWith("Lambda"u8)))
            backend = LambdaBackend(groupName, target.Strings);
        var dispatched = backend is not null;
        var header = targetStatus != Missing.Int ? targetProcessing : Missing.Double;
        var attemptStatus = targetStatus != Missing.Int ? targetStatus : status;

        // target:port_list and target_status_code_list (space-separated) name earlier targets when there are
        // several; today AWS writes one item, equal to target:port. Earlier items get their status only.
        var request = new AttemptRequest(time, listener, pool, status, method);
        var firstAttempt = target.Attempts.Count;
        var earlier = 0;
        if (dispatched && n > Field.TargetStatusCodeList)
        {
            var targets = line.Slice(f[Field.TargetPortList].Start, f[Field.TargetPortList].Length);
            var statuses = line.Slice(f[Field.TargetStatusCodeList].Start, f[Field.TargetStatusCodeList].Length);
            var items = SpaceList.Count(targets);
            for (; earlier < items - 1; earlier++)
            {
                var earlierStatus = Utf8Values.TryInt(SpaceList.Item(statuses, earlier), out var st) ? st : Missing.Int;
                var earlierTarget = SpaceList.Item(targets, earlier);
                Attempts.Add(target, request, earlier, false, new Attempt
                {
                    Backend = Utf8Values.IsDash(earlierTarget) ? null : target.Strings.Get(earlierTarget),
                    Status = earlierStatus,
                });
            }
        }

        r.UpstreamAttempts.Add(dispatched ? earlier + 1 : 0);
        if (dispatched)
            Attempts.Add(target, request, earlier, true, new Attempt { Backend = backend, Status = attemptStatus, Header = header });
        // client:port and the request's endpoint: whom a failing or slow backend hurt; a minimal parse reads them only
        // where that may be asked.
        s.ClientAndEndpoint(target.WantsClient(status, firstAttempt), f[Field.Client], f[Field.Request], r);

        rejection = default;
        return true;
    }

    /// <summary>The fields only a full load keeps: what the request was, from whom, over what, and how it was handled.</summary>
    [MethodImpl(HotPath.Optimized)]
    private static void ReadDescriptiveFields(scoped ReadOnlySpan<byte> line, scoped ReadOnlySpan<FieldSpan> f, int n, int restStart,
        ref FieldReader s, RequestColumns r, DateTime time, long received, long sent, double requestProcessing, double targetProcessing,
        double responseProcessing)
    {
        s.AddString(f[Field.Elb], r.LbName);
        r.RequestLength.Add(received);
        r.BytesSent.Add(sent);
        s.RequestLine(f[Field.Request], r);
        // Unique values (trace ids, conn_trace_id) are kept as bytes and made strings when read, repeated ones pooled.
        if (n > Field.UserAgent) s.AddString(f[Field.UserAgent], r.UserAgent);
        if (n > Field.SslCipher) s.AddString(f[Field.SslCipher], r.SslCipher);
        if (n > Field.SslProtocol) s.AddString(f[Field.SslProtocol], r.SslProtocol);
        if (n > Field.TargetGroupArn) s.AddString(f[Field.TargetGroupArn], r.TargetGroupArn);
        if (n > Field.TraceId) s.AddString(f[Field.TraceId], r.TraceId);
        if (n > Field.DomainName) s.AddString(f[Field.DomainName], r.SniDomainName);
        if (n > Field.ChosenCertArn) s.AddString(f[Field.ChosenCertArn], r.CertificateId);
        if (n > Field.ActionsExecuted) s.AddString(f[Field.ActionsExecuted], r.ActionsExecuted);
        if (n > Field.ErrorReason) s.AddString(f[Field.ErrorReason], r.ErrorReason);
        if (restStart >= 0) s.AddText(line[restStart..].TrimEnd((byte)' '), r.ExtraFields);

        // request_time as Huawei and nginx mean it, first byte from the client to the response: time minus
        // request_creation_time; without that field, the three processing times when all are known.
        var requestTime = Missing.Double;
        if (n > Field.RequestCreationTime
            && Utf8Values.TryIsoTimestamp(line.Slice(f[Field.RequestCreationTime].Start, f[Field.RequestCreationTime].Length), out var created, out _)
            && created <= time)
            requestTime = (time - created).TotalSeconds;
        else if (!double.IsNaN(requestProcessing) && !double.IsNaN(targetProcessing) && !double.IsNaN(responseProcessing))
            requestTime = requestProcessing + targetProcessing + responseProcessing;
        r.RequestTime.Add(requestTime);
    }

    /// <summary>The fields AWS writes in quotes (0-based): request, user_agent, trace_id, domain_name,
    /// chosen_cert_arn, and actions_executed to classification_reason.</summary>
    private static ReadOnlySpan<byte> QuotedFields => [
        Field.Request, Field.UserAgent, Field.TraceId, Field.DomainName, Field.ChosenCertArn, Field.ActionsExecuted,
        Field.RedirectUrl, Field.ErrorReason, Field.TargetPortList, Field.TargetStatusCodeList, Field.Classification,
        Field.ClassificationReason,
    ];

    private static string QuotedFieldName(int index) => index switch
    {
        Field.Request => "request",
        Field.UserAgent => "user_agent",
        Field.TraceId => "trace_id",
        Field.DomainName => "domain_name",
        Field.ChosenCertArn => "chosen_cert_arn",
        Field.ActionsExecuted => "actions_executed",
        Field.RedirectUrl => "redirect_url",
        Field.ErrorReason => "error_reason",
        Field.TargetPortList => "target:port_list",
        Field.TargetStatusCodeList => "target_status_code_list",
        Field.Classification => "classification",
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

    /// <summary>
    /// The name of a Lambda function target: <c>lambda:</c> and its target group's name (<c>lambda:orders-fn</c>), as nginx
    /// names a socket <c>unix:/path</c>. AWS writes no address for it (target <c>-</c>): a line is the function's when it
    /// answered (a target status) or its invocation failed (an <c>error_reason</c> starting <c>Lambda</c>). A target group
    /// holds one function, so its name names the function.
    /// </summary>
    private static string LambdaBackend(ReadOnlySpan<byte> groupName, StringPool strings)
    {
        if (groupName.IsEmpty) return strings.Get("lambda"u8);
        var length = "lambda:".Length + groupName.Length;
        // AWS allows 32 characters; a longer name (another writer's) is kept whole, on the heap.
        Span<byte> name = length <= 64 ? stackalloc byte[64] : new byte[length];
        "lambda:"u8.CopyTo(name);
        groupName.CopyTo(name["lambda:".Length..]);
        return strings.Get(name[..length]);
    }

    /// <summary>Whether <paramref name="backend"/> names a Lambda function target (<see cref="LambdaBackend"/>).</summary>
    public static bool IsLambda(string? backend) =>
        backend is not null && (backend == "lambda" || backend.StartsWith("lambda:", StringComparison.Ordinal));

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
