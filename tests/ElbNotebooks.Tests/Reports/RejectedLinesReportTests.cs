using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;

namespace ElbNotebooks.Tests.Reports;

/// <summary>
/// A write-up of logs with damaged lines says where the first of each kind is, file and line, and shows it as written:
/// nothing in it read as HTML or Markdown.
/// </summary>
public sealed class RejectedLinesReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-rep-rejected-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Garbage = "<script>alert('rejected')</script> ``` | *not* a log line";

    /// <summary>The hostile log with, among its good lines, a line of something else (line 11) and a status that is no number (line 501).</summary>
    private IncidentReport Report(out string path)
    {
        var lines = ReportSamples.HostileLines().ToList();
        lines.Insert(10, Garbage);
        var fields = lines[500].Split(' ');
        fields[5] = "2O0";
        lines[500] = string.Join(' ', fields);
        path = Path.Combine(_dir, "damaged.log");
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return AccessLog.Load(path).Investigate().Report(ReportSamples.Options);
    }

    [Fact]
    public void The_html_report_names_each_reasons_first_rejected_line_and_shows_it_as_text()
    {
        var report = Report(out var path);
        Assert.Equal(2, report.Investigation.Log.Report.Rejected);
        var html = report.ToHtml();
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

        Assert.DoesNotContain("<script>alert('rejected')", html);
        var rejected = doc.QuerySelectorAll("h4").Single(h => h.TextContent == "Rejected lines (the first of each reason)");
        var lines = rejected.NextElementSibling!.QuerySelectorAll(".elb-report-line").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal($"{path} line 11: too-few-fields: found 7 fields, a request needs at least 16", lines[0].QuerySelector(".elb-report-where")!.TextContent);
        Assert.EndsWith(Garbage, lines[0].TextContent);
        Assert.StartsWith($"{path} line 501: bad-status: status is not an HTTP status code (100-599): '2O0'", lines[1].TextContent);
        // The suspect is still found among the good lines around them.
        Assert.Equal("10.0.0.2:80", Assert.Single(report.Investigation.Suspects).Backend.Backend);
    }

    [Fact]
    public void The_markdown_report_names_them_and_shows_each_in_a_code_block()
    {
        var md = Report(out var path).ToMarkdown();

        Assert.Contains($"- {path} line 11: too-few-fields: found 7 fields, a request needs at least 16".Replace("_", "\\_"), md);
        Assert.Contains(Garbage, MarkdownCode.Blocks(md));
        Assert.DoesNotContain("<script>", MarkdownCode.Outside(md));
    }
}
