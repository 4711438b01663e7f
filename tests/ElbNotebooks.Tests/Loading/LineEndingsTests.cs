using CsCheck;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>Records end with LF, CRLF or CR alone: each ending splits a line, and no record is lost.</summary>
public class LineEndingsTests
{
    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\r", true)]
    public void Fifty_records_are_fifty_lines_whatever_ends_them(string ending, bool noted)
    {
        var log = TestLines.Load(string.Concat(Enumerable.Repeat(TestLines.Seed + ending, 50)));

        Assert.Equal(50, log.Report.Lines);
        Assert.Equal(50, log.Report.Parsed);
        var note = log.Report.Files[0].Note;
        Assert.Equal(noted, note is not null && note.Contains("CR alone", StringComparison.Ordinal));
        Assert.Equal(19.028, (double)log.Requests["request_time"][49]!, 6);
    }

    [Fact]
    public void A_gzip_file_of_cr_only_lines_reads_every_record()
    {
        using var dir = new TempFolder();
        var file = dir.WriteGzip("mac.log.gz", string.Concat(Enumerable.Repeat(TestLines.FullWithRetry + "\r", 30)));

        var log = AccessLog.Load(file);

        Assert.Equal(30, log.Report.Parsed);
        Assert.Equal(60, log.AttemptCount);
    }

    [Fact]
    public void Every_record_is_read_once_for_any_count_and_ending()
    {
        Gen.Select(Gen.Int[1, 400], Gen.OneOf("\n", "\r\n", "\r"), Gen.Bool).Sample((count, ending, lastEnded) =>
        {
            var text = string.Join(ending, Enumerable.Repeat(TestLines.Seed, count)) + (lastEnded ? ending : "");
            var report = TestLines.Load(text).Report;
            Assert.Equal(count, report.Lines);
            Assert.Equal(count, report.Parsed);
        }, iter: 60);
    }
}

/// <summary>A UTF-8 byte-order mark is not part of the first line.</summary>
public class ByteOrderMarkTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    public void A_utf8_bom_is_skipped_and_noted_and_every_line_parses(string ending)
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(TestLines.Seed + ending, 3)))).ToArray();

        var log = TestLines.Load(bytes);

        Assert.Equal(3, log.Report.Parsed);
        Assert.Equal(0, log.Report.Rejected);
        Assert.Contains("byte-order mark", log.Report.Files[0].Note);
        Assert.Equal(1554944564.344, (double)log.Requests["msec"][0]!, 3);
    }

    [Fact]
    public void A_gzip_file_with_a_bom_and_files_of_under_three_bytes_read_as_before()
    {
        using var dir = new TempFolder();
        var gz = dir.WriteGzip("bom.log.gz", "\uFEFF" + TestLines.FullWithRetry + "\n");
        Assert.Equal(1, AccessLog.Load(gz).Report.Parsed);

        var tiny = TestLines.Load(TestLines.Seed + "\n" + "ab").Report;
        Assert.Equal(2, tiny.Lines);
        Assert.Null(tiny.Files[0].Note);
    }
}
