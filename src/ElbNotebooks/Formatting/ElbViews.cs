using System.Globalization;
using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Charts;
using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Formatting;

/// <summary>The settings every view reads, captured once per output.</summary>
internal readonly record struct ViewSettings(int RowLimit, int MaxCellLength, PlotlyJsSource PlotlyJs)
{
    public static ViewSettings Current => new(ElbFormatters.RowLimit, ElbFormatters.MaxCellLength, ElbFormatters.PlotlyJs);
}

/// <summary>
/// Picks the view of a value by its type. Every entry point formats with the invariant culture and never throws:
/// a view that fails writes a short note instead, so a notebook cell always shows something.
/// </summary>
internal static class ElbViews
{
    public static bool CanShow(object? value) => value is AccessLog or ParseReport or DataFrame or PlotlyChart or InvestigationResult or BackendHealth or Suspect or Timeline;

    public static string? Html(object? value) => Html(value, ViewSettings.Current);

    public static string? Html(object? value, ViewSettings settings)
    {
        if (!CanShow(value)) return null;
        var html = new HtmlWriter();
        return Safely(value!, () =>
        {
            switch (value)
            {
                case AccessLog log: LoadingViews.WriteHtml(html, log, settings); break;
                case ParseReport report: LoadingViews.WriteHtml(html, report, settings); break;
                case DataFrame frame: DataFrameView.WriteHtml(html, frame, settings.RowLimit, settings.MaxCellLength); break;
                case PlotlyChart chart: ChartView.WriteHtml(html, chart, settings.PlotlyJs); break;
                case InvestigationResult investigation: AnalysisViews.WriteHtml(html, investigation, settings); break;
                case BackendHealth backend: AnalysisViews.WriteHtml(html, backend, settings); break;
                case Suspect suspect: AnalysisViews.WriteHtml(html, suspect, settings); break;
                case Timeline timeline: AnalysisViews.WriteHtml(html, timeline, settings); break;
            }
            return html.ToString();
        }, e => new HtmlWriter().Open("div", "elb-view").Style()
            .Element("div", $"{value!.GetType().Name} could not be shown: {e.GetType().Name}: {DisplayText.Cut(e.Message, 300)}", "elb-bad")
            .Close("div").ToString());
    }

    public static string? Text(object? value) => Text(value, ViewSettings.Current);

    public static string? Text(object? value, ViewSettings settings)
    {
        if (!CanShow(value)) return null;
        return Safely(value!, () =>
        {
            switch (value)
            {
                case AccessLog log: return LoadingViews.Text(log, settings);
                case ParseReport report: return LoadingViews.Text(report, settings);
                case DataFrame frame:
                    var text = new StringBuilder();
                    DataFrameView.WriteText(text, frame, settings.RowLimit, settings.MaxCellLength);
                    return text.ToString();
                case PlotlyChart chart: return ChartView.Text(chart);
                case InvestigationResult investigation: return AnalysisViews.Text(investigation, settings);
                case BackendHealth backend: return AnalysisViews.Text(backend, settings);
                case Suspect suspect: return AnalysisViews.Text(suspect, settings);
                case Timeline timeline: return AnalysisViews.Text(timeline, settings);
                default: return value!.ToString() ?? "";
            }
        }, e => $"{value!.GetType().Name} could not be shown: {e.GetType().Name}: {e.Message}");
    }

    private static string Safely(object value, Func<string> view, Func<Exception, string> fallback)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return view();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return fallback(e);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
