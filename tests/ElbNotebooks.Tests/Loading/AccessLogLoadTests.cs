using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

public class AccessLogLoadTests
{
    private static readonly string Two = TestLines.Seed + "\n" + TestLines.FullWithRetry + "\n";

    [Fact]
    public void A_folder_is_read_recursively_and_in_name_order()
    {
        using var dir = new TempFolder();
        dir.Write("b/elb-2.log", TestLines.FullWithRetry + "\n");
        dir.Write("a/elb-1.log", TestLines.Seed + "\n");
        dir.WriteGzip("c/elb-3.log.gz", Two);

        var log = AccessLog.Load(dir.Path);

        Assert.Equal(4, log.RequestCount);
        Assert.Equal(3, log.Report.Files.Count);
        var files = log.Requests["file"].Cast<string>().Select(Path.GetFileName).ToArray();
        Assert.Equal(new[] { "elb-1.log", "elb-2.log", "elb-3.log.gz", "elb-3.log.gz" }, files);
        Assert.Equal(new object?[] { 1L, 1L, 1L, 2L }, log.Requests["line"].Cast<object?>().ToArray());
    }

    [Fact]
    public void The_summary_counts_a_thousand_files_as_it_counts_lines()
    {
        using var dir = new TempFolder();
        for (var i = 0; i < 1_001; i++) dir.Write($"part-{i:D4}.log", TestLines.Seed + "\n");

        var log = AccessLog.Load(dir.Path);

        Assert.StartsWith("1,001 lines in 1,001 files: 1,001 parsed", log.Report.Summary);
    }

    [Fact]
    public void Attempts_point_at_their_request_row_across_files()
    {
        using var dir = new TempFolder();
        dir.Write("1.log", Two);
        dir.Write("2.log", Two);
        var log = AccessLog.Load(dir.Path);

        Assert.Equal(6, log.AttemptCount);
        Assert.Equal(new object?[] { 0L, 1L, 1L, 2L, 3L, 3L }, log.Attempts["request"].Cast<object?>().ToArray());
    }

    [Fact]
    public void A_gzip_file_is_recognised_by_its_content()
    {
        using var dir = new TempFolder();
        var path = dir.WriteGzip("export.log.gz", Two);
        var log = AccessLog.Load(path);
        Assert.Equal(2, log.RequestCount);
        Assert.Equal("huawei-elb", log.Format);
    }

    [Fact]
    public void Globs_match_files_in_subfolders()
    {
        using var dir = new TempFolder();
        dir.Write("2024/05/01/a.log", TestLines.Seed + "\n");
        dir.WriteGzip("2024/05/02/b.log.gz", Two);
        dir.Write("2024/05/02/notes.md", "# not a log\n");

        Assert.Equal(3, AccessLog.Load(Path.Combine(dir.Path, "2024/**/*.log*")).RequestCount);
        Assert.Equal(2, AccessLog.Load(Path.Combine(dir.Path, "2024/05/*/*.gz")).RequestCount);
        Assert.Equal(1, AccessLog.Load(Path.Combine(dir.Path, "2024/05/0?/a.log")).RequestCount);
    }

    [Fact]
    public void Files_and_streams_load_together()
    {
        using var dir = new TempFolder();
        var file = dir.Write("a.log", TestLines.Seed + "\n");
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(TestLines.FullWithRetry));

        var log = AccessLog.Load([LogSource.FromFile(file), LogSource.FromStream(stream, "stdin")]);

        Assert.Equal(2, log.RequestCount);
        Assert.Equal(new[] { file, "stdin" }, log.Sources);
        Assert.True(stream.CanRead, "the caller's stream stays open");
    }

    [Fact]
    public void A_gzip_stream_is_read()
    {
        using var buffer = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionMode.Compress, leaveOpen: true))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(Two));
        buffer.Position = 0;
        Assert.Equal(2, AccessLog.Load(buffer, "upload.gz").RequestCount);
    }

    [Fact]
    public void A_folder_skips_files_that_are_not_logs_and_says_so()
    {
        using var dir = new TempFolder();
        dir.Write("elb.log", Two);
        dir.Write("README.md", "# Answer key\n\nThe backend 10.0.1.12 fails.\n");

        var log = AccessLog.Load(dir.Path);

        Assert.Equal(2, log.RequestCount);
        var skipped = Assert.Single(log.Report.SkippedFiles);
        Assert.EndsWith("README.md", skipped.File);
        Assert.Equal("# Answer key", skipped.FirstLine);
        Assert.Equal(2, log.Report.Lines);
    }

    [Fact]
    public void A_named_file_of_another_format_counts_its_lines_as_rejected()
    {
        using var dir = new TempFolder();
        var log = dir.Write("elb.log", Two);
        var other = dir.Write("other.log", "one\ntwo\nthree\n");

        var loaded = AccessLog.Load(log, other);

        Assert.Equal(5, loaded.Report.Lines);
        Assert.Equal(3, loaded.Report.RejectionsByReason["unknown-format"]);
        Assert.Equal(loaded.Report.Lines, loaded.Report.Parsed + loaded.Report.Rejected + loaded.Report.Blank);
    }

    [Fact]
    public void A_missing_path_is_a_clear_error_naming_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => AccessLog.Load("/no/such/elb.log"));
        Assert.Contains("/no/such/elb.log", error.Message);
        var glob = Assert.Throws<FileNotFoundException>(() => AccessLog.Load("/no/such/*.log"));
        Assert.Contains("/no/such", glob.Message);
    }

    [Fact]
    public void A_glob_without_matches_is_a_clear_error()
    {
        using var dir = new TempFolder();
        dir.Write("a.log", TestLines.Seed);
        var pattern = Path.Combine(dir.Path, "*.gz");
        var error = Assert.Throws<FileNotFoundException>(() => AccessLog.Load(pattern));
        Assert.Contains(pattern, error.Message);
    }

    [Fact]
    public void A_truncated_gzip_keeps_what_was_read_and_names_the_damage()
    {
        using var dir = new TempFolder();
        var lines = string.Join("\n", Enumerable.Range(0, 2000).Select(_ => TestLines.FullWithRetry)) + "\n";
        var whole = File.ReadAllBytes(dir.WriteGzip("whole.gz", lines));
        var cut = dir.Write("cut.log.gz", whole[..(whole.Length / 2)]);

        var log = AccessLog.Load(cut);

        var file = Assert.Single(log.Report.Files);
        Assert.NotNull(file.Error);
        Assert.Contains("damaged or cut short", file.Error);
        Assert.InRange(log.RequestCount, 1, 1999);
        Assert.Equal(file.Lines, file.Parsed + file.Rejected + file.Blank);
        Assert.Contains("1 damaged file", log.Report.Summary);
    }

    [Fact]
    public void A_time_range_keeps_requests_inside_it_and_counts_the_rest()
    {
        var log = TestLines.Load(Two, LoadOptions.Default with { From = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(1, log.RequestCount);
        Assert.Equal(2, log.Report.Parsed);
        Assert.Equal(1, log.Report.OutOfRange);
        Assert.Equal(2, log.AttemptCount);
        Assert.Equal(0L, log.Attempts["request"][0]);
    }

    [Fact]
    public void Progress_is_reported_and_ends_at_the_total()
    {
        using var dir = new TempFolder();
        var path = dir.Write("big.log", string.Join("\n", Enumerable.Repeat(TestLines.FullWithRetry, 40_000)));
        var seen = new List<LoadProgress>();
        var progress = new SynchronousProgress(seen.Add);

        var log = AccessLog.Load([path], LoadOptions.Default with { Progress = progress });

        Assert.True(seen.Count >= 3);
        Assert.Equal(new FileInfo(path).Length, seen[^1].TotalBytes);
        Assert.Equal(seen[^1].TotalBytes, seen[^1].BytesRead);
        Assert.Equal(40_000, seen[^1].Lines);
        Assert.Equal(40_000, log.RequestCount);
    }

    [Fact]
    public void A_cancelled_load_stops()
    {
        using var dir = new TempFolder();
        var path = dir.Write("big.log", string.Join("\n", Enumerable.Repeat(TestLines.FullWithRetry, 40_000)));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => AccessLog.Load([path], LoadOptions.Default with { CancellationToken = cts.Token }));
    }

    [Fact]
    public void The_log_knows_its_span_offset_and_format()
    {
        var log = TestLines.Load(Two);
        Assert.Equal(new DateTime(2019, 4, 11, 1, 2, 44, DateTimeKind.Utc), log.From);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 15, 30, DateTimeKind.Utc), log.To);
        Assert.Equal(TimeSpan.FromHours(8), log.UtcOffset);
        Assert.Equal("huawei-elb", log.Format);
    }

    private sealed class SynchronousProgress(Action<LoadProgress> report) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value)
        {
            lock (this) report(value);
        }
    }
}
