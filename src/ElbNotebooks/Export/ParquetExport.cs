using System.Globalization;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>
/// Writes access logs as Parquet for the engines teams already run (DuckDB, Spark, Trino, Athena): tables
/// <c>requests/</c> and <c>attempts/</c>, Hive-partitioned by the request's UTC date and hour
/// (<c>requests/dt=2024-05-01/hour=02/part-&lt;hash&gt;.parquet</c>). Streaming: inputs are read one after the
/// other by the load pipeline (parsed in parallel blocks) and written in chunks of <see cref="ExportOptions.ChunkRows"/>
/// requests, so memory does not grow with the input. Part file names come from
/// the input's name and bytes, and a row written by an earlier export into the folder (the same content, whatever its
/// name, compression or time range then) is not written again: exporting the same input again adds nothing, a grown, rotated (and gzipped) or
/// wider-ranged one adds only its rows not yet exported, a new input (the next day) adds files, and no existing file
/// is ever rewritten or deleted. Schema: docs/parquet-schema.md.
/// </summary>
public static class ParquetExport
{
    /// <summary>The folder (table) of the request rows.</summary>
    public const string RequestsTable = "requests";

    /// <summary>The folder (table) of the upstream attempt rows.</summary>
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
        var sink = new ExportSink(exporters);
        var pipeline = new LoadPipeline<NoSummary>(options.Load, sink);
        try
        {
            // Off the caller's thread: Parquet.Net is async inside, and a notebook's synchronization context must not see it.
            Task.Run(() =>
            {
                pipeline.Run(exporters.Select(e => e.Source).ToArray());
                sink.Finish();
            }).GetAwaiter().GetResult();
        }
        finally
        {
            foreach (var exporter in exporters) exporter.Discard();
        }

        var report = pipeline.Report(list);

        var ordered = sink.Files
            .OrderBy(f => f.Table, StringComparer.Ordinal)
            .ThenBy(f => f.Partition, StringComparer.Ordinal)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToArray();
        var before = exporters.Where(e => e.SkippedRequests > 0)
            .Select(e => new AlreadyExportedInput(e.Source.Name, e.SkippedRequests, e.SkippedAttempts, e.ExportedAs)).ToArray();
        return new ExportResult(root, ordered, report) { AlreadyExported = before };
    }

    /// <summary>
    /// Writes each block with its input's exporter. Blocks come in input order, so when one of another input arrives
    /// the previous input has been read to its end and its exporter is finished.
    /// </summary>
    private sealed class ExportSink(SourceExporter[] exporters) : IBlockSink<NoSummary>
    {
        private readonly Dictionary<LogSource, SourceExporter> _bySource = exporters.ToDictionary(e => e.Source); // LogSource compares by reference
        private SourceExporter? _current;

        /// <summary>The files written so far, in the order they were finished.</summary>
        public List<ExportedFile> Files { get; } = [];

        public NoSummary Summarize(Parsing.ParseTarget block) => default;

        public void Accept(LogSource source, Parsing.ParseTarget block, NoSummary summary)
        {
            var exporter = _bySource[source];
            if (!ReferenceEquals(exporter, _current))
            {
                Finish();
                _current = exporter;
            }
            exporter.Add(block);
        }

        /// <summary>Finishes the input being written, if any.</summary>
        public void Finish()
        {
            if (_current is not null) Files.AddRange(_current.Finish());
            _current = null;
        }
    }

    /// <summary>The Hive partition of an hour counted from 0001-01-01T00Z: <c>dt=2024-05-01/hour=02</c>.</summary>
    internal static string PartitionOf(long hour)
    {
        var start = new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Utc);
        return string.Create(CultureInfo.InvariantCulture, $"dt={start:yyyy-MM-dd}") + Path.DirectorySeparatorChar +
            string.Create(CultureInfo.InvariantCulture, $"hour={start:HH}");
    }
}
