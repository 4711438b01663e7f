using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>How to load; every default lives here. Change one with <c>with</c>.</summary>
public sealed record LoadOptions
{
    /// <summary>Every option at its default: the whole time range, formats detected per file.</summary>
    public static LoadOptions Default { get; } = new();

    /// <summary>Keep only requests at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Keep only requests before this instant.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>
    /// Force a format by name (one of <see cref="FormatNames"/>: <c>huawei-elb</c>, <c>aws-alb</c>, <c>aws-clb</c>,
    /// <c>nginx</c>; case-insensitive); null detects it per file from its first lines.
    /// </summary>
    public string? Format { get; init; }

    /// <summary>
    /// The format names this version reads, in detection order: the values <see cref="Format"/> accepts and
    /// <see cref="AccessLog.Format"/> reports.
    /// </summary>
    public static IReadOnlyList<string> FormatNames { get; } = [.. LogFormats.Names];

    /// <summary>
    /// The nginx <c>log_format</c> your servers write, as the directive's text from nginx.conf
    /// (<c>log_format upstream '$remote_addr - $remote_user [$time_local] "$request" $status ...';</c>) or just its
    /// format string. Detection then tries it before the predefined <c>combined</c> format, and
    /// <c>Format = "nginx"</c> means it. Null: nginx logs are read as <c>combined</c>.
    /// </summary>
    public string? NginxLogFormat { get; init; }

    /// <summary>Examples kept per rejection reason.</summary>
    public int ExamplesPerReason { get; init; } = 5;

    /// <summary>Lines longer than this are rejected without being held in memory whole.</summary>
    public int MaxLineBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Hold off garbage collection while a large load (from about 250,000 lines, when the inputs' sizes are known)
    /// runs, for about the bytes it will allocate: nearly all of it is kept, so collecting during the load would only
    /// copy it. Just before, young collections (usually two) age the strings of the values that repeat (see
    /// docs/big-data.md). Off by default: it forces collections and starts a no-GC region, which is process-wide, so
    /// only a process that owns its runtime should turn it on (the <c>elb-notebooks</c> command does, where it measured
    /// faster), not a library call inside a shared host such as a notebook kernel.
    /// </summary>
    public bool PauseCollection { get; init; }

    /// <summary>How <c>s3://</c> inputs are reached: endpoint, profile, region, cache folder (docs/loading.md, "Buckets").</summary>
    public BucketOptions Buckets { get; init; } = BucketOptions.Default;

    /// <summary>Told how far the load is (bytes and lines read, file being read) as it goes; null: nobody is told.</summary>
    public IProgress<LoadProgress>? Progress { get; init; }

    /// <summary>Stops the load (with <see cref="OperationCanceledException"/>) when cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (From is { } from && To is { } to && from >= to)
            throw new InvalidInputException($"The time range is empty: from {TimeText.Instant(from)} is not before to {TimeText.Instant(to)}.");
        if (ExamplesPerReason < 0) throw new ArgumentOutOfRangeException(nameof(ExamplesPerReason));
        if (MaxLineBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxLineBytes), "at least 1024 bytes");
        if (Format is not null && LogFormats.Find(Format) is null)
            throw new InvalidInputException($"Unknown format '{Format}'. Known: {string.Join(", ", LogFormats.Names)}.");
    }

    /// <summary>The formats a load may use, in detection order: the user's nginx format (compiled once, which
    /// validates it), then the built-in ones.</summary>
    internal IReadOnlyList<ILogFormat> Candidates() =>
        NginxLogFormat is null ? LogFormats.All : [LogFormats.Nginx(NginxLogFormat), .. LogFormats.All];
}

/// <summary>A load's progress: bytes of the inputs read so far, out of their total when known.</summary>
public readonly record struct LoadProgress(string CurrentFile, long BytesRead, long TotalBytes, long Lines);
