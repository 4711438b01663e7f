using ElbNotebooks.Analysis;
using ElbNotebooks.Formatting;
using ElbNotebooks.Tests.Loading;
using ElbNotebooks.Tests.Support;
using Microsoft.DotNet.Interactive.Formatting;
using static ElbNotebooks.Tests.Support.TestLogs;

namespace ElbNotebooks.Tests.Formatting;

[Collection("Formatter")]
public class AnalysisViewTests : FormatterTestBase
{
    /// <summary>B fails every attempt for ten minutes while A and C answer: enough for a verdict.</summary>
    internal static Investigation Incident()
    {
        var lines = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var t = T0.AddSeconds(i);
            lines.Add(Line(t, 200, "200", "0.001", "0.020", "0.021", A, "/home"));
            lines.Add(Line(t, 200, "200", "0.001", "0.025", "0.026", C, "/home"));
            lines.Add(Line(t, 500, "500", "0.001", "0.300", "0.300", B, "/api/orders", "POST", userAgent: "<script>x</script>"));
        }
        return Load(lines).Investigate();
    }

    [Fact]
    public void An_investigation_judged_from_a_bucket_table_shows_without_rows()
    {
        BucketTable? table = null;
        var lines = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var t = T0.AddSeconds(i);
            lines.Add(Line(t, 200, "200", "0.001", "0.020", "0.021", A, "/home"));
            lines.Add(Line(t, 500, "500", "0.001", "0.300", "0.300", B, "/api/orders"));
            lines.Add(Line(t, 200, "200", "0.001", "0.025", "0.026", C, "/home"));
        }
        Load(lines).Investigate(null, t => table = t);
        var investigation = Investigation.FromBuckets(table!);

        var html = investigation.ToDisplayString("text/html");
        var text = investigation.ToDisplayString("text/plain");
        var suspect = investigation.Suspects[0].ToDisplayString("text/html");

        Assert.Contains(B, Parse(html).QuerySelector("table tbody tr")!.TextContent);
        Assert.Contains(B, text);
        Assert.Contains("–", suspect);
        Assert.NotEmpty(investigation.Timeline.ToDisplayString("text/html"));
    }

    [Fact]
    public void An_investigation_of_lines_that_name_no_backend_shows_no_empty_table_of_backends()
    {
        var lines = Enumerable.Range(0, 60).Select(i => Line(T0.AddSeconds(i), 503, "-", "-", "-", "-", "-", "/home")).ToList();
        var investigation = Load(lines).Investigate();
        Assert.Empty(investigation.Backends);

        var doc = Parse(investigation.ToDisplayString("text/html"));
        var text = investigation.ToDisplayString("text/plain");

        Assert.Contains("Backends: none, no line names a backend", doc.Body!.TextContent);
        Assert.DoesNotContain(doc.QuerySelectorAll("th"), th => th.TextContent == "attempts");
        Assert.Contains("Backends: none, no line names a backend", text);
        Assert.DoesNotContain("error rate", text);
        Assert.Contains("60 × 5xx answered by the load balancer with no backend", text);
    }

    [Fact]
    public void A_streamed_investigation_says_what_it_read_its_damaged_inputs_and_where_its_rejected_lines_are()
    {
        using var dir = new TempFolder();
        var lines = Enumerable.Range(0, 600).Select(i => Line(T0.AddSeconds(i), 200, "200", "0.001", "0.020", "0.021", i % 2 == 0 ? A : C, "/home")).ToList();
        lines.Insert(100, "not a log line");
        var log = dir.Write("elb.log", string.Join("\n", lines) + "\n");
        var cut = dir.Write("cut.log.gz", File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz"))[..3000]);
        // A file read otherwise than plainly (UTF-16): its note is said as the terminal says it.
        var wide = dir.Write("wide.log", System.Text.Encoding.Unicode.GetBytes("\uFEFF" + string.Join("\n", lines.Take(50)) + "\n"));

        var investigation = AccessLogInvestigation.Investigate(ElbNotebooks.Loading.LogSource.FromPaths([log, cut, wide]));
        var doc = Parse(investigation.ToDisplayString("text/html"));
        var text = investigation.ToDisplayString("text/plain");

        var summary = investigation.Inputs.Report.Summary;
        // The line cut short where the .gz breaks off is rejected too; the first of the reason is the plain log's.
        Assert.True(summary.Contains("2 rejected (too-few-fields 2)"), summary);
        Assert.Contains("1 damaged file", summary);
        Assert.Contains("Read: " + summary, doc.Body!.TextContent);
        Assert.Contains("read: " + summary, text);
        Assert.Contains($"damaged {cut}: compressed data is damaged or cut short", doc.QuerySelector(".elb-warn")!.TextContent);
        Assert.Contains($"rejected {log}:101: too-few-fields", doc.Body.TextContent);
        Assert.Contains($"  rejected {log}:101: too-few-fields", text);
        var note = Assert.Single(investigation.Inputs.Report.Files, f => f.File == wide).Note;
        Assert.NotNull(note);
        // Cut to the views' width, as every line of them is.
        Assert.Contains($"note {wide}: {note[..20]}", doc.Body.TextContent);
        Assert.Contains($"  note {wide}: {note[..20]}", text);
    }

    [Fact]
    public void An_investigation_shows_the_suspect_first_with_its_numbers()
    {
        var investigation = Incident();
        Assert.NotEmpty(investigation.Suspects);
        var doc = Parse(investigation.ToDisplayString("text/html"));

        var firstRow = doc.QuerySelector("table tbody tr")!;
        Assert.Contains(B, firstRow.TextContent);
        Assert.Contains("failing", firstRow.TextContent);
        Assert.Contains("600", firstRow.TextContent);
        // B fails to the log's last second: its window is not over, said under it, and in the text view's line.
        Assert.Equal("still failing when the logs end", firstRow.QuerySelectorAll("td")[3].QuerySelector(".elb-muted")!.TextContent);
        Assert.Contains(", still failing when the logs end: ", investigation.ToDisplayString("text/plain"));
        Assert.Contains("suspect(s) among 3 backends", doc.QuerySelector(".elb-title")!.TextContent);
        Assert.Single(doc.QuerySelectorAll("style"));
    }

    [Fact]
    public void An_investigation_says_where_to_look_with_each_incidents_scope()
    {
        var doc = Parse(Incident().ToDisplayString("text/html"));

        var where = doc.QuerySelectorAll("li").Single(li => li.TextContent.StartsWith("one backend:", StringComparison.Ordinal));
        Assert.Contains($"{B} alone of the 3 backends", where.TextContent);
        Assert.Contains("take it out of the pool", where.TextContent);
    }

    [Fact]
    public void Listeners_are_named_by_their_address_and_port_with_the_id_on_hover()
    {
        var investigation = ElbNotebooks.Loading.AccessLog.Load(TestPaths.SampleLog("elb-refused-and-slow.log.gz")).Investigate();
        var doc = Parse(investigation.ToDisplayString("text/html"));

        var failing = doc.QuerySelectorAll("table tbody tr").First(tr => tr.TextContent.Contains("10.0.2.22:9000") && tr.QuerySelectorAll("td").Length == 10);
        var listener = failing.QuerySelectorAll("td")[3].QuerySelector("span")!;
        Assert.Equal("121.64.212.1:80", listener.TextContent);
        Assert.Equal("listener_4739b440-1213-4d4f-99ab-dd9c8847ecec", listener.GetAttribute("title"));
        var answeredByTheLb = doc.QuerySelectorAll("table tbody tr").Single(tr => tr.TextContent.Contains("929"));
        Assert.Equal("121.64.212.1:443", answeredByTheLb.QuerySelector("td")!.TextContent);
        Assert.Contains("121.64.212.1:80 (listener_4739b440) / pool_559d8f60", investigation.Suspects[0].Backend.ToDisplayString("text/plain"));
    }

    [Fact]
    public void A_pool_the_log_does_not_record_reads_no_pool_recorded_and_is_null_in_the_frames()
    {
        // Regression: TestLogs' lines (the seed line's layout) carry no pool_name, and every view showed the
        // investigation's key for them, "-", as if it were a pool's name.
        var investigation = Incident();
        var doc = Parse(investigation.ToDisplayString("text/html"));

        foreach (var table in doc.QuerySelectorAll("table").Where(t => t.QuerySelectorAll("th").Any(th => th.TextContent == "pool")))
        {
            var column = table.QuerySelectorAll("th").Select(th => th.TextContent).ToList().IndexOf("pool");
            Assert.All(table.QuerySelectorAll("tbody tr"), tr => Assert.Equal("no pool recorded", tr.QuerySelectorAll("td")[column].TextContent));
        }
        var text = investigation.ToDisplayString("text/plain");
        Assert.Contains("no pool recorded", text);
        Assert.DoesNotMatch(@"\s-\s+\d", text); // no "-" cell before the attempts
        foreach (var view in new[]
                 {
                     investigation.Suspects[0].ToDisplayString("text/html"), investigation.Backends[0].ToDisplayString("text/html"),
                     investigation.Backends[0].ToDisplayString("text/plain"),
                 })
        {
            Assert.Contains("/ no pool recorded", Parse(view).Body!.TextContent);
            Assert.DoesNotContain(" / -", Parse(view).Body!.TextContent);
        }
        Assert.All(investigation.Timeline.PerBackend["pool"].Cast<string?>(), Assert.Null);
        Assert.All(investigation.Latencies()["pool"].Cast<string?>(), Assert.Null);
        Assert.All(investigation.Log.ErrorRates()["pool"].Cast<string?>(), Assert.Null);
    }

    [Fact]
    public void Suspects_and_backends_show_alone_too()
    {
        var investigation = Incident();

        Assert.Contains(B, Parse(investigation.Suspects[0].ToDisplayString("text/html")).Body!.TextContent);
        Assert.Contains("100 %", Parse(investigation.Backends[0].ToDisplayString("text/html")).Body!.TextContent);
        Assert.StartsWith("failing: " + B, investigation.Suspects[0].ToDisplayString("text/plain"));
        Assert.Contains("PerBackend", investigation.Timeline.ToDisplayString("text/html"));
    }

    [Fact]
    public void An_investigation_as_text_lists_suspects_and_a_backend_table()
    {
        var text = ElbFormatters.ToText(Incident())!;

        Assert.StartsWith("1 suspect(s) among 3 backends", text);
        Assert.Contains("failing: " + B, text);
        Assert.Contains("error rate", text);
    }

    [Fact]
    public void Investigation_charts_put_suspects_on_top_and_use_the_timeline()
    {
        var investigation = Incident();
        var figure = Figure.Of(investigation.Charts.ErrorHeatmap());

        var y = Figure.Strings(figure.Traces[0].GetProperty("y"));
        Assert.StartsWith("⚠ " + B, y[0]);
        Assert.Equal(3, y.Length);
        Assert.Equal("time (UTC+08:00)", figure.XTitle);
        Assert.NotNull(investigation.Charts.StatusOverTime());
        Assert.NotNull(investigation.Charts.LatencyOverTime());
        Assert.Equal([B], Figure.Strings(Figure.Of(investigation.Charts.LatencyBreakdown()).Traces[0].GetProperty("y")).Take(1).Select(s => s.TrimStart('⚠', ' ')));
    }
}
