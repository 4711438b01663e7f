using System.Xml.Linq;
using ElbNotebooks.Charts;
using ElbNotebooks.Loading;
using ElbNotebooks.Analysis;
using ElbNotebooks.Tests.Reports;
using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Charts;

/// <summary>
/// Every chart of the sample investigation drawn as a static SVG: well-formed, and carrying the series it should
/// (a bar per non-zero value, a cell per value, a line per backend, the suspects' labels).
/// </summary>
public class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static InvestigationCharts Charts => ReportSamples.SampleLogs.Investigation.Charts;

    private static XDocument Render(PlotlyChart chart)
    {
        var svg = chart.ToSvg();
        var doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal(chart.Layout.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), doc.Root.Attribute("width")!.Value);
        return doc;
    }

    private static string[] Texts(XDocument doc) => doc.Descendants(Svg + "text").Select(t => t.Value).ToArray();

    /// <summary>Shapes that carry a value: each has a &lt;title&gt; that names it.</summary>
    private static XElement[] Marks(XDocument doc, string shape) =>
        doc.Descendants(Svg + shape).Where(e => e.Element(Svg + "title") is not null).ToArray();

    [Fact]
    public void Status_over_time_draws_one_stacked_bar_per_nonzero_count_with_title_axes_and_legend()
    {
        var chart = Charts.StatusOverTime();
        var doc = Render(chart);

        var nonZero = chart.Data.Sum(t => t.Y.AsNumbers.Count(v => v != 0));
        Assert.Equal(nonZero, Marks(doc, "rect").Length);
        var texts = Texts(doc);
        Assert.Contains(chart.Layout.Title, texts);
        Assert.Contains(chart.Layout.XAxis.Title, texts);
        Assert.Contains("5xx from backend", texts);
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^(May 1 )?1\d:\d\d$"));
        var colors = Marks(doc, "rect").Select(r => r.Attribute("fill")!.Value).Distinct().ToList();
        Assert.Contains("#d62728", colors);
    }

    [Fact]
    public void Error_heatmap_draws_a_cell_per_bucket_with_attempts_and_names_the_suspects()
    {
        var chart = Charts.ErrorHeatmap();
        var doc = Render(chart);

        var map = Assert.IsType<HeatmapTrace>(Assert.Single(chart.Data));
        Assert.Equal(map.Z.Sum(r => r.Count(double.IsFinite)), Marks(doc, "rect").Length);
        var texts = Texts(doc);
        Assert.Contains(texts, t => t.StartsWith("⚠ 10.0.2.22:9000", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("⚠ 10.0.1.12:8080", StringComparison.Ordinal));
        Assert.Contains("failed attempts (%)", texts);
    }

    [Fact]
    public void Latency_over_time_draws_the_p95_lines_and_leaves_the_p50_ones_to_the_legend()
    {
        var chart = Charts.LatencyOverTime();
        var doc = Render(chart);

        var shown = chart.Data.OfType<ScatterTrace>().Where(t => !t.LegendOnly).ToList();
        var lines = doc.Descendants(Svg + "polyline").ToList();
        Assert.True(lines.Count >= shown.Count(t => t.Y.AsNumbers.Count(double.IsFinite) > 1));
        Assert.DoesNotContain(lines, l => l.Attribute("stroke-dasharray") is not null);
        Assert.Contains(Texts(doc), t => t.StartsWith("⚠ 10.0.1.14:8080 p95", StringComparison.Ordinal));
    }

    [Fact]
    public void Latency_breakdown_draws_a_box_per_backend_and_measure()
    {
        var chart = Charts.LatencyBreakdown();
        var doc = Render(chart);

        var boxes = doc.Descendants(Svg + "g").Where(g => g.Element(Svg + "title")?.Value.Contains("median", StringComparison.Ordinal) == true).ToList();
        var expected = chart.Data.OfType<BoxTrace>().Sum(t => t.Y.AsTexts.Distinct().Count());
        Assert.Equal(expected, boxes.Count);
        Assert.Contains(Texts(doc), t => t.Contains("10.0.1.14:8080", StringComparison.Ordinal));
    }

    [Fact]
    public void Retries_and_top_failing_paths_draw_a_mark_per_value()
    {
        var retries = Charts.Retries();
        var map = Assert.IsType<HeatmapTrace>(Assert.Single(retries.Data));
        Assert.Equal(map.Z.Sum(r => r.Count(double.IsFinite)), Marks(Render(retries), "rect").Length);

        var paths = Charts.TopFailingPaths();
        var bar = Assert.IsType<BarTrace>(Assert.Single(paths.Data));
        var doc = Render(paths);
        Assert.Equal(bar.X.Count, Marks(doc, "rect").Length);
        Assert.All(bar.Y.AsTexts, label => Assert.Contains(Texts(doc), t => label.StartsWith(t.TrimEnd('…'), StringComparison.Ordinal)));
    }

    [Fact]
    public void A_chart_without_data_says_so_and_hostile_labels_stay_text()
    {
        var empty = TestLogs.Scenario().Charts.WithBucket(TimeSpan.FromMinutes(1)).TopFailingPaths();
        var chart = new PlotlyChart(new BarTrace { X = new[] { 1.0 }, Y = new[] { "</text><script>alert(1)</script>" }, Horizontal = true });

        var doc = Render(chart);

        Assert.Empty(doc.Descendants(Svg + "script"));
        Assert.Contains("</text><script>alert(1)</script>", Texts(doc));
        if (empty.Layout.Note is { } note) Assert.Contains(note, Texts(Render(empty)));
    }

    [Fact]
    public void The_hours_between_two_logs_are_left_out_of_the_time_axis_and_named()
    {
        var both = Charts.StatusOverTime();
        var one = ReportSamples.WebIncident.Investigation.Charts.StatusOverTime();

        var gap = Assert.Single(both.Layout.XAxis.Gaps);
        Assert.Equal("no data 11:00–14:00", gap.Label);
        var breaks = Figure.Of(both).Layout.GetProperty("xaxis").GetProperty("rangebreaks");
        // From the start of the first empty bucket (each bucket is drawn over its own minute, not centred on its start).
        Assert.Equal("2024-05-01T11:00:00", breaks[0].GetProperty("values")[0].GetString());
        Assert.Equal(TimeSpan.FromHours(3).TotalMilliseconds, breaks[0].GetProperty("dvalue").GetDouble());
        Assert.Contains("no data 11:00–14:00", Texts(Render(both)));
        Assert.Empty(one.Layout.XAxis.Gaps);
        Assert.False(Figure.Of(one).Layout.GetProperty("xaxis").TryGetProperty("rangebreaks", out _));
    }

    /// <summary>The web sample in 10-minute buckets: ticks every 10 minutes, so a bucket lies between two of them.</summary>
    private static LogCharts TenMinutes => AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")).Charts.WithBucket(TimeSpan.FromMinutes(10));

    private static double Tick(XDocument doc, string label) =>
        double.Parse(doc.Descendants(Svg + "text").Single(t => t.Value == label).Attribute("x")!.Value, System.Globalization.CultureInfo.InvariantCulture);

    private static double Attr(XElement e, string name) =>
        double.Parse(e.Attribute(name)!.Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Each_bucket_is_drawn_over_its_own_span_not_centred_on_its_start()
    {
        // Regression: with 1-hour buckets the bar of 10:00-10:59 was drawn from 09:30 to 10:30 (errors shown before they happened).
        foreach (var chart in new[] { TenMinutes.StatusOverTime(), TenMinutes.ErrorHeatmap() })
        {
            var doc = Render(chart);
            var (from, to) = (Tick(doc, "10:10"), Tick(doc, "10:20"));
            var marks = Marks(doc, "rect").Where(r => r.Element(Svg + "title")!.Value.Contains(" 2024-05-01 10:10:00: ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(marks);
            foreach (var r in marks)
            {
                var (left, right) = (Attr(r, "x"), Attr(r, "x") + Attr(r, "width"));
                // Within the bucket's own ticks, less at most the bar gap (5% of a slot) or the cell's 1-pixel border.
                Assert.InRange(left, from - 0.1, from + 0.05 * (to - from) + 0.6);
                Assert.InRange(right, to - 0.05 * (to - from) - 0.6, to + 0.1);
            }
        }

        // A line's point for a bucket sits at the bucket's middle.
        var latency = Render(TenMinutes.LatencyOverTime());
        var (a, b) = (Tick(latency, "10:10"), Tick(latency, "10:20"));
        var xs = latency.Descendants(Svg + "circle").Select(c => Attr(c, "cx")).ToList();
        Assert.Contains(xs, x => Math.Abs(x - (a + b) / 2) < 0.2);
        Assert.DoesNotContain(xs, x => Math.Abs(x - a) < 1);
    }

    [Fact]
    public void The_figure_tells_plotly_js_that_each_x_is_the_start_of_its_bucket()
    {
        foreach (var chart in new[] { TenMinutes.StatusOverTime(), TenMinutes.ErrorHeatmap(), TenMinutes.LatencyOverTime() })
        {
            var trace = Figure.Of(chart).Traces[0];
            Assert.Equal(TimeSpan.FromMinutes(10).TotalMilliseconds, trace.GetProperty("xperiod").GetDouble());
            Assert.Equal("middle", trace.GetProperty("xperiodalignment").GetString());
            Assert.Equal(trace.GetProperty("x")[0].GetString(), trace.GetProperty("xperiod0").GetString());
        }
    }
}
