using ElbNotebooks.Analysis;
using ElbNotebooks.Formatting;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Support;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Tests.Formatting;

[Collection("Formatter")]
public class FormatterDiscoveryTests : FormatterTestBase
{
    public static TheoryData<string> Types() => ["AccessLog", "ParseReport", "LogFrame", "Investigation", "BackendHealth", "Suspect", "Timeline"];

    private static object Make(string type)
    {
        var log = TestLogs.Scenario();
        var investigation = type == "Suspect" ? AnalysisViewTests.Incident() : log.Investigate();
        return type switch
        {
            "AccessLog" => log,
            "ParseReport" => log.Report,
            "LogFrame" => log.Requests,
            "Investigation" => investigation,
            "BackendHealth" => investigation.Backends[0],
            "Suspect" => investigation.Suspects[0],
            "Timeline" => investigation.Timeline,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_projects_types_show_as_our_html_without_registration(string type)
    {
        var html = Make(type).ToDisplayString("text/html");

        Assert.Contains("class=\"elb-view", html);
        Assert.Equal(1, CountOf(html, "<style>"));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_projects_types_show_as_readable_text_without_registration(string type)
    {
        var text = Make(type).ToDisplayString("text/plain");

        Assert.DoesNotContain("<", text.Replace("<null>", ""), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(text));
    }

    [Fact]
    public void The_preferred_mime_types_of_our_types_are_html_and_plain_text()
    {
        _ = TestLogs.Scenario().ToDisplayString("text/html");
        Assert.Equal(["text/html", "text/plain"], Formatter.GetPreferredMimeTypesFor(typeof(AccessLog)).Order());
    }

    [Fact]
    public void A_plain_DataFrame_gets_our_view_after_Register()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("n", [1, 2]));
        Assert.DoesNotContain("elb-view", frame.ToDisplayString("text/html"));

        ElbFormatters.Register();

        Assert.Contains("elb-view", frame.ToDisplayString("text/html"));
        Assert.Contains("2 of 2 rows × 1 columns", frame.ToDisplayString("text/plain"));
    }

    [Fact]
    public void LogFrame_keeps_our_view_when_another_DataFrame_formatter_registers_after_ours()
    {
        ElbFormatters.Register();
        Formatter.Register<DataFrame>((_, writer) => writer.Write("<table>theirs</table>"), "text/html");

        Assert.Contains("elb-view", TestLogs.Scenario().Requests.ToDisplayString("text/html"));
    }

    [Fact]
    public void LogFrame_keeps_our_view_when_another_DataFrame_formatter_registered_before_ours()
    {
        Formatter.Register<DataFrame>((_, writer) => writer.Write("<table>theirs</table>"), "text/html");
        ElbFormatters.Register();

        Assert.Contains("elb-view", TestLogs.Scenario().Requests.ToDisplayString("text/html"));
    }

    /// <summary>
    /// Pins a limit of the Formatting library: formatters registered with Formatter.Register are consulted before
    /// attribute-discovered ones, so the attribute alone loses to a DataFrame formatter. This is why Register (run by
    /// extension.dib) also registers LogFrame, the more specific type.
    /// </summary>
    [Fact]
    public void Without_Register_a_registered_DataFrame_formatter_outranks_the_attribute_for_LogFrame()
    {
        Formatter.Register<DataFrame>((_, writer) => writer.Write("<table>theirs</table>"), "text/html");

        Assert.Contains("theirs", TestLogs.Scenario().Requests.ToDisplayString("text/html"));
    }

    [Fact]
    public void Without_Register_the_attribute_alone_shows_LogFrame_with_our_view()
    {
        Assert.Contains("LogFrame", TestLogs.Scenario().Attempts.ToDisplayString("text/html"));
    }

    [Fact]
    public void Charts_show_as_plotly_html_after_Register()
    {
        ElbFormatters.Register();
        var html = TestLogs.Scenario().Charts.StatusOverTime().ToDisplayString("text/html");

        Assert.Contains("document.getElementById('elb-chart-", html);
        Assert.Contains(ElbNotebooks.Charts.PlotlyJsBundle.CdnUrl, html);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
