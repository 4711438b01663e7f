using System.Text;
using CsCheck;
using ElbNotebooks.Export;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;
using ElbNotebooks.Tests.Support;
using Parquet;

namespace ElbNotebooks.Tests.Export;

/// <summary>
/// String columns' min/max statistics are in UTF-8 byte order (the Parquet spec's order for UTF8), so engines that
/// skip row groups by them never skip one holding the value asked for: an emoji (above U+FFFF) and U+FFFD (an invalid
/// UTF-8 byte) in one row group ordered as UTF-16 gave a min above the emoji and DuckDB found none of its rows.
/// </summary>
public class StringStatisticsTests
{
    private const string Emoji = "Mozilla/5.0 \U0001F600";
    private const string Replaced = "Mozilla/5.0 \uFFFD";

    /// <summary>Day 1's lines, half the user agents an emoji, half a byte that is not UTF-8; the URI likewise.</summary>
    private static byte[] Log()
    {
        var lines = ExportData.Day(1).Split('\n');
        var output = new MemoryStream();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var bytes = Encoding.UTF8.GetBytes(lines[i]);
            var agent = Encoding.UTF8.GetBytes("\"curl/8.5.0\"");
            var at = bytes.AsSpan().IndexOf(agent);
            if (at >= 0)
            {
                byte[] value = i % 2 == 1 ? Encoding.UTF8.GetBytes($"\"{Emoji}\"") : [.. "\"Mozilla/5.0 "u8, 0xFF, (byte)'"'];
                bytes = [.. bytes[..at], .. value, .. bytes[(at + agent.Length)..]];
            }
            output.Write(bytes);
            output.WriteByte((byte)'\n');
        }
        return output.ToArray();
    }

    [Theory]
    [InlineData(65_536)]
    [InlineData(5)]
    public void DuckDb_finds_every_row_of_a_value_above_U_FFFF_next_to_U_FFFD(int chunkRows)
    {
        using var dir = new TempFolder();
        var path = dir.Write("logs/elb.log", Log());
        var output = Path.Combine(dir.Path, "out");
        var export = ParquetExport.Write([path], output, ExportOptions.Default with { ChunkRows = chunkRows });
        var loaded = AccessLog.Load([path]);
        var agents = loaded.RequestColumns.UserAgent.Values;
        int emojis = 0, replaced = 0;
        for (var r = 0; r < loaded.RequestCount; r++)
        {
            if (agents[r] == Emoji) emojis++;
            if (agents[r] == Replaced) replaced++;
        }
        Assert.True(emojis > 10 && replaced > 10);

        using var db = DuckDb.OpenInMemory();
        var glob = Path.Combine(output, "requests").Replace('\\', '/') + "/**/*.parquet";
        Assert.Equal(export.Requests, db.Scalar($"SELECT count(*) FROM read_parquet('{glob}')"));
        Assert.Equal(emojis, db.Scalar($"SELECT count(*) FROM read_parquet('{glob}') WHERE http_user_agent = '{Emoji}'"));
        Assert.Equal(replaced, db.Scalar($"SELECT count(*) FROM read_parquet('{glob}') WHERE http_user_agent = '{Replaced}'"));
        Assert.Equal(emojis, db.Scalar($"SELECT count(*) FROM read_parquet('{glob}') WHERE http_user_agent >= '{Emoji}'"));
        var attempts = Path.Combine(output, "attempts").Replace('\\', '/') + "/**/*.parquet";
        Assert.Equal(export.Attempts, db.Scalar($"SELECT count(*) FROM read_parquet('{attempts}')"));
    }

    [Fact]
    public async Task Every_string_columns_min_and_max_are_its_values_in_utf8_byte_order()
    {
        using var dir = new TempFolder();
        var path = dir.Write("logs/elb.log", Log());
        var output = Path.Combine(dir.Path, "out");
        ParquetExport.Write([path], output, ExportOptions.Default with { ChunkRows = 5 });

        using var db = DuckDb.OpenInMemory();
        var checkedColumns = 0;
        foreach (var file in Directory.EnumerateFiles(output, "*.parquet", SearchOption.AllDirectories))
        {
            var expected = await ExpectedMinMax(file);
            var stats = db.Rows($"SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_min, stats_max " +
                $"FROM parquet_metadata('{file.Replace('\\', '/')}') WHERE type = 'BYTE_ARRAY'");
            Assert.Equal(expected.Count, stats.Count);
            foreach (var row in stats)
            {
                var (min, max) = expected[(Convert.ToInt32(row[0]), (string)row[1]!)];
                Assert.Equal(min, row[2] as string);
                Assert.Equal(max, row[3] as string);
                Assert.Null(row[4] as string); // the deprecated fields' order is signed: left out
                Assert.Null(row[5] as string);
                checkedColumns++;
            }
        }
        Assert.True(checkedColumns > 100);
    }

    /// <summary>Each row group's string columns read back, min and max by their UTF-8 bytes.</summary>
    private static async Task<Dictionary<(int, string), (string?, string?)>> ExpectedMinMax(string file)
    {
        await using var reader = await ParquetReader.CreateAsync(file);
        var result = new Dictionary<(int, string), (string?, string?)>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var field in reader.Schema.DataFields.Where(f => ParquetFiles.TypeName(f) == "STRING"))
            {
                var values = new string?[group.RowCount];
                await group.ReadAsync(field, values.AsMemory());
                var present = values.OfType<string>().Select(v => (Value: v, Bytes: Encoding.UTF8.GetBytes(v))).ToList();
                present.Sort((a, b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
                result[(g, field.Name)] = present.Count == 0 ? (null, null) : (present[0].Value, present[^1].Value);
            }
        }
        return result;
    }

    [Fact]
    public void Compare_is_utf8_byte_order()
    {
        var chars = Gen.OneOf(Gen.Char['a', 'c'], Gen.Char['\uE000', '\uE002'], Gen.Const('\uFFFD'), Gen.Const('\uD7FF'));
        var rune = Gen.OneOf(chars.Select(c => c.ToString()), Gen.Int[0x10000, 0x10003].Select(char.ConvertFromUtf32),
            Gen.Int[0x10FFFE, 0x10FFFF].Select(char.ConvertFromUtf32));
        var text = rune.Array[0, 4].Select(parts => string.Concat(parts));
        Gen.Select(text, text).Sample((a, b) =>
            Math.Sign(StringStatistics.Compare(a, b)) ==
            Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b))));
    }
}
