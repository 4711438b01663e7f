using ElbNotebooks.Loading;

namespace ElbNotebooks.Analysis;

/// <summary>
/// Which backend failed, since when, and whom it hurt: what every investigation has, whether it read a loaded log
/// (<see cref="Investigation"/>, which also has the rows) or counted inputs it did not keep (<see cref="StreamedInvestigation"/>:
/// streamed logs or a bucket table). <see cref="Backends"/> lists every backend (suspects first); <see cref="Suspects"/>
/// only the failing or slow ones, most severe first. Requests the load balancer answered by itself are in
/// <see cref="ListenerErrors"/> and never charged to a backend.
/// </summary>
public abstract class InvestigationResult
{
    private readonly Lazy<Timeline> _timeline;

    private protected InvestigationResult(Judgement judged)
    {
        Inputs = judged.Inputs;
        Options = judged.Options;
        From = judged.From;
        To = judged.To;
        UtcOffset = judged.Inputs.UtcOffset;
        BucketSize = judged.BucketSize;
        Backends = judged.Backends;
        Suspects = judged.Suspects;
        Incidents = judged.Incidents;
        ListenerErrors = judged.ListenerErrors;
        NoBackendErrors = judged.NoBackendErrors;
        Requests = judged.Requests;
        RequestsLeftOut = judged.FilteredOut + judged.Inputs.Report.OutOfRange;
        TimeOutliers = judged.TimeOutliers;
        ListenerAddresses = judged.ListenerAddresses;
        Traffic = judged.Traffic;
        _timeline = judged.Timeline;
    }

    /// <summary>What was read: parse report, format(s), offset, span and input names.</summary>
    public InputSummary Inputs { get; }

    /// <summary>The options the investigation was made with.</summary>
    public InvestigationOptions Options { get; }

    /// <summary>First investigated request, UTC (the start of the range asked for when no request fell in it).</summary>
    public DateTime From { get; }

    /// <summary>Last investigated request, UTC (the end of the range asked for when no request fell in it).</summary>
    public DateTime To { get; }

    /// <summary>
    /// Its requests, or the range asked for, lie on more than one calendar day in <see cref="UtcOffset"/>: every time
    /// its texts give names its date (suspect lines, windows, reasons, where to look).
    /// </summary>
    internal bool SpansDays
    {
        get
        {
            var (from, to) = FilterText.Range(this);
            return AccessLogInvestigation.SpansDays(From, To, from, to, UtcOffset);
        }
    }

    /// <summary>The log's dominant offset: windows and reasons show local times in it.</summary>
    public TimeSpan UtcOffset { get; }

    /// <summary>The time bucket of the per-backend series and of incident windows.</summary>
    public TimeSpan BucketSize { get; }

    /// <summary>Requests investigated (after the listener and time filters, without <see cref="TimeOutliers"/>).</summary>
    public long Requests { get; }

    /// <summary>
    /// True when the filters (<see cref="Filters"/>: a time range or listener) selected no request: no backend was
    /// judged, which is not an all-clear. <see cref="Backends"/> and <see cref="Suspects"/> are then empty and
    /// <see cref="NothingJudgedReason"/> says what was asked and what the logs span; views, JSON and reports say so
    /// instead of "no failing or slow backend". The CLI exits 3 for it.
    /// </summary>
    public bool NothingJudged => Requests == 0;

    /// <summary>
    /// Why nothing was judged (<c>No request matches the selection (from 2024-05-02 14:10:00 +08:00, to …): there is
    /// nothing to judge, which is not an all-clear. The logs span …</c>), or null when requests were judged.
    /// </summary>
    public string? NothingJudgedReason =>
        !NothingJudged ? null
        : EmptySelection.Describe(Filters ?? "no filter",
            Inputs is { From: { } from, To: { } to } ? EmptySelection.Span(from, to, UtcOffset, Inputs.Requests) : null);

    /// <summary>
    /// Requests read but left out by the filters (<see cref="Filters"/>): another listener's, or outside the time range
    /// (whether the load or the investigation applied it). Parsed requests = <see cref="Requests"/> + these + the
    /// <see cref="TimeOutliers"/>' requests.
    /// </summary>
    public long RequestsLeftOut { get; }

    /// <summary>
    /// The filters the requests were chosen by, in words (<c>listener 121.64.212.1:443 (listener_08ff…), from
    /// 2024-05-01 14:30 +08:00</c>), or null when every request was investigated: the investigation's own
    /// (<see cref="InvestigationOptions.Listener"/>, <c>From</c>, <c>To</c>) or the load's time range.
    /// </summary>
    public string? Filters => FilterText.Describe(this);

    /// <summary>
    /// Requests far in time from the rest (a day or more away, farther than the rest spans, at most 1% of them), left
    /// out of the judgement so that one line dated 1970 cannot stretch every series over decades; each names where
    /// its first line is.
    /// </summary>
    public IReadOnlyList<TimeOutlier> TimeOutliers { get; }

    /// <summary>
    /// Each listener's address and port as the log writes them (Huawei's <c>eip_address:eip_port</c>, nginx's
    /// <c>$server_addr:$server_port</c>), the most used one when several: how people name a listener. Listeners of
    /// logs without one (ALB, CLB) are not in it.
    /// </summary>
    public IReadOnlyDictionary<string, string> ListenerAddresses { get; }

    /// <summary>A listener as views name it: <c>121.64.212.1:443 (listener_08ff6ee9-…)</c>, or its name alone.</summary>
    public string ListenerLabel(string listener) =>
        ListenerAddresses.TryGetValue(listener, out var address) ? $"{address} ({listener})" : listener;

    /// <summary>Every backend as judged, suspects first.</summary>
    public IReadOnlyList<BackendHealth> Backends { get; }

    /// <summary>The failing or slow backends, most severe first.</summary>
    public IReadOnlyList<Suspect> Suspects { get; }

    /// <summary>
    /// Where to look: the suspects grouped into incidents, each with its scope (one backend, several or every backend
    /// of a pool, or the load balancer itself), failing before slow.
    /// </summary>
    public IReadOnlyList<ScopedIncident> Incidents { get; }

    /// <summary>Requests answered by the load balancer itself (no backend tried), status 400 or more, by listener and status.</summary>
    public IReadOnlyList<ListenerErrors> ListenerErrors { get; }

    /// <summary>False when the log records no upstream for some of <see cref="ListenerErrors"/>: they are then not known to be the load balancer's own.</summary>
    internal bool UpstreamRecorded => ListenerErrors.All(e => e.UpstreamRecorded);

    /// <summary>True when some of <see cref="ListenerErrors"/> may have an upstream in fields the nginx log_format did not name (a file's note shows them).</summary>
    internal bool UpstreamMayBeUnread => ListenerErrors.Any(e => e.UpstreamMayBeUnread);

    /// <summary>Requests answered by the load balancer itself (upstream <c>-</c>, no backend tried) with status 500 or more.</summary>
    public long NoBackendErrors { get; }

    /// <summary>The requests whose client got a 5xx, by who made it, the requests a retry rescued, and the distinct clients that got a 5xx.</summary>
    public TrafficSummary Traffic { get; }

    /// <summary>The per-bucket series as DataFrames, built on first use (the terminal and JSON answers need none).</summary>
    public Timeline Timeline => _timeline.Value;

    /// <summary>
    /// Judges a bucket table (docs/bucket-table.md) that an engine made next to the logs (<c>sql/</c>), as
    /// <c>log.Investigate()</c> judges its own: same suspects, windows, scope and reasons. Rows are not in a table, so
    /// the answer is a <see cref="StreamedInvestigation"/>: example request rows are empty, and charts and reports that
    /// show rows are not there to call.
    /// </summary>
    public static StreamedInvestigation FromBuckets(BucketTable table, InvestigationOptions? options = null) =>
        AccessLogInvestigation.Judge(table, options);

    /// <summary><see cref="FromBuckets(BucketTable, InvestigationOptions?)"/> of a <c>.parquet</c> or <c>.csv</c> file.</summary>
    public static StreamedInvestigation FromBuckets(string path, InvestigationOptions? options = null) =>
        FromBuckets(BucketTable.ForJudging(path), options);

    /// <summary><see cref="FromBuckets(BucketTable, InvestigationOptions?)"/> of a DataFrame with the table's columns (an engine's answer read in a notebook).</summary>
    public static StreamedInvestigation FromBuckets(Microsoft.Data.Analysis.DataFrame table, InvestigationOptions? options = null) =>
        FromBuckets(BucketTable.From(table), options);

    /// <summary>The CLI's <c>--json</c> document (indented, UTF-8 text).</summary>
    public string ToJson() => InvestigationJson.Write(this, indented: true);

    /// <summary>The suspects' verdicts, one a line, or a line saying there is none, or why nothing was judged.</summary>
    public override string ToString() =>
        NothingJudgedReason is { } nothing ? nothing
        : Suspects.Count == 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"No failing or slow backend among {Backends.Count} ({Requests:N0} requests).")
            : string.Join(Environment.NewLine, Suspects.Select(s => $"{s.Health}: {s.Reason}"));
}

/// <summary>What judging made, handed to the investigation that shows it.</summary>
internal sealed record Judgement(
    InputSummary Inputs, InvestigationOptions Options, DateTime From, DateTime To, TimeSpan BucketSize,
    IReadOnlyList<BackendHealth> Backends, IReadOnlyList<Suspect> Suspects, IReadOnlyList<ListenerErrors> ListenerErrors,
    long NoBackendErrors, long Requests, long FilteredOut, Lazy<Timeline> Timeline, IReadOnlyList<ScopedIncident> Incidents,
    IReadOnlyList<TimeOutlier> TimeOutliers, IReadOnlyDictionary<string, string> ListenerAddresses, TrafficSummary Traffic);
