using System.Buffers.Binary;
using System.Text;
using CsCheck;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>
/// A damaged .gz keeps every line decompressed before the damage: the loader reads 1 MiB blocks, and a failing read
/// used to throw away the block being filled, so a bad checksum at the very end lost up to 1 MiB of intact lines.
/// </summary>
public class GzipDamageTests
{
    [Fact]
    public void A_damaged_checksum_at_the_end_keeps_every_line_and_says_so_plainly()
    {
        using var dir = new TempFolder();
        var bytes = File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz"));
        bytes[^6] ^= 0xff; // a byte of the CRC-32: every data byte is intact
        var path = dir.Write("crc.log.gz", bytes);

        var log = AccessLog.Load(path);

        var file = Assert.Single(log.Report.Files);
        Assert.Equal(36_260, file.Lines);
        Assert.Equal(36_260, file.Parsed);
        Assert.Equal(ProblemKinds.Damaged, file.ErrorKind);
        Assert.Equal("compressed data is damaged after line 36,260: the gzip trailer (CRC-32 and size) does not match the data", file.Error);
        Assert.Contains("1 damaged file", log.Report.Summary);
    }

    [Fact]
    public void A_small_gz_with_a_damaged_checksum_keeps_its_lines()
    {
        using var dir = new TempFolder();
        var lines = File.ReadLines(TestPaths.SampleLog("elb-web-incident.log")).Take(300).Select(l => l + "\n");
        var bytes = GzipMembersTests.Gzip(string.Concat(lines));
        bytes[^6] ^= 0xff;
        var path = dir.Write("small.log.gz", bytes);

        var file = Assert.Single(AccessLog.Load(path).Report.Files);

        Assert.Equal(300, file.Parsed);
        Assert.Equal("compressed data is damaged after line 300: the gzip trailer (CRC-32 and size) does not match the data", file.Error);
    }

    [Fact]
    public void Damage_inside_the_compressed_data_keeps_the_lines_before_it_and_counts_a_cut_line_as_rejected()
    {
        // Stored (uncompressed) deflate blocks put every line at a known place: a block whose length check is broken
        // is where the decompressor stops. What it decoded in its last step is lost (.NET does not say how much), at
        // most one 8 KiB piece of input; the block being filled (up to 1 MiB) is not.
        var lines = File.ReadAllLines(TestPaths.SampleLog("elb-web-incident.log"));
        var text = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var blocks = StoredBlocks(text, 60_000, out var blockStarts);
        Gen.Int[1, blockStarts.Count - 1].Sample(k =>
        {
            using var dir = new TempFolder();
            var broken = blocks.ToArray();
            broken[blockStarts[k].Compressed + 3] ^= 0xff; // NLEN no longer the complement of LEN
            var path = dir.Write("broken.log.gz", broken);

            var file = Assert.Single(AccessLog.Load(path).Report.Files);

            var before = blockStarts[k].Text;
            var whole = CountLines(text.AsSpan(0, before));
            var surelyRead = CountLines(text.AsSpan(0, Math.Max(0, before - 16 * 1024)));
            Assert.InRange(file.Parsed, surelyRead, whole + 1);
            Assert.InRange(file.Lines, surelyRead, whole + 1); // and the line the damage cut
            Assert.InRange(file.Rejected, 0, 1);
            Assert.Equal(file.Lines, file.Parsed + file.Rejected + file.Blank);
            Assert.Equal(ProblemKinds.Damaged, file.ErrorKind);
            Assert.Equal($"compressed data is damaged after line {file.Lines:N0}: invalid deflate data", file.Error);
        }, iter: 12);
    }

    [Fact]
    public void A_member_with_a_bad_checksum_is_damaged_after_its_lines()
    {
        using var dir = new TempFolder();
        var first = GzipMembersTests.Gzip(GzipMembersTests.Text(0, 300));
        first[^6] ^= 0xff;
        var path = dir.Write("bad-first.log.gz", [.. first, .. GzipMembersTests.Gzip(GzipMembersTests.Text(300, 200))]);

        var file = Assert.Single(AccessLog.Load(path).Report.Files);

        Assert.Equal(300, file.Parsed);
        Assert.Equal(ProblemKinds.Damaged, file.ErrorKind);
        Assert.Equal("compressed data is damaged after line 300: the gzip trailer (CRC-32 and size) does not match the data", file.Error);
    }

    private static int CountLines(ReadOnlySpan<byte> text) => text.Count((byte)'\n');

    /// <summary>A gzip member of stored deflate blocks of <paramref name="size"/> bytes; where each block starts, in the file and in the text.</summary>
    private static byte[] StoredBlocks(byte[] text, int size, out List<(int Compressed, int Text)> starts)
    {
        var gz = new List<byte> { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
        starts = [];
        for (var at = 0; at < text.Length; at += size)
        {
            var length = Math.Min(size, text.Length - at);
            starts.Add((gz.Count, at));
            gz.Add((byte)(at + length == text.Length ? 1 : 0));
            gz.AddRange([(byte)length, (byte)(length >> 8), (byte)~length, (byte)(~length >> 8)]);
            gz.AddRange(text.AsSpan(at, length).ToArray());
        }
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, System.IO.Hashing.Crc32.HashToUInt32(text));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)text.Length);
        return [.. gz, .. trailer];
    }
}
