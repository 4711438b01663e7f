using System.Text.Json;
using ElbNotebooks.Charts;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Reports;

namespace ElbNotebooks.Tests.Charts;

/// <summary>
/// Charts drawn by the real plotly.js (the bundle the library carries) in headless Chromium, measured in pixels: each
/// time bucket's bar or heatmap cell must span its own time range, [start, start + size), and hover must name its start.
/// </summary>
public sealed class ChartBrowserTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// A page that draws each figure and writes into the DOM, per figure, the pixel of the 10:10 bucket's start and end
    /// on the x axis, the left and right edges plotly.js drew for that bucket (the 2xx bar's path, or the heatmap's
    /// cell edges), and the x label of a hover on it.
    /// </summary>
    private static string Page(IEnumerable<(string Id, PlotlyChart Chart)> charts) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>" + ElbNotebooks.Charts.PlotlyJsBundle.Script + "</script></head><body>" +
        string.Concat(charts.Select(c => $"<div id=\"{c.Id}\"></div><script type=\"application/json\" id=\"{c.Id}-figure\">{c.Chart.ToJson()}</script>")) +
        """
        <pre id="result"></pre>
        <script>
        const start = '2024-05-01 10:10:00', end = '2024-05-01 10:20:00', results = {};
        const ids = [...document.querySelectorAll('script[type="application/json"]')].map(s => s.id.replace(/-figure$/, ''));
        Promise.all(ids.map(id => {
          const fig = JSON.parse(document.getElementById(id + '-figure').textContent);
          return Plotly.newPlot(id, fig.data, fig.layout).then(gd => {
            const xa = gd._fullLayout.xaxis, px = d => xa.c2p(xa.d2c(d));
            const r = { start: px(start), end: px(end) };
            const cd = gd.calcdata[0];
            const k = fig.data[0].x.indexOf('2024-05-01T10:10:00');
            if (fig.data[0].type === 'bar') {
              const box = gd.querySelectorAll('.barlayer .trace')[0].querySelectorAll('.point path')[k].getBBox();
              r.left = box.x; r.right = box.x + box.width;
            } else {
              r.left = xa.c2p(cd[0].x[k]); r.right = xa.c2p(cd[0].x[k + 1]);
            }
            // A hover two minutes into the bucket, on its first bar (or first row of cells): the label names the start.
            Plotly.Fx.hover(gd, { xval: xa.d2c('2024-05-01 10:12:00'), yval: fig.data[0].type === 'bar' ? 1 : 0 });
            r.hover = [...gd.querySelectorAll('.hoverlayer text')].map(t => t.textContent).join(' | ');
            results[id] = r;
          });
        })).then(() => document.getElementById('result').textContent = JSON.stringify(results),
                 e => document.getElementById('result').textContent = 'error: ' + e);
        </script></body></html>
        """;

    [BrowserFact]
    public void Plotly_js_draws_each_bucket_over_its_own_time_range_and_hover_names_its_start()
    {
        var charts = AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")).Charts.WithBucket(TimeSpan.FromMinutes(10));
        var html = Path.Combine(Directory.CreateTempSubdirectory("elb-chart-browser-").FullName, "buckets.html");
        File.WriteAllText(html, Page([("status", charts.StatusOverTime()), ("heatmap", charts.ErrorHeatmap())]));

        var page = Chromium.Open(html);

        var text = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page.Dom).GetElementById("result")!.TextContent;
        output.WriteLine(text);
        Assert.StartsWith("{", text);
        using var doc = JsonDocument.Parse(text);
        foreach (var id in new[] { "status", "heatmap" })
        {
            var r = doc.RootElement.GetProperty(id);
            var (start, end, left, right) = (r.GetProperty("start").GetDouble(), r.GetProperty("end").GetDouble(), r.GetProperty("left").GetDouble(), r.GetProperty("right").GetDouble());
            var width = end - start;
            // The bar loses its gap (5% of the slot) and stays inside [start, end); the cell's edges are the bucket's.
            Assert.InRange(left, start - 0.5, start + 0.05 * width + 0.5);
            Assert.InRange(right, end - 0.05 * width - 0.5, end + 0.5);
            var hover = r.GetProperty("hover").GetString()!;
            Assert.True(hover.Contains("10:10", StringComparison.Ordinal) && !hover.Contains("10:15", StringComparison.Ordinal), text);
        }
        Assert.Empty(page.Console);
    }
}
