using ElbNotebooks.Formatting;
using ElbNotebooks.Tests.Support;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Tests.Formatting;

[Collection("Formatter")]
public class DataFrameViewTests : FormatterTestBase
{
    [Fact]
    public void The_header_says_how_many_rows_of_how_many_and_columns_are_shown()
    {
        var log = TestLogs.Scenario();
        var doc = Parse(log.Requests.ToDisplayString("text/html"));

        Assert.Contains($"15 of 15 rows × {log.Requests.Columns.Count} columns", doc.QuerySelector(".elb-title")!.TextContent);
        var headers = doc.QuerySelectorAll("thead th").Select(th => th.TextContent).ToArray();
        Assert.Contains("statusint", headers);
        Assert.Contains("timeDateTime", headers);
        Assert.Contains("http_user_agentstring", headers);
    }

    [Fact]
    public void The_row_limit_is_respected_and_configurable()
    {
        var log = TestLogs.Scenario();
        ElbFormatters.RowLimit = 5;
        var doc = Parse(log.Requests.ToDisplayString("text/html"));

        Assert.Equal(5, doc.QuerySelectorAll("tbody tr").Length);
        Assert.Contains("5 of 15 rows", doc.QuerySelector(".elb-title")!.TextContent);
        Assert.Contains("10 more rows", doc.Body!.TextContent);
    }

    [Fact]
    public void A_script_in_a_user_agent_stays_text()
    {
        var hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        var log = TestLogs.Load([TestLogs.Line(TestLogs.T0, 200, "200", "0.001", "0.002", "0.002", TestLogs.A, userAgent: hostile)]);
        var html = log.Requests.ToDisplayString("text/html");
        var doc = Parse(html);

        Assert.Empty(doc.QuerySelectorAll("script"));
        Assert.Empty(doc.QuerySelectorAll("img"));
        Assert.Contains(doc.QuerySelectorAll("td"), td => td.TextContent.StartsWith("<script>alert('x')</script>", StringComparison.Ordinal));
    }

    [Fact]
    public void Nulls_and_NaN_are_shown_distinctly()
    {
        var frame = new DataFrame(new DoubleDataFrameColumn("d", [1.5, null, double.NaN]), new StringDataFrameColumn("s", ["a", null, "c"]));
        var doc = Parse(ElbFormatters.ToHtml(frame)!);

        var nulls = doc.QuerySelectorAll("td.elb-null").Select(td => td.TextContent).ToArray();
        Assert.Equal(["NaN", "null", "null"], nulls.Order(StringComparer.Ordinal));
        Assert.Contains(doc.QuerySelectorAll("td.elb-num"), td => td.TextContent == "1.5");
    }

    [Fact]
    public void Long_strings_are_cut_with_an_ellipsis()
    {
        var frame = new DataFrame(new StringDataFrameColumn("s", [new string('x', 100_000)]));
        var html = ElbFormatters.ToHtml(frame)!;

        Assert.Contains(new string('x', 79) + "…", html);
        Assert.True(html.Length < 10_000);
    }

    [Fact]
    public void An_empty_frame_shows_without_error()
    {
        Assert.Contains("0 of 0 rows × 0 columns", Parse(ElbFormatters.ToHtml(new DataFrame())!).Body!.TextContent);
        Assert.Contains("0 of 0 rows × 1 columns", Parse(ElbFormatters.ToHtml(new DataFrame(new Int32DataFrameColumn("n", 0)))!).Body!.TextContent);
        Assert.Contains("0 of 0 rows", ElbFormatters.ToText(new DataFrame(new Int32DataFrameColumn("n", 0)))!);
    }

    [Fact]
    public void The_view_has_no_script_and_is_the_same_each_time()
    {
        var log = TestLogs.Scenario();
        var first = log.Requests.ToDisplayString("text/html");

        Assert.DoesNotContain("<script", first, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(first, log.Requests.ToDisplayString("text/html"));
    }

    [Fact]
    public void The_text_view_aligns_columns_and_respects_the_row_limit()
    {
        ElbFormatters.RowLimit = 3;
        var text = TestLogs.Scenario().Attempts.ToDisplayString("text/plain");
        var lines = text.Split('\n');

        Assert.StartsWith("LogFrame: 3 of 18 rows", lines[0]);
        Assert.Contains("backend", lines[1]);
        Assert.Equal(1 + 2 + 3 + 1, lines.Length);
        Assert.Contains("15 more rows", lines[^1]);
    }
}
