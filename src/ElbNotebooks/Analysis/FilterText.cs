using System.Globalization;

namespace ElbNotebooks.Analysis;

/// <summary>The filters an investigation chose its requests by, in the words every view uses.</summary>
internal static class FilterText
{
    /// <summary>
    /// <c>listener 121.64.212.1:443 (listener_08ff…), from 2024-05-01 14:30:00 +08:00</c>, or null when there is none:
    /// the investigation's listener and time range, or else the load's time range (the CLI's <c>--from</c>/<c>--to</c>).
    /// </summary>
    public static string? Describe(InvestigationResult i)
    {
        var (from, to) = Range(i);
        var parts = new[]
        {
            i.Options.Listener is { } listener ? "listener " + i.ListenerLabel(listener) : null,
            from is { } f ? "from " + Local(f, i.UtcOffset) : null,
            to is { } t ? "to " + Local(t, i.UtcOffset) : null,
        }.Where(p => p is not null).ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>The time range the requests were chosen from: the investigation's, or else the load's.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Range(InvestigationResult i) =>
        (i.Options.From ?? i.Inputs.RangeFrom, i.Options.To ?? i.Inputs.RangeTo);

    private static string Local(DateTimeOffset time, TimeSpan offset) =>
        time.ToOffset(offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + Offsets.Format(offset);
}
