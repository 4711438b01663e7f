using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>One Parquet file of an export.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Table"><c>requests</c> or <c>attempts</c>.</param>
/// <param name="Partition">The Hive partition folder, <c>dt=2024-05-01/hour=02</c>.</param>
/// <param name="Rows">Rows this export produced for the file.</param>
/// <param name="AlreadyPresent">True when an earlier export of the same input had written it: it was left untouched.</param>
public sealed record ExportedFile(string Path, string Table, string Partition, long Rows, bool AlreadyPresent);

/// <summary>An input an earlier export read when it was shorter: only the lines after <paramref name="AfterLine"/> were exported now.</summary>
public sealed record ResumedInput(string Source, long AfterLine);

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

    /// <summary>Request rows the inputs hold (in new and already-present files; of a grown input, only its new lines).</summary>
    public long Requests { get; }

    /// <summary>Attempt rows the inputs hold.</summary>
    public long Attempts { get; }

    /// <summary>Inputs that grew since an earlier export into the folder: their rows up to where that export stopped were skipped.</summary>
    public IReadOnlyList<ResumedInput> Resumed { get; init; } = [];

    /// <summary>Lines read, parsed and rejected, per input: the same report a load gives.</summary>
    public ParseReport Report { get; }

    /// <summary>Distinct <c>dt=/hour=</c> partitions touched.</summary>
    public int Partitions => Files.Select(f => f.Partition).Distinct(StringComparer.Ordinal).Count();

    /// <summary>One line: rows, partitions, files written and already present, and the parse summary.</summary>
    public override string ToString() =>
        $"{Requests:N0} requests, {Attempts:N0} attempts in {Partitions} partition(s): {Written.Count()} file(s) written, {AlreadyPresent.Count()} already present; {Report.Summary}";
}
