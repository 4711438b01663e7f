using ElbNotebooks.Analysis;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Charts;

/// <summary>
/// Charts of an investigation: <c>investigation.Charts.ErrorHeatmap()</c> and so on. They cover the investigated
/// window and listener, use its bucket size, list suspects first (marked ⚠), and draw the time series from
/// <see cref="InvestigationResult.Timeline"/>, so the pictures agree with the verdicts.
/// </summary>
public sealed class InvestigationCharts
{
    private readonly Investigation _investigation;
    private readonly ChartScope _scope;

    public InvestigationCharts(Investigation investigation)
    {
        ArgumentNullException.ThrowIfNull(investigation);
        _investigation = investigation;
        var order = investigation.Backends.Select(b => b.Backend).Distinct(StringComparer.Ordinal).ToList();
        var suspects = investigation.Suspects.Select(s => s.Backend.Backend).ToHashSet(StringComparer.Ordinal);
        _scope = new ChartScope(investigation.From, investigation.To, investigation.UtcOffset, investigation.BucketSize,
            investigation.Options.Listener, order, suspects);
    }

    /// <summary>Requests per bucket, stacked by status class, 5xx split by who made them (from <c>Timeline.StatusClasses</c>).</summary>
    public PlotlyChart StatusOverTime() => ChartBuilder.StatusOverTime(StatusFromTimeline(), _scope);

    /// <summary>Backend × time heatmap of the share of attempts that failed with 5xx (from <c>Timeline.PerBackend</c>); suspects on top.</summary>
    public PlotlyChart ErrorHeatmap() => ChartBuilder.ErrorHeatmap(BackendsFromTimeline(out _, out _), _scope);

    /// <summary>p95 (and, on click, p50) response-header time per backend per bucket (from <c>Timeline.PerBackend</c>).</summary>
    public PlotlyChart LatencyOverTime()
    {
        var series = BackendsFromTimeline(out var p50, out var p95);
        return ChartBuilder.LatencyOverTime(series.Buckets, ChartBuilder.Labels(series.Backends, _scope, _ => null), p50, p95, _scope);
    }

    /// <summary>Box plots per backend of connect, header and response time in the investigated window; suspects first.</summary>
    public PlotlyChart LatencyBreakdown() => ChartBuilder.LatencyBreakdown(_investigation.Log, _scope);

    /// <summary>Failed attempts by failing backend (rows, suspects first) and the peer that then served the request.</summary>
    public PlotlyChart Retries() => ChartBuilder.Retries(_investigation.Log, _scope);

    /// <summary>The request paths most often answered 5xx in the investigated window.</summary>
    public PlotlyChart TopFailingPaths(int top = 10) => ChartBuilder.TopFailingPaths(_investigation.Log, _scope, top);

    public override string ToString() =>
        $"Charts of the investigation ({_investigation.Suspects.Count} suspect(s)): StatusOverTime, ErrorHeatmap, LatencyOverTime, LatencyBreakdown, Retries, TopFailingPaths";

    private TimeBuckets BucketsOf(DataFrameColumn column)
    {
        var count = (int)column.Length;
        var start = count > 0 && column[0] is DateTime first ? first : _investigation.From;
        return new TimeBuckets(DateTime.SpecifyKind(start, DateTimeKind.Utc), _investigation.Timeline.BucketSize, count, _investigation.UtcOffset);
    }

    private StatusSeries StatusFromTimeline()
    {
        var frame = _investigation.Timeline.StatusClasses;
        long[] Column(string name)
        {
            var column = frame.Columns[name];
            var values = new long[column.Length];
            for (var i = 0; i < values.Length; i++) values[i] = column[i] is long v ? v : 0;
            return values;
        }
        return new StatusSeries(BucketsOf(frame.Columns["bucket"]), Column("2xx"), Column("3xx"), Column("4xx"),
            Column("backend_5xx"), Column("lb_5xx"), Column("no_backend_5xx"));
    }

    /// <summary>
    /// Per-backend rows of the timeline, summed over listener and pool per backend address (a backend in two pools is
    /// one server); p50/p95 come from its busiest key in each bucket.
    /// </summary>
    private BackendSeries BackendsFromTimeline(out double[][] p50, out double[][] p95)
    {
        var frame = _investigation.Timeline.PerBackend;
        var bucket = frame.Columns["bucket"];
        var backend = frame.Columns["backend"];
        var attempts = frame.Columns["attempts"];
        var backend5xx = frame.Columns["backend_5xx"];
        var lb5xx = frame.Columns["lb_5xx"];
        var p50Column = frame.Columns["p50_header_time"];
        var p95Column = frame.Columns["p95_header_time"];

        var starts = new SortedSet<DateTime>();
        for (long r = 0; r < frame.Rows.Count; r++)
            if (bucket[r] is DateTime t) starts.Add(t);
        var bucketIndex = starts.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var buckets = new TimeBuckets(DateTime.SpecifyKind(starts.Count > 0 ? starts.Min : _investigation.From, DateTimeKind.Utc),
            _investigation.Timeline.BucketSize, starts.Count, _investigation.UtcOffset);

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = new List<long[]>();
        var e = new List<long[]>();
        var m = new List<double[]>();
        var h = new List<double[]>();
        var busiest = new List<long[]>();
        for (long r = 0; r < frame.Rows.Count; r++)
        {
            if (backend[r] is not string name || bucket[r] is not DateTime t) continue;
            if (!names.TryGetValue(name, out var k))
            {
                names.Add(name, k = a.Count);
                a.Add(new long[starts.Count]);
                e.Add(new long[starts.Count]);
                m.Add(Enumerable.Repeat(double.NaN, starts.Count).ToArray());
                h.Add(Enumerable.Repeat(double.NaN, starts.Count).ToArray());
                busiest.Add(new long[starts.Count]);
            }
            var i = bucketIndex[t];
            var n = attempts[r] is long an ? an : 0;
            a[k][i] += n;
            e[k][i] += (backend5xx[r] is long b5 ? b5 : 0) + (lb5xx[r] is long l5 ? l5 : 0);
            if (n > busiest[k][i])
            {
                busiest[k][i] = n;
                m[k][i] = p50Column[r] is double v50 ? v50 : double.NaN;
                h[k][i] = p95Column[r] is double v95 ? v95 : double.NaN;
            }
        }

        var order = _scope.Order(names.Keys, b => ChartData.Rate(e[names[b]].Sum(), a[names[b]].Sum()));
        p50 = order.Select(b => m[names[b]]).ToArray();
        p95 = order.Select(b => h[names[b]]).ToArray();
        return new BackendSeries(buckets, order, order.Select(b => a[names[b]]).ToArray(), order.Select(b => e[names[b]]).ToArray(), null);
    }
}

