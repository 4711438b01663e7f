using System.CommandLine;
using ElbNotebooks.Cli.Rendering;
using ElbNotebooks.Export;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Cli.Commands;

/// <summary><c>export</c>: streams logs into Hive-partitioned Parquet for DuckDB, Spark, Trino or Athena.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var common = new CommonOptions();
        var parquet = new Option<string>("--parquet")
        {
            Description = "Folder to write requests/ and attempts/ into, partitioned dt=YYYY-MM-DD/hour=HH (UTC). " +
                "Existing files are never rewritten, and no row is written twice: a row already exported into this folder " +
                "(the same log content, whatever its name, compression or --from/--to then) is skipped and counted as already exported. " +
                "Exporting the same logs again adds nothing; a log that grew, was renamed by rotation (and gzipped: access.log.2.gz) or exported before with " +
                "another time range adds only its rows not yet exported; new logs add new part files (what was exported is listed in _exported/).",
            Required = true,
        };
        var chunkRows = new Option<int>("--chunk-rows")
        {
            Description = "Requests per row group; memory is about this many rows.",
            DefaultValueFactory = _ => ExportOptions.Default.ChunkRows,
        };
        var command = new Command("export", "Write access logs as Parquet (requests and attempts tables) without loading them all into memory.");
        common.AddTo(command);
        command.Options.Add(parquet);
        command.Options.Add(chunkRows);
        command.SetAction(result => CommandRunner.Run(stderr, () =>
        {
            var (load, sources) = common.Inputs(result, Console.OpenStandardInput, stderr);
            if (sources.Count == 0) throw new InvalidInputException("No input: name log files, folders, globs or - for standard input.");
            var rows = result.GetValue(chunkRows);
            if (rows < 1) throw new InvalidInputException($"--chunk-rows must be at least 1, not {rows}.");
            var options = ExportOptions.Default with { Load = load, ChunkRows = rows };
            var directory = result.GetValue(parquet)!;
            OutputPaths.PrepareFolder(directory, "--parquet");
            var export = Run(sources, directory, options, stderr);
            ExportSummaryRenderer.Write(export, stdout);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Exports with a progress bar on stderr when stderr is a terminal (as <see cref="CommandRunner.Load"/> does).</summary>
    private static ExportResult Run(IReadOnlyList<LogSource> sources, string directory, ExportOptions options, TextWriter stderr) =>
        CommandRunner.WithProgress(sources, options.Load, stderr, load => ParquetExport.Write(sources, directory, options with { Load = load }),
            "exporting logs");
}
