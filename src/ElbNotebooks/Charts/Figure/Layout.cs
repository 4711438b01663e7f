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

    private protected override void WriteTyped(JsonObject json)
    {
        if (Title is not null) json["title"] = TitleObject(Title);
        if (Type != AxisType.Auto) json["type"] = Type == AxisType.Date ? "date" : "category";
        if (Reversed) json["autorange"] = "reversed";
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
        if (BarGap is { } gap) json["bargap"] = gap;
        if (Note is not null)
            json["annotations"] = new JsonArray(new JsonObject
            {
                ["text"] = Note, ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper", ["x"] = 0.5, ["y"] = 0.5,
                ["font"] = new JsonObject { ["size"] = 16 },
            });
    }
}
