using System.Text;
using static ElbNotebooks.Export.ThriftCompact;

namespace ElbNotebooks.Export;

/// <summary>
/// The min/max statistics of string columns in the order the Parquet spec defines for UTF8 (BYTE_ARRAY, unsigned
/// byte-wise: code point order). Parquet.Net 6.1 compares strings as UTF-16 (ordinal), which differs whenever one
/// value has a character above U+FFFF (a surrogate pair, e.g. an emoji) where another has one in U+E000-U+FFFF (e.g.
/// U+FFFD, what an invalid UTF-8 byte reads as): its min and max are then wrong and engines that prune by them
/// (DuckDB, Spark, Trino) skip row groups that hold the value asked for. It has no option to change that or to
/// supply statistics, so <see cref="Rewrite"/> rewrites a finished file's string statistics from the values written:
/// the column chunks' (in the footer) and the data pages' (in each page header), leaving every page's data as it is.
/// </summary>
internal static class StringStatistics
{
    /// <summary>A string column's min and max in one row group; both null when every value is null.</summary>
    public readonly record struct MinMax(string? Min, string? Max);

    /// <summary>Compares as the strings' UTF-8 bytes compare (unsigned), i.e. by code point.</summary>
    public static int Compare(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        return CodePointOrder(a[common]).CompareTo(CodePointOrder(b[common]));
    }

    // Surrogates (U+D800-U+DFFF, halves of code points above U+FFFF) after U+E000-U+FFFF, as in UTF-8 and code points.
    private static int CodePointOrder(char c) => c < 0xD800 ? c : c <= 0xDFFF ? c + 0x2000 : c - 0x800;

    /// <summary>The min and max of the non-null values, in UTF-8 byte order.</summary>
    public static MinMax Of(IReadOnlyList<string?> values)
    {
        string? min = null, max = null;
        foreach (var value in values)
        {
            if (value is null) continue;
            if (min is null || Compare(value, min) < 0) min = value;
            if (max is null || Compare(value, max) > 0) max = value;
        }
        return new MinMax(min, max);
    }

    /// <summary>
    /// Copies the Parquet file <paramref name="input"/> to <paramref name="output"/> with the min/max of the columns
    /// named in <paramref name="rowGroups"/> (one dictionary per row group, in order, column name to its min/max)
    /// replaced. Pages are copied byte for byte; offsets and sizes in the footer follow the page headers' new lengths.
    /// </summary>
    public static void Rewrite(Stream input, Stream output, IReadOnlyList<IReadOnlyDictionary<string, MinMax>> rowGroups)
    {
        var magic = "PAR1"u8.ToArray();
        input.Position = input.Length - 8;
        var tail = new byte[8];
        input.ReadExactly(tail);
        if (!tail.AsSpan(4).SequenceEqual(magic)) throw new InvalidDataException("Not a Parquet file.");
        var footerLength = BitConverter.ToInt32(tail, 0);
        var footerStart = input.Length - 8 - footerLength;
        input.Position = footerStart;
        var footer = ReadStruct(new MemoryStream(ReadBytes(input, footerLength)));

        var groups = footer.ListAt(4)?.Items.Cast<TStruct>().ToList() ?? [];
        if (groups.Count != rowGroups.Count)
            throw new InvalidOperationException($"{groups.Count} row groups written, statistics for {rowGroups.Count}.");

        // Every column chunk, in file order, with the statistics it should have (null: leave it).
        var chunks = new List<(TStruct Group, TStruct Meta, long Start, long Length, MinMax? Stats)>();
        for (var g = 0; g < groups.Count; g++)
            foreach (var chunk in groups[g].ListAt(1)!.Items.Cast<TStruct>())
            {
                var meta = chunk.StructAt(3) ?? throw new InvalidDataException("Column chunk without metadata.");
                var name = string.Join('.', meta.ListAt(3)!.Items.Select(p => Encoding.UTF8.GetString(BinaryValue((byte[])p))));
                var start = Math.Min(meta.I64At(9)!.Value, meta.I64At(11) ?? long.MaxValue);
                MinMax? stats = rowGroups[g].TryGetValue(name, out var s) ? s : null;
                chunks.Add((groups[g], meta, start, meta.I64At(7)!.Value, stats));
            }
        chunks.Sort((a, b) => a.Start.CompareTo(b.Start));

        var shifts = new List<(long At, long By)>(); // header at old offset At grew by By bytes
        output.Write(magic);
        input.Position = magic.Length;
        foreach (var (group, meta, start, length, stats) in chunks)
        {
            Copy(input, output, start - input.Position); // nothing, in Parquet.Net's files; kept if there is
            var grew = 0L;
            if (stats is null)
            {
                Copy(input, output, length);
            }
            else
            {
                // Read the chunk's page headers first: a single data page gets the chunk's min/max, several get none.
                var pages = new List<(long At, TStruct Header, long HeaderLength, long Data)>();
                var end = start + length;
                while (input.Position < end)
                {
                    var at = input.Position;
                    var header = ReadStruct(input);
                    var data = ThriftCompact.ReadVarint((byte[])header.Field(3)!.Value!);
                    pages.Add((at, header, input.Position - at, data));
                    input.Position += data;
                }
                var dataPages = pages.Count(p => PageStatistics(p.Header) is not null);
                foreach (var (at, header, oldLength, data) in pages)
                {
                    input.Position = at + oldLength;
                    if (PageStatistics(header) is { } pageStats) Set(pageStats, dataPages == 1 ? stats.Value : new MinMax(null, null));
                    var bytes = Serialize(header);
                    output.Write(bytes);
                    Copy(input, output, data);
                    if (bytes.Length != oldLength)
                    {
                        shifts.Add((at, bytes.Length - oldLength));
                        grew += bytes.Length - oldLength;
                    }
                }
                if (meta.StructAt(12) is { } chunkStats) Set(chunkStats, stats.Value);
            }
            if (grew != 0)
            {
                meta.SetI64(6, meta.I64At(6)!.Value + grew);
                meta.SetI64(7, meta.I64At(7)!.Value + grew);
                if (group.I64At(2) is { } total) group.SetI64(2, total + grew);
                if (group.I64At(6) is { } compressed) group.SetI64(6, compressed + grew);
            }
        }
        Copy(input, output, footerStart - input.Position);

        long Moved(long offset)
        {
            var moved = offset;
            foreach (var (at, by) in shifts)
                if (at < offset) moved += by;
            return moved;
        }
        foreach (var group in groups)
        {
            if (group.I64At(5) is { } offset) group.SetI64(5, Moved(offset));
            foreach (var chunk in group.ListAt(1)!.Items.Cast<TStruct>())
            {
                if (chunk.I64At(2) is { } fileOffset) chunk.SetI64(2, Moved(fileOffset));
                var meta = chunk.StructAt(3)!;
                foreach (short id in (short[])[9, 10, 11, 14])
                    if (meta.I64At(id) is { } o) meta.SetI64(id, Moved(o));
                foreach (short id in (short[])[4, 6])
                    if (chunk.I64At(id) is { } o) chunk.SetI64(id, Moved(o));
            }
        }
        var newFooter = Serialize(footer);
        output.Write(newFooter);
        output.Write(BitConverter.GetBytes(newFooter.Length));
        output.Write(magic);
    }

    /// <summary>The statistics of a data page (v1 or v2); null for other pages or when it has none.</summary>
    private static TStruct? PageStatistics(TStruct header) =>
        header.StructAt(5)?.StructAt(5) ?? header.StructAt(8)?.StructAt(8);

    /// <summary>
    /// Sets min_value/max_value; drops the deprecated min/max, whose order for byte arrays is signed (writers such as
    /// parquet-java and Arrow leave them out for strings too).
    /// </summary>
    private static void Set(TStruct statistics, MinMax value)
    {
        foreach (short id in (short[])[1, 2, 5, 6]) statistics.Remove(id);
        if (value.Min is null || value.Max is null) return;
        statistics.SetBinary(5, Encoding.UTF8.GetBytes(value.Max));
        statistics.SetBinary(6, Encoding.UTF8.GetBytes(value.Min));
    }

    private static byte[] Serialize(TStruct value)
    {
        using var ms = new MemoryStream();
        WriteStruct(ms, value);
        return ms.ToArray();
    }

    private static byte[] ReadBytes(Stream input, int count)
    {
        var buffer = new byte[count];
        input.ReadExactly(buffer);
        return buffer;
    }

    private static void Copy(Stream input, Stream output, long count)
    {
        if (count < 0) throw new InvalidDataException("Overlapping column chunks.");
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0) throw new EndOfStreamException("Parquet file cut short.");
            output.Write(buffer, 0, n);
            count -= n;
        }
    }
}
