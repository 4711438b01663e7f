using System.IO.Compression;
using System.Text;
using CsCheck;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>
/// A .gz of several members (<c>cat a.gz b.gz</c>, as log rotation makes them) reads whole and undamaged, as gzip
/// reads it; a member cut short or corrupted is still damaged.
/// </summary>
public class GzipMembersTests
{
    private static readonly byte[] Refused = File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz"));
    private const int RefusedLines = 36_260;
    private static readonly string[] Web = File.ReadAllLines(TestPaths.SampleLog("elb-web-incident.log"));

    internal static string Text(int from, int count) => string.Concat(Web.Skip(from).Take(count).Select(l => l + "\n"));

    [Fact]
    public void Concatenated_gz_files_read_whole_and_undamaged()
    {
        using var dir = new TempFolder();
        var path = dir.Write("two.log.gz", [.. Gzip(Text(0, Web.Length)), .. Refused]);

        var file = Assert.Single(AccessLog.Load(path).Report.Files);

        Assert.Equal(Web.Length + RefusedLines, file.Lines);
        Assert.Equal(file.Lines, file.Parsed);
        Assert.Null(file.Error);
    }

    [Fact]
    public void Members_with_names_extra_fields_header_checksums_and_empty_members_read_whole()
    {
        using var dir = new TempFolder();
        var members = new[]
        {
            Empty,
            WithHeaderFields(Gzip(Text(0, 200)), name: "a.log", extra: [0x42, 0x43, 2, 0, 0x1b, 0], comment: "rotated"),
            Empty,
            WithHeaderFields(Gzip(Text(200, 300)), name: "b.log", headerCrc: true),
            Gzip(Text(500, 1)),
            Empty,
        };
        var path = dir.Write("members.log.gz", members.SelectMany(m => m).ToArray());

        var file = Assert.Single(AccessLog.Load(path).Report.Files);

        Assert.Equal(501, file.Parsed);
        Assert.Null(file.Error);
    }

    [Fact]
    public void A_file_of_members_cut_anywhere_is_damaged_unless_cut_between_members()
    {
        var members = new[] { Gzip(Text(0, 300)), Gzip(Text(300, 200)), Gzip(Text(500, 400)) };
        var whole = members.SelectMany(m => m).ToArray();
        var ends = new[] { members[0].Length, members[0].Length + members[1].Length };
        // A cut one byte into a member leaves a lone 1f: a byte after the data, not a header (as gzip reads it too).
        Gen.Int[20, whole.Length - 1].Where(cut => !ends.Contains(cut - 1)).Sample(cut =>
        {
            using var dir = new TempFolder();
            var path = dir.Write("cut.log.gz", whole[..cut]);

            var file = Assert.Single(LoadReport(path).Files);

            if (Array.IndexOf(ends, cut) is var member and >= 0)
            {
                Assert.Null(file.Error); // as gzip reads it: nothing tells a file cut there from one of fewer members
                Assert.Equal(member == 0 ? 300 : 500, file.Parsed);
                return;
            }
            Assert.Equal(ProblemKinds.Damaged, file.ErrorKind);
            Assert.StartsWith("compressed data is damaged", file.Error);
            Assert.InRange(file.Parsed, 0, 900);
            Assert.Equal(file.Lines, file.Parsed + file.Rejected + file.Blank);
        }, iter: 40);
        foreach (var cut in ends.Concat([ends[1] + 5, whole.Length - 100, whole.Length - 3]))
        {
            using var dir = new TempFolder();
            var file = Assert.Single(LoadReport(dir.Write("cut.log.gz", whole[..cut])).Files);
            Assert.Equal(cut == ends[0] || cut == ends[1] ? null : ProblemKinds.Damaged, file.ErrorKind);
        }
    }

    [Fact]
    public void Bytes_after_the_last_member_are_trailing_garbage_however_long()
    {
        using var dir = new TempFolder();
        var garbage = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not gzip at all\n", 10_000)));
        var path = dir.Write("garbage.log.gz", [.. Gzip(Text(0, 300)), .. Gzip(Text(300, 200)), .. garbage]);

        var file = Assert.Single(AccessLog.Load(path).Report.Files);

        Assert.Equal(500, file.Parsed);
        Assert.Equal(ProblemKinds.TrailingGarbage, file.ErrorKind);
        Assert.Equal($"{garbage.Length:N0} bytes after the end of the compressed data, ignored: all 500 lines were read", file.Error);
    }

    private static ParseReport LoadReport(string path)
    {
        try
        {
            return AccessLog.Load(path).Report;
        }
        catch (LogLoadException e) // cut inside the first line: nothing parsed, still a report
        {
            return e.Report!;
        }
    }

    /// <summary>What <c>gzip -c /dev/null</c> writes (.NET writes nothing for no data): its trailer is 8 zeros.</summary>
    private static readonly byte[] Empty = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    internal static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    /// <summary>The member with the optional header fields of RFC 1952 (FEXTRA, FNAME, FCOMMENT, FHCRC) set.</summary>
    private static byte[] WithHeaderFields(byte[] member, string? name = null, byte[]? extra = null, string? comment = null, bool headerCrc = false)
    {
        var header = new List<byte>(member[..10]);
        if (extra is not null)
        {
            header[3] |= 4;
            header.AddRange([(byte)extra.Length, (byte)(extra.Length >> 8), .. extra]);
        }
        if (name is not null)
        {
            header[3] |= 8;
            header.AddRange([.. Encoding.ASCII.GetBytes(name), 0]);
        }
        if (comment is not null)
        {
            header[3] |= 16;
            header.AddRange([.. Encoding.ASCII.GetBytes(comment), 0]);
        }
        if (headerCrc)
        {
            header[3] |= 2;
            var crc = System.IO.Hashing.Crc32.HashToUInt32(header.ToArray());
            header.AddRange([(byte)crc, (byte)(crc >> 8)]);
        }
        return [.. header, .. member[10..]];
    }
}
