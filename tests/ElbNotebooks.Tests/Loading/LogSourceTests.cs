using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>What a load plans for before it reads an input: the file behind a link, the text a gzip file holds.</summary>
public class LogSourceTests
{
    [Fact]
    public void A_file_reached_through_links_has_the_length_of_the_file_not_of_the_link()
    {
        using var dir = new TempFolder();
        var log = dir.Write("logs/access.log", TestLines.Seed + "\n" + TestLines.Seed + "\n");
        var link = Path.Combine(dir.Path, "current.log");
        File.CreateSymbolicLink(link, log);
        var linkToLink = Path.Combine(dir.Path, "latest.log");
        File.CreateSymbolicLink(linkToLink, "current.log");

        Assert.Equal(new FileInfo(log).Length, LogSource.FromFile(link).Length);
        Assert.Equal(new FileInfo(log).Length, LogSource.FromFile(linkToLink).Length);
        Assert.Equal(2, AccessLog.Load(linkToLink).RequestCount);
    }

    [Fact]
    public void A_broken_link_has_no_length()
    {
        using var dir = new TempFolder();
        var link = Path.Combine(dir.Path, "broken.log");
        File.CreateSymbolicLink(link, Path.Combine(dir.Path, "gone.log"));

        Assert.Null(LogSource.FromFile(link).Length);
    }

    [Fact]
    public void A_gzip_file_is_expected_to_hold_the_text_its_trailer_records()
    {
        using var dir = new TempFolder();
        var text = string.Concat(Enumerable.Repeat(TestLines.Seed + "\n", 2000));
        var path = dir.WriteGzip("access.log.gz", text);

        var source = LogSource.FromFile(path);

        Assert.True(source.Length * 8 < Encoding.UTF8.GetByteCount(text), "the lines compress better than 8 to 1");
        Assert.Equal(Encoding.UTF8.GetByteCount(text), source.ExpectedTextBytes());
        Assert.Equal(2000, AccessLog.Load(path).RequestCount);
    }

    [Fact]
    public void Concatenated_gzip_members_and_files_not_gzip_count_as_eight_times_their_size()
    {
        using var dir = new TempFolder();
        var big = string.Concat(Enumerable.Repeat(TestLines.Seed + "\n", 500));
        var joined = Path.Combine(dir.Path, "joined.log.gz");
        File.WriteAllBytes(joined, [.. Gzip(big), .. Gzip(TestLines.Seed + "\n")]);
        var plain = dir.Write("plain.log.gz", big);

        Assert.Equal(new FileInfo(joined).Length * 8, LogSource.FromFile(joined).ExpectedTextBytes());
        Assert.Equal(new FileInfo(plain).Length * 8, LogSource.FromFile(plain).ExpectedTextBytes());
        Assert.Equal(501, AccessLog.Load(joined).RequestCount);
    }

    [Fact]
    public void A_gzip_file_cut_short_is_not_sized_by_its_last_bytes()
    {
        // A cut file's last four bytes are compressed data, not a trailer: here they read as nearly 4 GiB, more than
        // deflate can make of 60 bytes, and a load sized for it ended out of memory before reading a line.
        using var dir = new TempFolder();
        var whole = Gzip(string.Concat(Enumerable.Repeat(TestLines.Seed + "\n", 50)));
        var cut = whole[..60];
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(56), 0xFFFF_FF00);
        var path = dir.Write("cut.log.gz", cut);

        Assert.Equal(60 * 8, LogSource.FromFile(path).ExpectedTextBytes());
        var file = Assert.Single(Assert.Throws<LogLoadException>(() => AccessLog.Load(path)).Report!.Files);
        Assert.Equal(ProblemKinds.Damaged, file.ErrorKind);
    }

    [Fact]
    public void A_gzip_file_of_more_than_4_GiB_of_text_is_expected_to_hold_the_size_nearest_8_times_its_own()
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "huge.log.gz");
        const long compressed = 600L << 20;
        const long text = (4L << 30) + (900L << 20);
        using (var file = new FileStream(path, FileMode.Create))
        {
            file.Write([0x1f, 0x8b]);
            file.SetLength(compressed);
            file.Position = compressed - 4;
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, unchecked((uint)text));
            file.Write(size);
        }

        Assert.Equal(text, LogSource.FromFile(path).ExpectedTextBytes());
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }
}
