using System.Globalization;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>
/// Writes access logs as Parquet for the engines teams already run (DuckDB, Spark, Trino, Athena): tables
/// <c>requests/</c> and <c>attempts/</c>, Hive-partitioned by the request's UTC date and hour
/// (<c>requests/dt=2024-05-01/hour=02/part-&lt;hash&gt;.parquet</c>). Streaming: inputs are read one after the
/// other by the load pipeline (parsed in parallel blocks) and written in chunks of <see cref="ExportOptions.ChunkRows"/>
/// requests, so memory does not grow with the input. Part file names come from
/// the input's name and bytes: exporting the same input again changes nothing, a new input (the next day) adds
/// files, and no existing file is ever rewritten or deleted. Schema: docs/parquet-schema.md.
/// </summary>
public static class ParquetExport
{
    public const string RequestsTable = "requests";
    public const string AttemptsTable = "attempts";

    /// <summary>Files, folders (recursive) and globs, as for <see cref="AccessLog.Load(string[])"/>.</summary>
    public static ExportResult Write(IEnumerable<string> paths, string directory, ExportOptions? options = null) =>
        Write(LogSource.FromPaths(paths, options?.Load), directory, options);

    /// <summary>Exports the inputs into <paramref name="directory"/> (created if needed).</summary>
    /// <exception cref="LogLoadException">Not one line of the inputs could be parsed.</exception>
    public static ExportResult Write(IEnumerable<LogSource> sources, string directory, ExportOptions? options = null)
    {
        options ??= ExportOptions.Default;
        options.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var list = LoadPipeline.Inputs(sources);
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);

        var ledger = ExportLedger.Read(root);
        var exporters = list.Select(s => new SourceExporter(s, root, options, ledger)).ToArray();
        var bySource = exporters.ToDictionary(e => e.Source); // LogSource compares by reference
        var files = new List<ExportedFile>();
        SourceExporter? current = null;
        var pipeline = new LoadPipeline(options.Load)
        {
            OnBlock = (source, block, _) =>
            {
                var exporter = bySource[source];
                if (!ReferenceEquals(exporter, current))
                {
                    // blocks come in input order: the previous input has been read to its end
                    if (current is not null) files.AddRange(current.Finish());
                    current = exporter;
                }
                exporter.Add(block);
            },
        };
        try
        {
            // Off the caller's thread: Parquet.Net is async inside, and a notebook's synchronization context must not see it.
            Task.Run(() =>
            {
                pipeline.Run(exporters.Select(e => e.Source).ToArray());
                if (current is not null) files.AddRange(current.Finish());
            }).GetAwaiter().GetResult();
        }
        finally
        {
            foreach (var exporter in exporters) exporter.Discard();
        }

        var report = pipeline.Report(list);

        var ordered = files
            .OrderBy(f => f.Table, StringComparer.Ordinal)
            .ThenBy(f => f.Partition, StringComparer.Ordinal)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToArray();
        var resumed = exporters.Where(e => e.ResumedAfterLine is not null)
            .Select(e => new ResumedInput(e.Source.Name, e.ResumedAfterLine!.Value)).ToArray();
        return new ExportResult(root, ordered, report) { Resumed = resumed };
    }

    /// <summary>The Hive partition of an hour counted from 0001-01-01T00Z: <c>dt=2024-05-01/hour=02</c>.</summary>
    internal static string PartitionOf(long hour)
    {
        var start = new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Utc);
        return string.Create(CultureInfo.InvariantCulture, $"dt={start:yyyy-MM-dd}") + Path.DirectorySeparatorChar +
            string.Create(CultureInfo.InvariantCulture, $"hour={start:HH}");
    }
}
