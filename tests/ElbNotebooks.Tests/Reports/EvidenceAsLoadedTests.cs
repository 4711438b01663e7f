using System.IO.Compression;
using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;
using static ElbNotebooks.Tests.Support.TestLogs;

namespace ElbNotebooks.Tests.Reports;

/// <summary>
/// The raw line shown behind a row (a report's evidence, <c>log.RawLine</c>) is the line the load parsed for it,
/// whatever the file's encoding, line endings or gzip members: re-reading decodes the file as the load did, so line N
/// is the load's line N, not the Nth LF of the bytes on disk.
/// </summary>
public class EvidenceAsLoadedTests
{
    /// <summary>
    /// Ten minutes of three backends, each line naming its own path (<c>/b/123</c>), so a line is told from its
    /// neighbours: A and C answer 200 throughout, B answers 200 for its first 100 seconds and 500 after, so the
    /// evidence lies well inside the file.
    /// </summary>
    private static List<string> Lines()
    {
        var lines = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var t = T0.AddSeconds(i);
            lines.Add(Line(t, 200, "200", "0.001", "0.020", "0.021", A, $"/a/{i}"));
            lines.Add(Line(t, 200, "200", "0.001", "0.025", "0.026", C, $"/c/{i}"));
            lines.Add(i < 100
                ? Line(t, 200, "200", "0.001", "0.030", "0.030", B, $"/b/{i}")
                : Line(t, 500, "500", "0.001", "0.300", "0.300", B, $"/b/{i}", "POST"));
        }
        return lines;
    }

    /// <summary>Where a lone CR ends a line in the "lone CR" case: after LF lines, before the evidence.</summary>
    private const int LoneCrLine = 150;

    public static TheoryData<string> Cases => new()
    {
        "UTF-16 LE with a byte-order mark",
        "UTF-16 LE without a byte-order mark",
        "UTF-8 with a byte-order mark",
        "CR-only line endings",
        "a lone CR after LF lines",
        "CRLF line endings",
        "two gzip members",
        "two gzip members, the second with CR-only line endings",
        "UTF-16 LE with a byte-order mark, gzip",
    };

    /// <summary>The file of the case, written in <paramref name="dir"/>.</summary>
    private static string Write(TempFolder dir, string how, IReadOnlyList<string> lines)
    {
        string Joined(IEnumerable<string> l, string ending) => string.Concat(l.Select(x => x + ending));
        var lf = Joined(lines, "\n");
        return how switch
        {
            "UTF-16 LE with a byte-order mark" => dir.Write("wide.log", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Joined(lines, "\r\n"))]),
            "UTF-16 LE without a byte-order mark" => dir.Write("wide.log", Encoding.Unicode.GetBytes(lf)),
            "UTF-8 with a byte-order mark" => dir.Write("bom.log", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(lf)]),
            "CR-only line endings" => dir.Write("mac.log", Joined(lines, "\r")),
            "a lone CR after LF lines" => dir.Write("catcr.log",
                Joined(lines.Take(LoneCrLine - 1), "\n") + lines[LoneCrLine - 1] + "\r" + Joined(lines.Skip(LoneCrLine), "\n")),
            "CRLF line endings" => dir.Write("dos.log", Joined(lines, "\r\n")),
            "two gzip members" => dir.Write("two.log.gz",
                [.. Gzip(Encoding.UTF8.GetBytes(Joined(lines.Take(200), "\n"))), .. Gzip(Encoding.UTF8.GetBytes(Joined(lines.Skip(200), "\n")))]),
            "two gzip members, the second with CR-only line endings" => dir.Write("two.log.gz",
                [.. Gzip(Encoding.UTF8.GetBytes(Joined(lines.Take(200), "\n"))), .. Gzip(Encoding.UTF8.GetBytes(Joined(lines.Skip(200), "\r")))]),
            "UTF-16 LE with a byte-order mark, gzip" => dir.Write("wide.log.gz", Gzip([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(lf)])),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return buffer.ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_reports_evidence_lines_are_the_lines_the_load_parsed_for_their_rows(string how)
    {
        using var dir = new TempFolder();
        var lines = Lines();
        var log = AccessLog.Load(Write(dir, how, lines));
        Assert.Equal(lines.Count, log.Report.Parsed); // the load read every line as written

        var evidence = Assert.Single(log.Investigate().Report(ReportSamples.Options).Evidence);

        Assert.Equal(3, evidence.Count);
        Assert.All(evidence, e =>
        {
            Assert.True(e.Line > LoneCrLine, $"line {e.Line}: the evidence lies after the lone CR, where a count of LFs goes wrong");
            Assert.Equal(e.Line, (long)log.Requests["line"][e.Row]);
            Assert.Equal(lines[(int)e.Line - 1], e.Raw);
            Assert.Contains((string)log.Requests["router_request_uri"][e.Row], e.Raw);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_rows_raw_line_is_the_line_the_load_parsed_for_it(string how)
    {
        using var dir = new TempFolder();
        var lines = Lines();
        var log = AccessLog.Load(Write(dir, how, lines));

        long[] rows = [0, 1, LoneCrLine - 2, LoneCrLine - 1, LoneCrLine, LoneCrLine + 1, 199, 200, 201, 1000, log.RequestCount - 1];
        foreach (var row in rows)
        {
            var line = (long)log.Requests["line"][row];
            Assert.Equal(row + 1, line);
            var raw = log.RawLine(row);
            Assert.Equal(lines[(int)line - 1], raw);
            Assert.Contains((string)log.Requests["router_request_uri"][row], raw);
        }
    }

    [Fact]
    public void In_a_gzip_file_cut_short_the_lines_before_the_damage_read_as_the_load_read_them()
    {
        using var dir = new TempFolder();
        var lines = Lines();
        var whole = Gzip(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        var log = AccessLog.Load(dir.Write("cut.log.gz", whole[..(whole.Length * 2 / 3)]));
        Assert.NotEmpty(log.Report.Damaged);

        var evidence = Assert.Single(log.Investigate().Report(ReportSamples.Options).Evidence);

        Assert.All(evidence, e => Assert.Equal(lines[(int)e.Line - 1], e.Raw));
        var last = log.RequestCount - 1;
        Assert.Equal(lines[(int)(long)log.Requests["line"][last] - 1], log.RawLine(last));
    }

    [Cli.UnixFact]
    public void A_named_pipe_is_not_opened_again_for_its_raw_lines()
    {
        using var dir = new TempFolder();
        var fifo = Path.Combine(dir.Path, "pipe.log");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        var writer = Task.Run(() => File.WriteAllText(fifo, string.Concat(Lines().Select(l => l + "\n"))));
        var log = AccessLog.Load(fifo);
        Assert.True(writer.Wait(TimeSpan.FromSeconds(60)));

        // Opening the FIFO again would wait for a writer that never comes: each finishes at once instead.
        var reading = Task.Run(() => (Assert.Throws<IOException>(() => log.RawLine(0)), log.Investigate().Report(ReportSamples.Options).Evidence.Single()));
        if (!reading.Wait(TimeSpan.FromSeconds(60)))
        {
            File.WriteAllText(fifo, ""); // lets the waiting reader go
            Assert.Fail("re-reading the FIFO waited for a writer");
        }
        var (error, evidence) = reading.Result;
        Assert.Contains("a named pipe (FIFO)", error.Message);
        Assert.All(evidence, e => Assert.Null(e.Raw));
        Assert.All(evidence, e => Assert.Contains("status=500", e.Parsed));
    }
}
