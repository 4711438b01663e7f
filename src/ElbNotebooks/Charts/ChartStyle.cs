namespace ElbNotebooks.Charts;

/// <summary>Titles, axis titles, sizes and colours, the same for every chart of the project.</summary>
internal static class ChartStyle
{
    public const int Width = 960;

    public const string Ok = "#2ca02c";
    public const string Redirect = "#1f77b4";
    public const string ClientError = "#ff9f1c";
    public const string BackendError = "#d62728";
    public const string UnreachableError = "#8c1c13";
    public const string NoBackendError = "#9467bd";

    /// <summary>
    /// Colours for one series per backend: plotly's ten, then ten more of different hue and lightness, so that up to
    /// twenty backends never share a colour.
    /// </summary>
    private static readonly string[] Series =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#393b79", "#e6550d", "#31a354", "#843c39", "#7b4173", "#c49c94", "#f7b6d2", "#525252", "#8ca252", "#9edae5",
    ];

    public static string SeriesColor(int index) => Series[index % Series.Length];

    /// <summary>Height that keeps one row per backend readable, within limits.</summary>
    public static int HeightFor(int rows, int perRow = 22, int chrome = 160, int min = 320, int max = 2400) =>
        Math.Clamp(chrome + rows * perRow, min, max);

    public static PlotlyChart Finish(PlotlyChart chart, string title, string xTitle, string yTitle, int height, bool timeAxis)
    {
        chart.Layout.Title = title;
        chart.Layout.XAxis.Title = xTitle;
        if (timeAxis) chart.Layout.XAxis.Type = AxisType.Date;
        chart.Layout.YAxis.Title = yTitle;
        return chart.WithSize(Width, height);
    }
}
