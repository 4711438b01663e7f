using CsCheck;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Loading;

public class FormatDetectionTests
{
    private static byte[][] Sample(params string[] lines) => lines.Select(l => System.Text.Encoding.UTF8.GetBytes(l)).ToArray();

    [Theory]
    [InlineData(TestLines.Seed, "huawei-elb")]
    [InlineData(TestLines.FullWithRetry, "huawei-elb")]
    [InlineData(TestLines.Alb, "aws-alb")]
    [InlineData(TestLines.Clb, "aws-clb")]
    [InlineData(TestLines.NginxCombined, "nginx")]
    public void Each_documented_line_is_detected_as_its_own_format(string line, string format)
    {
        Assert.Equal(format, LogFormats.Detect(Sample(line))?.Name);
        Assert.Equal(1, LogFormats.All.Count(f => f.TryParse(System.Text.Encoding.UTF8.GetBytes(line), new ParseTarget(), out _)));
    }

    private static readonly string[] DocumentedLines =
        [TestLines.Seed, TestLines.FullWithRetry, TestLines.Alb, TestLines.Clb, TestLines.NginxCombined, TestLines.NginxUpstreamRetry];

    private static ILogFormat[] Formats => [.. LogFormats.All, LogFormats.Nginx(TestLines.NginxUpstreamDirective)];

    /// <summary>
    /// Detection skips a format on lines its cheap test rules out, so the test must never rule out a line the format
    /// reads: checked on the documented lines of every format and on damaged copies of them (characters that delimit
    /// fields inserted, deleted or replaced, lines cut short).
    /// </summary>
    [Fact]
    public void A_format_rules_out_only_lines_it_would_reject()
    {
        var delimiters = Gen.Char[" \"[]-:./0Zz"];
        var damaged =
            from line in Gen.Int[0, DocumentedLines.Length - 1].Select(i => DocumentedLines[i])
            from edits in Gen.Int[0, 3]
            from seed in Gen.Int
            from inserted in delimiters.Array[3]
            select Damage(line, edits, seed, inserted);
        damaged.Sample(line =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(line);
            foreach (var format in Formats)
                if (!format.MightRead(bytes))
                    Assert.False(format.TryParse(bytes, new ParseTarget(), out _), $"{format.Name} ruled out a line it reads: {line}");
        }, iter: 3_000);
    }

    private static string Damage(string line, int edits, int seed, char[] inserted)
    {
        var random = new Random(seed);
        var chars = new List<char>(line);
        for (var i = 0; i < edits && chars.Count > 0; i++)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.Insert(at, inserted[i]); break;
                case 1: chars.RemoveAt(at); break;
                case 2: chars[at] = inserted[i]; break;
                default: chars.RemoveRange(at, chars.Count - at); break;
            }
        }
        return new string([.. chars]);
    }

    [Fact]
    public void The_built_in_formats_rule_out_each_others_documented_lines()
    {
        var huawei = System.Text.Encoding.UTF8.GetBytes(TestLines.FullWithRetry);
        Assert.True(HuaweiElbFormat.Instance.MightRead(huawei));
        Assert.False(AwsAlbFormat.Instance.MightRead(huawei));
        Assert.False(AwsClbFormat.Instance.MightRead(huawei));
        Assert.False(NginxFormat.Combined.MightRead(huawei));
        foreach (var (line, format) in new (string, ILogFormat)[] { (TestLines.Alb, AwsAlbFormat.Instance), (TestLines.Clb, AwsClbFormat.Instance), (TestLines.NginxCombined, NginxFormat.Combined) })
            Assert.Equal([format.Name], LogFormats.All.Where(f => f.MightRead(System.Text.Encoding.UTF8.GetBytes(line))).Select(f => f.Name));
    }

    [Fact]
    public void A_custom_nginx_format_beats_combined_on_lines_both_can_read()
    {
        var custom = LogFormats.Nginx("log_format main '" + NginxFormat.CombinedFormat + " \"$http_x_forwarded_for\"';");
        var line = TestLines.NginxCombined + " \"198.51.100.4\"";
        Assert.True(NginxFormat.Combined.TryParse(System.Text.Encoding.UTF8.GetBytes(line), new ParseTarget(), out _));

        Assert.Same(custom, LogFormats.Detect(Sample(line), [NginxFormat.Combined, custom, .. LogFormats.All]));
    }

    [Fact]
    public void A_mixed_folder_reads_each_file_in_its_own_format()
    {
        using var dir = new TempFolder();
        dir.Write("huawei/elb.log", TestLines.Seed + "\n" + TestLines.FullWithRetry + "\n");
        dir.WriteGzip("aws/alb.log.gz", TestLines.Alb + "\n" + TestLines.Alb + "\n" + TestLines.Alb + "\n");
        dir.Write("aws/clb.log", TestLines.Clb + "\n");
        dir.Write("nginx/access.log", TestLines.NginxUpstreamRetry + "\n");

        var log = AccessLog.Load([dir.Path], new LoadOptions { NginxLogFormat = TestLines.NginxUpstreamDirective });

        Assert.Equal(7, log.RequestCount);
        Assert.Equal(0, log.Report.Rejected);
        Assert.Equal("aws-alb", log.Format);
        Assert.Equal(new Dictionary<string, long> { ["aws-alb"] = 3, ["huawei-elb"] = 2, ["aws-clb"] = 1, ["nginx"] = 1 }, log.Formats);
        Assert.Equal(["aws-alb", "aws-clb", "huawei-elb", "nginx"], log.Report.Files.Select(f => f.Format!).Order());
        // The nginx file was read with the user's format: it has its two attempts.
        Assert.Equal(1 + 2 + 3 + 1 + 2, log.AttemptCount);
    }

    [Fact]
    public void Every_file_of_a_large_mixed_folder_is_read_in_its_own_format()
    {
        // More files than a detection target serves before it is emptied, in turns, so each format's target is reused
        // after files of the others; the custom nginx lines are ones combined reads too (scored, not taken alone).
        using var dir = new TempFolder();
        var custom = "log_format main '" + NginxFormat.CombinedFormat + " \"$http_x_forwarded_for\"';";
        (string Line, string? Format)[] kinds =
        [
            (TestLines.FullWithRetry, "huawei-elb"), (TestLines.Alb, "aws-alb"), (TestLines.Clb, "aws-clb"),
            (TestLines.NginxCombined + " \"198.51.100.4\"", "nginx"), ("not a log line at all", null),
        ];
        for (var i = 0; i < 300; i++) dir.Write($"logs/{i:D3}.log", kinds[i % kinds.Length].Line + "\n" + kinds[i % kinds.Length].Line + "\n");

        var log = AccessLog.Load([dir.Path], new LoadOptions { NginxLogFormat = custom });

        Assert.Equal(240 * 2, log.RequestCount);
        Assert.Equal(0, log.Report.Rejected);
        Assert.Equal(60, log.Report.SkippedFiles.Count);
        foreach (var file in log.Report.Files)
        {
            var kind = kinds[int.Parse(Path.GetFileNameWithoutExtension(file.File)) % kinds.Length];
            Assert.Equal(kind.Format, file.Format);
            Assert.Equal(2, file.Parsed);
        }
        // The custom format, not combined: its column has the forwarded-for address.
        Assert.Equal(60 * 2, Enumerable.Range(0, (int)log.RequestCount).Count(row => (string?)log.Requests["http_x_forwarded_for"][row] == "198.51.100.4"));
    }

    [Fact]
    public void A_forced_format_reads_every_file_with_it_and_rejects_lines_of_another()
    {
        var text = TestLines.Alb + "\n" + TestLines.Clb + "\n";
        var log = TestLines.Load(text, new LoadOptions { Format = "aws-clb" });

        Assert.Equal(1, log.Report.Parsed);
        Assert.Equal(1, log.Report.Rejected);
        Assert.Equal("aws-clb", log.Format);
        Assert.Equal(1L, log.Report.Examples[0].Line);
    }

    [Fact]
    public void Forcing_nginx_uses_the_given_log_format()
    {
        var log = TestLines.Load(TestLines.NginxUpstreamRetry, new LoadOptions { Format = "nginx", NginxLogFormat = TestLines.NginxUpstreamDirective });
        Assert.Equal(2, log.AttemptCount);
    }

    [Fact]
    public void An_unknown_format_is_an_error_that_names_the_file_and_shows_its_first_line()
    {
        var e = Assert.Throws<LogLoadException>(() =>
            TestLines.Load("Tue May  1 10:15:30 2024 [error] upstream timed out\nsecond line\n", name: "app-errors.log"));

        Assert.Contains("'app-errors.log'", e.Message);
        Assert.Contains("unknown-format", e.Message);
        Assert.Contains("huawei-elb, aws-alb, aws-clb, nginx", e.Message);
        Assert.Contains("Tue May  1 10:15:30 2024 [error] upstream timed out", e.Message);
    }

    [Fact]
    public void A_folder_file_of_an_unknown_format_is_skipped_with_its_first_line()
    {
        using var dir = new TempFolder();
        dir.Write("alb.log", TestLines.Alb + "\n");
        dir.Write("notes.txt", "remember to rotate the certificate\n");

        var log = AccessLog.Load(dir.Path);

        var skipped = Assert.Single(log.Report.SkippedFiles);
        Assert.EndsWith("notes.txt", skipped.File);
        Assert.Equal("remember to rotate the certificate", skipped.FirstLine);
        Assert.Equal(1, log.RequestCount);
    }

    [Fact]
    public void A_file_of_damaged_lines_of_one_format_says_what_is_wrong_with_them()
    {
        // Each line a Huawei line with an upstream list an item short: no format parses any, but one alone might.
        var damaged = TestLines.WithField(TestLines.Seed, 12, "\"502, 500\"");

        var named = Assert.Throws<LogLoadException>(() => TestLines.Load(damaged + "\n" + damaged + "\n", name: "elb.log"));

        Assert.Contains("2 rejected (unknown-format 2)", named.Message);
        Assert.Contains("elb.log:1: unknown-format: not a line of a known format (huawei-elb, aws-alb, aws-clb, nginx); read as huawei-elb: " +
                        "upstream-mismatch: upstream_status has 2 item(s) but upstream_addr has 1", named.Message);

        using var dir = new TempFolder();
        dir.Write("good.log", TestLines.Seed + "\n");
        dir.Write("damaged.log", damaged + "\n");
        dir.Write("app.log", "2024-05-01T10:15:30.123Z INFO [main] com.example.App - Started application in 3.2 seconds (JVM running for 4.1)\n");
        var log = AccessLog.Load(dir.Path);

        var skipped = log.Report.SkippedFiles.OrderBy(f => f.File, StringComparer.Ordinal).ToList();
        Assert.Equal(2, skipped.Count);
        // An application log passes the CLB's first checks, but a CLB line it is not: no hint.
        Assert.EndsWith("app.log", skipped[0].File);
        Assert.EndsWith("in its first lines", skipped[0].Reason);
        Assert.EndsWith("damaged.log", skipped[1].File);
        Assert.EndsWith("in its first lines; read as huawei-elb: upstream-mismatch: upstream_status has 2 item(s) but upstream_addr has 1: attempts cannot be matched", skipped[1].Reason);
    }

    [Fact]
    public void A_bad_nginx_log_format_is_refused_before_anything_is_read()
    {
        var e = Assert.Throws<InvalidInputException>(() => TestLines.Load(TestLines.NginxCombined, new LoadOptions { NginxLogFormat = "$remote_addr $status" }));
        Assert.Contains("no $time_local", e.Message);
    }
}
