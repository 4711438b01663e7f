using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Generation;

/// <summary>
/// The same simulated traffic written as an AWS ALB, an AWS CLB and nginx write it: each format's parser must read it
/// back to the answer the Huawei log gives, the differences being only what the load balancer does differently.
/// </summary>
public class OtherFormatsGenerationTests
{
    private static StreamedInvestigation Investigate(GeneratorOptions options)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", LogGenerator.Lines(options)) + "\n");
        var load = options.Format == GeneratedFormat.Nginx ? new LoadOptions { NginxLogFormat = LogGenerator.NginxLogFormat } : null;
        return AccessLogInvestigation.Investigate([LogSource.FromStream(new MemoryStream(bytes), "generated.log")], load);
    }

    private static GeneratorOptions Scenario(string name, int seed, GeneratedFormat format) =>
        Scenarios.Apply(name, new GeneratorOptions { Seed = seed, RequestsPerSecond = 4, Format = format });

    public static TheoryData<string, int, GeneratedFormat> Cases()
    {
        var data = new TheoryData<string, int, GeneratedFormat>();
        foreach (var (scenario, seed) in new[] { ("mixed", 1), ("backend-500", 4), ("rollout-3", 9), ("pool-outage", 10) })
            foreach (var format in new[] { GeneratedFormat.AwsAlb, GeneratedFormat.AwsClb, GeneratedFormat.Nginx })
                data.Add(scenario, seed, format);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_format_of_the_same_traffic_names_the_same_suspects_in_the_same_windows(string scenario, int seed, GeneratedFormat format)
    {
        var huawei = Investigate(Scenario(scenario, seed, GeneratedFormat.HuaweiElb));
        var other = Investigate(Scenario(scenario, seed, format));

        Assert.NotEmpty(huawei.Suspects);
        Assert.Equal(huawei.Suspects.Select(s => (s.Backend.Backend, s.Health)), other.Suspects.Select(s => (s.Backend.Backend, s.Health)));
        // A CLB times a request when it arrived, the others when it was answered: a slow response near a window's edge
        // may fall in the minute before.
        var slack = format == GeneratedFormat.AwsClb ? TimeSpan.FromMinutes(1) : TimeSpan.Zero;
        foreach (var (expected, actual) in huawei.Suspects.Zip(other.Suspects))
        {
            Assert.InRange(actual.Window.StartUtc, expected.Window.StartUtc - slack, expected.Window.StartUtc);
            Assert.InRange(actual.Window.EndUtc, expected.Window.EndUtc - slack, expected.Window.EndUtc);
        }
        if (format == GeneratedFormat.Nginx)
        {
            // nginx retries on a peer as Huawei's ELB does: every count is the same.
            Assert.Equal(huawei.Requests, other.Requests);
            Assert.Equal(huawei.Suspects.Select(s => (s.FailedAttempts, s.RequestsHurt, s.RequestsRetried)),
                other.Suspects.Select(s => (s.FailedAttempts, s.RequestsHurt, s.RequestsRetried)));
        }
        else
        {
            // An AWS load balancer does not retry: nothing is rescued, every failed attempt hurt its client.
            Assert.All(other.Suspects, s => Assert.Equal(0, s.RequestsRetried));
            Assert.All(other.Suspects.Where(s => s.Health == Health.Failing), s => Assert.Equal(s.FailedAttempts, s.RequestsHurt));
        }
    }

    [Fact]
    public void An_alb_log_has_one_line_per_request_and_a_clb_log_none_for_a_client_that_gave_up()
    {
        var huawei = LogGenerator.Lines(Scenario("client-aborts", 6, GeneratedFormat.HuaweiElb)).ToList();
        var alb = LogGenerator.Lines(Scenario("client-aborts", 6, GeneratedFormat.AwsAlb)).ToList();
        var clb = LogGenerator.Lines(Scenario("client-aborts", 6, GeneratedFormat.AwsClb)).ToList();

        var aborted = huawei.Count(l => l.Contains(" 499 \"", StringComparison.Ordinal));
        Assert.True(aborted > 20, $"{aborted} aborts");
        Assert.Equal(huawei.Count, alb.Count);
        Assert.Equal(aborted, alb.Count(l => l.Split(' ')[8] == "460"));
        Assert.Equal(huawei.Count - aborted, clb.Count);
    }

    [Theory]
    [InlineData(GeneratedFormat.AwsAlb, "aws-alb")]
    [InlineData(GeneratedFormat.AwsClb, "aws-clb")]
    [InlineData(GeneratedFormat.Nginx, "nginx")]
    public void Every_line_parses_in_its_format(GeneratedFormat format, string name)
    {
        var text = string.Join("\n", LogGenerator.Lines(Scenario("mixed", 2, format) with { RequestsPerSecond = 1.5 })) + "\n";
        var load = format == GeneratedFormat.Nginx ? new LoadOptions { NginxLogFormat = LogGenerator.NginxLogFormat } : null;

        var log = AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)), "generated.log", load);

        Assert.Equal(name, log.Format);
        Assert.Equal(0, log.Report.Rejected);
        Assert.Equal(text.Count(c => c == '\n'), log.Report.Parsed);
    }

    [Theory]
    [InlineData(GeneratedFormat.AwsAlb, "| web | `app/shop-elb/", "target_status_code \"-\", with no retry on a peer", "end 460")]
    [InlineData(GeneratedFormat.AwsClb, "| web | `shop-elb` |", "backend_status_code \"-\", with no retry on a peer", "get no line")]
    [InlineData(GeneratedFormat.Nginx, "| web | `121.64.212.1:443` |", "carry $upstream_status 502", "end 499 ($upstream_status")]
    public void The_answer_key_names_what_the_formats_lines_write(GeneratedFormat format, string listener, string refused, string aborts)
    {
        var key = LogGenerator.Key(Scenarios.Apply("mixed", new GeneratorOptions { Format = format })).ToMarkdown();
        var lines = LogGenerator.Lines(Scenarios.Apply("mixed", new GeneratorOptions { Format = format, Seed = 2 })).Take(200).ToList();

        Assert.Contains(listener, key);
        Assert.Contains(refused, key);
        Assert.Contains("client aborts: ~1% of requests " + aborts, key);
        Assert.DoesNotContain("field 2", key); // Huawei's field numbers (21, 23) are no other format's
        Assert.DoesNotContain("loadbalancer_", key);
        var written = listener.Split('`')[1];
        Assert.Contains(lines, line => line.Contains(written, StringComparison.Ordinal));
    }

    [Fact]
    public void A_layout_is_for_huawei_lines_only()
    {
        var e = Assert.Throws<InvalidInputException>(() => LogGenerator.Key(new GeneratorOptions { Format = GeneratedFormat.AwsAlb, Layout = LogLayout.Legacy }));
        Assert.Contains("Huawei ELB lines only", e.Message);
    }
}
