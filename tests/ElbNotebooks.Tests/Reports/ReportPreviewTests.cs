using ElbNotebooks.Analysis;
using ElbNotebooks.Tests.Formatting;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Tests.Reports;

[Collection("Formatter")]
public sealed class ReportPreviewTests : FormatterTestBase
{
    [Fact]
    public void A_notebook_shows_an_incident_report_as_the_answer_and_how_to_save_it_not_the_whole_page()
    {
        var report = ReportSamples.SampleLogs;

        var html = report.ToDisplayString("text/html");
        var doc = Parse(html);

        Assert.Contains("class=\"elb-view elb-report-preview", html);
        Assert.Single(doc.QuerySelectorAll("style"));
        Assert.Empty(doc.QuerySelectorAll("script"));
        Assert.True(html.Length < 50_000, $"the preview is {html.Length} characters");
        var text = doc.Body!.TextContent;
        Assert.Contains("10.0.2.22:9000 failing", text);
        Assert.Contains("10.0.1.14:8080 slow", text);
        Assert.Contains("2024-05-01 10:20 to 10:35 +08:00", text);
        Assert.Contains("report.SaveHtml(\"incident.html\")", text);
        Assert.Equal(["text/html", "text/plain"], Formatter.GetPreferredMimeTypesFor(typeof(ElbNotebooks.Reports.IncidentReport)).Order());
    }

    [Fact]
    public void An_incident_report_reads_as_a_few_lines_of_text()
    {
        var text = ReportSamples.WebIncident.ToDisplayString("text/plain");

        Assert.StartsWith("Incident: 10.0.1.12:8080 failing", text);
        Assert.Contains("failing: 10.0.1.12:8080 from 2024-05-01 10:20 to 10:35 +08:00 (2024-05-01 02:20 to 02:35 UTC)", text);
        Assert.Contains("SaveHtml(path)", text);
        Assert.DoesNotContain("<", text);
    }

    [Fact]
    public void A_report_of_no_selected_request_previews_as_nothing_judged_not_as_an_all_clear()
    {
        var report = ElbNotebooks.Tests.Analysis.EmptySelectionTests.Log.Value.Investigate(ElbNotebooks.Tests.Analysis.EmptySelectionTests.DayAfter).Report();

        var text = report.ToDisplayString("text/plain");
        var html = Parse(report.ToDisplayString("text/html")).Body!.TextContent;

        Assert.StartsWith("Access-log investigation: nothing judged (no request selected)", text);
        foreach (var view in new[] { text, html })
        {
            Assert.Contains(ElbNotebooks.Tests.Analysis.EmptySelectionTests.Expected, view);
            Assert.DoesNotContain("No backend was failing or slow", view);
        }
    }
}
