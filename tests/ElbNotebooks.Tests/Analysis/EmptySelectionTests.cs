using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Formatting;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// An investigation whose time range or listener selects no request judged nothing: the result, its views, JSON and
/// report say so, as the CLI does (exit 3), and never read as "no failing or slow backend".
/// </summary>
public sealed class EmptySelectionTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    /// <summary>A day after the sample log (2024-05-01 14:00 to 15:00 +08:00).</summary>
    internal static readonly InvestigationOptions DayAfter = new()
    {
        From = new DateTimeOffset(2024, 5, 2, 14, 10, 0, Cst),
        To = new DateTimeOffset(2024, 5, 2, 14, 20, 0, Cst),
    };

    internal const string Expected =
        "No request matches the selection (from 2024-05-02 14:10:00 +08:00, to 2024-05-02 14:20:00 +08:00): there is nothing to judge, " +
        "which is not an all-clear. The logs span 2024-05-01 14:00:00 to 2024-05-01 15:00:00 +08:00 (36,260 requests).";

    internal static readonly Lazy<AccessLog> Log = new(() => AccessLog.Load(TestPaths.SampleLog("elb-refused-and-slow.log.gz")));

    [Fact]
    public void A_range_with_no_request_is_nothing_judged_in_the_result_and_its_views()
    {
        var i = Log.Value.Investigate(DayAfter);

        Assert.True(i.NothingJudged);
        Assert.Equal(0, i.Requests);
        Assert.Empty(i.Suspects);
        Assert.Equal(Expected, i.NothingJudgedReason);
        Assert.Equal(Expected, i.ToString());
        var text = ElbFormatters.ToText(i)!;
        Assert.Equal("Nothing judged: " + Expected, text);
        var html = ElbFormatters.ToHtml(i)!;
        Assert.Contains("Nothing judged: no request selected", html);
        Assert.Contains("which is not an all-clear", html);
        Assert.DoesNotContain("No failing or slow backend", html);
    }

    [Fact]
    public void Its_json_gives_the_window_asked_for_and_says_nothing_was_judged()
    {
        using var doc = JsonDocument.Parse(Log.Value.Investigate(DayAfter).ToJson());
        var root = doc.RootElement;

        Assert.Equal("2024-05-02T06:10:00Z", root.GetProperty("from").GetString());
        Assert.Equal("2024-05-02T06:20:00Z", root.GetProperty("to").GetString());
        Assert.Equal(0, root.GetProperty("requests").GetInt64());
        Assert.Equal(Expected, root.GetProperty("nothing_judged").GetString());
        Assert.Equal(36_260, root.GetProperty("filters").GetProperty("requests_left_out").GetInt64());
    }

    [Fact]
    public void Its_report_is_not_an_all_clear()
    {
        var report = Log.Value.Investigate(DayAfter).Report();
        var md = report.ToMarkdown();
        var html = report.ToHtml();

        Assert.StartsWith("# Access-log investigation: nothing judged (no request selected)\n", md);
        Assert.Contains("there is nothing to judge, which is not an all-clear", md);
        Assert.DoesNotContain("No backend was failing or slow", md);
        Assert.DoesNotContain("no failing or slow backend", md);
        Assert.Contains("<h1>Access-log investigation: nothing judged (no request selected)</h1>", html);
        Assert.DoesNotContain("No backend was failing or slow", html);
        Assert.DoesNotContain("elb-report-answer elb-report-clear", html);
    }

    [Fact]
    public void A_listener_with_no_request_in_the_range_is_nothing_judged_over_that_range()
    {
        var listener = (string)Log.Value.Requests["listener_name"][0];
        var i = Log.Value.Investigate(new InvestigationOptions { Listener = listener, To = new DateTimeOffset(2024, 5, 1, 13, 0, 0, Cst) });

        Assert.True(i.NothingJudged);
        Assert.StartsWith($"No request matches the selection (listener ", i.ToString());
        Assert.Contains("to 2024-05-01 13:00:00 +08:00): there is nothing to judge, which is not an all-clear.", i.ToString());
        Assert.Equal(new DateTime(2024, 5, 1, 5, 0, 0), i.From);
        Assert.Equal(i.From, i.To);
    }

    [Fact]
    public void A_streamed_investigation_of_no_request_says_the_same()
    {
        var i = AccessLogInvestigation.Investigate(LogSource.FromPaths([TestPaths.SampleLog("elb-refused-and-slow.log.gz")], null), null, DayAfter);

        Assert.True(i.NothingJudged);
        Assert.Equal(Expected, i.ToString());
        Assert.Equal(new DateTime(2024, 5, 2, 6, 20, 0), i.To);
    }

    [Fact]
    public void An_investigation_that_judged_requests_is_not_nothing_judged()
    {
        var i = Log.Value.Investigate(new InvestigationOptions { From = new DateTimeOffset(2024, 5, 1, 14, 30, 0, Cst) });

        Assert.False(i.NothingJudged);
        Assert.Null(i.NothingJudgedReason);
        Assert.DoesNotContain("nothing_judged", i.ToJson());
        Assert.DoesNotContain("Nothing judged", ElbFormatters.ToText(i)!);
    }
}
