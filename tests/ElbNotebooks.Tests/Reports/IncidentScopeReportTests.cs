using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;

namespace ElbNotebooks.Tests.Reports;

/// <summary>The write-up says where to look (each incident's scope) and how strong the evidence is.</summary>
public sealed class IncidentScopeReportTests
{
    [Fact]
    public void Every_scope_is_a_row_of_the_where_to_look_table_in_markdown_and_html()
    {
        var options = Scenarios.Apply("mixed-scopes", Analysis.Scenario.Options(11));
        var report = Analysis.Scenario.Investigate(options).Report(ReportSamples.Options);

        var md = report.ToMarkdown();
        var where = MarkdownTables.Parse(md).Single(t => t.Heading == "Where to look");
        string[] scopes = ["one backend (its pool's only one)", "whole pool (3 backends)", "3 of 4 backends", "load balancer", "one backend"];
        Assert.Equal(scopes.Order(StringComparer.Ordinal), where.Column("scope").Order(StringComparer.Ordinal));
        Assert.Contains("what they share", string.Join(" ", where.Column("where to look")));
        Assert.Contains("one after another", string.Join(" ", where.Column("where to look")));

        var html = report.ToHtml();
        Assert.Contains("<h2>Where to look</h2>", html);
        Assert.Contains("whole pool (3 backends)", html);
    }

    [Fact]
    public void One_failed_attempt_reads_as_thin_evidence_not_a_confirmed_outage()
    {
        var report = AccessLog.Load(ReportSamples.Sample("seed-line.log")).Investigate().Report(ReportSamples.Options);

        var md = report.ToMarkdown();
        Assert.Contains("Thin evidence: 1 failed attempt, not a confirmed outage", md);
        Assert.Equal(["thin: not a confirmed outage"], MarkdownTables.Parse(md).Single(t => t.Heading == "Where to look").Column("evidence"));
        Assert.Contains("Thin evidence: 1 failed attempt, not a confirmed outage", report.ToHtml());
    }
}
