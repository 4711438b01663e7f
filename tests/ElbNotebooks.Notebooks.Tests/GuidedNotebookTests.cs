using System.Text.RegularExpressions;
using ElbNotebooks.Notebooks.Tests.Kernel;

namespace ElbNotebooks.Notebooks.Tests;

/// <summary>
/// What the guided notebooks show, checked against the sample logs' answer key (sample-logs/README.md). Each notebook
/// runs once per test process in the real kernel (<see cref="RealKernel"/>).
/// </summary>
public sealed class GuidedNotebookTests
{
    private const string GettingStarted = "01-getting-started.ipynb";
    private const string Locate = "02-locate-unhealthy-backend.ipynb";
    private const string Slow = "03-slow-backend.ipynb";
    private const string WriteUp = "04-incident-write-up.ipynb";
    private const string YourOwnLogs = "05-your-own-logs.ipynb";
    private const string PoolWide = "06-pool-wide-incident.ipynb";

    /// <summary>What the one code cell whose source contains <paramref name="code"/> showed as plain text.</summary>
    private static string Shown(string notebook, string code, bool exact = false) => RealKernel.Run(notebook).Shown(code, exact);

    [Fact]
    public void Getting_started_shows_the_load_summary_and_parse_report_of_the_answer_key()
    {
        var summary = Shown(GettingStarted, "var log = AccessLog.Load(\"../sample-logs/elb-web-incident.log\");");
        Assert.Contains("Access log: 9,067 requests, 9,067 upstream attempts (huawei-elb)", summary);
        Assert.Contains("9,067 lines in 1 file: 9,067 parsed, 0 rejected, 0 blank", summary);
        Assert.Contains("2024-05-01 10:00:00 +08:00", summary);

        var rejected = Shown(GettingStarted, "small.Report");
        Assert.Contains("2 lines in 1 file: 1 parsed, 1 rejected (too-few-fields 1), 0 blank", rejected);
        Assert.Contains("pasted.log:2: too-few-fields", rejected);
    }

    [Fact]
    public void Getting_started_filters_groups_and_sorts_to_10_0_1_12_on_top_of_the_5xx()
    {
        var filtered = Shown(GettingStarted, "var errors = requests.Filter(");
        Assert.Contains("LogFrame: 20 of 278 rows", filtered);

        var grouped = Shown(GettingStarted, "errors.GroupBy(\"upstream_addr\")");
        var firstRow = grouped.Split('\n')[3];
        Assert.Matches(@"^10\.0\.1\.12:8080\s+263$", firstRow.TrimEnd());

        Assert.Equal(2, RealKernel.Run(GettingStarted).Cells.Count(c => c.Outputs.Any(o => o.IsChart)));
    }

    [Fact]
    public void Locating_reads_the_seed_line_as_an_application_failure_passed_on_by_the_load_balancer()
    {
        var reading = Shown(Locate, "seed.Explain(0)");

        Assert.Contains("172.17.0.82:3000 answered 500 after 19.028 s (connect 0.009 s): the backend's application produced the 500, and the load balancer passed it on.", reading);
    }

    [Fact]
    public void Locating_names_10_0_1_12_failing_between_10_20_and_10_35_with_backend_made_500s()
    {
        var suspect = Shown(Locate, "var suspect = investigation.Suspects[0];");
        Assert.StartsWith("failing: 10.0.1.12:8080 10:20–10:35 +08:00:", suspect);
        Assert.Contains("261 backend 5xx", suspect);

        var utc = Shown(Locate, "suspect.Window.StartUtc:HH:mm");
        Assert.Contains("10.0.1.12:8080 failed during 10:20–10:35 +08:00, that is 02:20–02:35 UTC", utc);

        var madeBy = Shown(Locate, "WhoMade5xx(log.Requests)");
        Assert.Contains("backend (passed through)", madeBy);
        Assert.DoesNotContain("load balancer", madeBy);

        var investigation = Shown(Locate, "investigation", exact: true);
        Assert.StartsWith("1 suspect(s) among 7 backends", investigation);
    }

    [Fact]
    public void Locating_lists_the_requests_10_0_1_12_hurt_with_file_and_line()
    {
        var hurt = Shown(Locate, "var hurt = r.Filter(hurtMask);");

        Assert.Contains("261 requests got a 5xx from 10.0.1.12:8080 during 10:20–10:35 +08:00 (suspect.RequestsHurt = 261)", hurt);
        Assert.Contains("LogFrame: 20 of 261 rows × 9 columns", hurt);
        Assert.Matches(@"file\s+line", hurt);
        Assert.Contains("../sample-logs/elb-web-incident", hurt);
    }

    [Fact]
    public void Locating_charges_the_refused_connections_to_10_0_2_22_and_shows_gets_rescued_by_retries()
    {
        var refused = Shown(Locate, "refused", exact: true);
        Assert.StartsWith("failing: 10.0.2.22:9000 14:05–14:25 +08:00:", refused);
        Assert.Contains("load-balancer 502/504: refused or timed out", refused);

        var madeBy = Shown(Locate, "gz.WhoMade5xx()");
        Assert.Matches(@"load balancer, backend unreacha\S*\s+502", madeBy);

        var outcome = Shown(Locate, "var outcome = ");
        Assert.Contains("failed attempts on 10.0.2.22:9000 during 14:05–14:25 +08:00: 1,305", outcome);
        Assert.Matches(@"\nGET\s+yes\s+200\s+\d+", outcome);
        Assert.Matches(@"\nPOST\s+no\s+502\s+\d+", outcome);
        Assert.DoesNotMatch(@"\n(POST|PUT|PATCH|DELETE)\s+yes", outcome);

        var rescued = Shown(Locate, "var rescued = ");
        Assert.Contains("\"502, 200\"", rescued);
    }

    [Fact]
    public void Slow_backend_names_10_0_1_14_slow_between_14_30_and_14_50_with_normal_connect_time()
    {
        var slow = Shown(Slow, "var slow = investigation.Suspects.Single(");
        Assert.StartsWith("slow: 10.0.1.14:8080 14:30–14:50 +08:00:", slow);
        Assert.Contains("the application is slow", slow);

        var latencies = Shown(Slow, "investigation.Latencies()");
        Assert.Matches(@"\nSlow\s+10\.0\.1\.14:8080", latencies);

        var split = Shown(Slow, "\nTimeSplit(log,");
        var row = Regex.Match(split, @"10\.0\.1\.14:8080\s+\d+\s+(?<connect>[\d.]+)\s+(?<processing>[\d.]+)");
        Assert.True(row.Success, split);
        Assert.InRange(double.Parse(row.Groups["processing"].Value, System.Globalization.CultureInfo.InvariantCulture), 2.0, 3.0);
        Assert.InRange(double.Parse(row.Groups["connect"].Value, System.Globalization.CultureInfo.InvariantCulture), 0.0, 0.01);

        Assert.Contains("Latency per backend", Shown(Slow, "Charts.LatencyBreakdown()"));
        Assert.Contains("Backend response header time", Shown(Slow, "Charts.LatencyOverTime()"));
    }

    [Fact]
    public void Incident_write_up_writes_the_html_report_and_shows_markdown_naming_the_suspect_and_its_window()
    {
        var saved = Shown(WriteUp, "report.SaveHtml(\"out/incident-web.html\");");
        Assert.Matches(@"^wrote out/incident-web\.html: \d+\.\d MB, names 10\.0\.1\.12:8080: True$", saved);
        var page = File.ReadAllText(Path.Combine(RepoPaths.Notebooks, "out", "incident-web.html"));
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("10.0.1.12:8080", page);

        var markdown = Shown(WriteUp, "report.ToMarkdown()");
        Assert.StartsWith("# Incident: 10.0.1.12:8080 failing", markdown);
        Assert.Contains("**10.0.1.12:8080 was failing**", markdown);
        Assert.Contains("from 2024-05-01 10:20 to 10:35 +08:00 (2024-05-01 02:20 to 02:35 UTC)", markdown);
        Assert.Contains("it answered 5xx itself", markdown);

        var twoSuspects = Shown(WriteUp, "var gzReport = ");
        Assert.Contains("failing: 10.0.2.22:9000 from 2024-05-01 14:05 to 14:25 +08:00", twoSuspects);
        Assert.Contains("slow: 10.0.1.14:8080 from 2024-05-01 14:30 to 14:50 +08:00", twoSuspects);
        Assert.Contains("Not a backend: the load balancer itself answered", twoSuspects);
    }

    [Fact]
    public void Your_own_logs_runs_as_shipped_on_the_sample_export()
    {
        var first = RealKernel.Run(YourOwnLogs).Cells[0];
        Assert.Contains("string[] inputs = [\"../sample-logs/elb-refused-and-slow.log.gz\"];", first.Code);
        Assert.DoesNotContain("#r", first.Code);
        var strict = Shown(YourOwnLogs, "MinErrorRate = 0.5");
        Assert.Contains("failing: 10.0.2.22:9000 14:05–14:25 +08:00", strict);
        Assert.Contains("slow: 10.0.1.14:8080 14:30–14:50 +08:00", strict);
        Assert.Contains("outside the time range", Shown(YourOwnLogs, "var recent = AccessLog.Load("));
    }

    [Fact]
    public void Your_own_logs_reads_the_alb_sample_and_queries_the_parquet_export_with_duckdb()
    {
        var alb = Shown(YourOwnLogs, "var alb = AccessLog.Load(");
        Assert.Contains("(aws-alb)", alb);
        Assert.Contains("1 suspect(s) among 4 backends", alb);
        Assert.Contains("failing: 10.0.1.22:8080 10:11–10:14 +00:00", alb);

        Assert.Contains("36,260 requests and 36,367 attempts", Shown(YourOwnLogs, "ParquetExport.Write(inputs"));

        var duckDb = (Shown(YourOwnLogs, "#r \"nuget: DuckDB.NET.Data.Full")).Split('\n');
        Assert.Matches(@"10\.0\.2\.22:9000\s+4213\s+4\s+1306\s", duckDb[3]);
    }

    [Fact]
    public void Pool_wide_names_the_rollout_and_the_whole_pool_and_the_backend_that_did_not_fail()
    {
        var rates = Shown(PoolWide, "log.ErrorRates()");
        Assert.Matches(@"10\.0\.1\.14:8080\s+\d+\s+\d+\s+0\.00", rates);

        var scopes = Shown(PoolWide, "foreach (var incident in investigation.Incidents)");
        Assert.Contains("SeveralBackends (3 of 4 backends, 10:30–11:1", scopes);
        Assert.Contains("Pool (3 of 3 backends, 11:20–11:3", scopes);

        var minority = Shown(PoolWide, "investigation.Backends.Single(b => b.Backend == \"10.0.1.14:8080\").Reason");
        Assert.Contains("stayed healthy", minority);

        var suspects = Shown(PoolWide, "foreach (var s in investigation.Suspects)");
        foreach (var backend in new[] { "10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080", "10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000" })
            Assert.Contains(backend, suspects);
        Assert.DoesNotContain("10.0.1.14:8080", suspects);
    }
}
