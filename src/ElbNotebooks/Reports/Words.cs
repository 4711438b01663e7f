using System.Globalization;
using ElbNotebooks.Analysis;
using ElbNotebooks.Formatting;

namespace ElbNotebooks.Reports;

/// <summary>How a report words values; the HTML and the Markdown share it (and the views' <see cref="DisplayText"/> rules).</summary>
internal static class Words
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary><c>one backend</c>, <c>3 of 4 backends</c>, <c>whole pool</c>, <c>load balancer</c>.</summary>
    public static string Scope(ScopedIncident incident) => incident.Scope switch
    {
        IncidentScope.Backend => incident.PoolBackends == 1 ? "one backend (its pool's only one)" : "one backend",
        IncidentScope.SeveralBackends => string.Create(C, $"{incident.Backends.Count} of {incident.PoolBackends} backends"),
        IncidentScope.Pool => string.Create(C, $"whole pool ({incident.PoolBackends} backends)"),
        _ => incident.UpstreamRecorded ? "load balancer" : "no backend recorded",
    };

    /// <summary>The backends an incident names; none for the load balancer's own answers, or none known where the log records no upstream.</summary>
    public static string Backends(ScopedIncident incident) =>
        incident.Backends.Count > 0 ? string.Join(", ", incident.Backends) : incident.UpstreamRecorded ? "none tried" : "none recorded";

    /// <summary>The heading of the errors no backend is charged with.</summary>
    public static string NoBackendHeading(InvestigationResult investigation) =>
        investigation.UpstreamRecorded ? "Answered by the load balancer itself" : "Errors with no backend recorded";

    /// <summary>The row of the traffic's 5xx that no backend is charged with.</summary>
    public static string NoBackend5xx(InvestigationResult investigation) => investigation.UpstreamRecorded
        ? "… made by the load balancer with no backend tried"
        : $"… with no backend recorded ({DisplayText.NoUpstream(investigation)}: who made them is unknown)";

    public static string Count(long n) => DisplayText.Count(n);

    /// <summary><c>pool pool_948c…</c>, or <c>no pool recorded</c> where the log names none.</summary>
    public static string Pool(string pool) => PoolNames.IsRecorded(pool) ? "pool " + pool : PoolNames.NotRecorded;

    /// <summary>A listener by its address and port where the log has them, and its id: <c>121.64.212.1:443 (listener_08ff6ee9-…)</c>.</summary>
    public static string Listener(string listener, string? address) => address is null ? listener : $"{address} ({listener})";
    public static string Percent(double fraction) => DisplayText.Percent(fraction);
    public static string Seconds(double? seconds) => DisplayText.Seconds(seconds);
    public static string Bucket(TimeSpan size) => Charts.ChartBuilder.Bucket(size);

    /// <summary><c>2024-05-01 10:20:00 +08:00</c>.</summary>
    public static string Local(DateTime utc, TimeSpan offset) => DisplayText.Local(utc, offset);

    /// <summary><c>2024-05-01 02:20:00Z</c>.</summary>
    public static string Utc(DateTime utc) => DisplayText.Time(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    /// <summary><c>2024-05-01 10:20 to 10:35 +08:00</c> (the end's date only when it differs).</summary>
    public static string LocalWindow(DateTime startUtc, DateTime endUtc, TimeSpan offset)
    {
        var start = new DateTimeOffset(DateTime.SpecifyKind(startUtc, DateTimeKind.Utc)).ToOffset(offset);
        var end = new DateTimeOffset(DateTime.SpecifyKind(endUtc, DateTimeKind.Utc)).ToOffset(offset);
        return Range(start.DateTime, end.DateTime) + " " + Offsets.Format(offset);
    }

    /// <summary><c>2024-05-01 02:20 to 02:35 UTC</c>.</summary>
    public static string UtcWindow(DateTime startUtc, DateTime endUtc) => Range(startUtc, endUtc) + " UTC";

    public static string LocalWindow(IncidentWindow w) => LocalWindow(w.StartUtc, w.EndUtc, w.Offset);
    public static string UtcWindow(IncidentWindow w) => UtcWindow(w.StartUtc, w.EndUtc);

    /// <summary>
    /// On the log's clock, then in UTC: <c>2024-05-01 10:20 to 10:35 +08:00 (2024-05-01 02:20 to 02:35 UTC)</c>; a log
    /// written in UTC (every AWS log), once: <c>2024-05-01 10:20 to 10:35 UTC</c>.
    /// </summary>
    public static string Window(DateTime startUtc, DateTime endUtc, TimeSpan offset) =>
        offset == TimeSpan.Zero ? UtcWindow(startUtc, endUtc) : $"{LocalWindow(startUtc, endUtc, offset)} ({UtcWindow(startUtc, endUtc)})";

    public static string Window(IncidentWindow w) => Window(w.StartUtc, w.EndUtc, w.Offset);

    private static string Range(DateTime start, DateTime end)
    {
        var format = start.Second == 0 && end.Second == 0 ? "HH:mm" : "HH:mm:ss";
        var endText = end.Date == start.Date ? end.ToString(format, C) : end.ToString("yyyy-MM-dd " + format, C);
        return $"{start.ToString("yyyy-MM-dd " + format, C)} to {endText}";
    }

    public static string Minutes(TimeSpan duration) => duration.TotalMinutes.ToString("0.#", C) + " min";
}
