using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>How to export; every default lives here. Change one with <c>with</c>.</summary>
public sealed record ExportOptions
{
    public static ExportOptions Default { get; } = new();

    /// <summary>Time range, format, progress and cancellation, as for <see cref="AccessLog.Load(IEnumerable{LogSource}, LoadOptions?)"/>.</summary>
    public LoadOptions Load { get; init; } = LoadOptions.Default;

    /// <summary>
    /// Requests parsed before they are written out as a row group. Memory is about this many rows (and their attempts)
    /// per input read at once, whatever the size of the input.
    /// </summary>
    public int ChunkRows { get; init; } = 65_536;

    /// <summary>Inputs read at once; each holds one chunk. 0 means one per processor.</summary>
    public int Parallelism { get; init; }

    internal int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Load);
        Load.Validate();
        if (ChunkRows < 1) throw new ArgumentOutOfRangeException(nameof(ChunkRows), "at least 1 row");
        if (Parallelism < 0) throw new ArgumentOutOfRangeException(nameof(Parallelism), "0 (one per processor) or more");
    }
}
