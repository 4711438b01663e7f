using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Formatting;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>Values from a log are data: whatever they hold, no view, report or document runs or reorders them.</summary>
public class HostileValuesTests
{
    private const string Rlo = "\u202E";
    private static readonly string Agent = "<script>alert('ua')</script> \"quoted\" \u0001bell " + Rlo + "gpj.exe";
    private static readonly string Listener = "lsnr<b>x</b>" + Rlo + "evil";

    private static AccessLog HostileLog()
    {
        var line = TestLines.WithField(TestLines.FullWithRetry, 17, "\"" + HuaweiLineModel.Escape(Agent) + "\"");
        line = TestLines.WithField(line, 21, Listener);
        line = TestLines.WithField(line, 7, "\"GET https://www.test.com/<img src=x onerror=alert(1)>" + Rlo + "?q=\\x22 HTTP/1.1\"");
        return TestLines.Load(line);
    }

    [Fact]
    public void The_parser_keeps_hostile_values_exactly()
    {
        var log = HostileLog();
        Assert.Equal(Agent, log.Requests["http_user_agent"][0]);
        Assert.Equal(Listener, log.Requests["listener_name"][0]);
        Assert.Equal("/<img src=x onerror=alert(1)>" + Rlo + "?q=\"", log.Requests["router_request_uri"][0]);
    }

    [Fact]
    public void Html_views_show_hostile_values_encoded_with_bidi_controls_visible()
    {
        var log = HostileLog();
        foreach (var html in new[] { ElbFormatters.ToHtml(log.Requests)!, ElbFormatters.ToHtml(log.Attempts)!, ElbFormatters.ToHtml(log.Investigate())! })
        {
            Assert.DoesNotContain("<script>", html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("<b>", html);
            Assert.DoesNotContain(Rlo, html, StringComparison.Ordinal); // culture-aware search ignores format characters
        }
        var requests = ElbFormatters.ToHtml(log.Requests)!;
        Assert.Contains("&lt;script&gt;", requests);
        Assert.Contains("\\u202E", requests);
    }

    [Fact]
    public void Json_escapes_hostile_values_and_reads_back_the_same()
    {
        var json = HostileLog().Investigate().ToJson();
        using var doc = JsonDocument.Parse(json);
        var backend = doc.RootElement.GetProperty("backends")[0];
        Assert.Equal(Listener, backend.GetProperty("listener").GetString());
        Assert.Contains("\"utc_offset\": \"+08:00\"", json);
    }

    [Fact]
    public void The_incident_report_keeps_hostile_values_inert_in_html_and_markdown()
    {
        var report = HostileLog().Investigate().Report();
        var html = report.ToHtml();
        var markdown = report.ToMarkdown();

        Assert.DoesNotContain("<b>x</b>", html);
        Assert.DoesNotContain(Rlo, html, StringComparison.Ordinal); // culture-aware search ignores format characters
        Assert.Contains("lsnr&lt;b&gt;x&lt;/b&gt;\\u202Eevil", html);
        Assert.DoesNotContain("<b>", ElbNotebooks.Tests.Reports.MarkdownCode.Outside(markdown));
        Assert.DoesNotContain(Rlo, markdown, StringComparison.Ordinal);
        Assert.Contains("lsnr&lt;b&gt;x&lt;/b&gt;\\\\u202Eevil", markdown);
    }
}
