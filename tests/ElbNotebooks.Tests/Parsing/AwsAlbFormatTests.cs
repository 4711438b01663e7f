using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Parsing;

public class AwsAlbFormatTests
{
    private static readonly LoadOptions Alb = new() { Format = "aws-alb" };

    private static object? Cell(AccessLog log, string column, long row = 0) => log.Requests[column][row];

    private static string With(int field, string value) => TestLines.WithField(TestLines.Alb, field, value);

    [Fact]
    public void The_documented_example_is_read_field_by_field()
    {
        var log = TestLines.Load(TestLines.Alb + "\n");

        Assert.Equal("aws-alb", log.Format);
        Assert.Equal(1, log.RequestCount);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 15, 30, DateTimeKind.Utc).AddTicks(1_234_560), Cell(log, "time"));
        Assert.Equal(0, Cell(log, "offset_minutes"));
        Assert.Equal(TimeSpan.Zero, log.UtcOffset);
        Assert.Null(Cell(log, "msec"));
        Assert.Equal("app/web-alb/50dc6c495c0c9188", Cell(log, "lb_name"));
        Assert.Equal("web-alb", Cell(log, "listener_name"));
        Assert.Equal("web", Cell(log, "pool_name"));
        Assert.Equal("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067", Cell(log, "target_group_arn"));
        Assert.Equal("203.0.113.7", Cell(log, "remote_addr"));
        Assert.Equal(51544, Cell(log, "remote_port"));
        Assert.Equal(502, Cell(log, "status"));
        Assert.Equal(812L, Cell(log, "request_length"));
        Assert.Equal(272L, Cell(log, "bytes_sent"));
        Assert.Null(Cell(log, "body_bytes_sent"));
        Assert.Equal("GET", Cell(log, "request_method"));
        Assert.Equal("https", Cell(log, "scheme"));
        Assert.Equal("shop.example.com:443", Cell(log, "host"));
        Assert.Equal("/cart", Cell(log, "router_request_uri"));
        Assert.Equal("HTTP/1.1", Cell(log, "server_protocol"));
        Assert.Equal("curl/8.5.0", Cell(log, "http_user_agent"));
        Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", Cell(log, "ssl_cipher"));
        Assert.Equal("TLSv1.2", Cell(log, "ssl_protocol"));
        Assert.Equal("Root=1-6632160a-1a2b3c4d5e6f7a8b9c0d1e2f", Cell(log, "trace_id"));
        Assert.Equal("shop.example.com", Cell(log, "sni_domain_name"));
        Assert.Equal("arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012", Cell(log, "certificate_id"));
        Assert.Equal("forward", Cell(log, "actions_executed"));
        Assert.Null(Cell(log, "error_reason"));
        Assert.Null(Cell(log, "extra_fields"));
        // request_time is time minus request_creation_time: 30.123456 - 30.120000.
        Assert.Equal(0.003456, (double)Cell(log, "request_time")!, 9);
    }

    [Fact]
    public void A_502_without_target_status_is_an_attempt_the_load_balancer_made_for_that_target()
    {
        var log = TestLines.Load(TestLines.Alb);

        Assert.Equal(1, Cell(log, "upstream_attempts"));
        Assert.Equal("10.0.1.23:8080", Cell(log, "upstream_addr"));
        Assert.Equal(502, Cell(log, "upstream_status"));
        Assert.Null(Cell(log, "upstream_header_time"));
        var a = log.Attempts.Rows[0];
        Assert.Equal("10.0.1.23:8080", a["backend"]);
        Assert.Equal("web-alb", a["listener"]);
        Assert.Equal("web", a["pool"]);
        Assert.Equal(502, a["status"]);
        Assert.Null(a["connect_time"]);
        Assert.Null(a["header_time"]);
        Assert.Null(a["response_time"]);
        Assert.Equal(502, a["client_status"]);
        Assert.Equal(true, a["is_final"]);
        Assert.Equal("GET", a["request_method"]);
    }

    [Fact]
    public void A_target_that_answered_has_its_status_and_processing_time_as_header_time()
    {
        var line = With(10, "500").Replace(" 0.001 -1 -1 502 ", " 0.001 0.734 0.000 500 ");
        var log = TestLines.Load(line, Alb);

        Assert.Equal(500, Cell(log, "status"));
        var a = log.Attempts.Rows[0];
        Assert.Equal(500, a["status"]);
        Assert.Equal(0.734, a["header_time"]);
        Assert.Equal(0.734, Cell(log, "upstream_header_time"));
    }

    [Fact]
    public void A_503_without_a_target_has_no_attempt()
    {
        var line = With(5, "-").Replace(" 0.001 -1 -1 502 ", " -1 -1 -1 503 ").Replace("\"10.0.1.23:8080\"", "\"-\"");
        var log = TestLines.Load(line, Alb);

        Assert.Equal(503, Cell(log, "status"));
        Assert.Equal(0, Cell(log, "upstream_attempts"));
        Assert.Equal(0, log.AttemptCount);
        Assert.Null(Cell(log, "upstream_addr"));
    }

    /// <summary>
    /// AWS writes target "-" for a Lambda function: the guide's two examples, one the function answered (target status
    /// 200, its processing time the header time), one whose invocation failed (502, no target status, error_reason
    /// LambdaInvalidResponse): an attempt the load balancer made for the function.
    /// </summary>
    [Theory]
    [InlineData(TestLines.AlbLambda, 200, 0.001, null)]
    [InlineData(TestLines.AlbLambdaFailed, 502, null, "LambdaInvalidResponse")]
    public void A_lambda_function_is_an_attempt_of_the_function_named_after_its_target_group(string line, int status, double? header, string? reason)
    {
        var log = TestLines.Load(line, Alb);

        Assert.Equal(1, Cell(log, "upstream_attempts"));
        Assert.Equal("lambda:my-targets", Cell(log, "upstream_addr"));
        Assert.Equal(reason, Cell(log, "error_reason"));
        var a = log.Attempts.Rows[0];
        Assert.Equal(("lambda:my-targets", "my-targets", status, header), (a["backend"], a["pool"], a["status"], a["header_time"]));
    }

    [Theory]
    [InlineData("-", "LambdaInvalidResponse", "lambda")]            // no target group written
    [InlineData("targetgroup/orders-fn/0123", "LambdaUnhandled", "lambda:orders-fn")]
    // Longer than AWS allows (32): two such names that differ only at their end are still two functions.
    [InlineData("targetgroup/" + LongGroupName + "-a/0123", "LambdaUnhandled", "lambda:" + LongGroupName + "-a")]
    [InlineData("targetgroup/" + LongGroupName + "-b/0123", "LambdaUnhandled", "lambda:" + LongGroupName + "-b")]
    public void A_lambda_functions_name_comes_from_its_target_group(string arn, string reason, string expected)
    {
        var line = TestLines.WithField(TestLines.WithField(TestLines.AlbLambdaFailed, 17, arn), 25, $"\"{reason}\"");
        var log = TestLines.Load(line, Alb);

        Assert.Equal(expected, log.Attempts.Rows[0]["backend"]);
    }

    private const string LongGroupName = "an-orders-function-group-whose-name-runs-on-well-past-sixty-four-bytes";

    [Fact]
    public void A_request_with_no_target_and_no_lambda_error_still_has_no_attempt()
    {
        // A WAF block (403) and a fixed response: target "-", no target status, no Lambda error reason.
        var waf = TestLines.WithField(TestLines.WithField(TestLines.AlbLambdaFailed, 9, "403"), 25, "\"-\"");
        var log = TestLines.Load(waf, Alb);

        Assert.Equal(0, Cell(log, "upstream_attempts"));
        Assert.Equal(0, log.AttemptCount);
    }

    [Fact]
    public void Minus_one_processing_times_are_missing_not_negative()
    {
        var line = With(22, "-"); // without request_creation_time, request_time is the sum of the three, which -1 makes unknown
        var log = TestLines.Load(line, Alb);
        Assert.Null(Cell(log, "request_time"));
        Assert.Null(log.Attempts["header_time"][0]);

        var known = TestLines.Load(With(22, "-").Replace(" 0.001 -1 -1 502 - ", " 0.001 0.250 0.002 200 200 "), Alb);
        Assert.Equal(0.253, (double)Cell(known, "request_time")!, 9);
    }

    [Fact]
    public void Trailing_newer_fields_are_kept_in_extra_fields()
    {
        var log = TestLines.Load(TestLines.Alb + " TID_1a2b3c4d \"future\"");
        Assert.Equal("TID_1a2b3c4d \"future\"", Cell(log, "extra_fields"));
        Assert.Equal(502, Cell(log, "status"));
    }

    [Fact]
    public void Values_unique_to_each_line_read_back_as_written()
    {
        // Each line's trace_id and conn_trace_id (extra_fields) are its own: a load keeps such values as bytes, made
        // strings when read, and pools the repeated ones (user agent, target group).
        var lines = Enumerable.Range(0, 3000).Select(k =>
            TestLines.WithField(TestLines.Alb, 18, $"\"Root=1-{k:x8}-1a2b3c4d5e6f7a8b9c0d1e2f\"") + $" TID_{k:x16}");
        var log = TestLines.Load(string.Join("\n", lines) + "\n", Alb);

        Assert.Equal(3000, log.RequestCount);
        for (var k = 0; k < 3000; k += 7)
        {
            Assert.Equal($"Root=1-{k:x8}-1a2b3c4d5e6f7a8b9c0d1e2f", Cell(log, "trace_id", k));
            Assert.Equal($"TID_{k:x16}", Cell(log, "extra_fields", k));
            Assert.Equal("curl/8.5.0", Cell(log, "http_user_agent", k));
            Assert.Equal("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067", Cell(log, "target_group_arn", k));
        }
    }

    [Fact]
    public void An_old_line_that_stops_after_the_user_agent_is_read()
    {
        var cut = TestLines.Alb[..(TestLines.Alb.IndexOf("\"curl/8.5.0\"", StringComparison.Ordinal) + "\"curl/8.5.0\"".Length)];
        var log = TestLines.Load(cut, Alb);
        Assert.Equal("curl/8.5.0", Cell(log, "http_user_agent"));
        Assert.Null(Cell(log, "pool_name"));
        Assert.Null(Cell(log, "trace_id"));
        Assert.Equal(1, Cell(log, "upstream_attempts"));
    }

    [Fact]
    public void A_target_list_of_several_items_gives_one_attempt_per_target()
    {
        var line = With(27, "\"503 200\"").Replace("\"10.0.1.23:8080\" \"503 200\"", "\"10.0.1.22:8080 10.0.1.23:8080\" \"503 200\"")
            .Replace(" 0.001 -1 -1 502 - ", " 0.001 0.020 0.000 200 200 ");
        var log = TestLines.Load(line, Alb);

        Assert.Equal(2, Cell(log, "upstream_attempts"));
        Assert.Equal(new object?[] { "10.0.1.22:8080", "10.0.1.23:8080" }, log.Attempts["backend"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { 503, 200 }, log.Attempts["status"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { null, 0.020 }, log.Attempts["header_time"].Cast<object?>().ToArray());
        Assert.Equal("10.0.1.23:8080", Cell(log, "upstream_addr"));
    }

    [Fact]
    public void A_request_AWS_could_not_read_keeps_its_status_without_a_method()
    {
        var line = With(13, "\"- - - \"").Replace(" 0.001 -1 -1 502 - 812 ", " -1 -1 -1 400 - 812 ");
        var log = TestLines.Load(line.Replace("10.0.1.23:8080 -1", "- -1"), Alb);
        Assert.Equal(400, Cell(log, "status"));
        Assert.Null(Cell(log, "request_method"));
        Assert.Null(Cell(log, "router_request_uri"));
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("2024-05-01T10:15:30.123456Z")]
    public void A_line_whose_type_is_not_an_alb_listener_type_is_rejected(string type)
    {
        var log = TestLines.Load(TestLines.Alb + "\n" + With(1, type) + "\n", Alb);
        Assert.Equal(1, log.Report.Rejected);
        Assert.Equal("format-mismatch", log.Report.Examples[0].Reason);
    }
}
