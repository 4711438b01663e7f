using System.Globalization;
using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;
using ElbNotebooks.Tests.Reports;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// A backend with too few attempts to judge is not failing (the judge needs <see cref="InvestigationOptions.MinErrors"/>
/// failed attempts when it has peers to compare with), but it is not "in line with its peers" either when it failed
/// all of them: every view says it had too few attempts. The same for time: a backend whose few responses were all
/// slow has too few responses for a slow verdict (<see cref="InvestigationOptions.MinSlowSamples"/>) but is not in line
/// either. And peers with too few attempts are not "no peer".
/// </summary>
public sealed class TooFewAttemptsTests
{
    /// <summary>The sample's first line, a 200 from 10.0.1.12:8080 at 10:00:00 +08:00 in the web pool.</summary>
    private static readonly string Template = File.ReadLines(TestPaths.SampleLog("elb-web-incident.log")).First();

    /// <summary>A line of the web pool <paramref name="second"/> s after 10:00 +08:00, answered by <paramref name="backend"/> or refused (502 written by the load balancer).</summary>
    private static string Line(int second, string backend, bool refused)
    {
        var line = Template
            .Replace("1714528800.438", $"{1714528800 + second}.438", StringComparison.Ordinal)
            .Replace("[2024-05-01T10:00:00+08:00]", $"[2024-05-01T10:{second / 60:00}:{second % 60:00}+08:00]", StringComparison.Ordinal)
            .Replace("10.0.1.12:8080", backend, StringComparison.Ordinal);
        return refused
            ? line.Replace(" 200 \"GET", " 502 \"GET", StringComparison.Ordinal)
                .Replace("\"200\" \"0.000\" \"0.051\" \"0.051\"", "\"502\" \"0.001\" \"-\" \"0.001\"", StringComparison.Ordinal)
            : line;
    }

    /// <summary>A 200 of the web pool <paramref name="second"/> s after 10:00 +08:00 from <paramref name="backend"/>, its header after <paramref name="header"/> s.</summary>
    private static string Answered(int second, string backend, double header) =>
        Line(second, backend, refused: false)
            .Replace(" 0.064 \"200\" \"0.000\" \"0.051\" \"0.051\"",
                string.Create(CultureInfo.InvariantCulture, $" {header + 0.013:0.000} \"200\" \"0.001\" \"{header:0.000}\" \"{header + 0.001:0.000}\""), StringComparison.Ordinal);

    /// <summary>The web sample plus a new member, 10.0.1.15:8080, whose <paramref name="count"/> responses from 10:27 each took <paramref name="header"/> s.</summary>
    private static string NewMemberAnswering(int count, double header)
    {
        var lines = File.ReadAllLines(TestPaths.SampleLog("elb-web-incident.log")).ToList();
        lines.AddRange(Enumerable.Range(0, count).Select(k => Answered(27 * 60 + 5 * k, "10.0.1.15:8080", header)));
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The web sample plus a new member, 10.0.1.15:8080, that refused each of its 6 connections at 10:27 (the tester's new-backend.log).</summary>
    private static AccessLog NewMemberRefusingAll()
    {
        var lines = File.ReadAllLines(TestPaths.SampleLog("elb-web-incident.log")).ToList();
        lines.AddRange(Enumerable.Range(0, 6).Select(k => Line(27 * 60 + 5 * k, "10.0.1.15:8080", refused: true)));
        return TestLines.Load(string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void A_new_backend_that_refused_its_six_attempts_is_too_few_to_judge_not_in_line_with_its_peers()
    {
        var i = NewMemberRefusingAll().Investigate();

        var b = Assert.Single(i.Backends, b => b.Backend == "10.0.1.15:8080");
        var v = b.Verdict;
        // Not failing: 6 failed attempts are fewer than MinErrors, as the judge's rule says; so not a suspect either.
        Assert.Equal(Health.Healthy, v.Health);
        Assert.DoesNotContain(i.Suspects, s => s.Backend.Backend == "10.0.1.15:8080");
        Assert.Equal(["10.0.1.12:8080"], i.Suspects.Select(s => s.Backend.Backend));
        // But not in line with peers that failed 0.2%: too few attempts to judge.
        Assert.Equal(VerdictKind.TooFewAttempts, v.Kind);
        Assert.Equal(BaselineKind.Peers, v.Baseline);
        Assert.Equal(6, v.Errors);
        Assert.Equal(6, v.Attempts);
        Assert.DoesNotContain("in line with its", b.Reason);
        Assert.Contains("10.0.1.15:8080 failed 6 of 6 attempts (100.0%)", b.Reason);
        Assert.Contains("too few attempts to judge (thin evidence)", b.Reason);
        Assert.Contains("6 failed attempts are fewer than the 10 a failing verdict needs", b.Reason);

        using var json = JsonDocument.Parse(i.ToJson());
        var jb = json.RootElement.GetProperty("backends").EnumerateArray().Single(e => e.GetProperty("backend").GetString() == "10.0.1.15:8080");
        Assert.Equal("too-few-attempts", jb.GetProperty("verdict").GetProperty("kind").GetString());
        Assert.Equal(b.Reason, jb.GetProperty("reason").GetString());

        // The report's backend table says "too few", not "healthy", and the reason follows it.
        var report = i.Report(ReportSamples.Options);
        var md = report.ToMarkdown();
        var row = MarkdownTables.Parse(md).Single(t => t.Heading == "Backends").Rows.Single(r => r[1] == "10.0.1.15:8080");
        Assert.Equal("too few", row[0]);
        Assert.Contains("10.0.1.15:8080 failed 6 of 6 attempts (100.0%), header p95 n/a: too few attempts to judge (thin evidence)", md);
        Assert.Contains(b.Reason + ".", report.ToHtml());

        // Its healthy peers are still in line.
        Assert.All(i.Backends.Where(p => p.Pool == b.Pool && p.Health == Health.Healthy && p.Backend != b.Backend),
            p => Assert.Equal(VerdictKind.InLineWithPeers, p.Verdict.Kind));
    }

    [Fact]
    public void A_backend_whose_peers_had_too_few_attempts_is_not_said_to_have_no_peer()
    {
        var lines = Enumerable.Range(0, 6).Select(k => Line(60 * k + 5, "10.0.1.15:8080", refused: true))
            .Concat(Enumerable.Range(0, 3).SelectMany(k => new[] { Line(60 * k + 7, "10.0.1.11:8080", false), Line(60 * k + 9, "10.0.1.13:8080", false) }))
            .Order(StringComparer.Ordinal);
        var i = TestLines.Load(string.Join("\n", lines) + "\n").Investigate();

        var v = Assert.Single(i.Suspects).Backend.Verdict;
        Assert.Equal(VerdictKind.AgainstThreshold, v.Kind);
        Assert.Equal(2, v.PoolPeers);
        Assert.DoesNotContain("no peer", v.Reason);
        Assert.Contains("with nothing to compare with (its 2 peers in pool_948c13ac-a1b4-4a27-9116-3f0468829e83 had fewer than 10 attempts each then, " +
                        "too few to compare with, no quieter period)", v.Reason);
    }

    [Fact]
    public void A_new_backend_whose_five_responses_took_eight_seconds_is_too_few_to_judge_not_in_line_with_its_peers()
    {
        var i = TestLines.Load(NewMemberAnswering(5, 8.0)).Investigate();

        var b = Assert.Single(i.Backends, b => b.Backend == "10.0.1.15:8080");
        var v = b.Verdict;
        // Not slow: 5 responses are fewer than MinSlowSamples, as the judge's rule says; so not a suspect either.
        Assert.Equal(Health.Healthy, v.Health);
        Assert.Equal(["10.0.1.12:8080"], i.Suspects.Select(s => s.Backend.Backend));
        // But not in line with peers whose p95 is a tenth of a second: too few responses to judge.
        Assert.Equal(VerdictKind.TooFewResponses, v.Kind);
        Assert.Equal(BaselineKind.Peers, v.Baseline);
        Assert.Equal(5, v.HeaderSamples);
        Assert.InRange(v.HeaderP95!.Value, 7.9, 8.1); // a latency sketch's p95: within 1%
        Assert.True(v.PeerHeaderP95 < 0.5, $"peers' p95 {v.PeerHeaderP95}");
        Assert.DoesNotContain("in line with its", b.Reason);
        Assert.StartsWith("10.0.1.15:8080 failed 0 of 5 attempts (0.0%), header p95 8.0", b.Reason);
        Assert.Contains(" s: too few responses to judge (thin evidence): its header time p95 stands out against its 3 healthy peers " +
                        "in pool_948c13ac-a1b4-4a27-9116-3f0468829e83 (", b.Reason);
        Assert.EndsWith("medians), but its 5 responses are fewer than the 10 a slow verdict needs, so it is neither in line with them nor a suspect; " +
                        "1 peer is a suspect", b.Reason);

        using var json = JsonDocument.Parse(i.ToJson());
        var jb = json.RootElement.GetProperty("backends").EnumerateArray().Single(e => e.GetProperty("backend").GetString() == "10.0.1.15:8080");
        Assert.Equal("healthy", jb.GetProperty("health").GetString());
        Assert.Equal("too-few-responses", jb.GetProperty("verdict").GetProperty("kind").GetString());
        Assert.Equal(5, jb.GetProperty("verdict").GetProperty("header_samples").GetInt32());
        Assert.Equal(b.Reason, jb.GetProperty("reason").GetString());

        var report = i.Report(ReportSamples.Options);
        var md = report.ToMarkdown();
        Assert.Equal("too few", MarkdownTables.Parse(md).Single(t => t.Heading == "Backends").Rows.Single(r => r[1] == "10.0.1.15:8080")[0]);
        Assert.Contains(b.Reason + ".", report.ToHtml());

        // Its healthy peers are still in line.
        Assert.All(i.Backends.Where(p => p.Pool == b.Pool && p.Health == Health.Healthy && p.Backend != b.Backend),
            p => Assert.Equal(VerdictKind.InLineWithPeers, p.Verdict.Kind));
    }

    [Fact]
    public void The_terminal_shows_a_backend_with_too_few_slow_responses_as_too_few_with_its_reason()
    {
        using var dir = new ElbNotebooks.Tests.Loading.TempFolder();
        var log = dir.Write("new-member-slow.log", NewMemberAnswering(5, 8.0));

        var (exit, terminal, err) = TestCli.Run("investigate", log);

        Assert.True(exit == 0, err);
        var row = Assert.Single(terminal.Split('\n'), l => l.Contains("10.0.1.15:8080", StringComparison.Ordinal) && !l.Contains("header p95", StringComparison.Ordinal));
        Assert.StartsWith("too few", row.TrimStart());
        var why = Assert.Single(terminal.Split('\n'), l => l.StartsWith("  10.0.1.15:8080 failed 0 of 5 attempts (0.0%), header p95 8.0", StringComparison.Ordinal));
        Assert.Contains(" s: too few responses to judge (thin evidence): its header time p95 stands out against its 3 healthy peers", why);
        Assert.DoesNotContain("in line with its", why);
    }

    [Theory]
    [InlineData(10, 8.0, Health.Slow, null)]                                // enough responses: the slow verdict, same rule
    [InlineData(5, 0.1, Health.Healthy, VerdictKind.InLineWithPeers)]       // few, but as fast as its peers
    public void Enough_slow_responses_make_a_slow_backend_and_few_fast_ones_an_ordinary_one(int count, double header, Health health, VerdictKind? kind)
    {
        var i = TestLines.Load(NewMemberAnswering(count, header)).Investigate();

        var b = Assert.Single(i.Backends, b => b.Backend == "10.0.1.15:8080");
        Assert.Equal(health, b.Health);
        if (kind is { } k) Assert.Equal(k, b.Verdict.Kind);
        else Assert.Contains(i.Suspects, s => s.Backend.Backend == "10.0.1.15:8080");
    }

    [Fact]
    public void With_no_suspect_the_report_says_a_backend_had_too_few_responses_to_judge()
    {
        var lines = Enumerable.Range(0, 5).Select(k => Answered(60 * k + 5, "10.0.1.15:8080", 8.0))
            .Concat(Enumerable.Range(0, 12).SelectMany(k => new[] { Answered(30 * k + 7, "10.0.1.11:8080", 0.05), Answered(30 * k + 9, "10.0.1.13:8080", 0.06) }))
            .Order(StringComparer.Ordinal);
        var i = TestLines.Load(string.Join("\n", lines) + "\n").Investigate();

        Assert.Empty(i.Suspects);
        Assert.Equal(VerdictKind.TooFewResponses, Assert.Single(i.Backends, b => b.Backend == "10.0.1.15:8080").Verdict.Kind);
        Assert.Contains("No backend was failing or slow: 2 of the 3 backends stayed within their peers' range and their own history, " +
                        "and 1 had too few responses to judge (under Backends)", i.Report(ReportSamples.Options).ToMarkdown());
    }
}
