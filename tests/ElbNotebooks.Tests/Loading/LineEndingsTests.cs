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

/// <summary>
/// A CR without an LF after it ends a line wherever it is, not only when a file starts that way: a CR-only section
/// appended to an LF log loses none of its records to one long line.
/// </summary>
public class LoneCarriageReturnTests
{
    [Fact]
    public void A_cr_only_section_after_lf_lines_is_read_line_by_line_and_noted()
    {
        var sample = File.ReadLines(TestPaths.SampleLog("elb-web-incident.log")).Take(200).ToList();
        var text = string.Concat(sample.Take(100).Select(l => l + "\n")) + string.Concat(sample.Skip(100).Select(l => l + "\r"));

        var log = TestLines.Load(text, name: "catcr.log");

        Assert.Equal(200, log.Report.Lines);
        Assert.Equal(200, log.Report.Parsed);
        Assert.Equal(200L, log.Requests["line"][199]);
        Assert.Null(log.Requests["extra_fields"][100]);
        Assert.Contains("lines end with CR alone", log.Report.Files[0].Note);
    }

    [Fact]
    public void Every_record_is_one_line_whatever_mix_of_endings_and_read_sizes()
    {
        Gen.Select(Gen.OneOf(Gen.Const("\n"), Gen.Const("\r\n"), Gen.Const("\r")).Array[1, 60], Gen.Int[1, 70], Gen.Bool).Sample((endings, chunk, lastEnded) =>
        {
            var text = string.Concat(endings.Select((e, i) => TestLines.Seed + (i < endings.Length - 1 || lastEnded ? e : "")));
            var stream = new ChunkedStream(System.Text.Encoding.UTF8.GetBytes(text), chunk);

            var report = AccessLog.Load(stream, "mixed.log").Report;

            Assert.Equal(endings.Length, report.Lines);
            Assert.Equal(endings.Length, report.Parsed);
            // A CR that ends the input is dropped with the last line, not noted.
            var lone = endings.Take(endings.Length - 1).Any(e => e == "\r");
            Assert.Equal(lone, report.Files[0].Note?.Contains("CR alone", StringComparison.Ordinal) == true);
        }, iter: 200);
    }

    [Fact]
    public void The_vectorised_search_finds_the_first_lone_cr_as_a_byte_by_byte_one()
    {
        Gen.Int[0, 3].Array[0, 200].Sample(codes =>
        {
            var bytes = codes.Select(c => c switch { 0 => (byte)'\r', 1 => (byte)'\n', _ => (byte)'x' }).ToArray();
            var expected = Enumerable.Range(0, bytes.Length)
                .Where(i => bytes[i] == (byte)'\r' && (i + 1 == bytes.Length || bytes[i + 1] != (byte)'\n')).DefaultIfEmpty(-1).First();
            Assert.Equal(expected, CrOnlyLineEndings.IndexOfLoneCr(bytes));
        }, iter: 2000);
    }

    /// <summary>A stream that returns at most <paramref name="chunk"/> bytes a read, so a CR ends many reads.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : ForwardOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
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
