using ElbNotebooks.Parsing;
using Parquet.Schema;

namespace ElbNotebooks.Export;

/// <summary>
/// The Parquet schema of one exported table: <c>request_id</c> first, then the load's own columns with the same
/// names and types as the DataFrames (docs/parquet-schema.md). Built once from the column buffers, so a column
/// added to the loader shows up here; the schema test pins the result.
/// </summary>
internal sealed class ExportSchema
{
    /// <summary>Bumped when a column changes meaning or type; part file names include it.</summary>
    public const string Version = "1";

    private ExportSchema(string table, IReadOnlyList<ColumnBuffer> template, IReadOnlyCollection<string> skip)
    {
        Table = table;
        RequestId = new DataField<string>("request_id", nullable: false);
        var columns = new List<(int Index, DataField Field)>();
        for (var i = 0; i < template.Count; i++)
            if (!skip.Contains(template[i].Name)) columns.Add((i, FieldFor(template[i])));
        Columns = columns;
        Schema = new ParquetSchema(new Field[] { RequestId }.Concat(columns.Select(c => c.Field)));
    }

    public static ExportSchema Requests { get; } = new(ParquetExport.RequestsTable, new RequestColumns().All, []);

    /// <summary>Attempts drop <c>request</c> (a row number that only means something in memory) for <c>request_id</c>.</summary>
    public static ExportSchema Attempts { get; } = new(ParquetExport.AttemptsTable, new AttemptColumns().All, ["request"]);

    public string Table { get; }
    public ParquetSchema Schema { get; }
    public DataField RequestId { get; }

    /// <summary>Each exported column: its position in the table's buffers and its Parquet field.</summary>
    public IReadOnlyList<(int Index, DataField Field)> Columns { get; }

    private static DataField FieldFor(ColumnBuffer column) => column switch
    {
        IntBuffer => new DataField<int?>(column.Name),
        LongBuffer => new DataField<long?>(column.Name),
        DoubleBuffer => new DataField<double?>(column.Name),
        BoolBuffer => new DataField<bool>(column.Name, nullable: false),
        DateTimeBuffer => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true,
            unit: DateTimeTimeUnit.Millis, isNullable: true),
        StringBuffer => new DataField<string>(column.Name, nullable: true),
        _ => throw new NotSupportedException($"No Parquet type for column '{column.Name}' ({column.GetType().Name})."),
    };
}
