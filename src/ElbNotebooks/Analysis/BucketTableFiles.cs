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
        var reader = OpenParquet(path).GetAwaiter().GetResult();
        try
        {
            var fields = reader.Schema.GetDataFields();
            long number = 1;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                List<BucketRow> rows;
                using (var group = reader.OpenRowGroupReader(g))
                {
                    rows = new List<BucketRow>((int)group.RowCount);
                    for (long i = 0; i < group.RowCount; i++) rows.Add(new BucketRow());
                    ReadGroup(path, group, fields, rows, 0, number).GetAwaiter().GetResult();
                    number += group.RowCount;
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
        await using var reader = await OpenParquet(path);
        var sizes = new HashSet<long>();
        var column = BucketColumn.All.Single(c => c.Name == "bucket_seconds");
        var field = reader.Schema.GetDataFields().First(f => string.Equals(f.Name, column.Name, StringComparison.OrdinalIgnoreCase));
        long number = 1;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            foreach (var value in await Values(path, group, field))
            {
                try
                {
                    if (BucketValues.Integer(value) is { } size) sizes.Add(size);
                }
                catch (FormatException e)
                {
                    throw column.Unreadable(path, $"row {number}", e);
                }
                number++;
            }
        }
        return sizes;
    }

    /// <summary>
    /// A reader of the Parquet table at <paramref name="path"/>, once it is known to be whole (Parquet starts and ends
    /// with its magic bytes; a copy cut short does not) and to have the columns the judge counts from.
    /// </summary>
    private static async Task<ParquetReader> OpenParquet(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No bucket table at {path}.", path);
        using (var file = File.OpenRead(path))
        {
            Span<byte> head = stackalloc byte[4], tail = stackalloc byte[4];
            var whole = file.Length >= 12 && file.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4;
            if (whole)
            {
                file.Seek(-4, SeekOrigin.End);
                whole = file.ReadAtLeast(tail, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual("PAR1"u8) && tail.SequenceEqual("PAR1"u8);
            }
            if (!whole)
                throw new InvalidInputException(
                    $"The bucket table {path} is not a whole Parquet file (Parquet starts and ends with PAR1): cut short, or not Parquet.");
        }
        var reader = await ParquetReader.CreateAsync(path);
        try
        {
            BucketColumn.Require(reader.Schema.GetDataFields().Select(f => f.Name), path);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
        return reader;
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
        await using var reader = await OpenParquet(path);
        var fields = reader.Schema.GetDataFields();
        var rows = new List<BucketRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var first = rows.Count;
            for (long i = 0; i < group.RowCount; i++) rows.Add(new BucketRow());
            await ReadGroup(path, group, fields, rows, first, first + 1);
        }
        return rows;
    }

    /// <summary>
    /// A row group's columns into rows first.. of <paramref name="rows"/>; <paramref name="number"/> is the number
    /// in the file (from 1) of the group's first row, to name a row whose value cannot be read.
    /// </summary>
    private static async Task ReadGroup(string path, ParquetRowGroupReader group, DataField[] fields, List<BucketRow> rows, int first, long number)
    {
        for (var i = 0; i < group.RowCount; i++) rows[first + i].Line = number + i;
        foreach (var column in BucketColumn.All)
        {
            var field = fields.FirstOrDefault(f => string.Equals(f.Name, column.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null) continue;
            if (!await ReadTyped(group, field, column, rows, first))
            {
                var data = await Values(path, group, field);
                for (var i = 0; i < data.Length; i++) column.Read(rows[first + i], data[i], path, "row", number + i);
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
    private static async Task<object?[]> Values(string path, ParquetRowGroupReader group, DataField field)
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
            _ => throw new InvalidInputException($"The bucket table {path}, column {field.Name}, has type {type.Name}, which the table never uses."),
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
        var csv = new CsvRecords(reader, path);
        var header = csv.Next() ?? throw new InvalidInputException($"The bucket table {path} is empty: it needs at least its header line.");
        BucketColumn.Require(header, path);
        var columns = header.Select(name => BucketColumn.All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))).ToArray();
        var rows = new List<BucketRow>();
        while (csv.Next() is { } fields)
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            // A row of fewer fields was cut short (a copy that stopped mid-row): its missing counts would read as null.
            if (fields.Count != columns.Length)
                throw new InvalidInputException(fields.Count < columns.Length
                    ? $"The bucket table {path}, line {csv.Line}, has {fields.Count} fields where its header has {columns.Length}: the row is cut short."
                    : $"The bucket table {path}, line {csv.Line}, has {fields.Count} fields where its header has {columns.Length}: a field holding a comma is not quoted.");
            var row = new BucketRow { Line = csv.Line };
            for (var k = 0; k < fields.Count; k++) columns[k]?.Read(row, fields[k], path, "line", csv.Line);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>CSV records (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks), with the line each starts on.</summary>
    private sealed class CsvRecords(TextReader reader, string path)
    {
        private long _next = 1;

        /// <summary>The line (from 1) the last record read starts on.</summary>
        public long Line { get; private set; }

        /// <summary>The next record; null at the end.</summary>
        public List<string>? Next()
        {
            if (reader.Peek() < 0) return null;
            Line = _next;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            while (true)
            {
                var c = reader.Read();
                if (c < 0)
                {
                    if (quoted)
                        throw new InvalidInputException(
                            $"The bucket table {path}, line {Line}, has a quoted field that the file ends inside: the table is cut short.");
                    break;
                }
                if (c == '\n') _next++;
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
}
