using System.Globalization;
using CsCheck;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>A value the format cannot hold (status 999, a time of 1e308 s) rejects its line with the reason; it never becomes an answer.</summary>
public class ImpossibleValuesTests
{
    private static readonly LoadOptions Alb = new() { Format = "aws-alb" };
    private static readonly LoadOptions Clb = new() { Format = "aws-clb" };
    private static readonly LoadOptions Nginx = new() { Format = "nginx", NginxLogFormat = TestLines.NginxUpstreamDirective };

    public static TheoryData<string, string, string, string> Lines => new()
    {
        // format, line, reason, text the detail holds
        { "huawei", TestLines.WithField(TestLines.Seed, 6, "999"), "bad-status", "'999'" },
        { "huawei", TestLines.WithField(TestLines.Seed, 6, "1000"), "bad-status", "'1000'" },
        { "huawei", TestLines.WithField(TestLines.Seed, 6, "000"), "bad-status", "'000'" },
        { "huawei", TestLines.WithField(TestLines.Seed, 6, "-1"), "bad-status", "'-1'" },
        { "huawei", TestLines.WithField(TestLines.Seed, 6, "99"), "bad-status", "(100-599)" },
        { "huawei", TestLines.WithField(TestLines.Seed, 11, "1e308"), "bad-duration", "request_time" },
        { "huawei", TestLines.WithField(TestLines.Seed, 11, "-0.5"), "bad-duration", "'-0.5'" },
        { "huawei", TestLines.WithField(TestLines.Seed, 11, "NaN"), "bad-number", "request_time" },
        { "huawei", TestLines.WithField(TestLines.Seed, 11, "604801"), "bad-duration", "0 to 604800 seconds" },
        { "huawei", TestLines.WithField(TestLines.Seed, 12, "\"502, 502, 200\""), "upstream-mismatch", "upstream_status has 3 item(s) but upstream_addr has 1" },
        { "huawei", TestLines.WithField(TestLines.FullWithRetry, 16, "\"10.0.1.23:8080\""), "upstream-mismatch", "has 2 item(s) but upstream_addr has 1" },
        { "huawei", TestLines.WithField(TestLines.FullWithRetry, 14, "\"-, 1e308\""), "bad-duration", "upstream_header_time" },
        { "huawei", TestLines.WithField(TestLines.FullWithRetry, 13, "\"0.001, -0.2\""), "bad-duration", "upstream_connect_time" },
        { "huawei", TestLines.WithField(TestLines.FullWithRetry, 12, "\"504, 999\""), "bad-status", "'999'" },
        { "nginx", TestLines.NginxUpstreamRetry.Replace("\"502, 201\"", "\"502, 502, 201\""), "upstream-mismatch", "upstream_status has 3" },
        { "nginx", TestLines.NginxUpstreamRetry.Replace("\"-, 0.048\"", "\"-, 1e308\""), "bad-duration", "upstream_header_time" },
        { "huawei", TestLines.FullWithRetry.Replace("\"curl/8.5.0\"", "\"curl/8.5.0"), "unterminated-quote", "field 19 (http_x_forwarded_for) is not quoted" },
        { "huawei", TestLines.Seed.Replace("Safari/537.36\"", "Safari/537.36"), "unterminated-quote", "(http_x_forwarded_for) is not quoted" },
        { "huawei", TestLines.FullWithRetry.Replace("\"10.0.1.23:8080, 10.0.1.24:8080\" \"curl", "\"10.0.1.23:8080, 10.0.1.24:8080 \"curl"), "unterminated-quote", "is not quoted" },
        { "alb", TestLines.Alb.Replace("\"curl/8.5.0\"", "\"curl/8.5.0"), "unterminated-quote", "is not quoted" },
        { "alb", TestLines.Alb.Replace("HTTP/1.1\" \"curl", "HTTP/1.1 \"curl"), "unterminated-quote", "is not quoted" },
        { "alb", TestLines.Alb.Replace("\"forward\"", "forward\""), "unterminated-quote", "field 23 (actions_executed) is not quoted" },
        { "clb", TestLines.Clb.Replace("\"curl/8.5.0\"", "curl/8.5.0\""), "unterminated-quote", "field 13 (user_agent) is not quoted" },
        { "alb", TestLines.WithField(TestLines.Alb, 9, "999"), "bad-status", "'999'" },
        { "alb", TestLines.WithField(TestLines.Alb, 10, "600"), "bad-status", "'600'" },
        { "clb", TestLines.WithField(TestLines.Clb, 8, "000"), "bad-status", "'000'" },
        { "clb", TestLines.WithField(TestLines.Clb, 9, "1000"), "bad-status", "'1000'" },
        { "nginx", TestLines.NginxUpstreamRetry.Replace(" 201 88 ", " 999 88 "), "bad-status", "'999'" },
        { "nginx", TestLines.NginxUpstreamRetry.Replace(" 0.052 ", " 1e308 "), "bad-duration", "request_time" },
        { "nginx", TestLines.NginxUpstreamRetry.Replace(" 0.052 ", " -3 "), "bad-duration", "'-3'" },
    };

    private static LoadOptions OptionsFor(string format) => format switch
    {
        "alb" => Alb,
        "clb" => Clb,
        "nginx" => Nginx,
        _ => LoadOptions.Default,
    };

    /// <summary>A good line of the damaged line's layout: a file's lines share one, and a shorter line is cut short.</summary>
    private static string GoodLine(string format, string damaged) => format switch
    {
        "alb" => TestLines.Alb,
        "clb" => TestLines.Clb,
        "nginx" => TestLines.NginxUpstreamRetry,
        _ => damaged.StartsWith(TestLines.Seed[..15], StringComparison.Ordinal) ? TestLines.Seed : TestLines.FullWithRetry,
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void An_impossible_value_rejects_its_line_with_the_reason_and_keeps_the_good_ones(string format, string line, string reason, string detail)
    {
        var good = GoodLine(format, line);
        var report = TestLines.Load(good + "\n" + line + "\n" + good + "\n", OptionsFor(format), name: "damaged.log").Report;

        Assert.Equal(2, report.Parsed);
        Assert.Equal(1, report.Rejected);
        var example = Assert.Single(report.Examples);
        Assert.Equal(reason, example.Reason);
        Assert.Equal("damaged.log", example.File);
        Assert.Equal(2, example.Line);
        Assert.Contains(detail, example.Detail);
    }

    [Fact]
    public void Every_status_from_100_to_599_is_read_and_every_other_number_rejected()
    {
        Gen.Int[-2000, 2000].Sample(status =>
        {
            var report = TestLines.Load(TestLines.Seed + "\n" + TestLines.WithField(TestLines.Seed, 6, status.ToString(CultureInfo.InvariantCulture))).Report;
            var valid = status is >= 100 and <= 599;
            Assert.Equal(valid ? 2 : 1, report.Parsed);
            if (!valid) Assert.Equal(1, report.RejectionsByReason["bad-status"]);
        }, iter: 300);
    }

    [Fact]
    public void A_request_time_is_kept_exactly_when_it_is_a_sane_duration()
    {
        Gen.Double[-1e9, 1e9].Sample(seconds =>
        {
            var text = seconds.ToString("R", CultureInfo.InvariantCulture);
            var log = TestLines.Load(TestLines.Seed + "\n" + TestLines.WithField(TestLines.Seed, 11, text));
            if (seconds is >= 0 and <= 604800)
                Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), (double)log.Requests["request_time"][1]!, 6);
            else
                Assert.Equal(1, log.Report.RejectionsByReason["bad-duration"]);
        }, iter: 300);
    }
}

/// <summary>Upstream lists are matched by position, so lists of different lengths are rejected, never guessed at.</summary>
public class UpstreamListLengthTests
{
    private static string Line(int addrs, int statuses) =>
        TestLines.WithField(
            TestLines.WithField(TestLines.WithField(TestLines.WithField(TestLines.WithField(TestLines.Seed, 13, "\"-\""), 14, "\"-\""), 15, "\"-\""), 16, "\"" + string.Join(", ", Enumerable.Range(1, addrs).Select(i => $"10.0.0.{i}:80")) + "\""),
            12, "\"" + string.Join(", ", Enumerable.Repeat("502", statuses - 1).Append("200")) + "\"");

    [Fact]
    public void Lists_of_equal_length_expand_into_one_attempt_each_and_others_are_rejected()
    {
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 5]).Sample((addrs, statuses) =>
        {
            var log = TestLines.Load(TestLines.Seed + "\n" + Line(addrs, statuses));
            if (addrs == statuses)
            {
                Assert.Equal(2, log.Report.Parsed);
                Assert.Equal(1 + addrs, log.AttemptCount);
            }
            else
            {
                Assert.Equal(1, log.Report.RejectionsByReason["upstream-mismatch"]);
                Assert.Equal(1, log.AttemptCount);
            }
        }, iter: 60);
    }
}
