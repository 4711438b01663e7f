using System.Text.Json.Nodes;

namespace ElbNotebooks.Charts;

/// <summary>What an axis shows: plotly.js guesses from the data, times, or categories in the order given.</summary>
public enum AxisType
{
    /// <summary>plotly.js decides from the data.</summary>
    Auto,

    /// <summary>A time axis.</summary>
    Date,

    /// <summary>Labels in the order of the data.</summary>
    Category,
}

/// <summary>An axis of the layout (<c>xaxis</c>, <c>yaxis</c>).</summary>
public sealed class Axis : FigurePart
{
    /// <summary>The axis title.</summary>
    public string? Title { get; set; }

    /// <summary>Times, categories, or automatic.</summary>
    public AxisType Type { get; set; }

    /// <summary>The first category or smallest value at the top (for a y axis) or right.</summary>
    public bool Reversed { get; set; }

    /// <summary>
    /// Stretches of a time axis with no data that are left out (plotly.js <c>rangebreaks</c>): two logs hours apart
    /// are drawn side by side, with the gap named, instead of across hours of empty plot.
    /// </summary>
    public List<TimeGap> Gaps { get; } = [];

    private protected override void WriteTyped(JsonObject json)
    {
        if (Title is not null) json["title"] = TitleObject(Title);
        if (Type != AxisType.Auto) json["type"] = Type == AxisType.Date ? "date" : "category";
        if (Reversed) json["autorange"] = "reversed";
        json["automargin"] = true; // long backend labels and titles get the room they need
        if (Gaps.Count > 0)
            json["rangebreaks"] = new JsonArray(Gaps.Select(g => (JsonNode)new JsonObject
            {
                ["values"] = new JsonArray(PlotValues.FormatTime(g.From)),
                ["dvalue"] = (g.To - g.From).TotalMilliseconds,
            }).ToArray());
    }
}

/// <summary>
/// A stretch of a time axis left out, from <see cref="From"/> to <see cref="To"/> (wall-clock times as on the axis),
/// and what the axis says in its place (by default <c>no data 11:00–14:00</c>).
/// </summary>
public readonly record struct TimeGap(DateTime From, DateTime To, string? Text = null)
{
    /// <summary>What the axis says in the gap's place.</summary>
    public string Label => Text ?? Describe(From, To);

    /// <summary><c>no data 11:00–14:00</c>, with dates when the gap spans days.</summary>
    internal static string Describe(DateTime from, DateTime to)
    {
        var format = from.Date == to.Date ? "HH:mm" : "MMM d HH:mm";
        return "no data " + from.ToString(format, System.Globalization.CultureInfo.InvariantCulture) + "–" +
               to.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>How bars or boxes of several traces share a position.</summary>
public enum GroupMode
{
    /// <summary>Side by side.</summary>
    Group,

    /// <summary>On top of each other (bars only).</summary>
    Stack,
}

/// <summary>The figure's layout (plotly.js <c>layout</c>): title, size, axes, how traces share positions, a note.</summary>
public sealed class Layout : FigurePart
{
    /// <summary>The chart's title.</summary>
    public string? Title { get; set; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; set; } = 960;

    /// <summary>Height in pixels.</summary>
    public int Height { get; set; } = 480;

    /// <summary>The horizontal axis.</summary>
    public Axis XAxis { get; } = new();

    /// <summary>The vertical axis.</summary>
    public Axis YAxis { get; } = new();

    /// <summary>Bars of several traces side by side or stacked (plotly.js <c>barmode</c>); boxes are always grouped.</summary>
    public GroupMode BarMode { get; set; } = GroupMode.Group;

    /// <summary>The gap between bars, as a share of a bar's slot (plotly.js <c>bargap</c>).</summary>
    public double? BarGap { get; set; }

    /// <summary>A message in the middle of the plot, e.g. that there is no data to draw.</summary>
    public string? Note { get; set; }

    private protected override void WriteTyped(JsonObject json)
    {
        if (Title is not null) json["title"] = TitleObject(Title);
        json["width"] = Width;
        json["height"] = Height;
        json["xaxis"] = XAxis.ToJson();
        json["yaxis"] = YAxis.ToJson();
        json["barmode"] = BarMode == GroupMode.Stack ? "stack" : "group";
        json["boxmode"] = "group";
        if (BarGap is { } barGap) json["bargap"] = barGap;
        var annotations = new JsonArray();
        if (Note is not null)
            annotations.Add((JsonNode)new JsonObject
            {
                ["text"] = Note, ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper", ["x"] = 0.5, ["y"] = 0.5,
                ["font"] = new JsonObject { ["size"] = 16 },
            });
        foreach (var gap in XAxis.Gaps)
            annotations.Add((JsonNode)new JsonObject
            {
                ["text"] = gap.Label, ["showarrow"] = false, ["x"] = PlotValues.FormatTime(gap.From), ["xref"] = "x", ["yref"] = "paper",
                ["y"] = 1, ["yanchor"] = "bottom", ["font"] = new JsonObject { ["size"] = 10, ["color"] = "#666" },
            });
        if (annotations.Count > 0) json["annotations"] = annotations;
    }
}
