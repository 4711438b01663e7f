using System.Text.Json;
using ElbNotebooks.Cli.Commands;

namespace ElbNotebooks.Tests.Cli;

/// <summary>
/// When the logs span more than one calendar day, every time range in the texts (where to look, the reasons in the
/// terminal, the JSON and the report) names its date, as the suspect lines do; a single day's texts keep the clock alone.
/// </summary>
public sealed class MultiDayTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-days-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestCli.Run(args);

    /// <summary>Two one-hour logs three days apart, each with a 20-minute outage at the same clock time on another backend.</summary>
    private (string First, string Later) ThreeDaysApart()
    {
        var (first, later) = (Path.Combine(_dir, "may1.log"), Path.Combine(_dir, "may4.log"));
        Assert.Equal(0, Run("generate", "--out", first, "--start", "2024-05-01T10:00:00+08:00", "--duration", "1h", "--rps", "4",
            "--incident", "errors:10.0.1.12:8080@10:20-10:40,share=0.6").Exit);
        Assert.Equal(0, Run("generate", "--out", later, "--start", "2024-05-04T10:00:00+08:00", "--duration", "1h", "--rps", "4", "--seed", "5",
            "--incident", "errors:10.0.1.14:8080@10:20-10:40,share=0.6").Exit);
        return (first, later);
    }

    [Fact]
    public void Where_to_look_and_why_name_the_date_of_each_window_when_the_logs_span_days()
    {
        var (first, later) = ThreeDaysApart();
        var (exit, stdout, stderr) = Run("investigate", first, later, "--markdown", Path.Combine(_dir, "incident.md"));
        Assert.True(exit == ExitCodes.Ok, stderr);

        Assert.Contains("FAILING 10.0.1.12:8080 from 2024-05-01 10:20 to 2024-05-01 10:40 +08:00", stdout);
        Assert.Contains("FAILING 10.0.1.14:8080 from 2024-05-04 10:20 to 2024-05-04 10:40 +08:00", stdout);
        // Where to look and why: the two outages no longer read the same.
        Assert.Contains("10.0.1.12:8080 alone of the 4 backends of pool_", stdout);
        Assert.Contains("failed (2024-05-01 10:20–2024-05-01 10:40 +08:00)", stdout);
        Assert.Contains("failed (2024-05-04 10:20–2024-05-04 10:40 +08:00)", stdout);
        Assert.Contains("between 2024-05-01 10:20 and 2024-05-01 10:40 +08:00", stdout);
        Assert.Contains("between 2024-05-04 10:20 and 2024-05-04 10:40 +08:00", stdout);
        Assert.DoesNotContain("(10:20–10:40 +08:00)", stdout);
        Assert.DoesNotContain("between 10:20 and", stdout);

        var report = File.ReadAllText(Path.Combine(_dir, "incident.md"));
        Assert.Contains("between 2024-05-01 10:20 and 2024-05-01 10:40 +08:00", report);
        Assert.DoesNotContain("between 10:20 and", report);

        var (_, json, _) = Run("investigate", first, later, "--json");
        var root = JsonDocument.Parse(json).RootElement;
        var reasons = root.GetProperty("suspects").EnumerateArray().Select(s => s.GetProperty("reason").GetString()!).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.All(reasons, r => Assert.Matches(@"between 2024-05-0[14] 10:20 and 2024-05-0[14] 10:40 \+08:00", r));
        Assert.All(root.GetProperty("incidents").EnumerateArray(), n => Assert.Contains("2024-05-0", n.GetProperty("reason").GetString()));
    }

    [Fact]
    public void A_single_days_texts_keep_the_clock_alone()
    {
        var (first, _) = ThreeDaysApart();
        var (exit, stdout, stderr) = Run("investigate", first);
        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("FAILING 10.0.1.12:8080 from 10:20 to 10:40 +08:00 (02:20-02:40 UTC)", stdout);
        Assert.Contains("failed (10:20–10:40 +08:00)", stdout);
        Assert.Contains("between 10:20 and 10:40 +08:00", stdout);
    }
}
