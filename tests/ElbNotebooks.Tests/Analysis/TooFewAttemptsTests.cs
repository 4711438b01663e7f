using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;
using ElbNotebooks.Tests.Reports;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// A backend with too few attempts to judge is not failing (the judge needs <see cref="InvestigationOptions.MinErrors"/>
/// failed attempts when it has peers to compare with), but it is not "in line with its peers" either when it failed
/// all of them: every view says it had too few attempts. And peers with too few attempts are not "no peer".
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
}
