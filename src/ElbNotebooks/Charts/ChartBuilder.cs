using System.Globalization;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Charts;

/// <summary>Builds each chart from a log and a <see cref="ChartScope"/>; <see cref="LogCharts"/> and <c>InvestigationCharts</c> choose the scope.</summary>
internal static class ChartBuilder
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const int MaxBoxPoints = 2000;

    public static PlotlyChart StatusOverTime(AccessLog log, ChartScope scope) => StatusOverTime(ChartData.StatusClasses(log, scope), scope);

    public static PlotlyChart StatusOverTime(StatusSeries s, ChartScope scope)
    {
        var x = s.Buckets.Local();
        var series = new (string Name, long[] Values, string Color)[]
        {
            ("2xx", s.S2xx, ChartStyle.Ok),
            ("3xx", s.S3xx, ChartStyle.Redirect),
            ("4xx", s.S4xx, ChartStyle.ClientError),
            ("5xx from backend", s.Backend5xx, ChartStyle.BackendError),
            ("5xx by LB: backend unreachable/timeout", s.Unreachable5xx, ChartStyle.UnreachableError),
            ("5xx by LB: no backend", s.NoBackend5xx, ChartStyle.NoBackendError),
        };
        var chart = new PlotlyChart(series.Select(t => new BarTrace { Name = t.Name, X = x, Y = t.Values, Color = t.Color, XPeriod = s.Buckets.Size }));
        chart.Layout.BarMode = GroupMode.Stack;
        chart.Layout.BarGap = 0.05;
        TimeGaps.Collapse(chart, s.Buckets, t => series.Any(c => c.Values[t] > 0));
        var total5xx = s.Backend5xx.Sum() + s.Unreachable5xx.Sum() + s.NoBackend5xx.Sum();
        return ChartStyle.Finish(chart,
            string.Create(C, $"Responses by status class per {Bucket(s.Buckets.Size)} ({total5xx:N0} × 5xx: who made them)"),
            scope.TimeAxis, $"requests per {Bucket(s.Buckets.Size)}", 480, timeAxis: true);
    }

    public static PlotlyChart ErrorHeatmap(AccessLog log, ChartScope scope) => ErrorHeatmap(ChartData.PerBackend(log, scope, headerTimes: false), scope);

    public static PlotlyChart ErrorHeatmap(BackendSeries data, ChartScope scope)
    {
        var x = data.Buckets.Local();
        var z = data.Backends.Select((_, b) => data.Attempts[b].Select((n, t) =>
            n == 0 ? double.NaN : Math.Round(100.0 * data.Errors[b][t] / n, 2)).ToArray()).ToArray();
        var labels = Labels(data.Backends, scope, b => string.Create(C,
            $"{data.Errors[b].Sum():N0}/{data.Attempts[b].Sum():N0}"));
        var chart = new PlotlyChart(new HeatmapTrace
        {
            X = x, Y = labels, Z = z, XPeriod = data.Buckets.Size,
            ColorScale = [(0.0, "#f7f7f7"), (0.05, "#fddbc7"), (0.3, "#ef8a62"), (1.0, "#b2182b")],
            ZMin = 0, ZMax = 100, ColorBarTitle = "failed attempts (%)",
            HoverTemplate = "%{y}<br>%{x}<br>%{z:.1f} % of attempts failed (5xx)<extra></extra>",
        });
        chart.Layout.YAxis.Reversed = true;
        TimeGaps.Collapse(chart, data.Buckets, t => data.Attempts.Any(a => a[t] > 0));
        if (data.Backends.Count == 0) chart.Layout.Note = "no upstream attempts in this window";
        return ChartStyle.Finish(chart,
            $"Failed attempts (5xx) per backend per {Bucket(data.Buckets.Size)}, % of its attempts (blank: no attempts)",
            scope.TimeAxis, "backend (failed/attempts, whole range)", ChartStyle.HeightFor(data.Backends.Count), timeAxis: true);
    }

    public static PlotlyChart LatencyOverTime(AccessLog log, ChartScope scope)
    {
        var data = ChartData.PerBackend(log, scope, headerTimes: true);
        var p95 = data.HeaderTimes!.Select(cells => cells.Select(v => v is null ? double.NaN : Stats.Percentile(v, 0.95)).ToArray()).ToArray();
        var p50 = data.HeaderTimes!.Select(cells => cells.Select(v => v is null ? double.NaN : Stats.Percentile(v, 0.50)).ToArray()).ToArray();
        return LatencyOverTime(data.Buckets, Labels(data.Backends, scope, _ => null), p50, p95, scope);
    }

    public static PlotlyChart LatencyOverTime(TimeBuckets buckets, List<string> backends, double[][] p50s, double[][] p95s, ChartScope scope)
    {
        var x = buckets.Local();
        var chart = new PlotlyChart();
        for (var b = 0; b < backends.Count; b++)
        {
            var name = backends[b];
            var color = ChartStyle.SeriesColor(b);
            const string hover = "%{fullData.name}<br>%{x}<br>%{y:.3f} s<extra></extra>";
            // A bucket's percentile is a point at the bucket's middle (hover names its start), as its bar and cell span it.
            chart.Data.Add(new ScatterTrace { Name = name + " p95", X = x, Y = p95s[b], Line = LineStyle.SolidWithMarkers, Color = color, LegendGroup = name, HoverTemplate = hover, XPeriod = buckets.Size });
            chart.Data.Add(new ScatterTrace { Name = name + " p50", X = x, Y = p50s[b], Line = LineStyle.Dotted, Color = color, LegendGroup = name, LegendOnly = true, HoverTemplate = hover, XPeriod = buckets.Size });
        }
        TimeGaps.Collapse(chart, buckets, t => p95s.Any(p => double.IsFinite(p[t])));
        if (backends.Count == 0) chart.Layout.Note = "no upstream attempts in this window";
        return ChartStyle.Finish(chart,
            $"Backend response header time per {Bucket(buckets.Size)}: p95 (p50 dotted, click the legend to show)",
            scope.TimeAxis, "upstream header time (s)", 520, timeAxis: true);
    }

    public static PlotlyChart LatencyBreakdown(AccessLog log, ChartScope scope)
    {
        var data = ChartData.Latency(log, scope);
        var labels = Labels(data.Backends, scope, _ => null);
        BoxTrace Box(string name, List<double>[] values, string color)
        {
            var xs = new List<double>();
            var ys = new List<string>();
            for (var b = 0; b < labels.Count; b++)
            {
                var thinned = Stats.Thin(values[b], MaxBoxPoints);
                xs.AddRange(thinned);
                ys.AddRange(Enumerable.Repeat(labels[b], thinned.Count));
            }
            return new BoxTrace { Name = name, X = xs.ToArray(), Y = ys, Color = color };
        }
        var chart = new PlotlyChart(Box("connect", data.Connect, "#1f77b4"), Box("header", data.Header, "#ff7f0e"), Box("response", data.Response, "#2ca02c"));
        chart.Layout.YAxis.Reversed = true;
        chart.Layout.YAxis.Type = AxisType.Category;
        if (data.Backends.Count == 0) chart.Layout.Note = "no upstream attempts in this window";
        return ChartStyle.Finish(chart, "Latency per backend: connect, response header and full response (seconds)",
            "seconds (connect / header / response time of each attempt)", "backend", ChartStyle.HeightFor(data.Backends.Count, perRow: 48), timeAxis: false);
    }

    public static PlotlyChart Retries(AccessLog log, ChartScope scope)
    {
        var m = ChartData.Retries(log, scope);
        var z = m.Counts.Select(row => row.Select(n => n == 0 ? double.NaN : n).ToArray()).ToArray();
        var chart = new PlotlyChart(new HeatmapTrace
        {
            X = m.Served, Y = m.Failed, Z = z,
            ColorScale = [(0.0, "#fee0d2"), (1.0, "#a50f15")],
            ColorBarTitle = "failed attempts", ShowValues = true,
            HoverTemplate = "%{z} attempts failed on %{y}<br>then served by %{x}<extra></extra>",
        });
        chart.Layout.YAxis.Reversed = true;
        if (m.Total == 0) chart.Layout.Note = "no retried attempts in this window";
        return ChartStyle.Finish(chart,
            string.Create(C, $"Retries: {m.Total:N0} failed attempts, by the backend that failed and the peer that then served the request"),
            $"served the request (\"{ChartData.NotRescued}\": the client still got a 5xx, or gave up)", "failed backend",
            ChartStyle.HeightFor(m.Failed.Count, perRow: 30), timeAxis: false);
    }

    public static PlotlyChart TopFailingPaths(AccessLog log, ChartScope scope, int top)
    {
        var paths = ChartData.FailingPaths(log, scope, top);
        var labels = paths.Select(p => Formatting.DisplayText.Cut(p.Path, 70)).ToArray();
        var chart = new PlotlyChart(new BarTrace
        {
            Name = "5xx responses", X = paths.Select(p => p.Count).ToArray(), Y = labels, Horizontal = true, Color = ChartStyle.BackendError,
        });
        chart.Layout.YAxis.Reversed = true;
        chart.Layout.YAxis.Type = AxisType.Category;
        if (paths.Count == 0) chart.Layout.Note = "no 5xx responses in this window";
        return ChartStyle.Finish(chart, string.Create(C, $"Top {paths.Count} endpoints answered 5xx"),
            "requests answered 5xx", "endpoint (method and path, ids as {id})", ChartStyle.HeightFor(paths.Count, perRow: 26), timeAxis: false);
    }

    /// <summary>Backends as axis labels; a suspect is marked, and an optional note follows the name.</summary>
    internal static List<string> Labels(List<string> backends, ChartScope scope, Func<int, string?> note) =>
        backends.Select((b, i) =>
        {
            var label = scope.Suspects?.Contains(b) == true ? "⚠ " + b : b;
            return note(i) is { } n ? $"{label} ({n})" : label;
        }).ToList();

    internal static string Bucket(TimeSpan size) =>
        size.TotalDays >= 1 && size.TotalDays % 1 == 0 ? string.Create(C, $"{size.TotalDays:0} d")
        : size.TotalHours >= 1 && size.TotalHours % 1 == 0 ? string.Create(C, $"{size.TotalHours:0} h")
        : size.TotalMinutes >= 1 && size.TotalMinutes % 1 == 0 ? string.Create(C, $"{size.TotalMinutes:0} min")
        : string.Create(C, $"{size.TotalSeconds:0.###} s");
}
