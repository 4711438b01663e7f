using System.Text.Json;
using ElbNotebooks.Charts;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Charts;

/// <summary>The figure model: what it writes as plotly.js figure JSON, and how a user restyles a chart.</summary>
public class PlotlyChartTests
{
    [Fact]
    public void Writes_typed_traces_and_layout_as_plotly_figure_json()
    {
        var chart = new PlotlyChart(
            new BarTrace { Name = "2xx", X = new[] { new DateTime(2024, 5, 1, 10, 0, 0) }, Y = new long[] { 7 }, Color = "#2ca02c" },
            new ScatterTrace { Name = "p95", X = new[] { "a", "b" }, Y = new[] { 0.5, double.NaN }, Line = LineStyle.Dotted, LegendOnly = true },
            new HeatmapTrace { X = new[] { "t1" }, Y = new[] { "b1" }, Z = [[double.NaN]], ZMin = 0, ZMax = 100, ColorBarTitle = "%" },
            new BoxTrace { Name = "header", X = new[] { 0.1, 0.2 }, Y = new[] { "b1", "b1" } })
            .WithTitle("T").WithSize(800, 300);
        chart.Layout.BarMode = GroupMode.Stack;
        chart.Layout.XAxis.Type = AxisType.Date;
        chart.Layout.YAxis.Reversed = true;

        var f = Figure.Of(chart);

        Assert.Equal(["bar", "scatter", "heatmap", "box"], f.Traces.Select(t => t.GetProperty("type").GetString()));
        Assert.Equal("2024-05-01T10:00:00", f.Traces[0].GetProperty("x")[0].GetString());
        Assert.Equal(7, f.Traces[0].GetProperty("y")[0].GetDouble());
        Assert.Equal("#2ca02c", f.Traces[0].GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal(JsonValueKind.Null, f.Traces[1].GetProperty("y")[1].ValueKind);
        Assert.Equal("dot", f.Traces[1].GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal("legendonly", f.Traces[1].GetProperty("visible").GetString());
        Assert.Equal(JsonValueKind.Null, f.Traces[2].GetProperty("z")[0][0].ValueKind);
        Assert.Equal("%", f.Traces[2].GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("h", f.Traces[3].GetProperty("orientation").GetString());
        Assert.Equal("T", f.Title);
        Assert.Equal(800, f.Layout.GetProperty("width").GetInt32());
        Assert.Equal("stack", f.Layout.GetProperty("barmode").GetString());
        Assert.Equal("date", f.Layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("reversed", f.Layout.GetProperty("yaxis").GetProperty("autorange").GetString());
    }

    [Fact]
    public void Any_plotly_attribute_can_be_set_by_path_and_wins_over_the_typed_one()
    {
        var chart = TestLogs.Scenario().Charts.StatusOverTime()
            .WithLayout("xaxis.range", new[] { "2024-05-01T10:00", "2024-05-01T10:10" })
            .WithLayout("xaxis.title.text", "local time")
            .WithLayout("font.family", "serif");
        chart.Data[0].Set("marker.line.width", 2).Set("marker.color", "#000000");
        chart.Data[1].Set("opacity", 0.5).Set("opacity", null);

        var f = Figure.Of(chart);

        Assert.Equal("2024-05-01T10:10", f.Layout.GetProperty("xaxis").GetProperty("range")[1].GetString());
        Assert.Equal("local time", f.XTitle);
        Assert.Equal("date", f.Layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("serif", f.Layout.GetProperty("font").GetProperty("family").GetString());
        Assert.Equal(2, f.Traces[0].GetProperty("marker").GetProperty("line").GetProperty("width").GetInt32());
        Assert.Equal("#000000", f.Traces[0].GetProperty("marker").GetProperty("color").GetString());
        Assert.False(f.Traces[1].TryGetProperty("opacity", out _));
    }

    [Fact]
    public void Latency_series_give_each_backend_its_own_colour()
    {
        var f = Figure.Of(TestLogs.Scenario().Charts.LatencyOverTime());

        var p95 = f.Traces.Where(t => t.GetProperty("name").GetString()!.EndsWith(" p95", StringComparison.Ordinal)).ToList();
        var colours = p95.Select(t => t.GetProperty("line").GetProperty("color").GetString()).ToList();
        Assert.True(p95.Count >= 2);
        Assert.Equal(colours.Count, colours.Distinct().Count());
    }
}
