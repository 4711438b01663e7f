using Plotly.NET;
using Plotly.NET.CSharp;

namespace ElbNotebooks.Charts;

/// <summary>Titles, axis titles, sizes and colours, the same for every chart of the project.</summary>
internal static class ChartStyle
{
    public const int Width = 960;

    public static readonly Color Ok = Color.fromHex("#2ca02c");
    public static readonly Color Redirect = Color.fromHex("#1f77b4");
    public static readonly Color ClientError = Color.fromHex("#ff9f1c");
    public static readonly Color BackendError = Color.fromHex("#d62728");
    public static readonly Color UnreachableError = Color.fromHex("#8c1c13");
    public static readonly Color NoBackendError = Color.fromHex("#9467bd");

    /// <summary>Height that keeps one row per backend readable, within limits.</summary>
    public static int HeightFor(int rows, int perRow = 22, int chrome = 160, int min = 320, int max = 2400) =>
        Math.Clamp(chrome + rows * perRow, min, max);

    public static GenericChart Finish(GenericChart chart, string title, string xTitle, string yTitle, int height, bool timeAxis)
    {
        chart = chart.WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: timeAxis ? StyleParam.AxisType.Date : StyleParam.AxisType.Auto)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(Width: Width, Height: height);
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        return chart;
    }

    public static void Layout(GenericChart chart, string key, object value) => GenericChart.getLayout(chart).SetProperty(key, value);

    /// <summary>Sets a property on every trace (e.g. a colour bar title), for what Plotly.NET.CSharp does not expose.</summary>
    public static void Traces(GenericChart chart, string key, object value)
    {
        foreach (var trace in GenericChart.getTraces(chart)) trace.SetProperty(key, value);
    }

    public static Dictionary<string, object> TitleText(string text) => new() { ["title"] = new Dictionary<string, object> { ["text"] = text } };

    /// <summary>A chart with no data says so instead of showing empty axes.</summary>
    public static void NoData(GenericChart chart, string message) =>
        Layout(chart, "annotations", new object[]
        {
            new Dictionary<string, object>
            {
                ["text"] = message, ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper", ["x"] = 0.5, ["y"] = 0.5,
                ["font"] = new Dictionary<string, object> { ["size"] = 16 },
            },
        });
}
