using System.Text;
using CsCheck;
using static ElbNotebooks.Tests.Fuzzing.FormatGens;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>An earlier target of an ALB request, from <c>target:port_list</c> / <c>target_status_code_list</c>.</summary>
public sealed record AlbEarlierTarget(string Backend, int? Status);

/// <summary>
/// A request with the values an AWS ALB line carries, and the line AWS would write for it. <see cref="Layout"/> is
/// the number of fields written (13: up to request; 16: + user agent and TLS; 22: + request_creation_time;
/// 29: up to classification_reason; 30: + conn_trace_id, kept in extra_fields).
/// </summary>
public sealed record AlbLineModel(
    string Type, DateTime Utc, string LbName, string ClientIp, int ClientPort, string? Target,
    double? RequestProcessing, double? TargetProcessing, double? ResponseProcessing, int? Status, int? TargetStatus,
    long Received, long Sent, string? Method, string Uri, string UserAgent, string? Cipher, string? TlsProtocol,
    string? GroupName, string TraceId, string Domain, long? CreationDeltaMicros, string Actions, string ErrorReason,
    IReadOnlyList<AlbEarlierTarget> Earlier, string ConnTraceId, int Layout)
{
    public string Elb => $"app/{LbName}/50dc6c495c0c9188";
    public string? TargetGroupArn => GroupName is null ? null : $"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{GroupName}/73e2d6bc24d8a067";
    public string Host => "shop.example.com:443";
    public string Scheme => Type is "http" or "ws" ? "http" : "https";

    public string ToLine()
    {
        static string Q(string? value) => "\"" + (value ?? "-") + "\"";
        var request = Method is null ? "- - - " : $"{Method} {Scheme}://{Host}{Uri} HTTP/1.1";
        var fields = new List<string>
        {
            Type, Utc.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", C), Elb, $"{ClientIp}:{ClientPort}", Target ?? "-",
            AwsSecondsText(RequestProcessing), AwsSecondsText(TargetProcessing), AwsSecondsText(ResponseProcessing),
            Status?.ToString(C) ?? "-", TargetStatus?.ToString(C) ?? "-", Received.ToString(C), Sent.ToString(C), Q(request),
            Q(AwsEscape(UserAgent)), Cipher ?? "-", TlsProtocol ?? "-",
            TargetGroupArn ?? "-", Q(TraceId), Q(Domain), Q("arn:aws:acm:eu-west-1:123456789012:certificate/1234"), "1",
            CreationDeltaMicros is { } delta ? Utc.AddTicks(-delta * 10).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", C) : "-",
            Q(Actions), Q("-"), Q(ErrorReason),
            Q(Target is null ? "-" : string.Join(' ', Earlier.Select(e => e.Backend).Append(Target))),
            Q(Target is null ? "-" : string.Join(' ', Earlier.Select(e => e.Status?.ToString(C) ?? "-").Append(TargetStatus?.ToString(C) ?? "-"))),
            Q("-"), Q("-"), ConnTraceId,
        };
        return string.Join(' ', fields.Take(Layout));
    }

    public static readonly Gen<AlbLineModel> Gen_ =
        Gen.Select(
            Gen.OneOf("http", "https", "h2", "grpcs", "ws", "wss"),
            Gen.Long[1_420_070_400_000_000, 1_900_000_000_000_000].Select(us => DateTime.UnixEpoch.AddTicks(us * 10)),
            Gen.OneOf("web-alb", "api", "a-b-c"), Ip, Gen.Int[1, 65535], BackendAddr.Null(0.15),
            Gen.Select(AwsSeconds, AwsSeconds, AwsSeconds),
            Gen.Select(Gen.OneOf(200, 301, 404, 460, 500, 502, 503, 504).Nullable(0.05), Gen.OneOf(200, 204, 404, 500, 503).Nullable(0.3)),
            (a, b, c, d, e, f, g, h) => (a, b, c, d, e, f, g, h))
        .Select(
            Gen.Select(Gen.Long[0, 1 << 24], Gen.Long[0, 1 << 24], Gen.OneOf("GET", "POST", "PUT", "DELETE", "HEAD").Null(0.05), UrlPath,
                Text, Gen.Bool, Gen.OneOf("web", "api-tg").Null(0.1), Gen.Int[0, 30_000_000].Select(us => (long)us).Nullable(0.1),
                (a, b, c, d, e, f, g, h) => (a, b, c, d, e, f, g, h)),
            Gen.Select(Gen.OneOf("forward", "waf,forward", "fixed-response"), Gen.OneOf("-", "TargetConnectionError", "TargetResponseError"),
                Gen.Select(BackendAddr, Gen.OneOf(200, 500, 502).Nullable(0.3), (b, s) => new AlbEarlierTarget(b, s)).List[0, 2],
                Gen.OneOf(13, 16, 22, 29, 30, 30)),
            (a, b, c) =>
            {
                var (type, utc, lb, ip, port, target, (rp, tp, resp), (status, targetStatus)) = a;
                var (received, sent, method, uri, agent, tls, group, delta) = b;
                var (actions, error, earlier, layout) = c;
                var secure = type is "https" or "h2" or "grpcs" or "wss";
                // Nothing dispatched: no target status, no earlier targets.
                return new AlbLineModel(type, utc, lb, ip, port, target, rp, tp, resp, status,
                    target is null ? null : targetStatus, received, sent, method, uri, agent,
                    secure && tls ? "ECDHE-RSA-AES128-GCM-SHA256" : null, secure && tls ? "TLSv1.2" : null, group,
                    "Root=1-6632160a-1a2b3c4d5e6f7a8b9c0d1e2f", "shop.example.com", delta, actions, error,
                    target is null ? [] : earlier, "TID_" + received.ToString("x", C), layout);
            });
}
