using ElbNotebooks.Analysis;
using ElbNotebooks.Reports;
namespace ElbNotebooks.Tests.Reports;

public sealed class MarkdownReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-rep-md-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_markdown_report_parses_into_the_expected_tables()
    {
        var md = ReportSamples.SampleLogs.ToMarkdown();
        var tables = MarkdownTables.Parse(md);

        Assert.Equal(
        [
            ("Where to look", "scope"), ("Impact", "backend"), ("Impact", "what"),
            ("failing: 10.0.2.22:9000 (pool pool_559d8f60-43d8-4d49-8c5b-35d816054785, listener 121.64.212.1:80 (listener_4739b440-1213-4d4f-99ab-dd9c8847ecec))", "backend"),
            ("failing: 10.0.2.22:9000 (pool pool_559d8f60-43d8-4d49-8c5b-35d816054785, listener 121.64.212.1:80 (listener_4739b440-1213-4d4f-99ab-dd9c8847ecec))", "endpoint"),
            ("failing: 10.0.1.12:8080 (pool pool_948c13ac-a1b4-4a27-9116-3f0468829e83, listener 121.64.212.1:443 (listener_08ff6ee9-1a44-4455-bf78-e2cfb6f95b24))", "backend"),
            ("failing: 10.0.1.12:8080 (pool pool_948c13ac-a1b4-4a27-9116-3f0468829e83, listener 121.64.212.1:443 (listener_08ff6ee9-1a44-4455-bf78-e2cfb6f95b24))", "endpoint"),
            ("slow: 10.0.1.14:8080 (pool pool_948c13ac-a1b4-4a27-9116-3f0468829e83, listener 121.64.212.1:443 (listener_08ff6ee9-1a44-4455-bf78-e2cfb6f95b24))", "backend"),
            ("slow: 10.0.1.14:8080 (pool pool_948c13ac-a1b4-4a27-9116-3f0468829e83, listener 121.64.212.1:443 (listener_08ff6ee9-1a44-4455-bf78-e2cfb6f95b24))", "endpoint"),
            ("Backends", "health"), ("Answered by the load balancer itself", "listener"), ("How this was concluded", "option"), ("Provenance", "file"),
        ], tables.Select(t => (Unescape(t.Heading), t.Headers[0])));
        Assert.All(tables, t => Assert.All(t.Rows, r => Assert.Equal(t.Headers.Count, r.Count)));

        var where = tables[0];
        Assert.Equal(["one backend", "one backend", "load balancer", "one backend"], where.Column("scope"));
        Assert.Equal(["failing", "failing", "failing", "slow"], where.Column("health"));
        Assert.Equal(["10.0.2.22:9000", "10.0.1.12:8080", "none tried", "10.0.1.14:8080"], where.Column("backends"));
        Assert.Equal(["strong", "strong", "strong", "strong"], where.Column("evidence"));

        var impact = tables[1];
        Assert.Equal(["backend", "health", "window (+08:00)", "window (UTC)", "requests hurt", "clients hurt", "share of listener traffic", "failed attempts", "rescued by retry"], impact.Headers);
        Assert.Equal(["10.0.2.22:9000", "10.0.1.12:8080", "10.0.1.14:8080"], impact.Column("backend"));
        Assert.Equal(["2024-05-01 14:05 to 14:25 +08:00", "2024-05-01 10:20 to 10:35 +08:00", "2024-05-01 14:30 to 14:50 +08:00"], impact.Column("window (+08:00)"));
        Assert.Equal(["2024-05-01 06:05 to 06:25 UTC", "2024-05-01 02:20 to 02:35 UTC", "2024-05-01 06:30 to 06:50 UTC"], impact.Column("window (UTC)"));

        var peers = tables[3];
        Assert.Equal("10.0.2.22:9000 (suspect)", peers.Rows[0][0]);
        Assert.Equal(["10.0.2.21:9000", "10.0.2.23:9000"], peers.Rows.Skip(1).Select(r => r[0]));
        Assert.Equal("100 %", peers.Column("error rate")[0]);

        // What the requests a failing suspect hurt asked for: ten endpoints and the rest, adding up to its requests hurt.
        var endpoints = tables[4];
        Assert.Equal(["endpoint", "requests hurt", "share"], endpoints.Headers);
        Assert.Equal(11, endpoints.Rows.Count);
        Assert.Equal("POST /api/events", Unescape(endpoints.Rows[0][0]));
        Assert.Equal("other endpoints", endpoints.Rows[^1][0]);
        Assert.Equal(287, endpoints.Column("requests hurt").Sum(n => long.Parse(n, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("What the 287 requests it hurt asked for (method and path; an id in a path is {id}):", Unescape(md));

        // A slow suspect's: the responses it delayed past its threshold, adding up to its requests hurt too.
        var delayed = tables[8];
        Assert.Equal(11, delayed.Rows.Count);
        Assert.Equal("GET /products/{id}", Unescape(delayed.Rows[0][0]));
        Assert.Equal(["endpoint", "responses delayed", "share"], delayed.Headers);
        Assert.Equal(1792, delayed.Column("responses delayed").Sum(n => long.Parse(n, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("What the 1,792 responses it delayed past 0.614 s asked for (method and path; an id in a path is {id}):", Unescape(md));

        var backends = tables.Single(t => t.Heading == "Backends");
        Assert.Equal(7, backends.Rows.Count);
        Assert.Equal(["failing", "failing", "slow", "healthy", "healthy", "healthy", "healthy"], backends.Column("health"));
        Assert.Equal(["503", "929"], tables.Single(t => t.Heading == "Answered by the load balancer itself").Rows.Single().Skip(1).Take(2));
        Assert.DoesNotContain("<", MarkdownCode.Outside(md));
        Assert.DoesNotContain("![", md);
        // Figures are right-aligned; names are not.
        Assert.Contains("| backend | health | window (+08:00) | window (UTC) | requests hurt | clients hurt | share of listener traffic | failed attempts | rescued by retry |\n|---|---|---|---|---:|---:|---|---:|---:|", md);
        // Log lines are fenced code blocks, each under what it shows.
        Assert.Equal(9, MarkdownCode.Blocks(md).Count);
        Assert.Contains("sample-logs/elb-refused-and-slow.log.gz line 3235: a failed attempt on 10.0.2.22:9000, rescued by a retry on a peer: the client got 200", Unescape(md.Replace("\\.", ".")));
    }

    [Fact]
    public void A_log_written_in_utc_names_each_window_once()
    {
        // AWS writes UTC only: "10:11 to 10:14 +00:00 (10:11 to 10:14 UTC)" said the same thing twice.
        var alb = Path.Combine(TestPaths.RepoRoot, "sample-logs", ElbNotebooks.Generation.AlbLogWriter.FileName(ElbNotebooks.Tests.Generation.AlbLogWriterTests.Sample));
        var md = ElbNotebooks.Loading.AccessLog.Load(alb).Investigate().Report(ReportSamples.Options).ToMarkdown();
        var impact = MarkdownTables.Parse(md).Single(t => t.Heading == "Impact" && t.Headers[0] == "backend");

        Assert.Equal(["backend", "health", "window (UTC)", "requests hurt", "clients hurt", "share of listener traffic", "failed attempts", "rescued by retry"], impact.Headers);
        Assert.Equal(["2024-05-01 10:11 to 10:14 UTC"], impact.Column("window (UTC)"));
        Assert.All(impact.Rows, r => Assert.Equal(impact.Headers.Count, r.Count));
        Assert.Contains("from 2024-05-01 10:11 to 10:14 UTC:", Unescape(md));
        Assert.DoesNotContain("+00:00 (20", md);
    }

    private static string Unescape(string s) => s.Replace("\\_", "_");

    [Fact]
    public void Saved_markdown_shows_each_chart_as_an_svg_in_a_folder_beside_it()
    {
        var path = Path.Combine(_dir, "incident.md");
        ReportSamples.SampleLogs.SaveMarkdown(path);

        var md = File.ReadAllText(path);
        var images = System.Text.RegularExpressions.Regex.Matches(md, @"!\[[^\]]+\]\((incident-charts/[a-z-]+\.svg)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["incident-charts/status-over-time.svg", "incident-charts/error-heatmap.svg", "incident-charts/latency-over-time.svg",
            "incident-charts/retries.svg", "incident-charts/top-failing-paths.svg"], images);
        foreach (var image in images)
        {
            var svg = System.Xml.Linq.XDocument.Load(Path.Combine(_dir, image));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.True(svg.Descendants().Count(e => e.Name.LocalName is "rect" or "polyline") > 10, image);
        }
        Assert.Contains("10.0.2.22:9000", File.ReadAllText(Path.Combine(_dir, "incident-charts", "error-heatmap.svg")));
        Assert.DoesNotContain("![", ReportSamples.SampleLogs.ToMarkdown());
    }

    [Fact]
    public void Hostile_user_agents_paths_and_listeners_are_escaped_so_the_tables_stay_whole_and_no_html_gets_in()
    {
        var report = ReportSamples.HostileFromFile(Path.Combine(_dir, "hostile.log"));
        var md = report.ToMarkdown();

        var outside = MarkdownCode.Outside(md);
        Assert.DoesNotContain("<script>", outside);
        Assert.DoesNotContain("<img", outside);
        Assert.DoesNotContain("<svg", outside);
        Assert.DoesNotContain("<b>", outside);
        // In a code block the line is shown exactly as the log wrote it, and nothing in it is read as Markdown or HTML.
        Assert.Contains(MarkdownCode.Blocks(md), block => block.Contains(ReportSamples.HostileAgent, StringComparison.Ordinal));
        Assert.DoesNotContain("<", outside);
        Assert.DoesNotContain("`", outside.Replace("\\`", ""));

        var tables = MarkdownTables.Parse(md);
        Assert.All(tables, t => Assert.All(t.Rows, r => Assert.Equal(t.Headers.Count, r.Count)));
        var evidence = report.Evidence.Single();
        Assert.Equal(evidence.Select(e => e.Raw!), MarkdownCode.Blocks(md));
        Assert.Contains(ReportSamples.HostilePath, MarkdownCode.Blocks(md)[0]);
        Assert.Equal(ReportSamples.HostileListener, tables.Single(t => t.Heading == "Backends").Column("listener")[0]);
    }

    [Theory]
    [InlineData("a|b", @"a\|b")]
    [InlineData("`x`", @"\`x\`")]
    [InlineData("<script>", "&lt;script&gt;")]
    [InlineData("*_[]~#!\\", @"\*\_\[\]\~\#\!\\")]
    [InlineData("a&b", "a&amp;b")]
    [InlineData("line\nbreak\r\ttab", "line break  tab")]
    public void Markdown_escaping_makes_a_value_inert_text(string value, string escaped)
    {
        Assert.Equal(escaped, ElbNotebooks.Reports.MarkdownReport.Escape(value));
        Assert.Equal(value.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' '), Assert.Single(MarkdownTables.Cells("| " + escaped + " |")));
    }
}
