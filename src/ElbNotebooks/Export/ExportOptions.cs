using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>How to export; every default lives here. Change one with <c>with</c>.</summary>
public sealed record ExportOptions
{
    /// <summary>Every option at its default.</summary>
    public static ExportOptions Default { get; } = new();

    /// <summary>Time range, format, progress and cancellation, as for <see cref="AccessLog.Load(IEnumerable{LogSource}, LoadOptions?)"/>.</summary>
    public LoadOptions Load { get; init; } = LoadOptions.Default;

    /// <summary>
    /// Requests parsed before they are written out as a row group. Memory is about this many rows (and their attempts),
    /// whatever the size of the input.
    /// </summary>
    public int ChunkRows { get; init; } = 65_536;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Load);
        Load.Validate();
        if (ChunkRows < 1) throw new ArgumentOutOfRangeException(nameof(ChunkRows), "at least 1 row");
    }
}
