using System.Diagnostics;
using AngleSharp.Html.Parser;
using ElbNotebooks.Notebooks.Tests.Kernel;
using ElbNotebooks.Tests.Reports;

namespace ElbNotebooks.Notebooks.Tests;

/// <summary>
/// What the real kernel's chart outputs and the reports written from notebooks look like in a real browser
/// (headless Chromium, network cut off): every chart is drawn by plotly.js.
/// </summary>
public sealed class NotebookBrowserTests
{
    public static TheoryData<string> Notebooks() => ShippedNotebookTests.Notebooks();

    /// <summary>
    /// The executed notebook exported by <c>jupyter nbconvert --to html</c>, as it is shared, with plotly.js placed in
    /// its head: the outputs load plotly.js from a CDN in a notebook, and this browser has no network.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_chart_output_is_drawn_by_plotly_js(string notebook)
    {
        var run = RealKernel.Run(notebook);
        var expected = run.Cells.SelectMany(c => c.Outputs).Count(o => o.IsChart);
        var work = Directory.CreateTempSubdirectory("elb-nb-html-").FullName;
        try
        {
            var html = Export(run, work);
            var plotly = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "ElbNotebooks", "Charts", "PlotlyJs", "plotly-cartesian.min.js"));
            var page = File.ReadAllText(html);
            var head = page.IndexOf("<head>", StringComparison.OrdinalIgnoreCase) + "<head>".Length;
            File.WriteAllText(html, page[..head] + "<script>" + plotly + "</script>" + page[head..]);

            var dom = new HtmlParser().ParseDocument(Chromium.Open(html).Dom);

            var charts = dom.QuerySelectorAll("div.elb-chart");
            Assert.Equal(expected, charts.Length);
            Assert.All(charts, chart => Assert.True(chart.QuerySelector("svg.main-svg") is not null, $"{notebook}: chart {chart.Id} was not drawn"));
            Assert.All(charts, chart => Assert.Null(chart.QuerySelector(".elb-chart-static")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The same export where no script runs (a code host, a mail client, offline without plotly.js): each chart output
    /// still shows its static SVG, with the chart's title and marks.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Without_scripts_every_chart_output_shows_its_static_svg(string notebook)
    {
        var run = RealKernel.Run(notebook);
        var expected = run.Cells.SelectMany(c => c.Outputs).Where(o => o.IsChart).ToList();
        var work = Directory.CreateTempSubdirectory("elb-nb-static-").FullName;
        try
        {
            var page = Chromium.OpenWithoutScripts(Export(run, work));
            var dom = new HtmlParser().ParseDocument(page.Dom);

            var charts = dom.QuerySelectorAll("div.elb-chart");
            Assert.Equal(expected.Count, charts.Length);
            Assert.All(charts, chart =>
            {
                Assert.Null(chart.QuerySelector("svg.main-svg"));
                var svg = chart.QuerySelector("div.elb-chart-static > svg.elb-chart-svg");
                Assert.True(svg is not null, $"{notebook}: chart {chart.Id} shows no static SVG");
                Assert.True(svg!.QuerySelectorAll("rect, polyline").Length > 3, $"{notebook}: chart {chart.Id}: an SVG without marks");
                Assert.False(string.IsNullOrWhiteSpace(svg.QuerySelector("title")?.TextContent));
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void The_reports_written_by_the_write_up_notebook_open_offline_with_every_chart_drawn()
    {
        var run = RealKernel.Run("04-incident-write-up.ipynb");
        var written = Directory.GetFiles(Path.Combine(RepoPaths.Notebooks, "out"), "*.html")
            .Where(f => File.GetLastWriteTimeUtc(f) >= run.StartedUtc.AddSeconds(-1)).Order().ToList();
        Assert.Equal(2, written.Count);

        foreach (var report in written)
        {
            var page = Chromium.Open(report);
            var dom = new HtmlParser().ParseDocument(page.Dom);
            var charts = dom.QuerySelectorAll("div.elb-report-chart");
            Assert.True(charts.Length >= 3, $"{report}: {charts.Length} charts");
            Assert.All(charts, chart => Assert.True(chart.QuerySelector("svg.main-svg") is not null, $"{report}: chart {chart.Id} was not drawn"));
            Assert.DoesNotContain("could not be drawn", dom.Body!.TextContent);
            Assert.Empty(page.Console);
            Assert.Empty(page.NetworkRequests);
        }
    }

    /// <summary>The executed notebook saved in <paramref name="folder"/> and exported to HTML there; returns the page's path.</summary>
    private static string Export(ExecutedNotebook run, string folder)
    {
        var ipynb = Path.Combine(folder, run.Name);
        run.File.Save(ipynb);
        Nbconvert(ipynb, folder);
        return Path.ChangeExtension(ipynb, ".html");
    }

    private static void Nbconvert(string ipynb, string outputDir)
    {
        var start = new ProcessStartInfo("jupyter") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "nbconvert", "--to", "html", "--output-dir", outputDir, ipynb }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "nbconvert --to html failed: " + stderr.Result);
    }
}
