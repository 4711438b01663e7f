using System.Text;
using CsCheck;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>
/// UTF-16 and UTF-32 logs (either byte order, with or without a byte-order mark, plain or gzip) read like UTF-8 ones:
/// every record parses, and the file's note says what it was and how to convert it.
/// </summary>
public class WideEncodingTests
{
    public static TheoryData<string, bool> Encodings => new()
    {
        { "utf-16LE", true }, { "utf-16LE", false }, { "utf-16BE", true }, { "utf-16BE", false },
        { "utf-32LE", true }, { "utf-32LE", false }, { "utf-32BE", true }, { "utf-32BE", false },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_wide_log_parses_and_its_note_says_what_it_was(string encoding, bool mark)
    {
        var log = TestLines.Load(Encode(Records(3, "\r\n"), encoding, mark));

        Assert.Equal(3, log.Report.Parsed);
        Assert.Equal(0, log.Report.Rejected);
        Assert.Equal(0, log.Report.ReplacedEncoding);
        var note = log.Report.Files[0].Note!;
        var name = encoding.ToUpperInvariant();
        Assert.StartsWith($"{name[..6]} {name[6..]} {(mark ? "with" : "without")} a byte-order mark: decoded to UTF-8", note);
        Assert.Contains($"iconv -f {name} -t UTF-8", note);
        Assert.DoesNotContain("UTF-8 byte-order mark", note);
        Assert.Equal(19.028, (double)log.Requests["request_time"][2]!, 6);
    }

    [Fact]
    public void Any_count_of_records_in_any_wide_encoding_plain_or_gzip_reads_whole_and_undamaged()
    {
        var encodings = Encodings.Select(row => ((string)row[0], (bool)row[1])).ToArray();
        Gen.Select(Gen.Int[1, 300], Gen.Int[0, encodings.Length - 1].Select(k => encodings[k]), Gen.OneOf("\n", "\r\n", "\r"), Gen.Bool).Sample((count, e, ending, gzip) =>
        {
            using var dir = new TempFolder();
            var bytes = Encode(Records(count, ending), e.Item1, e.Item2);
            var path = gzip ? dir.Write("wide.log.gz", Gzip(bytes)) : dir.Write("wide.log", bytes);

            var report = AccessLog.Load(path).Report;

            Assert.Equal(count, report.Parsed);
            Assert.Equal(count, report.Lines);
            Assert.Empty(report.Damaged);
        }, iter: 40);
    }

    [Fact]
    public void A_gzip_file_with_a_utf8_bom_is_not_called_damaged()
    {
        using var dir = new TempFolder();
        var gz = dir.WriteGzip("bom.log.gz", "\uFEFF" + TestLines.FullWithRetry + "\n");

        var file = Assert.Single(AccessLog.Load(gz).Report.Files);

        Assert.Null(file.Error);
        Assert.Equal(1, file.Parsed);
    }

    [Fact]
    public void Utf8_text_passes_through_untouched()
    {
        var log = TestLines.Load(Records(2, "\n"));
        Assert.Null(log.Report.Files[0].Note);
        Assert.Equal(2, log.Report.Parsed);
    }

    private static string Records(int count, string ending) => string.Concat(Enumerable.Repeat(TestLines.Seed + ending, count));

    private static byte[] Encode(string text, string encoding, bool mark)
    {
        var e = Encoding.GetEncoding(encoding switch
        {
            "utf-16LE" => "utf-16",
            "utf-16BE" => "utf-16BE",
            "utf-32LE" => "utf-32",
            _ => "utf-32BE",
        });
        return [.. mark ? e.GetPreamble() : [], .. e.GetBytes(text)];
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return buffer.ToArray();
    }
}

/// <summary>
/// A .gz that ends early and one with bytes appended after its compressed data are told apart: the first is damaged
/// after its last whole line, the second was read whole and says how many bytes were ignored.
/// </summary>
public class GzipEndTests
{
    private static readonly string Text = string.Concat(Enumerable.Repeat(TestLines.FullWithRetry + "\n", 400));
    private static readonly byte[] Compressed = WideEncodingTests.Gzip(Encoding.UTF8.GetBytes(Text));

    [Fact]
    public void Appended_bytes_of_any_length_are_trailing_garbage_and_every_line_is_read()
    {
        Gen.Select(Gen.Int[1, 4000], Gen.Char['a', 'z']).Sample((length, letter) =>
        {
            using var dir = new TempFolder();
            var path = dir.Write("appended.log.gz", [.. Compressed, .. Enumerable.Repeat((byte)letter, length)]);

            var file = Assert.Single(AccessLog.Load(path).Report.Files);

            Assert.Equal(400, file.Parsed);
            Assert.Equal(ProblemKinds.TrailingGarbage, file.ErrorKind);
            Assert.StartsWith($"{length:N0} byte{(length == 1 ? "" : "s")} after the end of the compressed data, ignored: all 400 lines were read", file.Error);
        }, iter: 30);
    }

    [Fact]
    public void A_gz_cut_anywhere_is_damaged_and_keeps_what_came_before()
    {
        Gen.Int[20, Compressed.Length - 1].Sample(cut =>
        {
            using var dir = new TempFolder();
            var path = dir.Write("cut.log.gz", Compressed[..cut]);

            ParseReport report;
            try
            {
                report = AccessLog.Load(path).Report;
            }
            catch (LogLoadException e) // cut inside the first line: nothing parsed, still a report
            {
                report = e.Report!;
            }
            var file = Assert.Single(report.Files);

            Assert.Equal(ProblemKinds.Damaged, file.ErrorKind);
            Assert.InRange(file.Parsed, 0, 400);
            Assert.Equal(ProblemKinds.Damaged, Assert.Single(report.Problems).Kind);
        }, iter: 30);
    }
}
