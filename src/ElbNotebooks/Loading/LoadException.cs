namespace ElbNotebooks.Loading;

/// <summary>A load that cannot give any request: it names the inputs and, when lines were read, why they failed.</summary>
public sealed class LogLoadException : Exception
{
    /// <summary>A failed load with its message, what was read (if anything) and the underlying exception (if any).</summary>
    public LogLoadException(string message, ParseReport? report = null, Exception? inner = null) : base(message, inner) =>
        Report = report;

    /// <summary>What was read before giving up, when anything was.</summary>
    public ParseReport? Report { get; }

    internal static LogLoadException NothingParsed(IReadOnlyList<LogSource> sources, ParseReport report)
    {
        var names = string.Join(", ", sources.Take(5).Select(s => $"'{s.Name}'")) + (sources.Count > 5 ? $" and {sources.Count - 5} more" : "");
        var why = report.Examples.FirstOrDefault() is { } first
            ? $" First rejection: {first.File}:{first.Line}: {first.Reason}: {first.Detail}. Line starts: {first.Text}"
            : report.SkippedFiles.FirstOrDefault() is { } skipped
                ? $" Skipped {skipped.File}: {skipped.Reason}; it starts: {skipped.FirstLine}"
                : report.Damaged.FirstOrDefault() is { } damaged ? $" {damaged.File}: {damaged.Error}" : " The input is empty.";
        return new LogLoadException($"No access-log line could be parsed in {names} ({report.Summary}).{why}", report);
    }
}
