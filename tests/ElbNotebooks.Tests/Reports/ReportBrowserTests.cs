using Xunit.Abstractions;

namespace ElbNotebooks.Tests.Reports;

/// <summary>
/// The HTML report in a real browser, offline: headless Chromium opens it from file:// with the network cut off and
/// every chart must be drawn, with no console message and no request. A screenshot is kept as an artifact.
/// </summary>
public sealed class ReportBrowserTests(ITestOutputHelper output)
{
    private static string Artifacts()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [BrowserFact]
    public void The_sample_logs_report_opens_offline_in_chromium_with_every_chart_drawn_and_no_script_error()
    {
        var html = Path.Combine(Artifacts(), "incident-report.html");
        ReportSamples.SampleLogs.SaveHtml(html);

        var page = Chromium.Open(html);

        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page.Dom);
        var charts = doc.QuerySelectorAll("div.elb-report-chart");
        Assert.True(charts.Length >= 3, $"{charts.Length} charts");
        Assert.All(charts, chart => Assert.True(chart.QuerySelector("svg.main-svg") is not null, $"chart {chart.Id} was not drawn"));
        Assert.All(charts, chart => Assert.Null(chart.QuerySelector(".elb-chart-static")));
        Assert.Empty(page.Console);
        Assert.Empty(page.NetworkRequests);
        var text = doc.Body!.TextContent;
        Assert.Contains("10.0.2.22:9000 was failing", text);
        Assert.Contains("10.0.1.12:8080 was failing", text);
        Assert.Contains("10.0.1.14:8080 was slow", text);

        var png = Path.Combine(Artifacts(), "incident-report.png");
        Chromium.Screenshot(html, png);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is empty");
        output.WriteLine("screenshot: " + png);
        Console.WriteLine("screenshot: " + png);
    }

    [BrowserFact]
    public void Without_scripts_the_report_shows_every_chart_as_its_static_svg()
    {
        var html = Path.Combine(Artifacts(), "incident-report-static.html");
        ReportSamples.SampleLogs.SaveHtml(html);

        var page = Chromium.OpenWithoutScripts(html);

        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page.Dom);
        var charts = doc.QuerySelectorAll("div.elb-report-chart");
        Assert.True(charts.Length >= 3, $"{charts.Length} charts");
        Assert.All(charts, chart =>
        {
            Assert.Null(chart.QuerySelector("svg.main-svg"));
            var svg = chart.QuerySelector("div.elb-chart-static > svg.elb-chart-svg");
            Assert.True(svg is not null, $"chart {chart.Id} shows no static SVG");
            Assert.True(svg!.QuerySelectorAll("rect, polyline").Length > 10, $"chart {chart.Id}: an SVG without marks");
            Assert.False(string.IsNullOrWhiteSpace(svg.QuerySelector("text")?.TextContent));
        });
        Assert.Empty(page.NetworkRequests);
    }

    [BrowserFact]
    public void Report_tables_fit_the_page_with_short_ids_whose_full_id_shows_on_hover()
    {
        var html = Path.Combine(Artifacts(), "incident-report-widths.html");
        ReportSamples.SampleLogs.SaveHtml(html);
        // Measured by the browser that laid the page out: tables wider than their column, written into the DOM.
        File.AppendAllText(html, "<script>document.body.setAttribute('data-too-wide', Array.from(document.querySelectorAll('main table'))" +
                                 ".filter(function(t){return t.getBoundingClientRect().width > document.querySelector('main').clientWidth + 1;}).length);</script>");

        var page = Chromium.Open(html);

        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page.Dom);
        Assert.Equal("0", doc.Body!.GetAttribute("data-too-wide"));
        var backends = doc.QuerySelectorAll("h2").Single(h => h.TextContent == "Backends").NextElementSibling!.NextElementSibling!;
        var pool = backends.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td")[2].QuerySelector("span")!;
        Assert.Equal("pool_559d8f60", pool.TextContent);
        Assert.Equal("pool_559d8f60-43d8-4d49-8c5b-35d816054785", pool.GetAttribute("title"));
    }

    [BrowserFact]
    public void The_browser_harness_sees_a_script_error_and_a_request_to_the_network()
    {
        var html = Path.Combine(Artifacts(), "harness-check.html");
        File.WriteAllText(html, "<!DOCTYPE html><html><body><div id=\"ok\">ok</div><img src=\"https://example.com/pixel.png\">" +
                                "<script>document.getElementById('ok').textContent='ran';undefinedFunction();</script></body></html>");

        var page = Chromium.Open(html);

        Assert.Contains("ran", page.Dom);
        Assert.Contains(page.Console, m => m.Contains("undefinedFunction", StringComparison.Ordinal));
        Assert.Contains("https://example.com/pixel.png", page.NetworkRequests);
    }
}
