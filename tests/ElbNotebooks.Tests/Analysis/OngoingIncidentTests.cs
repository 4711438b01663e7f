using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// Trouble that reaches the last bucket of the logs had not ended when they do: the terminal, the JSON, the incident's
/// words and the write-up say so, and say nothing of the kind for trouble that ended before.
/// </summary>
public sealed class OngoingIncidentTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>An hour from 10:00 +08:00 with <paramref name="incident"/> injected.</summary>
    private string Log(string incident)
    {
        var path = Path.Combine(_dir.Path, $"log-{Guid.NewGuid():N}.log");
        var (exit, _, err) = TestCli.Run("generate", "--out", path, "--incident", incident);
        Assert.True(exit == 0, err);
        return path;
    }

    [Theory]
    [InlineData("errors:10.0.1.12:8080@10:50-11:30,share=0.6", "FAILING 10.0.1.12:8080", ", still failing when the logs end")]
    [InlineData("slow:10.0.1.14:8080@10:45-11:30,extra=2", "SLOW 10.0.1.14:8080", ", still slow when the logs end")]
    public void A_backend_still_in_trouble_when_the_logs_end_is_ongoing_in_every_view(string incident, string line, string still)
    {
        var log = Log(incident);

        var (exit, terminal, err) = TestCli.Run("investigate", log);
        var (_, json, _) = TestCli.Run("investigate", log, "--json");

        Assert.True(exit == 0, err);
        var suspect = Assert.Single(terminal.Split('\n'), l => l.Contains(line, StringComparison.Ordinal));
        Assert.Contains($"UTC){still}: ", suspect);
        var root = JsonDocument.Parse(json).RootElement;
        var judged = Assert.Single(root.GetProperty("suspects").EnumerateArray());
        Assert.True(judged.GetProperty("ongoing").GetBoolean());
        // Its window ends after the last request: the bucket that request is in was still in trouble.
        Assert.True(judged.GetProperty("to").GetDateTime() > root.GetProperty("to").GetDateTime());
        var where = Assert.Single(root.GetProperty("incidents").EnumerateArray());
        Assert.True(where.GetProperty("ongoing").GetBoolean());
        Assert.Contains($" +08:00{still})", where.GetProperty("reason").GetString());

        var report = AccessLog.Load(log).Investigate().Report();
        Assert.Contains($"UTC){still}: ", report.ToMarkdown());
        Assert.Contains(still.TrimStart(',', ' '), report.ToHtml());
    }

    [Fact]
    public void Cut_by_the_range_asked_for_it_is_still_failing_when_the_range_ends()
    {
        var (exit, terminal, err) = TestCli.Run("investigate", TestPaths.SampleLog("elb-web-incident.log"), "--to", "2024-05-01T10:30");

        Assert.True(exit == 0, err);
        Assert.Contains("FAILING 10.0.1.12:8080 from 10:20 to 10:30 +08:00 (02:20-02:30 UTC), still failing when the range ends: ", terminal);
        Assert.DoesNotContain("when the logs end", terminal);

        // A range past the end of the logs did not cut them: they ended first.
        var log = Log("errors:10.0.1.12:8080@10:50-11:30,share=0.6");
        var (_, beyond, _) = TestCli.Run("investigate", log, "--to", "2024-05-01T12:00");
        Assert.Contains("UTC), still failing when the logs end: ", beyond);
    }

    [Fact]
    public void Trouble_that_ended_before_the_logs_do_is_not_ongoing()
    {
        var log = Log("errors:10.0.1.12:8080@10:20-10:35,share=0.6");

        var (_, terminal, _) = TestCli.Run("investigate", log);
        var investigation = AccessLog.Load(log).Investigate();

        var suspect = Assert.Single(investigation.Suspects);
        Assert.False(suspect.Window.Ongoing);
        Assert.All(investigation.Incidents, i => Assert.False(i.Window.Ongoing));
        Assert.DoesNotContain("when the logs end", terminal);
        Assert.DoesNotContain("when the logs end", investigation.Report().ToMarkdown());
    }

    [Fact]
    public void The_load_balancer_still_answering_5xx_when_the_logs_end_is_ongoing()
    {
        var log = Log("listener:api@10:52-11:30");

        var investigation = AccessLog.Load(log).Investigate();

        var incident = Assert.Single(investigation.Incidents, i => i.Scope == IncidentScope.LoadBalancer);
        Assert.True(incident.Window.Ongoing);
        Assert.Contains("+08:00, still going on when the logs end)", incident.Reason);
    }
}
