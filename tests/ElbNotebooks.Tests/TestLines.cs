using System.Text;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests;

/// <summary>Documented example lines, and a way to load text as a log.</summary>
internal static class TestLines
{
    /// <summary>The seed document's line, with its addresses intact (log-formats.md §1).</summary>
    public const string Seed =
        "1554944564.344 - [2019-04-11T09:02:44+08:00] elb 10.133.251.171:51527 500 \"GET http://10.154.73.58:5971/ HTTP/1.1\" 411 3726 3545 19.028 \"500\" \"0.009\" \"19.028\" \"19.028\" \"172.17.0.82:3000\" \"Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/73.0.3683.103 Safari/537.36\" \"\" \"-\" loadbalancer_ed0f790b-e194-4657-9f97-53426227099e listener_b21dd0a9-690a-4945-950e-b134095c6bd9 6b6aaf84d72b40fcb2d2b9b28f6a0b83";

    /// <summary>A full-layout line (fields 1-33) of an HTTPS listener whose first attempt timed out.</summary>
    public const string FullWithRetry =
        "1714529730.482 eb11c5a9-7f1e-4d2c-9a8b-1c2d3e4f5a6b [2024-05-01T10:15:30+08:00] elb_01 192.168.1.1:888 200 \"POST https://www.test.com/example/?id=7 HTTP/1.1\" 1411 251 3 5.031 \"504, 200\" \"0.001, 0.001\" \"-, 0.018\" \"5.000, 0.020\" \"10.0.1.23:8080, 10.0.1.24:8080\" \"curl/8.5.0\" \"https://www.test.com/\" \"203.0.113.9\" loadbalancer_0a1b lsnr_web 6b6aaf84 pool_web \"-\" tenant42 121.64.212.1:443 \"10.1.1.23:8080, 10.1.1.24:8080\" - TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 www.test.com 56704 -";

    /// <summary>The AWS ALB example (log-formats.md §2): the target reset the connection, ELB answered 502.</summary>
    public const string Alb =
        "https 2024-05-01T10:15:30.123456Z app/web-alb/50dc6c495c0c9188 203.0.113.7:51544 10.0.1.23:8080 0.001 -1 -1 502 - 812 272 \"GET https://shop.example.com:443/cart HTTP/1.1\" \"curl/8.5.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 \"Root=1-6632160a-1a2b3c4d5e6f7a8b9c0d1e2f\" \"shop.example.com\" \"arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012\" 1 2024-05-01T10:15:30.120000Z \"forward\" \"-\" \"-\" \"10.0.1.23:8080\" \"-\" \"-\" \"-\"";

    /// <summary>
    /// The ALB guide's example entry for a request to a Lambda function that succeeded: target <c>-</c> (AWS writes no
    /// address for a function), target status 200.
    /// </summary>
    public const string AlbLambda =
        "http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0 2018-11-30T22:22:48.364000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\"";

    /// <summary>The ALB guide's example entry for a request to a Lambda function that failed: 502, no target status, error_reason LambdaInvalidResponse.</summary>
    public const string AlbLambdaFailed =
        "http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 502 - 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0 2018-11-30T22:22:48.364000Z \"forward\" \"-\" \"LambdaInvalidResponse\" \"-\" \"-\" \"-\" \"-\"";

    /// <summary>The AWS CLB example (log-formats.md §3): the backend answered 500.</summary>
    public const string Clb =
        "2024-05-01T10:15:30.123456Z my-clb 203.0.113.7:51544 10.0.1.23:80 0.000041 0.512300 0.000030 500 500 0 1043 \"GET http://shop.example.com:80/cart HTTP/1.1\" \"curl/8.5.0\" - -";

    /// <summary>An nginx <c>combined</c> line (log-formats.md §4).</summary>
    public const string NginxCombined =
        "203.0.113.7 - alice [01/May/2024:10:15:30 +0200] \"GET /cart?id=7 HTTP/1.1\" 200 5123 \"https://shop.example.com/\" \"curl/8.5.0\"";

    /// <summary>The reverse-proxy format of the issue: combined plus request time and the upstream lists.</summary>
    public const string NginxUpstreamDirective =
        "log_format upstream '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time \"$upstream_addr\" \"$upstream_status\" \"$upstream_connect_time\" \"$upstream_header_time\" \"$upstream_response_time\"';";

    /// <summary>A line of <see cref="NginxUpstreamDirective"/>: the first backend refused, the second answered.</summary>
    public const string NginxUpstreamRetry =
        "203.0.113.7 - - [01/May/2024:10:15:30 +0000] \"POST /api/orders HTTP/1.1\" 201 88 \"-\" \"okhttp/4.12\" 0.052 \"10.0.1.23:8080, 10.0.1.24:8080\" \"502, 201\" \"0.001, 0.002\" \"-, 0.048\" \"0.001, 0.050\"";

    public static AccessLog Load(string text, LoadOptions? options = null, string name = "test.log") =>
        AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, options);

    public static AccessLog Load(byte[] bytes, LoadOptions? options = null, string name = "test.log") =>
        AccessLog.Load(new MemoryStream(bytes), name, options);

    /// <summary>A copy of a line with field <paramref name="field"/> (1-based, as in the docs) replaced.</summary>
    /// <summary>
    /// An hour of an ALB's log (2024-05-01 10:00-11:00 UTC) with two target groups: <c>web</c>, three instances that
    /// answer 200, and <c>orders-fn</c>, a Lambda function (target <c>-</c>) that answers 200 but, from 10:30 to 10:45,
    /// fails four invocations in five with <c>LambdaUnhandled</c> (502, no target status). Every minute also has a WAF
    /// block (403) and a 503 no target was tried for: neither is the function's.
    /// </summary>
    public static string AlbWithFailingLambda()
    {
        var lines = new StringBuilder();
        var start = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc);
        for (var minute = 0; minute < 60; minute++)
            for (var k = 0; k < 10; k++)
            {
                var time = start.AddMinutes(minute).AddSeconds(k * 6 + 1);
                var failing = minute is >= 30 and < 45 && k % 5 != 0;
                lines.AppendLine(k < 5
                    ? AlbLine(time, $"10.0.1.{11 + k % 3}:8080", "web", 200, "200", "0.020", "-", k)
                    : failing
                        ? AlbLine(time, "-", "orders-fn", 502, "-", "0.850", "LambdaUnhandled", k)
                        : AlbLine(time, "-", "orders-fn", 200, "200", "0.040", "-", k));
            }
        for (var minute = 0; minute < 60; minute++)
        {
            var time = start.AddMinutes(minute).AddSeconds(59);
            lines.AppendLine(AlbLine(time, "-", "-", 403, "-", "-1", "-", 20, actions: "waf"));
            lines.AppendLine(AlbLine(time, "-", "web", 503, "-", "-1", "-", 21));
        }
        return lines.ToString();
    }

    private static string AlbLine(DateTime time, string target, string group, int status, string targetStatus, string targetTime,
        string errorReason, int client, string actions = "forward")
    {
        var arn = group == "-" ? "-" : $"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{group}/73e2d6bc24d8a067";
        var t = time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var created = time.AddMilliseconds(-5).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return $"https {t} app/web-alb/50dc6c495c0c9188 203.0.113.{client}:51544 {target} 0.001 {targetTime} 0.000 {status} {targetStatus} 812 272 " +
               $"\"GET https://shop.example.com:443/orders HTTP/1.1\" \"curl/8.5.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {arn} " +
               $"\"Root=1-6632160a-1a2b3c4d5e6f7a8b9c0d1e2f\" \"shop.example.com\" \"-\" 1 {created} \"{actions}\" \"-\" \"{errorReason}\" " +
               $"\"{target}\" \"{targetStatus}\" \"-\" \"-\"";
    }

    public static string WithField(string line, int field, string value)
    {
        var spans = new ElbNotebooks.Parsing.FieldSpan[64];
        var bytes = Encoding.UTF8.GetBytes(line);
        var n = ElbNotebooks.Parsing.LineFields.Split(bytes, spans, out _);
        if (field > n) throw new ArgumentOutOfRangeException(nameof(field));
        var f = spans[field - 1];
        var start = f.Kind == ElbNotebooks.Parsing.FieldKind.Bare ? f.Start : f.Start - 1;
        var end = f.Kind == ElbNotebooks.Parsing.FieldKind.Bare ? f.Start + f.Length : f.Start + f.Length + 1;
        return Encoding.UTF8.GetString(bytes[..start]) + value + Encoding.UTF8.GetString(bytes[end..]);
    }
}
