using System.IO.Compression;
using ElbNotebooks.Analysis;
using ElbNotebooks.Reports;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Tests.Reports;

public sealed class IncidentReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-rep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Text(string html) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).Body!.TextContent;

    [Fact]
    public void The_answer_names_the_answer_keys_suspects_with_windows_in_utc_and_in_the_logs_offset()
    {
        var report = ReportSamples.SampleLogs;
        var html = Text(report.ToHtml());
        var md = report.ToMarkdown();

        Assert.Equal(["10.0.2.22:9000", "10.0.1.12:8080", "10.0.1.14:8080"], report.Impacts.Select(i => i.Suspect.Backend.Backend));
        Assert.Equal([Health.Failing, Health.Failing, Health.Slow], report.Impacts.Select(i => i.Suspect.Health));
        foreach (var text in new[] { html, md })
        {
            Assert.Contains("10.0.2.22:9000 was failing", text);
            Assert.Contains("from 2024-05-01 14:05 to 14:25 +08:00 (2024-05-01 06:05 to 06:25 UTC)", text);
            Assert.Contains("10.0.1.12:8080 was failing", text);
            Assert.Contains("from 2024-05-01 10:20 to 10:35 +08:00 (2024-05-01 02:20 to 02:35 UTC)", text);
            Assert.Contains("10.0.1.14:8080 was slow", text);
            Assert.Contains("from 2024-05-01 14:30 to 14:50 +08:00 (2024-05-01 06:30 to 06:50 UTC)", text);
            Assert.Contains("it refused or timed out connections", text);
            Assert.Contains("it answered 5xx itself", text);
            Assert.Contains("Not a backend: the load balancer itself answered 929 requests", text);
        }
        Assert.Equal("Incident: 10.0.2.22:9000 failing, 10.0.1.12:8080 failing, 10.0.1.14:8080 slow", report.Title);
    }

    [Fact]
    public void The_impact_numbers_are_the_investigations_and_the_clients_are_the_distinct_addresses_of_the_hurt_requests()
    {
        var report = ReportSamples.WebIncident;
        var investigation = report.Investigation;
        var impact = Assert.Single(report.Impacts);
        var suspect = investigation.Suspects[0];

        Assert.Equal(suspect.RequestsHurt, impact.RequestsHurt);
        Assert.Equal(suspect.RequestsRetried, impact.RequestsRetried);
        Assert.Equal(suspect.FailedAttempts, impact.FailedAttempts);

        // Independently, from the DataFrames: attempts on the suspect in its window that failed with 5xx and that no
        // retry rescued (the last attempt, or the client still got a 5xx or gave up).
        var attempts = investigation.Log.Attempts;
        var requests = investigation.Log.Requests;
        var hurtClients = new HashSet<string>();
        long hurt = 0;
        for (long i = 0; i < attempts.Rows.Count; i++)
        {
            var time = (DateTime)attempts["time"][i];
            if ((string)attempts["backend"][i] != "10.0.1.12:8080" || time < suspect.Window.StartUtc || time >= suspect.Window.EndUtc) continue;
            if (attempts["status"][i] is not int status || status < 500) continue;
            var final = attempts["is_final"][i] is true;
            var client = attempts["client_status"][i] as int? ?? 0;
            if (final ? client == 499 : client is > 0 and < 500 and not 499) continue;
            hurt++;
            hurtClients.Add((string)requests["remote_addr"][(long)attempts["request"][i]]);
        }
        Assert.Equal(hurt, impact.RequestsHurt);
        Assert.Equal(hurtClients.Count, impact.ClientsHurt);

        var inWindow = 0L;
        for (long i = 0; i < requests.Rows.Count; i++)
        {
            var time = (DateTime)requests["time"][i];
            if ((string)requests["listener_name"][i] == suspect.Backend.Listener && time >= suspect.Window.StartUtc && time < suspect.Window.EndUtc) inWindow++;
        }
        Assert.Equal(inWindow, impact.RequestsInWindow);

        var tables = MarkdownTables.Parse(report.ToMarkdown());
        var row = Assert.Single(tables.First(t => t.Headers[0] == "backend" && t.Headers.Contains("clients hurt")).Rows);
        Assert.Equal(["10.0.1.12:8080", "failing", "2024-05-01 10:20 to 10:35 +08:00", "2024-05-01 02:20 to 02:35 UTC",
            hurt.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), hurtClients.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)], row.Take(6));
    }

    [Fact]
    public void Every_failed_attempt_of_a_failing_suspect_hurt_its_client_or_was_rescued()
    {
        // 10.0.2.22:9000 refused connections and GETs were retried on its peers: 270 requests got its 502/504, two
        // retries failed on a peer too (upstream_status "502, 503" and "504, 503": the client got a 5xx all the same)
        // and 15 clients gave up during the retry (499): 287 hurt, 1,018 rescued.
        var investigation = ReportSamples.SampleLogs.Investigation;
        var refused = investigation.Suspects.Single(s => s.Backend.Backend == "10.0.2.22:9000");

        Assert.Equal(refused.FailedAttempts, refused.RequestsHurt + refused.RequestsRetried);
        Assert.Equal(1305, refused.FailedAttempts);
        Assert.Equal(287, refused.RequestsHurt);
        foreach (var failing in investigation.Suspects.Where(s => s.Health == Health.Failing))
            Assert.Equal(failing.FailedAttempts, failing.RequestsHurt + failing.RequestsRetried);
    }

    [Fact]
    public void The_split_of_5xx_by_who_made_them_is_the_timelines()
    {
        var report = ReportSamples.SampleLogs;
        var status = report.Investigation.Timeline.StatusClasses;
        long Sum(string c) => status.Columns[c].Cast<long?>().Sum(v => v ?? 0);
        var table = MarkdownTables.Parse(report.ToMarkdown()).Single(t => t.Headers.SequenceEqual(["what", "requests", "share"]));
        string N(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(N(report.Investigation.Requests), table.Rows[0][1]);
        Assert.Equal(N(Sum("5xx")), table.Rows[1][1]);
        Assert.Equal(N(Sum("backend_5xx")), table.Rows[2][1]);
        Assert.Equal(N(Sum("lb_5xx")), table.Rows[3][1]);
        Assert.Equal(N(report.Investigation.NoBackendErrors), table.Rows[4][1]);
        Assert.Equal(N(report.Investigation.Suspects.Sum(s => s.RequestsRetried)), table.Rows[5][1]);
    }

    [Fact]
    public void Evidence_lines_are_the_files_raw_lines_at_their_line_numbers_also_inside_gzip()
    {
        var report = ReportSamples.SampleLogs;
        Assert.All(report.Evidence, lines => Assert.Equal(3, lines.Count));
        foreach (var line in report.Evidence.SelectMany(l => l))
        {
            Assert.NotNull(line.Raw);
            Assert.Equal(ReadLine(line.File, line.Line), line.Raw);
            Assert.Equal(line.Line, (long)report.Investigation.Log.Requests["line"][line.Row]);
        }
        Assert.Contains(report.Evidence.SelectMany(l => l), l => l.File.EndsWith(".gz", StringComparison.Ordinal));
        Assert.Contains(report.Evidence.SelectMany(l => l), l => l.File.EndsWith(".log", StringComparison.Ordinal));
    }

    private static string ReadLine(string path, long number)
    {
        using var file = File.OpenRead(path);
        using var input = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new StreamReader(input);
        for (var i = 1L; i < number; i++) reader.ReadLine();
        return reader.ReadLine()!;
    }

    [Fact]
    public void A_log_read_from_a_stream_shows_the_requests_parsed_fields_as_evidence()
    {
        var report = ReportSamples.HostileFromStream();
        var evidence = report.Evidence.Single();

        Assert.NotEmpty(evidence);
        Assert.All(evidence, e =>
        {
            Assert.Null(e.Raw);
            Assert.Equal("hostile-stream.log", e.File);
            Assert.Contains("status=500", e.Parsed);
            Assert.Contains("upstream_addr=10.0.0.2:80", e.Parsed);
        });
        Assert.Contains("parsed fields: the source cannot be read again", report.ToHtml());
    }

    [Fact]
    public void Max_evidence_lines_limits_the_lines_per_suspect()
    {
        var investigation = ReportSamples.WebIncident.Investigation;

        Assert.Single(investigation.Report(ReportSamples.Options with { MaxEvidenceLines = 1 }).Evidence.Single());
        Assert.Empty(investigation.Report(ReportSamples.Options with { MaxEvidenceLines = 0 }).Evidence.Single());
        Assert.Throws<ArgumentOutOfRangeException>(() => investigation.Report(ReportSamples.Options with { MaxEvidenceLines = -1 }));
    }

    [Fact]
    public void Provenance_names_the_files_the_parse_report_the_generator_version_and_the_injected_time()
    {
        var report = ReportSamples.SampleLogs;
        var md = report.ToMarkdown();
        var version = typeof(IncidentReport).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;

        Assert.Equal(FixedClock.Noon, report.GeneratedAt);
        var files = MarkdownTables.Parse(md).Single(t => t.Heading == "Provenance");
        Assert.Equal(["file", "format", "lines", "parsed", "rejected", "blank", "note"], files.Headers);
        Assert.Equal(["9,067", "36,260"], files.Column("lines"));
        Assert.EndsWith("elb-refused-and-slow.log.gz", files.Rows[1][0]);
        Assert.Contains("parse report: 45,327 lines in 2 files: 45,327 parsed, 0 rejected, 0 blank", md);
        Assert.Contains("generated at: 2024-05-02 12:00:00Z", md);
        Assert.Contains(MarkdownReportEscape(version), md);
        Assert.Contains("ElbNotebooks " + version, Text(report.ToHtml()));
    }

    private static string MarkdownReportEscape(string s) => s.Replace("_", "\\_");

    [Fact]
    public void The_method_explains_who_made_each_5xx_retries_and_peers_with_the_thresholds_used()
    {
        var report = ReportSamples.WebIncident.Investigation.Report(ReportSamples.Options);
        var md = report.ToMarkdown();

        Assert.Contains("Who made each 5xx", md);
        Assert.Contains("Retries expanded into attempts", md);
        Assert.Contains("Peers compared per bucket", md);
        var thresholds = MarkdownTables.Parse(md).Single(t => t.Headers.SequenceEqual(["option", "value", "meaning"]));
        Assert.Contains(["MinErrorRate", "5 %"], thresholds.Rows.Select(r => r.Take(2).ToArray()));
        Assert.Contains(["SlowRatio", "3×"], thresholds.Rows.Select(r => r.Take(2).ToArray()));

        var strict = ReportSamples.WebIncident.Investigation.Log.Investigate(new InvestigationOptions { MinErrorRate = 0.5 }).Report(ReportSamples.Options);
        Assert.Contains(["MinErrorRate", "50 %"], MarkdownTables.Parse(strict.ToMarkdown()).Single(t => t.Headers[0] == "option").Rows.Select(r => r.Take(2).ToArray()));
    }

    [Fact]
    public void The_same_investigation_and_clock_give_the_same_report()
    {
        var investigation = ReportSamples.WebIncident.Investigation;

        Assert.Equal(investigation.Report(ReportSamples.Options).ToHtml(), investigation.Report(ReportSamples.Options).ToHtml());
        Assert.Equal(investigation.Report(ReportSamples.Options).ToMarkdown(), investigation.Report(ReportSamples.Options).ToMarkdown());
    }

    [Fact]
    public void A_log_with_no_suspect_says_so_first()
    {
        var report = Support.TestLogs.Load(Enumerable.Range(0, 50).Select(i =>
            Support.TestLogs.Line(Support.TestLogs.T0.AddSeconds(i), 200, "200", "0.001", "0.020", "0.021", Support.TestLogs.A))).Investigate().Report(ReportSamples.Options);

        Assert.Empty(report.Impacts);
        Assert.Equal("Access-log investigation: no failing or slow backend", report.Title);
        Assert.Contains("No backend was failing or slow", report.ToMarkdown());
        Assert.Contains("No backend was failing or slow", Text(report.ToHtml()));
    }

    [Fact]
    public void SaveHtml_writes_ToHtml_and_SaveMarkdown_writes_ToMarkdown_with_the_charts_as_images()
    {
        var report = ReportSamples.WebIncident;
        var html = Path.Combine(_dir, "incident.html");
        var md = Path.Combine(_dir, "incident.md");

        report.SaveHtml(html);
        report.SaveMarkdown(md);

        Assert.Equal(report.ToHtml(), File.ReadAllText(html));
        var saved = File.ReadAllText(md);
        var charts = saved.IndexOf("## Charts", StringComparison.Ordinal);
        var backends = saved.IndexOf("## Backends", StringComparison.Ordinal);
        Assert.Equal(report.ToMarkdown()[..charts], saved[..charts]);
        Assert.Equal(report.ToMarkdown()[report.ToMarkdown().IndexOf("## Backends", StringComparison.Ordinal)..], saved[backends..]);
        Assert.Contains("](incident-charts/error-heatmap.svg)", saved[charts..backends]);
        Assert.NotEqual(0xEF, File.ReadAllBytes(md)[0]);
    }
}
