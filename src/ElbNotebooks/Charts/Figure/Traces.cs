using System.Text.Json.Nodes;

namespace ElbNotebooks.Charts;

/// <summary>One trace of a figure (plotly.js <c>data[i]</c>): what every trace type shares.</summary>
public abstract class Trace : FigurePart
{
    /// <summary>The plotly.js trace type (<c>bar</c>, <c>scatter</c>, <c>heatmap</c>, <c>box</c>).</summary>
    public abstract string Type { get; }

    /// <summary>The name in the legend and on hover.</summary>
    public string? Name { get; set; }

    /// <summary>Horizontal positions (times, labels or numbers).</summary>
    public PlotValues X { get; set; } = PlotValues.Empty;

    /// <summary>Vertical positions (numbers or labels).</summary>
    public PlotValues Y { get; set; } = PlotValues.Empty;

    /// <summary>The trace's main colour (CSS colour), for markers, bars and lines.</summary>
    public string? Color { get; set; }

    /// <summary>Traces of one group toggle together in the legend.</summary>
    public string? LegendGroup { get; set; }

    /// <summary>Hidden until its legend entry is clicked.</summary>
    public bool LegendOnly { get; set; }

    /// <summary>The plotly.js hover template, e.g. <c>%{y}&lt;extra&gt;&lt;/extra&gt;</c>.</summary>
    public string? HoverTemplate { get; set; }

    /// <summary>
    /// On a time axis, each <see cref="X"/> is the start of a period this long (a time bucket) and the trace is drawn
    /// over that period: a bar or heatmap cell spans [x, x + period), a line's point sits at the period's middle; hover
    /// still names x, the start. Null: drawn at x itself (a bar or cell centred on it). Written as plotly.js
    /// <c>xperiod</c> (milliseconds), <c>xperiod0</c> (the first x, so periods of any length line up with the values)
    /// and <c>xperiodalignment: "middle"</c>; <see cref="PlotlyChart.ToSvg"/> draws the same.
    /// </summary>
    public TimeSpan? XPeriod { get; set; }

    private protected override void WriteTyped(JsonObject json)
    {
        json["type"] = Type;
        Put(json, "name", Name);
        if (X.Count > 0 || Y.Count > 0)
        {
            json["x"] = X.ToJson();
            json["y"] = Y.ToJson();
        }
        if (XPeriod is { } period && period > TimeSpan.Zero && X.Kind == PlotValueKind.Time && X.Count > 0)
        {
            json["xperiod"] = period.TotalMilliseconds;
            json["xperiod0"] = PlotValues.FormatTime(X.AsTimes[0]);
            json["xperiodalignment"] = "middle";
        }
        Put(json, "legendgroup", LegendGroup);
        if (LegendOnly) json["visible"] = "legendonly";
        Put(json, "hovertemplate", HoverTemplate);
        WriteOwn(json);
    }

    /// <summary>Writes the properties of the trace type.</summary>
    private protected abstract void WriteOwn(JsonObject json);
}

/// <summary>A bar trace; horizontal when <see cref="Horizontal"/> (then <see cref="Trace.X"/> holds the values).</summary>
public sealed class BarTrace : Trace
{
    /// <inheritdoc/>
    public override string Type => "bar";

    /// <summary>Bars grow to the right, one per <see cref="Trace.Y"/> label.</summary>
    public bool Horizontal { get; set; }

    private protected override void WriteOwn(JsonObject json)
    {
        if (Horizontal) json["orientation"] = "h";
        if (Color is not null) json["marker"] = new JsonObject { ["color"] = Color };
    }
}

/// <summary>How a <see cref="ScatterTrace"/> draws its points.</summary>
public enum LineStyle
{
    /// <summary>A solid line.</summary>
    Solid,

    /// <summary>A solid line with a marker at every point.</summary>
    SolidWithMarkers,

    /// <summary>A dotted line.</summary>
    Dotted,
}

/// <summary>A line trace (plotly.js <c>scatter</c>); a NaN in <see cref="Trace.Y"/> breaks the line.</summary>
public sealed class ScatterTrace : Trace
{
    /// <inheritdoc/>
    public override string Type => "scatter";

    /// <summary>Solid, solid with markers, or dotted.</summary>
    public LineStyle Line { get; set; } = LineStyle.Solid;

    private protected override void WriteOwn(JsonObject json)
    {
        json["mode"] = Line == LineStyle.SolidWithMarkers ? "lines+markers" : "lines";
        var line = new JsonObject();
        if (Color is not null) line["color"] = Color;
        if (Line == LineStyle.Dotted) line["dash"] = "dot";
        if (line.Count > 0) json["line"] = line;
        if (Color is not null && Line == LineStyle.SolidWithMarkers) json["marker"] = new JsonObject { ["color"] = Color };
        json["connectgaps"] = false;
    }
}

/// <summary>A heatmap: <see cref="Z"/>[row][column] over <see cref="Trace.Y"/> rows and <see cref="Trace.X"/> columns; NaN is blank.</summary>
public sealed class HeatmapTrace : Trace
{
    /// <inheritdoc/>
    public override string Type => "heatmap";

    /// <summary>The cell values, one array per row.</summary>
    public double[][] Z { get; set; } = [];

    /// <summary>Colour stops from 0 to 1, e.g. <c>(0, "#fff"), (1, "#a00")</c>.</summary>
    public IReadOnlyList<(double Stop, string Color)> ColorScale { get; set; } = [(0, "#f7f7f7"), (1, "#b2182b")];

    /// <summary>The value at the bottom of the colour scale (default: the smallest).</summary>
    public double? ZMin { get; set; }

    /// <summary>The value at the top of the colour scale (default: the largest).</summary>
    public double? ZMax { get; set; }

    /// <summary>The colour bar's title.</summary>
    public string? ColorBarTitle { get; set; }

    /// <summary>Writes each cell's value in it.</summary>
    public bool ShowValues { get; set; }

    private protected override void WriteOwn(JsonObject json)
    {
        json["z"] = new JsonArray(Z.Select(row => (JsonNode)new JsonArray(row.Select(PlotValues.Number).ToArray())).ToArray());
        json["colorscale"] = new JsonArray(ColorScale.Select(s => (JsonNode)new JsonArray(s.Stop, s.Color)).ToArray());
        if (ZMin is { } min) json["zmin"] = min;
        if (ZMax is { } max) json["zmax"] = max;
        json["xgap"] = 1;
        json["ygap"] = 1;
        if (ColorBarTitle is not null) json["colorbar"] = new JsonObject { ["title"] = TitleObject(ColorBarTitle) };
        if (ShowValues) json["texttemplate"] = "%{z}";
    }
}

/// <summary>
/// Box plots of a distribution, one box per label: horizontal, values in <see cref="Trace.X"/> and each value's label
/// in <see cref="Trace.Y"/>; outliers drawn as points.
/// </summary>
public sealed class BoxTrace : Trace
{
    /// <inheritdoc/>
    public override string Type => "box";

    private protected override void WriteOwn(JsonObject json)
    {
        json["orientation"] = "h";
        json["boxpoints"] = "outliers";
        if (Color is not null) json["marker"] = new JsonObject { ["color"] = Color };
    }
}
