using Microsoft.Data.Analysis;

namespace ElbNotebooks.Loading;

/// <summary>
/// A DataFrame this project hands out (requests, attempts, time series). It is an ordinary
/// <see cref="DataFrame"/>; being its own type lets notebooks show it with this project's compact view whatever
/// other extensions register for <see cref="DataFrame"/>.
/// </summary>
public sealed partial class LogFrame : DataFrame
{
    /// <summary>A frame of these columns (not copied), shown with this project's view; e.g. the result of a query.</summary>
    public LogFrame(IEnumerable<DataFrameColumn> columns) : base(columns) { }

    /// <summary>Wraps a frame's columns (no copy) so it shows with this project's view.</summary>
    public static LogFrame From(DataFrame frame) => frame as LogFrame ?? new LogFrame(frame.Columns);
}
