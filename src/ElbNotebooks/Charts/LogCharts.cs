using ElbNotebooks.Loading;

namespace ElbNotebooks.Charts;

/// <summary>
/// Charts of a whole log that need no investigation: <c>log.Charts.StatusOverTime()</c> and so on. Time axes are in
/// the log's own offset. Each call reads the log's column buffers afresh and returns a new <see cref="PlotlyChart"/>.
/// </summary>
public sealed class LogCharts
{
    private readonly AccessLog _log;
    private readonly ChartScope _scope;

    /// <summary>Charts of <paramref name="log"/>; usually reached as <c>log.Charts</c>.</summary>
    /// <param name="log">The log to chart.</param>
    /// <param name="bucketSize">Time bucket; by default the smallest of 1 s, 5 s, ... 1 d that keeps 120 buckets or fewer.</param>
    internal LogCharts(AccessLog log, TimeSpan? bucketSize = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (bucketSize is { } b && b <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(bucketSize), b, "The bucket size must be positive.");
        _log = log;
        _scope = ChartScope.Of(log, bucketSize);
    }

    /// <summary>The same charts with another time bucket, e.g. <c>log.Charts.WithBucket(TimeSpan.FromMinutes(1))</c>.</summary>
    public LogCharts WithBucket(TimeSpan bucketSize) => new(_log, bucketSize);

    /// <summary>Requests per bucket, stacked by status class; 5xx split into backend-made, LB-made for an unreachable backend, and LB-made with no backend.</summary>
    public PlotlyChart StatusOverTime() => ChartBuilder.StatusOverTime(_log, _scope);

    /// <summary>Backend × time heatmap of the share of attempts that failed with 5xx; most failing backends on top.</summary>
    public PlotlyChart ErrorHeatmap() => ChartBuilder.ErrorHeatmap(_log, _scope);

    /// <summary>p95 (and, on click, p50) response-header time per backend per bucket.</summary>
    public PlotlyChart LatencyOverTime() => ChartBuilder.LatencyOverTime(_log, _scope);

    /// <summary>Box plots per backend of connect, header and response time.</summary>
    public PlotlyChart LatencyBreakdown() => ChartBuilder.LatencyBreakdown(_log, _scope);

    /// <summary>Failed attempts by failing backend (rows) and the peer that then served the request (columns).</summary>
    public PlotlyChart Retries() => ChartBuilder.Retries(_log, _scope);

    /// <summary>The endpoints (method and path, query cut, id segments as <c>{id}</c>) most often answered 5xx.</summary>
    public PlotlyChart TopFailingPaths(int top = 10) => ChartBuilder.TopFailingPaths(_log, _scope, top);

    /// <summary>What a notebook shows for <c>log.Charts</c>: the request count and the charts on offer.</summary>
    public override string ToString() => $"Charts of {_log.RequestCount:N0} requests: StatusOverTime, ErrorHeatmap, LatencyOverTime, LatencyBreakdown, Retries, TopFailingPaths";
}

