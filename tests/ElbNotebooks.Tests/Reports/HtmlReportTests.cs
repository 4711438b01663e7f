using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace ElbNotebooks.Tests.Reports;

public sealed partial class HtmlReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-rep-html-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IDocument Parse(string html) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

    [GeneratedRegex(@"(?:https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex Remote();

    [GeneratedRegex(@"@import|url\(", RegexOptions.IgnoreCase)]
    private static partial Regex CssFetch();

    [Fact]
    public void The_html_report_references_nothing_a_browser_would_fetch_from_the_network()
    {
        var html = ReportSamples.SampleLogs.ToHtml();
        var doc = Parse(html);

        foreach (var element in doc.All)
        {
            foreach (var name in new[] { "src", "href", "srcset", "poster", "data", "action", "background", "xlink:href" })
            {
                var value = element.GetAttribute(name);
                Assert.True(value is null || !Remote().IsMatch(value), $"<{element.LocalName} {name}=\"{value}\"> would be fetched");
            }
            if (element.GetAttribute("style") is { } style) Assert.DoesNotMatch(CssFetch(), style);
        }
        Assert.Empty(doc.QuerySelectorAll("link, iframe, img, object, embed, base"));
        Assert.All(doc.QuerySelectorAll("script"), s => Assert.False(s.HasAttribute("src"), "a script loads from elsewhere"));
        Assert.All(doc.QuerySelectorAll("style"), s => Assert.DoesNotMatch(CssFetch(), s.TextContent));
        // The charts' own scripts (not the plotly.js library) name no address either.
        var charts = doc.QuerySelectorAll("script").Skip(1).Select(s => s.TextContent).ToList();
        Assert.NotEmpty(charts);
        Assert.All(charts, s => Assert.DoesNotContain("cdn.", s));
        Assert.DoesNotContain("cdn.jsdelivr.net", html);
    }

    [Fact]
    public void The_html_report_holds_plotly_js_once_and_one_div_per_chart_with_deterministic_ids()
    {
        var html = ReportSamples.SampleLogs.ToHtml();
        var doc = Parse(html);

        var library = doc.Head!.QuerySelectorAll("script");
        Assert.Single(library);
        Assert.Contains("plotly.js (cartesian - minified) v3.7.0", library[0].TextContent);
        var charts = doc.QuerySelectorAll("div.elb-report-chart");
        Assert.Equal(["elb-report-chart-1", "elb-report-chart-2", "elb-report-chart-3", "elb-report-chart-4", "elb-report-chart-5"], charts.Select(c => c.Id!));
        Assert.Equal(charts.Length, doc.Body!.QuerySelectorAll("script").Count(s => s.TextContent.Contains("Plotly.newPlot")));
        Assert.Single(doc.QuerySelectorAll("style"), s => s.TextContent.Contains(".elb-view{"));
    }

    [Fact]
    public void The_html_report_prints_charts_to_the_page_width_keeps_tables_whole_and_has_no_dark_background()
    {
        var css = string.Concat(Parse(ReportSamples.WebIncident.ToHtml()).QuerySelectorAll("style").Select(s => s.TextContent));

        Assert.Contains("@media print{", css);
        Assert.Contains(".elb-report .elb-report-chart{zoom:.72", css);
        Assert.Contains("break-inside:avoid", css);
        Assert.Contains("page-break-inside:avoid", css);
        foreach (Match m in BackgroundColour().Matches(css))
        {
            var hex = m.Groups[1].Value;
            var rgb = Enumerable.Range(0, 3).Select(i => Convert.ToInt32(hex.Length == 3 ? new string(hex[i], 2) : hex.Substring(2 * i, 2), 16)).ToArray();
            Assert.True(rgb.Min() >= 0xe0, $"background #{hex} is dark");
        }
    }

    [GeneratedRegex(@"background(?:-color)?:#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")]
    private static partial Regex BackgroundColour();

    [Fact]
    public void A_script_user_agent_path_or_listener_never_appears_raw_in_the_html_report()
    {
        var report = ReportSamples.HostileFromFile(Path.Combine(_dir, "hostile.log"));
        var html = report.ToHtml();
        var doc = Parse(html);

        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<svg/onload", html);
        Assert.DoesNotContain("<b>x</b>", html);
        Assert.Empty(doc.QuerySelectorAll("img, b"));
        // The only SVGs are the charts' static pictures, one per chart, with nothing active in them.
        Assert.All(doc.QuerySelectorAll("svg"), svg => Assert.Equal("elb-chart-static", svg.ParentElement!.ClassName));
        Assert.Empty(doc.QuerySelectorAll("svg script, svg foreignObject, svg [onload]"));
        Assert.Equal(1 + doc.QuerySelectorAll("div.elb-report-chart").Length, doc.QuerySelectorAll("script").Length);
        // ... while the reader still sees the exact line.
        var line = doc.QuerySelector(".elb-report-line")!.TextContent;
        Assert.Contains(ReportSamples.HostileAgent, line);
        Assert.Contains(ReportSamples.HostilePath, line);
    }
}
