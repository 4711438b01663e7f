using System.IO.Compression;
using ElbNotebooks.Analysis;
using System.Text;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>
/// A file's lines share one layout, so a line with fewer fields than the file's first request was cut short (the last
/// line of a log still being written, or of a copy made while it grew): it is rejected as <c>cut-short</c>, naming file
/// and line, never read as a request with a cut pool name. Layouts that are short, or that grow within a file, load whole.
/// </summary>
public class CutLinesTests
{
    private static readonly string[] Sample = File.ReadAllText(TestPaths.SampleLog("elb-web-incident.log")).TrimEnd('\n').Split('\n');

    /// <summary>The sample's last backend-made 500, cut after the first 7 characters of its pool's id.</summary>
    private static string CutLast500()
    {
        var line = Sample.Last(l => l.Contains(" 500 \"GET", StringComparison.Ordinal) && l.Contains("\"500\"", StringComparison.Ordinal));
        return line[..(line.IndexOf("pool_", StringComparison.Ordinal) + 12)];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_log_copied_while_it_grew_rejects_its_cut_last_line_and_names_no_fake_backend(bool newline)
    {
        var text = string.Join("\n", Sample) + "\n" + CutLast500() + (newline ? "\n" : "");

        var log = TestLines.Load(text, name: "grow.log");

        var report = log.Report;
        Assert.Equal(Sample.Length + 1, report.Lines);
        Assert.Equal(Sample.Length, report.Parsed);
        Assert.Equal(1, report.RejectionsByReason["cut-short"]);
        Assert.Equal(report.Lines, report.Parsed + report.Rejected + report.Blank);
        var cut = Assert.Single(report.Examples);
        Assert.Equal("grow.log", cut.File);
        Assert.Equal(Sample.Length + 1, cut.Line);
        Assert.Equal("found 23 fields, the file's lines have 33: the line was cut short (written or copied while it was being written?)", cut.Detail);
        Assert.DoesNotContain("pool_948c13a", log.Requests["pool_name"].Cast<string?>());

        var suspect = Assert.Single(log.Investigate().Suspects);
        Assert.Equal("10.0.1.12:8080", suspect.Backend.Backend);
    }

    [Theory]
    [InlineData("targetgroup/", 5, 17)]           // inside target_group_arn
    [InlineData(" 2024-05-01T10:1", 0, 22)]       // inside request_creation_time (the second time on the line)
    public void An_alb_line_cut_inside_a_bare_field_is_cut_short(string marker, int keep, int fields)
    {
        using var gz = new GZipStream(File.OpenRead(TestPaths.SampleLog(
            "123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T1015Z_10.0.0.1_abc123.log.gz")), CompressionMode.Decompress);
        var lines = new StreamReader(gz).ReadToEnd().TrimEnd('\n').Split('\n');
        var last = lines[^1];
        var at = marker.StartsWith(' ') ? last.IndexOf(marker, last.IndexOf("Root=", StringComparison.Ordinal), StringComparison.Ordinal) + 12
            : last.IndexOf(marker, StringComparison.Ordinal) + keep;
        var text = string.Join("\n", lines) + "\n" + last[..at];

        var report = TestLines.Load(text, name: "alb.log").Report;

        Assert.Equal(lines.Length, report.Parsed);
        var cut = Assert.Single(report.Examples);
        Assert.Equal(("alb.log", lines.Length + 1L, "cut-short"), (cut.File, cut.Line, cut.Reason));
        Assert.StartsWith($"found {fields} fields, the file's lines have 29", cut.Detail);
    }

    [Fact]
    public void A_clb_line_cut_before_ssl_protocol_is_cut_short()
    {
        var cutLine = TestLines.Clb[..TestLines.Clb.LastIndexOf(' ')];
        var report = TestLines.Load(TestLines.Clb + "\n" + TestLines.Clb + "\n" + cutLine + "\n").Report;

        Assert.Equal(2, report.Parsed);
        Assert.Equal(3, Assert.Single(report.Examples, e => e.Reason == "cut-short").Line);
    }

    [Fact]
    public void Short_layouts_and_a_layout_that_grows_within_a_file_load_whole()
    {
        Assert.Equal(1, AccessLog.Load(TestPaths.SampleLog("seed-line.log")).Report.Parsed);

        // An upgrade while the log is written: legacy lines (22 fields), then full (33), then extended (37) ones.
        var lines = new[] { LogLayout.Legacy, LogLayout.Full, LogLayout.Extended }
            .SelectMany(layout => LogGenerator.Lines(new GeneratorOptions { Seed = 5, Layout = layout, Duration = TimeSpan.FromMinutes(2) }).Take(300))
            .ToList();
        var report = TestLines.Load(string.Join("\n", lines) + "\n").Report;
        Assert.Equal(900, report.Lines);
        Assert.Equal(900, report.Parsed);

        // nginx lines are matched against the log_format's text: no field count, a custom format's short lines load.
        var nginx = TestLines.Load(string.Join("\n", Enumerable.Repeat("2024-05-01T10:15:30+00:00 200 0.051", 40)),
            LoadOptions.Default with { NginxLogFormat = "$time_iso8601 $status $request_time" });
        Assert.Equal(40, nginx.Report.Parsed);
    }

    [Fact]
    public void The_layout_is_the_first_request_s_so_garbage_before_it_does_not_set_it()
    {
        var cut = TestLines.FullWithRetry[..TestLines.FullWithRetry.IndexOf(" tenant42", StringComparison.Ordinal)];
        var report = TestLines.Load("not a log line\n" + cut[..40] + "\n" + TestLines.FullWithRetry + "\n" + cut + "\n").Report;

        Assert.Equal(1, report.Parsed);
        Assert.Equal(2, report.RejectionsByReason["too-few-fields"]); // "not a log line" and the 40-byte piece
        Assert.Equal(4, Assert.Single(report.Examples, e => e.Reason == "cut-short").Line);
    }
}

/// <summary>
/// A record whose line ending was lost runs on into the next one: a Huawei line whose fields past its layout start like
/// a record (<c>$msec $topic_id [$time_iso8601]</c>) is rejected as <c>two-records</c>, never read as one request.
/// </summary>
public class TwoRecordsOnOneLineTests
{
    [Theory]
    [InlineData(LogLayout.Legacy)]
    [InlineData(LogLayout.Full)]
    [InlineData(LogLayout.Extended)] // its last field is quoted: glued, it swallows the next record's first fields
    public void Two_whole_records_on_one_line_are_rejected_naming_file_line_and_where_the_second_starts(LogLayout layout)
    {
        var lines = LogGenerator.Lines(new GeneratorOptions { Seed = 9, Layout = layout, Duration = TimeSpan.FromMinutes(2) }).Take(200).ToList();
        var second = lines[101];
        var lastField = lines[100][(lines[100].LastIndexOf(' ') + 1)..];
        lines[100] += second;
        lines.RemoveAt(101);

        var report = TestLines.Load(string.Join("\n", lines) + "\n", name: "joined.log").Report;

        Assert.Equal(199, report.Lines);
        Assert.Equal(198, report.Parsed);
        var joined = Assert.Single(report.Examples);
        Assert.Equal(("joined.log", 101L, "two-records"), (joined.File, joined.Line, joined.Reason));
        Assert.StartsWith($"a second record starts at byte {lines[100].Length - second.Length - lastField.Length + 1:N0} ('{lastField}{second[..10]}", joined.Detail);
    }

    [Fact]
    public void A_record_cut_mid_write_and_the_next_written_after_it_are_rejected()
    {
        var lines = Sample();
        var cut = lines[50][..(lines[50].IndexOf("pool_", StringComparison.Ordinal) + 12)];
        lines[50] = cut + lines[51];
        lines.RemoveAt(51);

        var report = TestLines.Load(string.Join("\n", lines)).Report;

        var joined = Assert.Single(report.Examples);
        Assert.Equal((51L, "two-records"), (joined.Line, joined.Reason));
        Assert.StartsWith($"a second record starts at byte {cut.Length - 11:N0} ('{cut[^12..]}{lines[50][cut.Length..][..10]}", joined.Detail);
        Assert.Equal(lines.Count - 1, report.Parsed);
    }

    [Fact]
    public void Longer_lines_of_a_newer_layout_are_not_taken_for_two_records()
    {
        var full = Sample().Take(50);
        var extended = LogGenerator.Lines(new GeneratorOptions { Seed = 9, Layout = LogLayout.Extended, Duration = TimeSpan.FromMinutes(2) })
            .Take(50).Select(l => l + " [unknown-field] \"x\" 1714528837.641");
        var report = TestLines.Load(string.Join("\n", full.Concat(extended))).Report;

        Assert.Equal(100, report.Parsed);
    }

    private static List<string> Sample() =>
        File.ReadLines(TestPaths.SampleLog("elb-web-incident.log")).Take(200).ToList();
}
