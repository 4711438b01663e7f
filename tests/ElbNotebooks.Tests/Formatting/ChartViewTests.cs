using ElbNotebooks.Loading;
using ElbNotebooks.Formatting;
using ElbNotebooks.Tests.Support;
using ElbNotebooks.Charts;

namespace ElbNotebooks.Tests.Formatting;

[Collection("Formatter")]
public class ChartViewTests : FormatterTestBase
{
    [Fact]
    public void A_chart_renders_as_a_div_and_a_script_that_loads_plotly_from_the_cdn()
    {
        var chart = TestLogs.Scenario().Charts.StatusOverTime();
        var doc = Parse(ElbFormatters.ToHtml(chart)!);

        var div = doc.QuerySelector("div.elb-chart")!;
        Assert.StartsWith("elb-chart-", div.Id);
        Assert.EndsWith("-1", div.Id);
        var script = Assert.Single(doc.QuerySelectorAll("script")).TextContent;
        Assert.Contains($"document.getElementById('{div.Id}')", script);
        Assert.Contains("Plotly.newPlot(el,", script);
        Assert.Contains("https://cdn.jsdelivr.net/npm/plotly.js-cartesian-dist-min@3.7.0/plotly-cartesian.min.js", script);
        Assert.Contains("requirejs", script);
        Assert.Contains("\"5xx from backend\"", script);
    }

    [Fact]
    public void Chart_ids_are_deterministic_and_distinct_per_output()
    {
        var chart = TestLogs.Scenario().Charts.StatusOverTime();
        var first = Parse(ElbFormatters.ToHtml(chart)!).QuerySelector("div.elb-chart")!.Id;
        var second = Parse(ElbFormatters.ToHtml(chart)!).QuerySelector("div.elb-chart")!.Id;
        ChartView.ResetIds();
        var again = Parse(ElbFormatters.ToHtml(chart)!).QuerySelector("div.elb-chart")!.Id;

        Assert.NotEqual(first, second);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Inline_mode_embeds_plotly_js_and_cdn_mode_switches_back()
    {
        var chart = TestLogs.Scenario().Charts.Retries();
        ElbFormatters.UseInlinePlotlyJs();
        var inline = ElbFormatters.ToHtml(chart)!;
        ElbFormatters.UseCdnPlotlyJs();
        var cdn = ElbFormatters.ToHtml(chart)!;

        Assert.Contains("plotly.js (cartesian - minified) v" + PlotlyJsBundle.Version, inline);
        Assert.InRange(inline.Length, 1_000_000, 2_000_000);
        Assert.DoesNotContain(PlotlyJsBundle.CdnUrl, inline);
        Assert.Equal(2, Parse(inline).QuerySelectorAll("script").Length);
        Assert.Contains(PlotlyJsBundle.CdnUrl, cdn);
        Assert.True(cdn.Length < 200_000);
    }

    [Fact]
    public void A_script_closing_tag_in_chart_data_cannot_end_the_script()
    {
        var chart = new PlotlyChart(new BarTrace { X = new[] { "</script><script>alert(1)</script>" }, Y = new[] { 1.0 } });
        var doc = Parse(ElbFormatters.ToHtml(chart)!);

        var script = Assert.Single(doc.QuerySelectorAll("script"));
        Assert.DoesNotContain("</script>", script.TextContent);
        Assert.Contains("alert(1)", script.TextContent);
    }

    [Fact]
    public void A_chart_as_text_names_its_title()
    {
        var text = ElbFormatters.ToText(TestLogs.Scenario().Charts.TopFailingPaths())!;
        Assert.StartsWith("Plotly chart: Top 3 endpoints answered 5xx", text);
    }
}
