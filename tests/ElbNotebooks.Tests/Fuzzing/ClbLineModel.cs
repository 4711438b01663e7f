using CsCheck;
using static ElbNotebooks.Tests.Fuzzing.FormatGens;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>
/// A request (HTTP listener) or connection (TCP listener) with the values an AWS CLB line carries, and the line AWS
/// would write for it. <see cref="Layout"/> is the number of fields written: 12 (up to request) or 15.
/// </summary>
public sealed record ClbLineModel(
    DateTime Utc, string Elb, string ClientIp, int ClientPort, string? Backend,
    double? RequestProcessing, double? BackendProcessing, double? ResponseProcessing, int? Status, int? BackendStatus,
    long Received, long Sent, bool Tcp, string Method, string Scheme, string Uri, string UserAgent, string? Cipher,
    string? TlsProtocol, int Layout)
{
    public string Host => Scheme == "https" ? "shop.example.com:443" : "shop.example.com:80";

    public string ToLine()
    {
        var request = Tcp ? "- - - " : $"{Method} {Scheme}://{Host}{Uri} HTTP/1.1";
        var fields = new[]
        {
            Utc.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", C), Elb, $"{ClientIp}:{ClientPort}", Backend ?? "-",
            AwsSecondsText(RequestProcessing), AwsSecondsText(BackendProcessing), AwsSecondsText(ResponseProcessing),
            Status?.ToString(C) ?? "-", BackendStatus?.ToString(C) ?? "-", Received.ToString(C), Sent.ToString(C),
            "\"" + request + "\"", "\"" + (Tcp ? "-" : AwsEscape(UserAgent)) + "\"", Cipher ?? "-", TlsProtocol ?? "-",
        };
        return string.Join(' ', fields.Take(Layout));
    }

    public static readonly Gen<ClbLineModel> Gen_ =
        Gen.Select(
            Gen.Long[1_420_070_400_000_000, 1_900_000_000_000_000].Select(us => DateTime.UnixEpoch.AddTicks(us * 10)),
            Gen.OneOf("my-clb", "legacy-web"), Ip, Gen.Int[1, 65535], BackendAddr.Null(0.1),
            Gen.Select(AwsSeconds, AwsSeconds, AwsSeconds),
            Gen.Select(Gen.OneOf(200, 301, 404, 500, 502, 503, 504), Gen.OneOf(200, 204, 404, 500, 503).Nullable(0.3)),
            Gen.Select(Gen.Long[0, 1 << 24], Gen.Long[0, 1 << 24]),
            (a, b, c, d, e, f, g, h) => (a, b, c, d, e, f, g, h))
        .Select(
            Gen.Select(Gen.Bool, Gen.Int[0, 3], Gen.OneOf("GET", "POST", "PUT", "DELETE", "HEAD"),
                Gen.OneOf("http", "https"), UrlPath, Text, Gen.OneOf(12, 15, 15)),
            (a, b) =>
            {
                var (utc, elb, ip, port, backend, (rp, bp, resp), (status, backendStatus), (received, sent)) = a;
                var (ssl, kind, method, scheme, uri, agent, layout) = b;
                var tcp = kind == 0; // a quarter are TCP listener lines: no status codes, request "- - - "
                var secure = tcp ? ssl : scheme == "https"; // an SSL listener writes its cipher and protocol
                return new ClbLineModel(utc, elb, ip, port, backend, rp, bp, resp,
                    tcp ? null : status, tcp || backend is null ? null : backendStatus, received, sent, tcp, method, scheme,
                    uri, agent, secure ? "ECDHE-RSA-AES128-GCM-SHA256" : null, secure ? "TLSv1.2" : null, layout);
            });
}
