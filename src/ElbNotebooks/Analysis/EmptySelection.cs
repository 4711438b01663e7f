using System.Globalization;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The one rule for an investigation that judged no request (a time range or listener that selects none, a bucket
/// table that counts none): nothing was judged, which is not an all-clear. The CLI (exit 3), the result
/// (<see cref="InvestigationResult.NothingJudged"/>), its views, JSON and report, and the bucket table's refusal all
/// say it in these words.
/// </summary>
internal static class EmptySelection
{
    public const string NotAnAllClear = "there is nothing to judge, which is not an all-clear";

    /// <summary><c>No request matches the selection (from …, to …): there is nothing to judge, which is not an all-clear.</c> and what the logs span, when known.</summary>
    public static string Describe(string selection, string? span) =>
        $"No request matches the selection ({selection}): {NotAnAllClear}." + (span is null ? "" : " " + span);

    /// <summary><c>The logs span 2024-05-01 14:00:00 to 2024-05-01 15:00:00 +08:00 (36,260 requests)</c>, then <paramref name="more"/>, then a full stop.</summary>
    public static string Span(DateTime fromUtc, DateTime toUtc, TimeSpan offset, long requests, string? more = null) =>
        string.Create(CultureInfo.InvariantCulture,
            $"The logs span {fromUtc + offset:yyyy-MM-dd HH:mm:ss} to {toUtc + offset:yyyy-MM-dd HH:mm:ss} {Offsets.Format(offset)} ({requests:N0} requests){more}.");
}
