using System.Text.Json;
using System.Text.RegularExpressions;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Tests.Reports;

namespace ElbNotebooks.Tests.Cli;

/// <summary>
/// Regression: lines that carry no pool name (Huawei's legacy layout, CLB, nginx) were judged under the key "-", and
/// every output showed it as if it were a pool called "-": <c>"pool": "-"</c> in the JSON, <c>#1: - on listener_…</c>
/// in the terminal, "(pool -, listener …)" and a "-" cell in the reports. The JSON says null; the others say
/// "no pool recorded".
/// </summary>
public sealed partial class UnrecordedPoolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-nopool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The legacy layout (22 fields) has no pool_name; the refused scenario gives a suspect and an incident.</summary>
    private string LegacyLog()
    {
        var log = Path.Combine(_dir, "legacy.log");
        var (exit, _, err) = TestCli.Run("generate", "--out", log, "--scenario", "refused", "--seed", "3", "--layout", "legacy");
        Assert.True(exit == ExitCodes.Ok, err);
        return log;
    }

    [Fact]
    public void Investigate_json_writes_null_for_a_pool_the_log_does_not_record()
    {
        var (exit, json, err) = TestCli.Run("investigate", LegacyLog(), "--json");

        Assert.True(exit == ExitCodes.Ok, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var backends = root.GetProperty("backends").EnumerateArray().ToList();
        var suspects = root.GetProperty("suspects").EnumerateArray().ToList();
        var incidents = root.GetProperty("incidents").EnumerateArray().ToList();
        Assert.NotEmpty(backends);
        Assert.NotEmpty(suspects);
        Assert.Contains(incidents, n => n.GetProperty("scope").GetString() == "backend");
        Assert.All(backends.Concat(suspects).Concat(incidents), o => Assert.Equal(JsonValueKind.Null, o.GetProperty("pool").ValueKind));
        Assert.DoesNotContain("\"pool\": \"-\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_terminal_and_the_reports_say_no_pool_recorded_never_a_pool_called_dash()
    {
        var log = LegacyLog();
        var html = Path.Combine(_dir, "incident.html");
        var md = Path.Combine(_dir, "incident.md");

        var (exit, terminal, err) = TestCli.Run("investigate", log, "--report", html, "--markdown", md);

        Assert.True(exit == ExitCodes.Ok, err);
        // The table's pool labels (#1, #2) are named below it.
        var legend = terminal.Split('\n').Where(l => LegendLine().IsMatch(l)).ToList();
        Assert.Equal(2, legend.Count);
        Assert.All(legend, l => Assert.StartsWith("no pool recorded on listener_", LegendLine().Match(l).Groups[1].Value, StringComparison.Ordinal));

        var markdown = File.ReadAllText(md);
        var tables = MarkdownTables.Parse(markdown);
        var backends = tables.Single(t => t.Heading == "Backends");
        Assert.All(backends.Column("pool"), cell => Assert.Equal("no pool recorded", cell));
        Assert.Contains("### failing: 10.0.2.22:9000 (no pool recorded, listener ", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("pool -", markdown, StringComparison.Ordinal);

        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(File.ReadAllText(html));
        var heading = page.QuerySelectorAll("h3").Single(h => h.TextContent.Contains("10.0.2.22:9000", StringComparison.Ordinal));
        Assert.Contains("10.0.2.22:9000 (no pool recorded, listener ", heading.TextContent, StringComparison.Ordinal);
        var backendTable = page.QuerySelectorAll("table").Single(t => t.QuerySelectorAll("th").Any(th => th.TextContent == "pool"));
        var poolColumn = backendTable.QuerySelectorAll("th").Select(th => th.TextContent).ToList().IndexOf("pool");
        var cells = backendTable.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td")[poolColumn].TextContent).ToList();
        Assert.NotEmpty(cells);
        Assert.All(cells, cell => Assert.Equal("no pool recorded", cell));
    }

    [GeneratedRegex(@"^  #\d+: (.*)$")]
    private static partial Regex LegendLine();
}
