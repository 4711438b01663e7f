using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>One Parquet file of an export.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Table"><c>requests</c> or <c>attempts</c>.</param>
/// <param name="Partition">The Hive partition folder, <c>dt=2024-05-01/hour=02</c>.</param>
/// <param name="Rows">Rows this export produced for the file.</param>
/// <param name="AlreadyPresent">True when an earlier export of the same input had written it: it was left untouched.</param>
public sealed record ExportedFile(string Path, string Table, string Partition, long Rows, bool AlreadyPresent);

/// <summary>
/// An input with rows an earlier export into the folder had written (the same content then, or its first part: the same
/// file again, grown, renamed by log rotation, or exported with another time range): those rows were skipped.
/// </summary>
/// <param name="Source">The input.</param>
/// <param name="Requests">Its requests skipped as already exported.</param>
/// <param name="Attempts">Their attempts.</param>
/// <param name="ExportedAs">The file names the earlier exports read it under.</param>
public sealed record AlreadyExportedInput(string Source, long Requests, long Attempts, IReadOnlyList<string> ExportedAs);

/// <summary>What <see cref="ParquetExport.Write(IEnumerable{LogSource}, string, ExportOptions?)"/> did.</summary>
public sealed class ExportResult
{
    internal ExportResult(string directory, IReadOnlyList<ExportedFile> files, ParseReport report)
    {
        Directory = directory;
        Files = files;
        Report = report;
        Requests = files.Where(f => f.Table == ParquetExport.RequestsTable).Sum(f => f.Rows);
        Attempts = files.Where(f => f.Table == ParquetExport.AttemptsTable).Sum(f => f.Rows);
    }

    /// <summary>The export's root folder (holds <c>requests/</c> and <c>attempts/</c>).</summary>
    public string Directory { get; }

    /// <summary>Every file the inputs map to, new or already present, ordered by table, partition and name.</summary>
    public IReadOnlyList<ExportedFile> Files { get; }

    /// <summary>Files written by this export.</summary>
    public IEnumerable<ExportedFile> Written => Files.Where(f => !f.AlreadyPresent);

    /// <summary>Files an earlier export of the same input had written; left as they were.</summary>
    public IEnumerable<ExportedFile> AlreadyPresent => Files.Where(f => f.AlreadyPresent);

    /// <summary>
    /// Request rows exported now (in the files of <see cref="Files"/>). With <see cref="AlreadyExportedRequests"/> they
    /// are the requests read in the time range: <c>Report.Parsed - Report.OutOfRange</c>.
    /// </summary>
    public long Requests { get; }

    /// <summary>Attempt rows exported now.</summary>
    public long Attempts { get; }

    /// <summary>Inputs with rows an earlier export into the folder had written: those rows were skipped, not written again.</summary>
    public IReadOnlyList<AlreadyExportedInput> AlreadyExported { get; init; } = [];

    /// <summary>Requests read and skipped: an earlier export into the folder had written them.</summary>
    public long AlreadyExportedRequests => AlreadyExported.Sum(i => i.Requests);

    /// <summary>Attempts of <see cref="AlreadyExportedRequests"/>.</summary>
    public long AlreadyExportedAttempts => AlreadyExported.Sum(i => i.Attempts);

    /// <summary>Lines read, parsed and rejected, per input: the same report a load gives.</summary>
    public ParseReport Report { get; }

    /// <summary>Distinct <c>dt=/hour=</c> partitions touched.</summary>
    public int Partitions => Files.Select(f => f.Partition).Distinct(StringComparer.Ordinal).Count();

    /// <summary>One line: rows exported, rows already exported before, partitions, files written and already present, and the parse summary.</summary>
    public override string ToString() =>
        $"{Requests:N0} requests, {Attempts:N0} attempts exported in {Partitions} partition(s), {AlreadyExportedRequests:N0} requests " +
        $"({AlreadyExportedAttempts:N0} attempts) already exported before: {Written.Count()} file(s) written, {AlreadyPresent.Count()} already present; {Report.Summary}";
}
