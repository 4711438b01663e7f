using Parquet;
using Parquet.Schema;

namespace ElbNotebooks.Tests.Export;

/// <summary>Reads exported files back with Parquet.Net: the schema, and whole columns.</summary>
internal static class ParquetFiles
{
    public static async Task<ParquetSchema> Schema(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        return reader.Schema;
    }

    public static async Task<IReadOnlyDictionary<string, string>> Metadata(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        return reader.CustomMetadata;
    }

    /// <summary>A nullable value column across every row group.</summary>
    public static async Task<List<T?>> Values<T>(string path, string column) where T : struct
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var field = reader.Schema.DataFields.Single(f => f.Name == column);
        var all = new List<T?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new T?[group.RowCount];
            await group.ReadAsync<T>(field, values.AsMemory());
            all.AddRange(values);
        }
        return all;
    }

    public static async Task<List<string?>> Strings(string path, string column)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var field = reader.Schema.DataFields.Single(f => f.Name == column);
        var all = new List<string?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new string?[group.RowCount];
            await group.ReadAsync(field, values.AsMemory());
            all.AddRange(values);
        }
        return all;
    }

    /// <summary>The type as docs/parquet-schema.md names it.</summary>
    public static string TypeName(DataField field) => field switch
    {
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp, IsAdjustedToUTC: true, Unit: DateTimeTimeUnit.Millis } => "TIMESTAMP",
        DateTimeDataField d => $"DATETIME({d.DateTimeFormat}, utc={d.IsAdjustedToUTC}, {d.Unit})",
        _ when field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) => "STRING",
        _ when field.ClrType == typeof(int) => "INT32",
        _ when field.ClrType == typeof(long) => "INT64",
        _ when field.ClrType == typeof(double) => "DOUBLE",
        _ when field.ClrType == typeof(bool) => "BOOLEAN",
        _ => field.ClrType.Name,
    };
}
