using System.Text.Json;
using ElbNotebooks.Charts;

namespace ElbNotebooks.Tests.Support;

/// <summary>A chart's figure JSON (what Plotly.newPlot receives), read back for assertions.</summary>
internal sealed class Figure
{
    private Figure(JsonElement root) => Root = root;

    public JsonElement Root { get; }
    public JsonElement Layout => Root.GetProperty("layout");
    public JsonElement[] Traces => Root.GetProperty("data").EnumerateArray().ToArray();

    public static Figure Of(PlotlyChart chart) => new(JsonDocument.Parse(chart.ToJson()).RootElement.Clone());

    public JsonElement Trace(string name) => Traces.Single(t => t.TryGetProperty("name", out var n) && n.GetString() == name);

    public string Title => Layout.GetProperty("title").GetProperty("text").GetString()!;
    public string XTitle => Layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString()!;
    public string YTitle => Layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString()!;

    public static double[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(v => v.GetString()!).ToArray();
}
