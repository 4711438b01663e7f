using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace ElbNotebooks.Analysis;

/// <summary>A bucket table as a Parquet or CSV file (by extension), columns found by name whatever their order.</summary>
internal static class BucketTableFiles
{
    public static List<BucketRow> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No bucket table at {path}.", path);
        return Extension(path) switch
        {
            ".parquet" => ReadParquet(path),
            _ => ReadCsv(path),
        };
    }

    public static void Write(IReadOnlyList<BucketRow> rows, string path)
    {
        if (Extension(path) == ".parquet") WriteParquet(rows, path);
        else WriteCsv(rows, path);
    }

    public static bool IsParquet(string path) => Extension(path) == ".parquet";

    /// <summary>
    /// The rows of a Parquet table one row group at a time: a reader that keeps no row holds one group's rows at
    /// most, which die young instead of living (and being copied by collections) until the whole table is read.
    /// </summary>
    public static IEnumerable<BucketRow> StreamParquet(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No bucket table at {path}.", path);
        var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        try
        {
            var fields = reader.Schema.GetDataFields();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                List<BucketRow> rows;
                using (var group = reader.OpenRowGroupReader(g))
                {
                    rows = new List<BucketRow>((int)group.RowCount);
                    for (long i = 0; i < group.RowCount; i++) rows.Add(new BucketRow());
                    ReadGroup(group, fields, rows, 0).GetAwaiter().GetResult();
                }
                foreach (var row in rows) yield return row;
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The bucket_seconds values of a Parquet table (that column alone is read).</summary>
    public static IEnumerable<long> ParquetBucketSizes(string path) => ParquetBucketSizesAsync(path).GetAwaiter().GetResult();

    private static async Task<HashSet<long>> ParquetBucketSizesAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var sizes = new HashSet<long>();
        var field = reader.Schema.GetDataFields().FirstOrDefault(f => string.Equals(f.Name, "bucket_seconds", StringComparison.OrdinalIgnoreCase));
        if (field is null) return sizes;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var value in await Values(group, field))
                if (BucketValues.Integer(value, field.Name) is { } size) sizes.Add(size);
        }
        return sizes;
    }

    private static string Extension(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".parquet" or ".csv" ? extension
            : throw new InvalidInputException($"A bucket table is a .parquet or .csv file: '{path}' is neither.");
    }

    private static List<BucketRow> ReadParquet(string path) => ReadParquetAsync(path).GetAwaiter().GetResult();

    private static async Task<List<BucketRow>> ReadParquetAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        var rows = new List<BucketRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var first = rows.Count;
            for (long i = 0; i < group.RowCount; i++) rows.Add(new BucketRow());
            await ReadGroup(group, fields, rows, first);
        }
        return rows;
    }

    /// <summary>A row group's columns into rows first.. of <paramref name="rows"/>.</summary>
    private static async Task ReadGroup(ParquetRowGroupReader group, DataField[] fields, List<BucketRow> rows, int first)
    {
        foreach (var column in BucketColumn.All)
        {
            var field = fields.FirstOrDefault(f => string.Equals(f.Name, column.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null) continue;
            if (!await ReadTyped(group, field, column, rows, first))
            {
                var data = await Values(group, field);
                for (var i = 0; i < data.Length; i++) column.Set(rows[first + i], data[i]);
            }
        }
    }

    /// <summary>Reads a column written with the table's own types (strings, 64- or 32-bit integers, timestamps) into the rows; false for any other type.</summary>
    private static async Task<bool> ReadTyped(ParquetRowGroupReader group, DataField field, BucketColumn column, List<BucketRow> rows, int first)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        var count = (int)group.RowCount;
        if (column.SetText is { } text && (type == typeof(string) || type == typeof(ReadOnlyMemory<char>)))
        {
            var values = new string?[count];
            await group.ReadAsync(field, values.AsMemory());
            for (var i = 0; i < count; i++) text(rows[first + i], values[i]);
            return true;
        }
        if (column.SetInteger is { } integer && type == typeof(long))
        {
            var values = new long?[count];
            await group.ReadAsync<long>(field, values.AsMemory());
            for (var i = 0; i < count; i++) integer(rows[first + i], values[i]);
            return true;
        }
        if (column.SetInteger is { } narrow && type == typeof(int))
        {
            var values = new int?[count];
            await group.ReadAsync<int>(field, values.AsMemory());
            for (var i = 0; i < count; i++) narrow(rows[first + i], values[i]);
            return true;
        }
        if (column.SetTime is { } time && type == typeof(DateTime))
        {
            var values = new DateTime?[count];
            await group.ReadAsync<DateTime>(field, values.AsMemory());
            for (var i = 0; i < count; i++) time(rows[first + i], values[i]);
            return true;
        }
        return false;
    }

    /// <summary>A column as objects, whatever type the engine wrote it with.</summary>
    private static async Task<object?[]> Values(ParquetRowGroupReader group, DataField field)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        var rows = (int)group.RowCount;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory());
            return strings;
        }
        return type switch
        {
            _ when type == typeof(long) => await Read<long>(),
            _ when type == typeof(int) => await Read<int>(),
            _ when type == typeof(short) => await Read<short>(),
            _ when type == typeof(sbyte) => await Read<sbyte>(),
            _ when type == typeof(byte) => await Read<byte>(),
            _ when type == typeof(ushort) => await Read<ushort>(),
            _ when type == typeof(uint) => await Read<uint>(),
            _ when type == typeof(ulong) => await Read<ulong>(),
            _ when type == typeof(double) => await Read<double>(),
            _ when type == typeof(float) => await Read<float>(),
            _ when type == typeof(decimal) => await Read<decimal>(),
            _ when type == typeof(DateTime) => await Read<DateTime>(),
            _ when type == typeof(DateTimeOffset) => await Read<DateTimeOffset>(),
            _ => throw new InvalidInputException($"Bucket table column {field.Name} has type {type.Name}, which the table never uses."),
        };

        async Task<object?[]> Read<T>() where T : struct
        {
            var values = new T?[rows];
            await group.ReadAsync<T>(field, values.AsMemory());
            return values.Select(v => v is { } x ? (object)x : null).ToArray();
        }
    }

    private static void WriteParquet(IReadOnlyList<BucketRow> rows, string path) => WriteParquetAsync(rows, path).GetAwaiter().GetResult();

    private static async Task WriteParquetAsync(IReadOnlyList<BucketRow> rows, string path)
    {
        var fields = BucketColumn.All.Select(c => c.Type switch
        {
            BucketColumnType.Text => (DataField)new DataField<string>(c.Name, nullable: true),
            BucketColumnType.Integer => new DataField<long?>(c.Name),
            _ => new DateTimeDataField(c.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        }).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream,
            new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
        writer.CustomMetadata = new Dictionary<string, string> { ["elb_notebooks.table"] = "buckets" };
        using var group = writer.CreateRowGroup();
        for (var k = 0; k < fields.Length; k++)
        {
            var column = BucketColumn.All[k];
            await (column.Type switch
            {
                BucketColumnType.Text => group.WriteAsync(fields[k], rows.Select(r => (string?)column.Get(r)).ToArray()!),
                BucketColumnType.Integer => group.WriteAsync<long>(fields[k], rows.Select(r => (long?)column.Get(r)).ToArray()),
                _ => group.WriteAsync<DateTime>(fields[k], rows.Select(r => (DateTime?)column.Get(r)).ToArray()),
            });
        }
        group.CompleteValidate();
    }

    private static void WriteCsv(IReadOnlyList<BucketRow> rows, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write(string.Join(',', BucketColumn.All.Select(c => c.Name)));
        writer.Write('\n');
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (var k = 0; k < BucketColumn.All.Length; k++)
            {
                if (k > 0) line.Append(',');
                line.Append(BucketColumn.All[k].Get(row) switch
                {
                    null => "",
                    string s => Quote(s),
                    long l => l.ToString(CultureInfo.InvariantCulture),
                    DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
                    var other => Quote(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
                });
            }
            line.Append('\n');
            writer.Write(line);
        }
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 && text.Length > 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";

    private static List<BucketRow> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = Record(reader) ?? throw new InvalidInputException($"The bucket table {path} is empty: it needs at least its header line.");
        var columns = header.Select(name => BucketColumn.All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))).ToArray();
        if (!columns.Any(c => c?.Name == "kind")) throw new InvalidInputException($"The bucket table {path} has no 'kind' column (docs/bucket-table.md).");
        var rows = new List<BucketRow>();
        while (Record(reader) is { } fields)
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            var row = new BucketRow();
            for (var k = 0; k < fields.Count && k < columns.Length; k++) columns[k]?.Set(row, fields[k]);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One CSV record (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks); null at the end.</summary>
    private static List<string>? Record(TextReader reader)
    {
        if (reader.Peek() < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0) break;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') field.Append((char)reader.Read());
                    else quoted = false;
                }
                else field.Append((char)c);
                continue;
            }
            if (c == '"') quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n') break;
            else if (c != '\r') field.Append((char)c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
