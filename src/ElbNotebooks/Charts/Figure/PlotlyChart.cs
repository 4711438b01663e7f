using System.Globalization;
using System.Text.Json.Nodes;

namespace ElbNotebooks.Charts;

/// <summary>
/// A chart as a plotly.js figure: traces and a layout, written as the figure JSON that <c>Plotly.newPlot</c> takes.
/// Every chart of this library is one; restyle it through its typed properties, or set any plotly.js attribute with
/// <see cref="FigurePart.Set"/> on <see cref="Layout"/> or a trace. It needs no F# runtime, so it draws in any
/// notebook kernel.
/// </summary>
public sealed class PlotlyChart
{
    /// <summary>The traces, drawn in order.</summary>
    public List<Trace> Data { get; } = [];

    /// <summary>Title, size, axes and the rest of the layout.</summary>
    public Layout Layout { get; } = new();

    /// <summary>A new chart with <paramref name="traces"/>.</summary>
    public PlotlyChart(params IEnumerable<Trace> traces) => Data.AddRange(traces);

    /// <summary>Sets the title and returns the chart.</summary>
    public PlotlyChart WithTitle(string title)
    {
        Layout.Title = title;
        return this;
    }

    /// <summary>Sets the size in pixels and returns the chart.</summary>
    public PlotlyChart WithSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Layout.Width = width;
        Layout.Height = height;
        return this;
    }

    /// <summary>Sets a plotly.js layout attribute by its dotted path (see <see cref="FigurePart.Set"/>) and returns the chart.</summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("Serializes any value by reflection; pass a JsonNode to avoid it.")]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("Serializes any value by reflection; pass a JsonNode to avoid it.")]
    public PlotlyChart WithLayout(string path, object? value)
    {
        Layout.Set(path, value);
        return this;
    }

    /// <summary>The figure as JSON: <c>{"data":[...],"layout":{...},"config":{"responsive":true}}</c>.</summary>
    public string ToJson() => ToJsonNode().ToJsonString();

    /// <summary>The figure as a JSON object.</summary>
    public JsonObject ToJsonNode() => new()
    {
        ["data"] = new JsonArray(Data.Select(t => (JsonNode)t.ToJson()).ToArray()),
        ["layout"] = Layout.ToJson(),
        ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false },
    };

    /// <summary>
    /// The chart as a static SVG drawn by this library (same data, titles, colours and legend), for places where no
    /// script runs; attributes set by path with <see cref="FigurePart.Set"/> are left to plotly.js.
    /// </summary>
    public string ToSvg() => Svg.SvgRenderer.Render(this);

    /// <summary>A one-line description: the title and the number of traces.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Plotly chart{(Layout.Title is { } t ? ": " + t : "")} ({Data.Count} trace{(Data.Count == 1 ? "" : "s")})");
}
