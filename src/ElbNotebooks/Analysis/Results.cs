using System.Globalization;

namespace ElbNotebooks.Analysis;

/// <summary>Exact percentiles (linear interpolation between closest ranks, as numpy/pandas); null without samples.</summary>
public sealed record LatencyStats(double? P50, double? P95, double? P99)
{
    public static LatencyStats Empty { get; } = new(null, null, null);
}

/// <summary>
/// One backend (per listener and pool) over the investigated range. <see cref="Backend5xx"/>: 5xx the backend
/// answered itself (header time present); <see cref="Lb5xx"/>: 5xx (502/504) the load balancer wrote for it because it
/// refused or timed out (no header time); <see cref="ErrorRate"/> = (Backend5xx + Lb5xx) / Attempts. Failed earlier
/// attempts of retried requests count here even when the client got 200. <see cref="ClientAborts"/> (499) never count
/// as errors.
/// </summary>
public sealed partial record BackendHealth(
    string Listener, string Pool, string Backend, long Attempts, long Backend5xx, long Lb5xx,
    long Status4xx, long ClientAborts, double ErrorRate, LatencyStats Connect, LatencyStats Header, LatencyStats Response,
    DateTime? FirstError, DateTime? LastError, DateTime? WorstMinute, long WorstMinuteErrors, Health Health, string Reason)
{
    public long Errors => Backend5xx + Lb5xx;

    /// <summary>The listener's address and port as the log writes them (<c>121.64.212.1:443</c>), where it does.</summary>
    public string? ListenerAddress { get; init; }
}

/// <summary>When a suspect's trouble started and ended (bucket boundaries, end exclusive), in UTC and in the log's offset.</summary>
public sealed record IncidentWindow(DateTime StartUtc, DateTime EndUtc, TimeSpan Offset)
{
    public DateTimeOffset StartLocal => new DateTimeOffset(DateTime.SpecifyKind(StartUtc, DateTimeKind.Utc)).ToOffset(Offset);
    public DateTimeOffset EndLocal => new DateTimeOffset(DateTime.SpecifyKind(EndUtc, DateTimeKind.Utc)).ToOffset(Offset);
    public TimeSpan Duration => EndUtc - StartUtc;

    /// <summary>"10:20 and 10:35 +08:00" (dates shown when the window crosses a day).</summary>
    /// <summary>The window as a label: <c>10:20–10:35 +08:00</c> (dates added when it spans days).</summary>
    public string Describe() => Format("–");

    /// <summary>The window inside a sentence: <c>between 10:20 and 10:35 +08:00</c> reads it.</summary>
    internal string Between() => Format(" and ");

    private string Format(string separator)
    {
        var start = StartLocal;
        var end = EndLocal;
        var sameDay = start.Date == end.Date || (end - start <= TimeSpan.FromDays(1) && end.TimeOfDay == TimeSpan.Zero && end.Date == start.Date.AddDays(1));
        var format = sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm";
        return $"{start.ToString(format, CultureInfo.InvariantCulture)}{separator}{end.ToString(format, CultureInfo.InvariantCulture)} {Offsets.Format(Offset)}";
    }
}

/// <summary>
/// A failing or slow backend. <see cref="FailedAttempts"/>: its 5xx attempts in the window; <see cref="RequestsHurt"/>:
/// requests whose client got a 5xx from it (for a slow backend: whose response it delayed past the slow threshold);
/// <see cref="RequestsRetried"/>: requests that failed on it first and were rescued by a peer.
/// <see cref="ExampleRequestRows"/>: rows in <c>log.Requests</c> (with file and line) to show as evidence.
/// </summary>
public sealed partial record Suspect(
    BackendHealth Backend, Health Health, string Reason, IncidentWindow Window,
    long FailedAttempts, long RequestsHurt, long RequestsRetried, IReadOnlyList<long> ExampleRequestRows)
{
    /// <summary>
    /// For a slow backend, the header time from which a final response counts as hurt (NaN for a failing one), so a
    /// report can find the hurt requests in a loaded log.
    /// </summary>
    internal double SlowThreshold { get; init; } = double.NaN;

    /// <summary>
    /// How much the verdict rests on: <see cref="EvidenceStrength.Thin"/> when it counts fewer than
    /// <see cref="InvestigationOptions.MinErrors"/> failed attempts (a sign to look further, not a confirmed outage).
    /// </summary>
    public EvidenceStrength Evidence { get; init; } = EvidenceStrength.Strong;

    /// <summary>The scope of the incident it belongs to (see <see cref="InvestigationResult.Incidents"/>).</summary>
    public IncidentScope Scope { get; internal set; } = IncidentScope.Backend;
}

/// <summary>Requests the load balancer answered by itself (no backend tried: upstream <c>-</c>), status 400 or more.</summary>
public sealed record ListenerErrors(string Listener, int Status, long Requests, DateTime First, DateTime Last)
{
    /// <summary>The listener's address and port as the log writes them (<c>121.64.212.1:443</c>), where it does.</summary>
    public string? ListenerAddress { get; init; }
}

