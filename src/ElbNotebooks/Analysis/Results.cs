using System.Globalization;

namespace ElbNotebooks.Analysis;

/// <summary>
/// Latency percentiles in seconds (linear interpolation between closest ranks, as numpy/pandas, or from a latency
/// sketch within 1%); each null without samples.
/// </summary>
/// <param name="P50">The median, seconds.</param>
/// <param name="P95">The 95th percentile, seconds.</param>
/// <param name="P99">The 99th percentile, seconds.</param>
public sealed record LatencyStats(double? P50, double? P95, double? P99)
{
    /// <summary>No samples: every percentile null.</summary>
    public static LatencyStats Empty { get; } = new(null, null, null);
}

/// <summary>
/// One backend (per listener and pool) over the investigated range. <see cref="Backend5xx"/>: 5xx the backend
/// answered itself (header time present); <see cref="Lb5xx"/>: 5xx (502/504) the load balancer wrote for it because it
/// refused or timed out (no header time); <see cref="ErrorRate"/> = (Backend5xx + Lb5xx) / Attempts. Failed earlier
/// attempts of retried requests count here even when the client got 200. <see cref="ClientAborts"/> (499, an ALB's 460) never count
/// as errors. <see cref="Verdict"/> holds the judgement with its evidence; <see cref="Health"/> and
/// <see cref="Reason"/> are its health and words.
/// </summary>
public sealed partial record BackendHealth
{
    /// <summary>The listener (the log's name for it, e.g. <c>listener_x</c>).</summary>
    public required string Listener { get; init; }

    /// <summary>
    /// The backend pool; <c>-</c> for lines without a pool name (Huawei's legacy layout, CLB, nginx without
    /// <c>$proxy_host</c>), which the JSON writes as null and views and reports as "no pool recorded".
    /// </summary>
    public required string Pool { get; init; }

    /// <summary>The backend's address and port (<c>10.0.1.12:8080</c>).</summary>
    public required string Backend { get; init; }

    /// <summary>Attempts sent to it (a retried request counts once per backend tried).</summary>
    public required long Attempts { get; init; }

    /// <summary>5xx it answered itself (header time present).</summary>
    public required long Backend5xx { get; init; }

    /// <summary>502/504 the load balancer wrote for it because it refused or timed out (no header time).</summary>
    public required long Lb5xx { get; init; }

    /// <summary>4xx answers (not errors of the backend).</summary>
    public required long Status4xx { get; init; }

    /// <summary>499 (an ALB's 460): clients that gave up before the answer (never errors).</summary>
    public required long ClientAborts { get; init; }

    /// <summary><see cref="Errors"/> / <see cref="Attempts"/>, a fraction (0.05 = 5%); 0 without attempts.</summary>
    public required double ErrorRate { get; init; }

    /// <summary>Time to connect to it, seconds.</summary>
    public required LatencyStats Connect { get; init; }

    /// <summary>Time from the request sent to its response header, seconds.</summary>
    public required LatencyStats Header { get; init; }

    /// <summary>Time of the whole response, seconds.</summary>
    public required LatencyStats Response { get; init; }

    /// <summary>Its first failed attempt (UTC); null without errors.</summary>
    public required DateTime? FirstError { get; init; }

    /// <summary>Its last failed attempt (UTC); null without errors.</summary>
    public required DateTime? LastError { get; init; }

    /// <summary>The start (UTC) of the minute with the most failed attempts; null without errors.</summary>
    public required DateTime? WorstMinute { get; init; }

    /// <summary>Failed attempts in <see cref="WorstMinute"/> (0 without errors).</summary>
    public required long WorstMinuteErrors { get; init; }

    /// <summary>The judgement with its evidence as data: kind, baseline, window, figures and thresholds.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>Failing, slow or healthy (the verdict's).</summary>
    public Health Health => Verdict.Health;

    /// <summary>The verdict in words, as the terminal, JSON, reports and notebooks show it.</summary>
    public string Reason => Verdict.Reason;

    /// <summary>Its failed attempts: <see cref="Backend5xx"/> + <see cref="Lb5xx"/>.</summary>
    public long Errors => Backend5xx + Lb5xx;

    /// <summary>The listener's address and port as the log writes them (<c>121.64.212.1:443</c>), where it does; else null.</summary>
    public string? ListenerAddress { get; init; }
}

/// <summary>When a suspect's trouble started and ended (bucket boundaries, end exclusive), in UTC and in the log's offset.</summary>
/// <param name="StartUtc">The first bucket's start, UTC.</param>
/// <param name="EndUtc">The last bucket's end (exclusive), UTC.</param>
/// <param name="Offset">The log's UTC offset, for the local times.</param>
public sealed record IncidentWindow(DateTime StartUtc, DateTime EndUtc, TimeSpan Offset)
{
    /// <summary>The start in the log's offset.</summary>
    public DateTimeOffset StartLocal => new DateTimeOffset(DateTime.SpecifyKind(StartUtc, DateTimeKind.Utc)).ToOffset(Offset);
    /// <summary>The end (exclusive) in the log's offset.</summary>
    public DateTimeOffset EndLocal => new DateTimeOffset(DateTime.SpecifyKind(EndUtc, DateTimeKind.Utc)).ToOffset(Offset);
    /// <summary>From start to end.</summary>
    public TimeSpan Duration => EndUtc - StartUtc;

    /// <summary>
    /// True when the investigation it belongs to spans more than one calendar day (its requests, or the range asked
    /// for): every time of the window then names its date, as a suspect's line does.
    /// </summary>
    internal bool Dated { get; init; }

    /// <summary>
    /// It reaches the investigation's last bucket, the one its last request falls in: the trouble had not ended when the
    /// logs (or the range asked for) end, so it may still be going on.
    /// </summary>
    public bool Ongoing { get; init; }

    /// <summary>The investigation ended with a time range asked for, not with the logs: what <see cref="Ongoing"/> is said against.</summary>
    internal bool RangeEnds { get; init; }

    /// <summary>"when the logs end", or "when the range ends" where one was asked for.</summary>
    internal string EndWords => RangeEnds ? "when the range ends" : "when the logs end";

    /// <summary>The window as a label: <c>10:20–10:35 +08:00</c> (dates added when it, or the investigation, spans days).</summary>
    public string Describe() => Format("–");

    /// <summary>The window inside a sentence: <c>between 10:20 and 10:35 +08:00</c> reads it.</summary>
    internal string Between() => Format(" and ");

    private string Format(string separator)
    {
        var start = StartLocal;
        var end = EndLocal;
        var sameDay = start.Date == end.Date || (end - start <= TimeSpan.FromDays(1) && end.TimeOfDay == TimeSpan.Zero && end.Date == start.Date.AddDays(1));
        var format = sameDay && !Dated ? "HH:mm" : "yyyy-MM-dd HH:mm";
        return $"{start.ToString(format, CultureInfo.InvariantCulture)}{separator}{end.ToString(format, CultureInfo.InvariantCulture)} {Offsets.Format(Offset)}";
    }
}

/// <summary>
/// A failing or slow backend. <see cref="FailedAttempts"/>: its 5xx attempts in the window; <see cref="RequestsHurt"/>:
/// requests that failed on it and whose client got no good answer (its 5xx, a peer's after a retry, or it gave up; for
/// a slow backend: whose response it delayed past the slow threshold); <see cref="RequestsRetried"/>: requests that
/// failed on it first and were rescued by a peer. A failing backend's hurt and rescued requests add up to its failed attempts.
/// <see cref="ExampleRequestRows"/>: rows in <c>log.Requests</c> (with file and line) to show as evidence.
/// </summary>
public sealed partial record Suspect
{
    /// <summary>The backend with its figures over the whole range and its verdict (<see cref="BackendHealth.Verdict"/>).</summary>
    public required BackendHealth Backend { get; init; }

    /// <summary>Failing or slow (the backend's verdict).</summary>
    public Health Health => Backend.Health;

    /// <summary>The verdict in words (the backend's).</summary>
    public string Reason => Backend.Reason;

    /// <summary>When its trouble started and ended.</summary>
    public required IncidentWindow Window { get; init; }

    /// <summary>Its failed (5xx) attempts in the window.</summary>
    public required long FailedAttempts { get; init; }

    /// <summary>
    /// Requests in the window that failed on it and that no retry rescued (the client got a 5xx, or gave up); for a slow
    /// backend, whose response it delayed past the slow threshold.
    /// </summary>
    public required long RequestsHurt { get; init; }

    /// <summary>Requests in the window that failed on it first and were rescued by a peer.</summary>
    public required long RequestsRetried { get; init; }

    /// <summary>Rows of <c>log.Requests</c> to show as evidence: its first failed attempts in the window, or its slowest responses.</summary>
    public required IReadOnlyList<long> ExampleRequestRows { get; init; }

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

    /// <summary>
    /// Distinct clients (remote_addr) of <see cref="RequestsHurt"/>: those of its failed attempts that hurt their client,
    /// or (slow) of the responses it delayed past the slow threshold, counted exactly; null when judged from a bucket
    /// table, which names no client.
    /// </summary>
    public long? ClientsHurt { get; init; }

    /// <summary>
    /// The endpoints of <see cref="RequestsHurt"/> (method and path, an id in the path written <c>{id}</c>:
    /// <c>GET /api/v2/prices/{id}</c>), most hurt first, at most ten; the requests of the others are
    /// <see cref="RequestsHurtElsewhere"/>. A slow backend's are counted as its requests hurt are, from the latency bins
    /// of its responses' header times, so the two add up. Null when judged from a bucket table, which names no request.
    /// </summary>
    public IReadOnlyList<EndpointCount>? EndpointsHurt { get; init; }

    /// <summary>Of <see cref="RequestsHurt"/>, those not for one of <see cref="EndpointsHurt"/>; null where that is.</summary>
    public long? RequestsHurtElsewhere => EndpointsHurt is { } listed ? RequestsHurt - listed.Sum(e => e.Requests) : null;

    /// <summary>
    /// Requests to its listener in its window (every status, every backend, and those no backend was tried for): the
    /// traffic <see cref="RequestsHurt"/> is a share of; null when judged from a bucket table, which counts requests
    /// per bucket, not per listener.
    /// </summary>
    public long? ListenerRequests { get; init; }

    /// <summary><see cref="RequestsHurt"/> / <see cref="ListenerRequests"/> (a fraction); null when either is unknown or there were none.</summary>
    public double? ShareOfListenerRequests => ListenerRequests is > 0 and var n ? (double)RequestsHurt / n : null;

    /// <summary>
    /// It and the other backends of its pool that had attempts in its window (it first, then by address), with their
    /// figures over the window: what its verdict compared it with.
    /// </summary>
    public IReadOnlyList<WindowPeer> Peers { get; init; } = [];

    /// <summary>Its failed attempts in the window by status (<c>500</c> → count); null when judged from a bucket table.</summary>
    public IReadOnlyDictionary<int, long>? ErrorStatuses => Peers.FirstOrDefault(p => p.IsSuspect)?.ErrorStatuses;

    /// <summary>Where each of <see cref="ExampleRequestRows"/> is written, in the same order: found without the rows, so a streamed investigation has them too.</summary>
    public IReadOnlyList<LogPosition> ExampleLines { get; init; } = [];
}

/// <summary>An endpoint (method and path, ids written <c>{id}</c>) and how many requests for it a backend hurt.</summary>
/// <param name="Endpoint"><c>GET /api/v2/prices/{id}</c>; <c>-</c> for a part the log did not record.</param>
/// <param name="Requests">Requests for it that the backend hurt.</param>
public sealed record EndpointCount(string Endpoint, long Requests);

/// <summary>A line of the logs: its file (or the name a stream was given) and its 1-based line number.</summary>
/// <param name="File">The file, or the stream's name; null when the input had none.</param>
/// <param name="Line">The 1-based line number in it.</param>
public readonly record struct LogPosition(string? File, long Line);

/// <summary>
/// One backend of a suspect's pool over the suspect's window (<see cref="Suspect.Peers"/>): attempts, 5xx by who made
/// them and by status, and latencies (from sketches, within 1% of the exact values).
/// </summary>
public sealed record WindowPeer
{
    /// <summary>The backend's address and port.</summary>
    public required string Backend { get; init; }

    /// <summary>Whether it is the suspect itself.</summary>
    public required bool IsSuspect { get; init; }

    /// <summary>Attempts sent to it in the window.</summary>
    public required long Attempts { get; init; }

    /// <summary>5xx it answered itself in the window.</summary>
    public required long Backend5xx { get; init; }

    /// <summary>502/504 the load balancer wrote for it in the window (refused or timed out).</summary>
    public required long Lb5xx { get; init; }

    /// <summary><see cref="Backend5xx"/> + <see cref="Lb5xx"/>.</summary>
    public long Errors => Backend5xx + Lb5xx;

    /// <summary><see cref="Errors"/> / <see cref="Attempts"/>, a fraction; 0 without attempts.</summary>
    public double ErrorRate => Attempts == 0 ? 0 : (double)Errors / Attempts;

    /// <summary>Its failed attempts in the window by status (<c>502</c> → count); null when judged from a bucket table.</summary>
    public required IReadOnlyDictionary<int, long>? ErrorStatuses { get; init; }

    /// <summary>Response-header time in the window, seconds.</summary>
    public required LatencyStats Header { get; init; }

    /// <summary>Connect time p95 in the window, seconds; null without a timed attempt.</summary>
    public required double? ConnectP95 { get; init; }
}

/// <summary>
/// The requests whose client got a 5xx, by who made it, and whom they reached: the investigation's traffic as a whole
/// (after its filters, without <see cref="InvestigationResult.TimeOutliers"/>).
/// </summary>
public sealed record TrafficSummary
{
    /// <summary>Requests whose client got a 5xx.</summary>
    public required long Requests5xx { get; init; }

    /// <summary>Of them, those a backend answered 5xx itself (the last attempt had a response header).</summary>
    public required long Backend5xx { get; init; }

    /// <summary>Of them, those the load balancer answered 5xx for a backend that refused or timed out.</summary>
    public required long Lb5xx { get; init; }

    /// <summary>Of them, those the load balancer answered by itself, no backend tried (<see cref="InvestigationResult.NoBackendErrors"/>).</summary>
    public required long NoBackend5xx { get; init; }

    /// <summary>Requests that failed on a suspect first and were rescued by a retry on a peer (the suspects' <see cref="Suspect.RequestsRetried"/>).</summary>
    public required long RescuedByRetry { get; init; }

    /// <summary>Distinct clients (remote_addr) that got a 5xx; null when judged from a bucket table, which names no client.</summary>
    public required long? Clients5xx { get; init; }
}

/// <summary>Requests the load balancer answered by itself (no backend tried: upstream <c>-</c>), status 400 or more.</summary>
public sealed record ListenerErrors
{
    /// <summary>The listener (the log's name for it).</summary>
    public required string Listener { get; init; }

    /// <summary>The status the load balancer answered (400 or more).</summary>
    public required int Status { get; init; }

    /// <summary>Requests it answered with <see cref="Status"/>.</summary>
    public required long Requests { get; init; }

    /// <summary>The first of them (UTC).</summary>
    public required DateTime First { get; init; }

    /// <summary>The last of them (UTC).</summary>
    public required DateTime Last { get; init; }

    /// <summary>The listener's address and port as the log writes them (<c>121.64.212.1:443</c>), where it does; else null.</summary>
    public string? ListenerAddress { get; init; }

    /// <summary>
    /// False when the log records no upstream for these requests (an nginx <c>log_format</c> without
    /// <c>$upstream_addr</c>): whether the load balancer answered them itself or a backend failed is then unknown.
    /// </summary>
    public bool UpstreamRecorded { get; init; } = true;

    /// <summary>
    /// With <see cref="UpstreamRecorded"/> false: the log's lines carry fields its nginx <c>log_format</c> does not name
    /// that hold an address as $upstream_addr writes one, perhaps the upstream variables (a file's note in the parse report says which).
    /// </summary>
    internal bool UpstreamMayBeUnread { get; init; }
}
