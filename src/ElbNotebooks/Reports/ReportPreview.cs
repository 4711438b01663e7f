using System.Globalization;
using System.Text;
using ElbNotebooks.Formatting;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Reports;

/// <summary>
/// What a notebook shows for an <see cref="IncidentReport"/>: the answer and the impact table, and how to save the
/// whole report; not the page itself (plotly.js inline, 1.4 MB), which belongs in a file.
/// </summary>
internal static class ReportPreview
{
    public static string Html(ReportFacts f)
    {
        var html = new HtmlWriter();
        html.Open("div", "elb-view elb-report-preview").Style();
        html.Element("div", f.Title, "elb-title");
        if (f.Investigation.NothingJudgedReason is { } nothing)
        {
            html.Element("div", nothing, "elb-warn");
        }
        else if (f.Suspects.Count == 0)
        {
            html.Element("div", "No backend was failing or slow.", "elb-good");
        }
        else
        {
            html.Open("ul");
            foreach (var s in f.Suspects)
                html.Open("li").Open("span", DisplayText.HealthClass(s.Suspect.Health)).Text($"{s.Suspect.Backend.Backend} {HealthNames.Of(s.Suspect.Health)}").Close("span")
                    .Text($" from {Words.Window(s.Suspect.Window)}: {s.How}. {HtmlReport.HurtSentence(s.Impact)}").Close("li");
            html.Close("ul");
            HtmlReport.ImpactTable(html, f);
        }
        foreach (var note in HtmlReport.LoadBalancerNotes(f)) html.Element("div", note);
        if (f.Investigation.Incidents.Count > 0)
        {
            html.Element("div", "Where to look:", "elb-muted");
            html.Open("ul");
            foreach (var n in f.Investigation.Incidents)
                html.Open("li").Open("strong", n.Evidence == Analysis.EvidenceStrength.Thin ? "elb-muted" : DisplayText.HealthClass(n.Health)).Text(Words.Scope(n)).Close("strong")
                    .Text(": " + n.Reason).Close("li");
            html.Close("ul");
        }
        html.Element("div", "The full report (evidence with log lines, charts, backend table, method, provenance): " +
                            "report.SaveHtml(\"incident.html\") writes one page that opens offline (plotly.js inline, 1.4 MB of it); " +
                            "report.SaveMarkdown(\"incident.md\") writes the same story as Markdown tables for a ticket or chat.", "elb-muted");
        html.Close("div");
        return html.ToString();
    }

    public static string Text(ReportFacts f)
    {
        var text = new StringBuilder(f.Title);
        if (f.Investigation.NothingJudgedReason is { } nothing) text.AppendLine().Append(nothing);
        else if (f.Suspects.Count == 0) text.AppendLine().Append("No backend was failing or slow.");
        foreach (var s in f.Suspects)
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"  {HealthNames.Of(s.Suspect.Health)}: {s.Suspect.Backend.Backend} from {Words.Window(s.Suspect.Window)}: {s.How}. {HtmlReport.HurtSentence(s.Impact)}");
        foreach (var note in HtmlReport.LoadBalancerNotes(f)) text.AppendLine().Append("  ").Append(note);
        if (f.Investigation.Incidents.Count > 0) text.AppendLine().Append("Where to look:");
        foreach (var n in f.Investigation.Incidents) text.AppendLine().Append("  ").Append(Words.Scope(n)).Append(": ").Append(n.Reason);
        text.AppendLine().Append("Save with SaveHtml(path) (one offline page with charts) or SaveMarkdown(path).");
        return text.ToString();
    }
}

/// <summary>
/// Named by <see cref="TypeFormatterSourceAttribute"/> on <see cref="IncidentReport"/>, like the Formatting stage's
/// <see cref="ElbFormatterSource{T}"/>; kept here so Formatting does not depend on Reports.
/// </summary>
internal sealed class ReportFormatterSource : ITypeFormatterSource
{
    public IEnumerable<ITypeFormatter> CreateTypeFormatters() =>
    [
        new ViewFormatter(typeof(IncidentReport), ElbFormatterSource.Html, value => Show(value, ElbFormatterSource.Html)),
        new ViewFormatter(typeof(IncidentReport), ElbFormatterSource.PlainText, value => Show(value, ElbFormatterSource.PlainText)),
    ];

    private static string? Show(object? value, string mimeType)
    {
        if (value is not IncidentReport report) return null;
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return mimeType == ElbFormatterSource.Html ? ReportPreview.Html(report.Facts) : report.ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = $"IncidentReport could not be shown: {e.GetType().Name}: {e.Message}";
            return mimeType == ElbFormatterSource.Html
                ? new HtmlWriter().Open("div", "elb-view").Style().Element("div", message, "elb-bad").Close("div").ToString()
                : message;
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
