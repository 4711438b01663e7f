using ElbNotebooks.Charts;
using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Formatting;

/// <summary>
/// Notebook display for this project. The project's own types (AccessLog, ParseReport, LogFrame, ...) show
/// without any call, through the Formatting package's <see cref="TypeFormatterSourceAttribute"/>. <see cref="Register"/> (run by the
/// package's <c>extension.dib</c>, through <see cref="NotebookExtension.Load"/>) adds views for any <see cref="DataFrame"/> and for charts.
/// </summary>
public static class ElbFormatters
{
    private static volatile PlotlyJsSource _plotlyJs = PlotlyJsSource.Cdn;
    private static int _rowLimit = 20;
    private static int _maxCellLength = 80;

    /// <summary>Rows a DataFrame view shows (default 20).</summary>
    public static int RowLimit
    {
        get => _rowLimit;
        set => _rowLimit = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "RowLimit must be 0 or more.");
    }

    /// <summary>Characters a cell shows before it is cut with an ellipsis (default 80).</summary>
    public static int MaxCellLength
    {
        get => _maxCellLength;
        set => _maxCellLength = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxCellLength must be 1 or more.");
    }

    /// <summary>Where charts load plotly.js from in this session.</summary>
    public static PlotlyJsSource PlotlyJs => _plotlyJs;

    /// <summary>
    /// Registers the DataFrame view (also for plain DataFrames, e.g. from Microsoft.Data.Analysis) and the chart
    /// view for charts (<see cref="PlotlyChart"/>), as HTML and as plain text. LogFrame gets its own
    /// registration too: being the more specific type it keeps this project's view whatever registers for
    /// DataFrame later. Calling it again is harmless.
    /// </summary>
    public static void Register()
    {
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(ElbViews.Html(frame)), ElbFormatterSource.Html);
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(ElbViews.Text(frame)), ElbFormatterSource.PlainText);
        Formatter.Register<LogFrame>((frame, writer) => writer.Write(ElbViews.Html(frame)), ElbFormatterSource.Html);
        Formatter.Register<LogFrame>((frame, writer) => writer.Write(ElbViews.Text(frame)), ElbFormatterSource.PlainText);
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(ElbViews.Html(chart)), ElbFormatterSource.Html);
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(ElbViews.Text(chart)), ElbFormatterSource.PlainText);
        Formatter.SetPreferredMimeTypesFor(typeof(PlotlyChart), ElbFormatterSource.Html, ElbFormatterSource.PlainText);
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), ElbFormatterSource.Html, ElbFormatterSource.PlainText);
    }

    /// <summary>Charts carry plotly.js inline (about 1.4 MB per chart output): for machines without internet.</summary>
    public static void UseInlinePlotlyJs() => _plotlyJs = PlotlyJsSource.Inline;

    /// <summary>Charts load plotly.js from its CDN (the default).</summary>
    public static void UseCdnPlotlyJs() => _plotlyJs = PlotlyJsSource.Cdn;

    /// <summary>The HTML view of any value this project can show (null if it has none), without a notebook.</summary>
    public static string? ToHtml(object? value) => ElbViews.Html(value);

    /// <summary>The plain-text view of any value this project can show (null if it has none).</summary>
    public static string? ToText(object? value) => ElbViews.Text(value);
}
