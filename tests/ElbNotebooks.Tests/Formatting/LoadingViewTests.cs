using ElbNotebooks.Formatting;
using ElbNotebooks.Tests.Support;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Tests.Formatting;

[Collection("Formatter")]
public class LoadingViewTests : FormatterTestBase
{
    [Fact]
    public void An_access_log_shows_its_counts_time_range_in_its_offset_and_what_was_read()
    {
        var doc = Parse(TestLogs.Scenario().ToDisplayString("text/html"));
        var text = doc.Body!.TextContent;

        Assert.Contains("15 requests, 18 upstream attempts", text);
        Assert.Contains("2024-05-01 10:00:00 +08:00 → 2024-05-01 10:02:02 +08:00", text);
        Assert.Contains("UTC+08:00", text);
        Assert.Contains("test.log", text);
        Assert.Single(doc.QuerySelectorAll("style"));
    }

    [Fact]
    public void A_parse_report_shows_rejections_with_file_and_line_and_encodes_the_line()
    {
        var log = TestLogs.Load(TestLogs.ScenarioLines().Append("<script>bad line</script>"), "mixed.log");
        var doc = Parse(log.Report.ToDisplayString("text/html"));
        var text = doc.Body!.TextContent;

        Assert.Contains("rejected", text);
        Assert.Contains("mixed.log:16", text);
        Assert.Contains("<script>bad line</script>", text);
        Assert.Empty(doc.QuerySelectorAll("script"));
    }

    [Fact]
    public void An_access_log_as_text_is_a_few_readable_lines()
    {
        var text = ElbFormatters.ToText(TestLogs.Scenario())!;

        Assert.StartsWith("Access log: 15 requests, 18 upstream attempts (huawei-elb)", text);
        Assert.Contains("2024-05-01 10:00:00 +08:00 -> ", text);
        Assert.Contains("15 parsed", text);
    }
}
