using ElbNotebooks.Loading;

namespace ElbNotebooks.Analysis;

/// <summary>
/// Which backend failed, since when, and whom it hurt. <see cref="Backends"/> lists every backend (suspects first);
/// <see cref="Suspects"/> only the failing or slow ones, most severe first. Requests the load balancer answered by
/// itself are in <see cref="ListenerErrors"/> and never charged to a backend.
/// </summary>
public sealed partial class Investigation
{
    internal Investigation(
        AccessLog log, InvestigationOptions options, DateTime from, DateTime to, TimeSpan bucketSize,
        IReadOnlyList<BackendHealth> backends, IReadOnlyList<Suspect> suspects, IReadOnlyList<ListenerErrors> listenerErrors,
        long noBackendErrors, long requests, Lazy<Timeline> timeline, IReadOnlyList<ScopedIncident> incidents)
    {
        Incidents = incidents;
        Log = log;
        Options = options;
        From = from;
        To = to;
        UtcOffset = log.UtcOffset;
        BucketSize = bucketSize;
        Backends = backends;
        Suspects = suspects;
        ListenerErrors = listenerErrors;
        NoBackendErrors = noBackendErrors;
        Requests = requests;
        _timeline = timeline;
    }

    public AccessLog Log { get; }
    public InvestigationOptions Options { get; }

    /// <summary>First investigated request, UTC (the start of the range asked for when no request fell in it).</summary>
    public DateTime From { get; }

    /// <summary>Last investigated request, UTC.</summary>
    public DateTime To { get; }

    /// <summary>The log's dominant offset: windows and reasons show local times in it.</summary>
    public TimeSpan UtcOffset { get; }

    public TimeSpan BucketSize { get; }

    /// <summary>Requests investigated (after the listener and time filters, without <see cref="TimeOutliers"/>).</summary>
    public long Requests { get; }

    /// <summary>
    /// Requests far in time from the rest (a day or more away, farther than the rest spans, at most 1% of them), left
    /// out of the judgement so that one line dated 1970 cannot stretch every series over decades; each names where
    /// its first line is.
    /// </summary>
    public IReadOnlyList<TimeOutlier> TimeOutliers { get; init; } = [];

    /// <summary>
    /// Each listener's address and port as the log writes them (Huawei's <c>eip_address:eip_port</c>, nginx's
    /// <c>$server_addr:$server_port</c>), the most used one when several: how people name a listener. Listeners of
    /// logs without one (ALB, CLB) are not in it.
    /// </summary>
    public IReadOnlyDictionary<string, string> ListenerAddresses { get; init; } = new Dictionary<string, string>();

    /// <summary>A listener as views name it: <c>121.64.212.1:443 (listener_08ff6ee9-…)</c>, or its name alone.</summary>
    public string ListenerLabel(string listener) =>
        ListenerAddresses.TryGetValue(listener, out var address) ? $"{address} ({listener})" : listener;

    public IReadOnlyList<BackendHealth> Backends { get; }
    public IReadOnlyList<Suspect> Suspects { get; }

    /// <summary>
    /// Where to look: the suspects grouped into incidents, each with its scope (one backend, several or every backend
    /// of a pool, or the load balancer itself), failing before slow.
    /// </summary>
    public IReadOnlyList<ScopedIncident> Incidents { get; }

    /// <summary>Requests answered by the load balancer itself (no backend tried), status 400 or more, by listener and status.</summary>
    public IReadOnlyList<ListenerErrors> ListenerErrors { get; }

    /// <summary>Requests answered by the load balancer itself (upstream <c>-</c>, no backend tried) with status 500 or more.</summary>
    public long NoBackendErrors { get; }

    private readonly Lazy<Timeline> _timeline;

    /// <summary>The per-bucket series as DataFrames, built on first use (the terminal and JSON answers need none).</summary>
    public Timeline Timeline => _timeline.Value;

    /// <summary>
    /// Charts and reports show rows (raw lines, per-request figures): a streamed investigation has none, so they
    /// refuse it with a message that says what to do instead of failing on a missing row.
    /// </summary>
    internal void RequireRows(string what)
    {
        if (!Log.RowsKept)
            throw new InvalidOperationException(
                $"{what} needs the log's rows, and this investigation was streamed without keeping them: load the logs with " +
                "AccessLog.Load(...) and call Investigate() on the loaded log.");
    }

    /// <summary>
    /// Judges a bucket table (docs/bucket-table.md) that an engine made next to the logs (<c>sql/</c>), as
    /// <c>log.Investigate()</c> judges its own: same suspects, windows, scope and reasons. Rows are not in a table, so
    /// example request rows are empty and charts and reports that show rows refuse it (<see cref="AccessLog.RowsKept"/> is false).
    /// </summary>
    public static Investigation FromBuckets(BucketTable table, InvestigationOptions? options = null) =>
        AccessLogInvestigation.Judge(table, options);

    /// <summary><see cref="FromBuckets(BucketTable, InvestigationOptions?)"/> of a <c>.parquet</c> or <c>.csv</c> file.</summary>
    public static Investigation FromBuckets(string path, InvestigationOptions? options = null) =>
        FromBuckets(BucketTable.ForJudging(path), options);

    /// <summary><see cref="FromBuckets(BucketTable, InvestigationOptions?)"/> of a DataFrame with the table's columns (an engine's answer read in a notebook).</summary>
    public static Investigation FromBuckets(Microsoft.Data.Analysis.DataFrame table, InvestigationOptions? options = null) =>
        FromBuckets(BucketTable.From(table), options);

    /// <summary>The CLI's <c>--json</c> document (indented, UTF-8 text).</summary>
    public string ToJson() => InvestigationJson.Write(this, indented: true);

    public override string ToString() =>
        Suspects.Count == 0
            ? $"No failing or slow backend among {Backends.Count} ({Requests} requests)."
            : string.Join(Environment.NewLine, Suspects.Select(s => $"{s.Health}: {s.Reason}"));
}
