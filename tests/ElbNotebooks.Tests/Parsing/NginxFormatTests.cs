using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

public class NginxFormatTests
{
    private static readonly LoadOptions Upstream = new() { NginxLogFormat = TestLines.NginxUpstreamDirective };

    private static object? Cell(AccessLog log, string column, long row = 0) => log.Requests[column][row];

    [Fact]
    public void A_combined_line_is_read_field_by_field()
    {
        var log = TestLines.Load(TestLines.NginxCombined + "\n");

        Assert.Equal("nginx", log.Format);
        Assert.Equal(new DateTime(2024, 5, 1, 8, 15, 30, DateTimeKind.Utc), Cell(log, "time"));
        Assert.Equal(120, Cell(log, "offset_minutes"));
        Assert.Equal("203.0.113.7", Cell(log, "remote_addr"));
        Assert.Null(Cell(log, "remote_port"));
        Assert.Equal("GET", Cell(log, "request_method"));
        Assert.Null(Cell(log, "scheme"));
        Assert.Null(Cell(log, "host"));
        Assert.Equal("/cart?id=7", Cell(log, "router_request_uri"));
        Assert.Equal("HTTP/1.1", Cell(log, "server_protocol"));
        Assert.Equal(200, Cell(log, "status"));
        Assert.Equal(5123L, Cell(log, "body_bytes_sent"));
        Assert.Null(Cell(log, "bytes_sent"));
        Assert.Equal("https://shop.example.com/", Cell(log, "http_referer"));
        Assert.Equal("curl/8.5.0", Cell(log, "http_user_agent"));
        Assert.Null(Cell(log, "request_time"));
        Assert.Null(Cell(log, "listener_name"));
        Assert.Null(Cell(log, "pool_name"));
        // combined has no upstream variables: whether a backend was tried is unknown, not "none".
        Assert.Null(Cell(log, "upstream_attempts"));
        Assert.Equal(0, log.AttemptCount);
        Assert.Null(Cell(log, "extra_fields"));
    }

    [Fact]
    public void The_main_format_read_as_combined_keeps_x_forwarded_for_in_extra_fields()
    {
        var log = TestLines.Load(TestLines.NginxCombined + " \"198.51.100.4\"");
        Assert.Equal("curl/8.5.0", Cell(log, "http_user_agent"));
        Assert.Equal("\"198.51.100.4\"", Cell(log, "extra_fields"));
    }

    [Fact]
    public void A_custom_upstream_format_gives_one_attempt_per_backend_matched_by_position()
    {
        var log = TestLines.Load(TestLines.NginxUpstreamRetry, Upstream);

        Assert.Equal("nginx", log.Format);
        Assert.Equal(201, Cell(log, "status"));
        Assert.Equal("POST", Cell(log, "request_method"));
        Assert.Equal("/api/orders", Cell(log, "router_request_uri"));
        Assert.Null(Cell(log, "http_referer"));
        Assert.Equal("okhttp/4.12", Cell(log, "http_user_agent"));
        Assert.Equal(0.052, Cell(log, "request_time"));
        Assert.Equal(2, Cell(log, "upstream_attempts"));
        Assert.Equal(201, Cell(log, "upstream_status"));
        Assert.Equal("10.0.1.24:8080", Cell(log, "upstream_addr"));
        Assert.Equal(0.002, Cell(log, "upstream_connect_time"));
        Assert.Equal(0.048, Cell(log, "upstream_header_time"));
        Assert.Equal(0.050, Cell(log, "upstream_response_time"));

        var attempts = log.Attempts;
        Assert.Equal(new object?[] { "10.0.1.23:8080", "10.0.1.24:8080" }, attempts["backend"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { 502, 201 }, attempts["status"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { null, 0.048 }, attempts["header_time"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { 0.001, 0.002 }, attempts["connect_time"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { false, true }, attempts["is_final"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { 201, 201 }, attempts["client_status"].Cast<object?>().ToArray());
    }

    [Fact]
    public void When_no_server_could_be_selected_the_group_name_is_the_pool_and_there_is_no_attempt()
    {
        var line = "203.0.113.7 - - [01/May/2024:10:15:30 +0000] \"GET /cart HTTP/1.1\" 502 157 \"-\" \"curl/8.5.0\" 0.000 \"shop_backend\" \"502\" \"-\" \"-\" \"-\"";
        var log = TestLines.Load(line, Upstream);

        Assert.Equal(502, Cell(log, "status"));
        Assert.Equal(0, Cell(log, "upstream_attempts"));
        Assert.Equal(0, log.AttemptCount);
        Assert.Equal("shop_backend", Cell(log, "pool_name"));
        Assert.Null(Cell(log, "upstream_addr"));
    }

    [Fact]
    public void An_unset_upstream_variable_means_nginx_answered_itself()
    {
        var line = "203.0.113.7 - - [01/May/2024:10:15:30 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\" 0.000 \"-\" \"-\" \"-\" \"-\" \"-\"";
        var log = TestLines.Load(line, Upstream);
        Assert.Equal(0, Cell(log, "upstream_attempts"));
        Assert.Null(Cell(log, "upstream_status"));
    }

    [Fact]
    public void Groups_after_an_internal_redirect_are_split_on_the_colon_separator()
    {
        var line = "203.0.113.7 - - [01/May/2024:10:15:30 +0000] \"GET / HTTP/1.1\" 200 2 \"-\" \"curl/8.5.0\" 0.030 \"10.0.0.1:80, 10.0.0.2:80 : 10.0.9.1:80\" \"504, 502 : 200\" \"-, 0.001 : 0.001\" \"-, - : 0.020\" \"5.000, 0.001 : 0.025\"";
        var log = TestLines.Load(line, Upstream);
        Assert.Equal(new object?[] { "10.0.0.1:80", "10.0.0.2:80", "10.0.9.1:80" }, log.Attempts["backend"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { 504, 502, 200 }, log.Attempts["status"].Cast<object?>().ToArray());
    }

    [Fact]
    public void Unquoted_upstream_lists_are_not_cut_at_their_separators()
    {
        var options = new LoadOptions
        {
            NginxLogFormat = "$time_iso8601 $status $upstream_addr $upstream_status $upstream_header_time $request_time",
        };
        var log = TestLines.Load("2024-05-01T10:15:30+00:00 200 10.0.1.23:8080, 10.0.1.24:8080 502, 200 -, 0.011 0.015", options);
        Assert.Equal(2, Cell(log, "upstream_attempts"));
        Assert.Equal(new object?[] { null, 0.011 }, log.Attempts["header_time"].Cast<object?>().ToArray());
        Assert.Equal(0.015, Cell(log, "request_time"));
    }

    [Fact]
    public void Server_name_host_proxy_host_and_request_id_fill_listener_pool_and_trace_id()
    {
        var options = new LoadOptions
        {
            NginxLogFormat = """
                log_format lb escape=default '$remote_addr:$remote_port [$time_local] $server_name "$host" '
                                           '"$request_method $scheme://$host$request_uri $server_protocol" $status $bytes_sent '
                                           '$request_id ${proxy_host} "$upstream_addr" "$upstream_status" "$upstream_header_time"';
                """,
        };
        var line = "203.0.113.7:51544 [01/May/2024:10:15:30 +0000] shop.example.com \"shop.example.com\" \"GET https://shop.example.com/cart HTTP/2.0\" 200 1043 4f6c2b0e9a shop_backend \"10.0.1.23:8080\" \"200\" \"0.011\"";
        var log = TestLines.Load(line, options);

        Assert.Equal(51544, Cell(log, "remote_port"));
        Assert.Equal("shop.example.com", Cell(log, "listener_name"));
        Assert.Equal("shop_backend", Cell(log, "pool_name"));
        Assert.Equal("4f6c2b0e9a", Cell(log, "trace_id"));
        Assert.Equal("https", Cell(log, "scheme"));
        Assert.Equal("shop.example.com", Cell(log, "host"));
        Assert.Equal("/cart", Cell(log, "router_request_uri"));
        Assert.Equal("HTTP/2.0", Cell(log, "server_protocol"));
        Assert.Equal(1043L, Cell(log, "bytes_sent"));
        Assert.Equal("shop_backend", log.Attempts["pool"][0]);
        Assert.Equal("shop.example.com", log.Attempts["listener"][0]);
    }

    [Fact]
    public void Escaped_quotes_inside_a_user_agent_are_unescaped()
    {
        var log = TestLines.Load(TestLines.NginxCombined.Replace("curl/8.5.0", "say \\x22hi\\x22"));
        Assert.Equal("say \"hi\"", Cell(log, "http_user_agent"));
    }

    [Fact]
    public void A_line_that_does_not_follow_the_format_is_rejected_with_what_was_expected()
    {
        var log = TestLines.Load(TestLines.NginxUpstreamRetry + "\n" + TestLines.NginxCombined + "\n", Upstream with { Format = "nginx" });
        Assert.Equal(1, log.Report.Parsed);
        var example = Assert.Single(log.Report.Examples);
        Assert.Equal("format-mismatch", example.Reason);
        Assert.Contains("$http_user_agent", example.Detail);
    }

    [Theory]
    [InlineData("log_format x '$remote_addr $status';", "no $time_local")]
    [InlineData("'[$time_local] $request'", "no $status")]
    [InlineData("[$time_local] $status$body_bytes_sent", "not separated")]
    [InlineData("log_format x '[$time_local] $status", "not closed")]
    [InlineData("log_format x;", "needs a name and a format")]
    public void A_directive_that_cannot_be_used_is_refused_with_the_reason(string directive, string reason)
    {
        var e = Assert.Throws<InvalidInputException>(() => LogFormats.Nginx(directive));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_directive_is_compiled_from_several_strings_and_keeps_its_name()
    {
        var format = (NginxFormat)LogFormats.Nginx(TestLines.NginxUpstreamDirective);
        Assert.Equal("upstream", format.LogFormatName);
        Assert.Equal("nginx", format.Name);
        Assert.Equal(
            ["remote_addr", "remote_user", "time_local", "request", "status", "body_bytes_sent", "http_referer", "http_user_agent",
             "request_time", "upstream_addr", "upstream_status", "upstream_connect_time", "upstream_header_time", "upstream_response_time"],
            format.Variables);
        Assert.Equal(NginxFormat.CombinedFormat, ((NginxFormat)LogFormats.Nginx("'" + NginxFormat.CombinedFormat[..40] + "' '" + NginxFormat.CombinedFormat[40..] + "'")).FormatString);
    }

    [Theory]
    [InlineData("01/May/2024:10:15:30 +0000", 2024, 5, 1, 10, 15, 30, 0)]
    [InlineData("31/Dec/2023:23:59:59 -0530", 2024, 1, 1, 5, 29, 59, -330)]
    [InlineData("29/Feb/2024:00:00:00 +0800", 2024, 2, 28, 16, 0, 0, 480)]
    public void Local_times_keep_the_instant_in_utc_and_the_offset(string text, int y, int mo, int d, int h, int mi, int s, int offset)
    {
        Assert.True(Utf8Values.TryNginxLocalTime(System.Text.Encoding.ASCII.GetBytes(text), out var utc, out var minutes));
        Assert.Equal(new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc), utc);
        Assert.Equal(offset, minutes);
    }

    [Theory]
    [InlineData("30/Feb/2024:00:00:00 +0000")]
    [InlineData("01/Mai/2024:10:15:30 +0000")]
    [InlineData("01/May/2024:10:15:30")]
    [InlineData("2024-05-01T10:15:30+00:00")]
    public void Impossible_local_times_are_refused(string text) =>
        Assert.False(Utf8Values.TryNginxLocalTime(System.Text.Encoding.ASCII.GetBytes(text), out _, out _));
}
