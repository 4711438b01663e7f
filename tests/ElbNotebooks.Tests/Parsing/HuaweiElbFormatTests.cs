using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Tests.Parsing;

public class HuaweiElbFormatTests
{
    private static DataFrameRow OnlyRow(AccessLog log)
    {
        Assert.Equal(1, log.RequestCount);
        return log.Requests.Rows[0];
    }

    private static object? Cell(AccessLog log, string column, long row = 0) => log.Requests[column][row];

    [Fact]
    public void The_seed_line_is_read_field_by_field()
    {
        var log = TestLines.Load(TestLines.Seed + "\n");
        OnlyRow(log);

        Assert.Equal(1554944564.344, Cell(log, "msec"));
        Assert.Null(Cell(log, "access_log_topic_id"));
        Assert.Equal(new DateTime(2019, 4, 11, 1, 2, 44, DateTimeKind.Utc), Cell(log, "time"));
        Assert.Equal(DateTimeKind.Utc, ((DateTime)Cell(log, "time")!).Kind);
        Assert.Equal(480, Cell(log, "offset_minutes"));
        Assert.Equal(TimeSpan.FromHours(8), log.UtcOffset);
        Assert.Equal("elb", Cell(log, "log_ver"));
        Assert.Equal("10.133.251.171", Cell(log, "remote_addr"));
        Assert.Equal(51527, Cell(log, "remote_port"));
        Assert.Equal(500, Cell(log, "status"));
        Assert.Equal("GET", Cell(log, "request_method"));
        Assert.Equal("http", Cell(log, "scheme"));
        Assert.Equal("10.154.73.58:5971", Cell(log, "host"));
        Assert.Equal("/", Cell(log, "router_request_uri"));
        Assert.Equal("HTTP/1.1", Cell(log, "server_protocol"));
        Assert.Equal(411L, Cell(log, "request_length"));
        Assert.Equal(3726L, Cell(log, "bytes_sent"));
        Assert.Equal(3545L, Cell(log, "body_bytes_sent"));
        Assert.Equal(19.028, Cell(log, "request_time"));
        Assert.Equal(500, Cell(log, "upstream_status"));
        Assert.Equal(0.009, Cell(log, "upstream_connect_time"));
        Assert.Equal(19.028, Cell(log, "upstream_header_time"));
        Assert.Equal(19.028, Cell(log, "upstream_response_time"));
        Assert.Equal("172.17.0.82:3000", Cell(log, "upstream_addr"));
        Assert.Equal(1, Cell(log, "upstream_attempts"));
        Assert.StartsWith("Mozilla/5.0 (Windows NT 6.1; Win64; x64)", (string)Cell(log, "http_user_agent")!);
        Assert.Equal("", Cell(log, "http_referer"));
        Assert.Null(Cell(log, "http_x_forwarded_for"));
        Assert.Equal("loadbalancer_ed0f790b-e194-4657-9f97-53426227099e", Cell(log, "lb_name"));
        Assert.Equal("listener_b21dd0a9-690a-4945-950e-b134095c6bd9", Cell(log, "listener_name"));
        Assert.Equal("6b6aaf84d72b40fcb2d2b9b28f6a0b83", Cell(log, "listener_id"));
        // The legacy layout stops at field 22: later fields are missing, not zero.
        Assert.Null(Cell(log, "pool_name"));
        Assert.Null(Cell(log, "eip_port"));
        Assert.Null(Cell(log, "tcpinfo_rtt"));
        Assert.Equal("test.log", Cell(log, "file"));
        Assert.Equal(1L, Cell(log, "line"));
    }

    [Fact]
    public void The_seed_line_has_one_attempt_charged_to_its_backend()
    {
        var log = TestLines.Load(TestLines.Seed);
        Assert.Equal(1, log.AttemptCount);
        var a = log.Attempts.Rows[0];
        Assert.Equal(0L, a["request"]);
        Assert.Equal(0, a["attempt"]);
        Assert.Equal(true, a["is_final"]);
        Assert.Equal("172.17.0.82:3000", a["backend"]);
        Assert.Equal("listener_b21dd0a9-690a-4945-950e-b134095c6bd9", a["listener"]);
        Assert.Null(a["pool"]);
        Assert.Equal(500, a["status"]);
        Assert.Equal(0.009, a["connect_time"]);
        Assert.Equal(19.028, a["header_time"]);
        Assert.Equal(19.028, a["response_time"]);
        Assert.Equal(500, a["client_status"]);
        Assert.Equal("GET", a["request_method"]);
    }

    [Fact]
    public void A_full_layout_line_is_read_field_by_field()
    {
        var log = TestLines.Load(TestLines.FullWithRetry);
        OnlyRow(log);
        Assert.Equal("eb11c5a9-7f1e-4d2c-9a8b-1c2d3e4f5a6b", Cell(log, "access_log_topic_id"));
        Assert.Equal(new DateTime(2024, 5, 1, 2, 15, 30, DateTimeKind.Utc), Cell(log, "time"));
        Assert.Equal("elb_01", Cell(log, "log_ver"));
        Assert.Equal("192.168.1.1", Cell(log, "remote_addr"));
        Assert.Equal(888, Cell(log, "remote_port"));
        Assert.Equal(200, Cell(log, "status"));
        Assert.Equal("POST", Cell(log, "request_method"));
        Assert.Equal("https", Cell(log, "scheme"));
        Assert.Equal("www.test.com", Cell(log, "host"));
        Assert.Equal("/example/?id=7", Cell(log, "router_request_uri"));
        Assert.Equal(5.031, Cell(log, "request_time"));
        Assert.Equal(200, Cell(log, "upstream_status"));
        Assert.Equal("10.0.1.24:8080", Cell(log, "upstream_addr"));
        Assert.Equal(2, Cell(log, "upstream_attempts"));
        Assert.Equal("curl/8.5.0", Cell(log, "http_user_agent"));
        Assert.Equal("https://www.test.com/", Cell(log, "http_referer"));
        Assert.Equal("203.0.113.9", Cell(log, "http_x_forwarded_for"));
        Assert.Equal("loadbalancer_0a1b", Cell(log, "lb_name"));
        Assert.Equal("lsnr_web", Cell(log, "listener_name"));
        Assert.Equal("6b6aaf84", Cell(log, "listener_id"));
        Assert.Equal("pool_web", Cell(log, "pool_name"));
        Assert.Null(Cell(log, "member_name"));
        Assert.Equal("tenant42", Cell(log, "tenant_id"));
        Assert.Equal("121.64.212.1", Cell(log, "eip_address"));
        Assert.Equal(443, Cell(log, "eip_port"));
        Assert.Equal("10.1.1.23:8080, 10.1.1.24:8080", Cell(log, "upstream_addr_priv"));
        Assert.Null(Cell(log, "certificate_id"));
        Assert.Equal("TLSv1.2", Cell(log, "ssl_protocol"));
        Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", Cell(log, "ssl_cipher"));
        Assert.Equal("www.test.com", Cell(log, "sni_domain_name"));
        Assert.Equal(56704L, Cell(log, "tcpinfo_rtt"));
        Assert.Null(Cell(log, "self_defined_header"));
        Assert.Null(Cell(log, "request_header_length"));
        Assert.Null(Cell(log, "extra_fields"));
    }

    [Fact]
    public void Retries_become_one_attempt_per_backend_matched_by_position()
    {
        var log = TestLines.Load(TestLines.FullWithRetry);
        Assert.Equal(2, log.AttemptCount);
        var first = log.Attempts.Rows[0];
        var last = log.Attempts.Rows[1];

        Assert.Equal("10.0.1.23:8080", first["backend"]);
        Assert.Equal("10.1.1.23:8080", first["backend_private"]);
        Assert.Equal(504, first["status"]);
        Assert.Equal(0.001, first["connect_time"]);
        Assert.Null(first["header_time"]);
        Assert.Equal(5.000, first["response_time"]);
        Assert.Equal(false, first["is_final"]);
        Assert.Equal(200, first["client_status"]);

        Assert.Equal("10.0.1.24:8080", last["backend"]);
        Assert.Equal(200, last["status"]);
        Assert.Equal(0.018, last["header_time"]);
        Assert.Equal(0.020, last["response_time"]);
        Assert.Equal(true, last["is_final"]);
        Assert.Equal(1, last["attempt"]);
        Assert.Equal("pool_web", last["pool"]);
    }

    [Fact]
    public void Groups_after_an_internal_redirect_are_split_on_the_colon_separator()
    {
        var line = TestLines.WithField(TestLines.FullWithRetry, 12, "\"502, 502 : 200\"");
        line = TestLines.WithField(line, 13, "\"0.001, 0.002 : 0.003\"");
        line = TestLines.WithField(line, 14, "\"-, - : 0.010\"");
        line = TestLines.WithField(line, 15, "\"0.001, 0.002 : 0.011\"");
        line = TestLines.WithField(line, 16, "\"10.0.0.1:80, 10.0.0.2:80 : 10.0.9.1:80\"");
        var log = TestLines.Load(line);

        Assert.Equal(3, log.AttemptCount);
        Assert.Equal(new object?[] { "10.0.0.1:80", "10.0.0.2:80", "10.0.9.1:80" }, log.Attempts["backend"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { 502, 502, 200 }, log.Attempts["status"].Cast<object?>().ToArray());
        Assert.Equal(new object?[] { null, null, 0.010 }, log.Attempts["header_time"].Cast<object?>().ToArray());
    }

    [Fact]
    public void A_request_the_load_balancer_answered_itself_has_no_attempt()
    {
        var line = TestLines.WithField(TestLines.FullWithRetry, 6, "503");
        foreach (var field in new[] { 12, 13, 14, 15, 16 }) line = TestLines.WithField(line, field, "\"-\"");
        line = TestLines.WithField(line, 27, "\"-\"");
        var log = TestLines.Load(line);

        Assert.Equal(1, log.RequestCount);
        Assert.Equal(0, log.AttemptCount);
        Assert.Equal(0, Cell(log, "upstream_attempts"));
        Assert.Null(Cell(log, "upstream_status"));
        Assert.Null(Cell(log, "upstream_addr"));
    }

    [Fact]
    public void Unknown_trailing_fields_are_kept_and_the_2025_fields_are_read()
    {
        var line = TestLines.FullWithRetry + " 512 waf-block WAF0042 \"my pool\" future_field \"another one\"";
        var log = TestLines.Load(line);

        Assert.Equal(512L, Cell(log, "request_header_length"));
        Assert.Equal("waf-block", Cell(log, "actions_executed"));
        Assert.Equal("WAF0042", Cell(log, "error_reason"));
        Assert.Equal("my pool", Cell(log, "pool_usr_name"));
        Assert.Equal("future_field \"another one\"", Cell(log, "extra_fields"));
    }

    [Fact]
    public void Escaped_quotes_inside_values_are_unescaped()
    {
        var line = TestLines.WithField(TestLines.FullWithRetry, 17, "\"Agent \\x22quoted\\x22 \\\"too\\\" back\\\\slash\"");
        var log = TestLines.Load(line);

        Assert.Equal("Agent \"quoted\" \"too\" back\\slash", Cell(log, "http_user_agent"));
        Assert.Equal("https://www.test.com/", Cell(log, "http_referer"));
    }

    [Fact]
    public void An_unescaped_quote_not_followed_by_a_space_does_not_end_the_value()
    {
        var line = TestLines.WithField(TestLines.FullWithRetry, 17, "\"say\"hi\"there\"");
        var log = TestLines.Load(line);
        Assert.Equal("say\"hi\"there", Cell(log, "http_user_agent"));
        Assert.Equal("pool_web", Cell(log, "pool_name"));
    }

    [Theory]
    [InlineData("2001:db8::7:51544", "2001:db8::7", 51544)]
    [InlineData("[2001:db8::7]:443", "2001:db8::7", 443)]
    [InlineData("::1:8", "::1", 8)]
    public void IPv6_client_addresses_are_split_at_the_last_colon(string field, string address, int port)
    {
        var log = TestLines.Load(TestLines.WithField(TestLines.FullWithRetry, 5, field));
        Assert.Equal(address, Cell(log, "remote_addr"));
        Assert.Equal(port, Cell(log, "remote_port"));
    }

    [Fact]
    public void Non_utf8_bytes_are_replaced_and_the_line_still_parsed()
    {
        var line = System.Text.Encoding.UTF8.GetBytes(TestLines.WithField(TestLines.FullWithRetry, 17, "\"bad XX agent\""));
        var at = Array.IndexOf(line, (byte)'X');
        line[at] = 0xC3;
        line[at + 1] = 0x28; // 0xC3 must be followed by a continuation byte: invalid UTF-8
        var log = TestLines.Load(line);

        Assert.Equal(1, log.RequestCount);
        Assert.Equal("bad \uFFFD( agent", Cell(log, "http_user_agent"));
        Assert.Equal(1, log.Report.ReplacedEncoding);
    }

    [Fact]
    public void Crlf_endings_and_a_missing_final_newline_are_accepted()
    {
        var log = TestLines.Load(TestLines.Seed + "\r\n" + TestLines.FullWithRetry);
        Assert.Equal(2, log.RequestCount);
        Assert.Null(Cell(log, "extra_fields", 1));
        Assert.Equal(3545L, Cell(log, "body_bytes_sent", 0));
    }

    [Fact]
    public void A_line_of_more_than_a_megabyte_is_parsed()
    {
        var agent = new string('a', 1_500_000);
        var log = TestLines.Load(TestLines.Seed + "\n" + TestLines.WithField(TestLines.FullWithRetry, 17, $"\"{agent}\""));
        Assert.Equal(2, log.RequestCount);
        Assert.Equal(agent, Cell(log, "http_user_agent", 1));
    }

    [Fact]
    public void A_missing_value_is_null_not_zero()
    {
        var line = TestLines.WithField(TestLines.FullWithRetry, 8, "-");
        line = TestLines.WithField(line, 11, "-");
        var log = TestLines.Load(line);
        Assert.Null(Cell(log, "request_length"));
        Assert.Null(Cell(log, "request_time"));
        Assert.Equal(251L, Cell(log, "bytes_sent"));
    }

    [Fact]
    public void A_request_line_without_url_keeps_method_and_protocol()
    {
        var log = TestLines.Load(TestLines.WithField(TestLines.Seed, 7, "\"GET HTTP/1.1\""));
        Assert.Equal("GET", Cell(log, "request_method"));
        Assert.Equal("HTTP/1.1", Cell(log, "server_protocol"));
        Assert.Null(Cell(log, "router_request_uri"));
    }

    [Theory]
    [InlineData("2024-05-01T10:15:30Z", 2024, 5, 1, 10, 15, 30, 0, 0)]
    [InlineData("2024-05-01T10:15:30.250-05:30", 2024, 5, 1, 15, 45, 30, 250, -330)]
    [InlineData("2024-12-31T23:59:59+0100", 2024, 12, 31, 22, 59, 59, 0, 60)]
    public void Timestamps_keep_the_instant_in_utc_and_the_offset(string text, int y, int mo, int d, int h, int mi, int s, int ms, int offset)
    {
        Assert.True(ElbNotebooks.Parsing.Utf8Values.TryIsoTimestamp(System.Text.Encoding.ASCII.GetBytes(text), out var utc, out var minutes));
        Assert.Equal(new DateTime(y, mo, d, h, mi, s, ms, DateTimeKind.Utc), utc);
        Assert.Equal(offset, minutes);
    }

    [Theory]
    [InlineData("2024-13-01T10:15:30+08:00")]
    [InlineData("2024-02-30T10:15:30+08:00")]
    [InlineData("2024-05-01T10:15:30")]
    [InlineData("2024-05-01 10:15")]
    [InlineData("yesterday")]
    public void Impossible_timestamps_are_refused(string text) =>
        Assert.False(ElbNotebooks.Parsing.Utf8Values.TryIsoTimestamp(System.Text.Encoding.ASCII.GetBytes(text), out _, out _));

    [Fact]
    public void A_worker_reads_a_repeated_timestamp_as_the_first_and_still_refuses_a_bad_one()
    {
        var last = new ElbNotebooks.Parsing.LastTimestamp();
        var texts = new[]
        {
            "2024-05-01T10:15:30+08:00", "2024-05-01T10:15:30+08:00", "2024-05-01T10:15:31+08:00", "2024-13-01T10:15:31+08:00",
            "2024-05-01T10:15:31+08:00", "2024-05-01T10:15:31Z", "01/May/2024:10:15:31 +0800", "01/May/2024:10:15:31 +0800",
        };
        foreach (var text in texts)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(text);
            var nginx = text.Contains('/');
            var expected = nginx
                ? ElbNotebooks.Parsing.Utf8Values.TryNginxLocalTime(bytes, out var utc, out var minutes)
                : ElbNotebooks.Parsing.Utf8Values.TryIsoTimestamp(bytes, out utc, out minutes);
            DateTime cachedUtc;
            int cachedMinutes;
            var read = nginx ? last.TryNginxLocal(bytes, out cachedUtc, out cachedMinutes) : last.TryIso(bytes, out cachedUtc, out cachedMinutes);
            Assert.Equal(expected, read);
            if (!read) continue;
            Assert.Equal(utc, cachedUtc);
            Assert.Equal(minutes, cachedMinutes);
        }
    }
}
