using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

public class DamagedFileTests
{
    private static readonly string Two = TestLines.Seed + "\n" + TestLines.FullWithRetry + "\n";

    [Fact]
    public void A_plain_file_named_gz_is_read_as_text_and_says_so()
    {
        using var dir = new TempFolder();
        var path = dir.Write("not-really.log.gz", Two);
        var log = AccessLog.Load(path);

        Assert.Equal(2, log.RequestCount);
        var file = Assert.Single(log.Report.Files);
        Assert.Equal("named .gz but not gzip-compressed: read as plain text", file.Note);
        Assert.Null(file.Error);
    }

    [Fact]
    public void An_empty_file_in_a_folder_counts_nothing_and_loses_nothing()
    {
        using var dir = new TempFolder();
        dir.Write("a.log", Two);
        dir.Write("b-empty.log", "");
        var log = AccessLog.Load(dir.Path);

        Assert.Equal(2, log.RequestCount);
        Assert.Equal(2, log.Report.Files.Count);
        Assert.Equal(0, log.Report.Files[1].Lines);
    }

    [Fact]
    public void An_empty_file_alone_is_a_clear_error_naming_it()
    {
        using var dir = new TempFolder();
        var path = dir.Write("empty.log", "");
        var error = Assert.Throws<LogLoadException>(() => AccessLog.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_giant_line_without_newline_is_rejected_with_bounded_memory()
    {
        const long size = 300L * 1024 * 1024;
        // The reader thread holds the line's bytes; other tests run in parallel, so count this thread only.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var log = AccessLog.Load([LogSource.FromStream(new PrefixThenRepeat(TestLines.Seed + "\n", size), "giant.log")],
            LoadOptions.Default with { MaxLineBytes = 8 * 1024 * 1024 });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, log.RequestCount);
        Assert.Equal(2, log.Report.Lines);
        Assert.Equal(1, log.Report.RejectionsByReason["line-too-long"]);
        var example = Assert.Single(log.Report.Examples);
        Assert.Equal(2, example.Line);
        Assert.Contains("314,572,800", example.Detail);
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated:N0} bytes to skip a {size:N0}-byte line");
    }

    [Fact]
    public void A_broken_link_in_a_folder_is_named_and_the_other_files_still_load()
    {
        using var dir = new TempFolder();
        dir.Write("good.log", Two);
        var link = Path.Combine(dir.Path, "broken.log");
        File.CreateSymbolicLink(link, Path.Combine(dir.Path, "gone.log"));

        var log = AccessLog.Load(dir.Path);

        Assert.Equal(2, log.RequestCount);
        var broken = Assert.Single(log.Report.Damaged);
        Assert.Equal(link, broken.File);
        Assert.StartsWith("cannot be opened", broken.Error);
        Assert.Contains("1 unreadable file", log.Report.Summary); // as its ErrorKind: it is not damaged
        Assert.DoesNotContain("damaged", log.Report.Summary);
    }

    [Fact]
    public void A_file_caught_mid_write_keeps_its_whole_lines_and_rejects_the_partial_one()
    {
        using var dir = new TempFolder();
        var path = dir.Write("growing.log", Two + TestLines.FullWithRetry[..120]);
        using (var writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            var log = AccessLog.Load(path);
            writer.Write(System.Text.Encoding.UTF8.GetBytes(TestLines.FullWithRetry[120..] + "\n"));

            Assert.Equal(2, log.RequestCount);
            Assert.Equal(3, log.Report.Lines);
            Assert.Equal(1, log.Report.Rejected);
            Assert.Equal(3, Assert.Single(log.Report.Examples).Line);
        }
        Assert.Equal(3, AccessLog.Load(path).RequestCount);
    }

    [Fact]
    public void A_binary_file_in_a_folder_is_skipped_and_named()
    {
        using var dir = new TempFolder();
        dir.Write("a.log", Two);
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        dir.Write("core.dump", bytes);

        var log = AccessLog.Load(dir.Path);

        Assert.Equal(2, log.RequestCount);
        Assert.EndsWith("core.dump", Assert.Single(log.Report.SkippedFiles).File);
    }

    [Fact]
    public void A_binary_file_named_explicitly_is_rejected_line_by_line()
    {
        using var dir = new TempFolder();
        var good = dir.Write("a.log", Two);
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        var binary = dir.Write("core.dump", bytes);

        var log = AccessLog.Load(good, binary);

        var file = log.Report.Files.Single(f => f.File == binary);
        Assert.Equal(file.Lines, file.Rejected + file.Blank);
        Assert.True(file.Lines > 0);
        Assert.Equal(log.Report.Lines, log.Report.Parsed + log.Report.Rejected + log.Report.Blank);
    }

    [Fact]
    public void Format_detection_sees_a_last_line_without_newline()
    {
        // Regression (found by the format mutation property): the last line without a newline was read as a block of
        // its own, so detection saw only the lines before it, and an ALB log whose other line was a damaged fragment
        // that happens to read as CLB was detected as CLB.
        const string shortAlb = "h2 2022-12-17T05:35:18.186941Z app/api/50dc6c495c0c9188 36.101.237.27:22001 - 13.933461 24.775700 " +
            "28.966768 301 - 13848188 2671314 \"GET https://shop.example.com:443/cart HTTP/1.1\"";
        var text = shortAlb + "\n" + TestLines.Clb + "\n" + shortAlb;
        var log = TestLines.Load(text);
        Assert.Equal("aws-alb", log.Format);
        Assert.Equal(2, log.RequestCount);
    }

    /// <summary>A stream of a prefix and then one byte repeated, made on the fly: a huge input in no memory.</summary>
    private sealed class PrefixThenRepeat(string prefix, long repeated) : ForwardOnlyStream
    {
        private readonly byte[] _prefix = System.Text.Encoding.UTF8.GetBytes(prefix);
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            var total = _prefix.Length + repeated;
            var n = (int)Math.Min(buffer.Length, total - _position);
            for (var i = 0; i < n; i++, _position++)
                buffer[i] = _position < _prefix.Length ? _prefix[_position] : (byte)'x';
            return n;
        }
    }
}
