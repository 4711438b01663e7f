using ElbNotebooks.Analysis;

namespace ElbNotebooks.Charts;

/// <summary>
/// Charts of an investigation: <c>investigation.Charts.ErrorHeatmap()</c> and so on. They cover the investigated
/// window and listener, use its bucket size, list suspects first (marked ⚠), and draw the time series from
/// the typed series of <see cref="InvestigationResult.Timeline"/>, so the pictures agree with the verdicts.
/// </summary>
public sealed class InvestigationCharts
{
    private readonly Investigation _investigation;
    private readonly ChartScope _scope;

    /// <summary>Charts of <paramref name="investigation"/>; usually reached as <c>investigation.Charts</c>.</summary>
    public InvestigationCharts(Investigation investigation)
    {
        ArgumentNullException.ThrowIfNull(investigation);
        _investigation = investigation;
        var order = investigation.Backends.Select(b => b.Backend).Distinct(StringComparer.Ordinal).ToList();
        var suspects = investigation.Suspects.Select(s => s.Backend.Backend).ToHashSet(StringComparer.Ordinal);
        _scope = new ChartScope(investigation.From, investigation.To, investigation.UtcOffset, investigation.BucketSize,
            investigation.Options.Listener, order, suspects);
    }

    /// <summary>Requests per bucket, stacked by status class, 5xx split by who made them (from <c>Timeline.Status</c>).</summary>
    public PlotlyChart StatusOverTime() => ChartBuilder.StatusOverTime(StatusFromTimeline(), _scope);

    /// <summary>Backend × time heatmap of the share of attempts that failed with 5xx (from <c>Timeline.Backends</c>); suspects on top.</summary>
    public PlotlyChart ErrorHeatmap() => ChartBuilder.ErrorHeatmap(BackendsFromTimeline(out _, out _), _scope);

    /// <summary>p95 (and, on click, p50) response-header time per backend per bucket (from <c>Timeline.Backends</c>).</summary>
    public PlotlyChart LatencyOverTime()
    {
        var series = BackendsFromTimeline(out var p50, out var p95);
        return ChartBuilder.LatencyOverTime(series.Buckets, ChartBuilder.Labels(series.Backends, _scope, _ => null), p50, p95, _scope);
    }

    /// <summary>Box plots per backend of connect, header and response time in the investigated window; suspects first.</summary>
    public PlotlyChart LatencyBreakdown() => ChartBuilder.LatencyBreakdown(_investigation.Log, _scope);

    /// <summary>Failed attempts by failing backend (rows, suspects first) and the peer that then served the request.</summary>
    public PlotlyChart Retries() => ChartBuilder.Retries(_investigation.Log, _scope);

    /// <summary>The endpoints (method and path, ids as <c>{id}</c>) most often answered 5xx in the investigated window.</summary>
    public PlotlyChart TopFailingPaths(int top = 10) => ChartBuilder.TopFailingPaths(_investigation.Log, _scope, top);

    /// <summary>Says which charts there are.</summary>
    public override string ToString() =>
        $"Charts of the investigation ({_investigation.Suspects.Count} suspect(s)): StatusOverTime, ErrorHeatmap, LatencyOverTime, LatencyBreakdown, Retries, TopFailingPaths";

    private TimeBuckets Buckets(Timeline timeline)
    {
        var start = timeline.BucketStarts.Count > 0 ? timeline.BucketStarts[0] : _investigation.From;
        return new TimeBuckets(DateTime.SpecifyKind(start, DateTimeKind.Utc), timeline.BucketSize, timeline.BucketStarts.Count, _investigation.UtcOffset);
    }

    private StatusSeries StatusFromTimeline()
    {
        var timeline = _investigation.Timeline;
        var s = timeline.Status;
        return new StatusSeries(Buckets(timeline), [.. s.Status2xx], [.. s.Status3xx], [.. s.Status4xx], [.. s.Backend5xx], [.. s.Lb5xx], [.. s.NoBackend5xx]);
    }

    /// <summary>
    /// The timeline's backends summed over listener and pool per backend address (a backend in two pools is one
    /// server); p50/p95 come from its busiest key in each bucket.
    /// </summary>
    private BackendSeries BackendsFromTimeline(out double[][] p50, out double[][] p95)
    {
        var timeline = _investigation.Timeline;
        var count = timeline.Backends.Count == 0 ? 0 : timeline.BucketStarts.Count;
        var buckets = count == 0
            ? new TimeBuckets(DateTime.SpecifyKind(_investigation.From, DateTimeKind.Utc), timeline.BucketSize, 0, _investigation.UtcOffset)
            : Buckets(timeline);

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = new List<long[]>();
        var e = new List<long[]>();
        var m = new List<double[]>();
        var h = new List<double[]>();
        var busiest = new List<long[]>();
        foreach (var series in timeline.Backends)
        {
            if (!names.TryGetValue(series.Backend, out var k))
            {
                names.Add(series.Backend, k = a.Count);
                a.Add(new long[count]);
                e.Add(new long[count]);
                m.Add(Enumerable.Repeat(double.NaN, count).ToArray());
                h.Add(Enumerable.Repeat(double.NaN, count).ToArray());
                busiest.Add(new long[count]);
            }
            for (var i = 0; i < count; i++)
            {
                var n = series.Attempts[i];
                a[k][i] += n;
                e[k][i] += series.Backend5xx[i] + series.Lb5xx[i];
                if (n > busiest[k][i])
                {
                    busiest[k][i] = n;
                    m[k][i] = series.P50HeaderTime[i];
                    h[k][i] = series.P95HeaderTime[i];
                }
            }
        }

        var order = _scope.Order(names.Keys, b => ChartData.Rate(e[names[b]].Sum(), a[names[b]].Sum()));
        p50 = order.Select(b => m[names[b]]).ToArray();
        p95 = order.Select(b => h[names[b]]).ToArray();
        return new BackendSeries(buckets, order, order.Select(b => a[names[b]]).ToArray(), order.Select(b => e[names[b]]).ToArray(), null);
    }
}
