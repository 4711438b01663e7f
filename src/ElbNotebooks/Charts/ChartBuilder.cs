using System.Globalization;
using ElbNotebooks.Loading;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace ElbNotebooks.Charts;

/// <summary>Builds each chart from a log and a <see cref="ChartScope"/>; <see cref="LogCharts"/> and <c>InvestigationCharts</c> choose the scope.</summary>
internal static class ChartBuilder
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const int MaxBoxPoints = 2000;

    public static GenericChart StatusOverTime(AccessLog log, ChartScope scope) => StatusOverTime(ChartData.StatusClasses(log, scope), scope);

    public static GenericChart StatusOverTime(StatusSeries s, ChartScope scope)
    {
        var x = s.Buckets.Local();
        var series = new (string Name, long[] Values, Color Color)[]
        {
            ("2xx", s.S2xx, ChartStyle.Ok),
            ("3xx", s.S3xx, ChartStyle.Redirect),
            ("4xx", s.S4xx, ChartStyle.ClientError),
            ("5xx from backend", s.Backend5xx, ChartStyle.BackendError),
            ("5xx by LB: backend unreachable/timeout", s.Unreachable5xx, ChartStyle.UnreachableError),
            ("5xx by LB: no backend", s.NoBackend5xx, ChartStyle.NoBackendError),
        };
        var chart = Chart.Combine(series.Select(t =>
            Chart.StackedColumn<long, DateTime, string>(values: t.Values, Keys: x, Name: t.Name, MarkerColor: t.Color)));
        ChartStyle.Layout(chart, "bargap", 0.05);
        var total5xx = s.Backend5xx.Sum() + s.Unreachable5xx.Sum() + s.NoBackend5xx.Sum();
        return ChartStyle.Finish(chart,
            string.Create(C, $"Responses by status class per {Bucket(s.Buckets.Size)} ({total5xx:N0} × 5xx: who made them)"),
            scope.TimeAxis, $"requests per {Bucket(s.Buckets.Size)}", 480, timeAxis: true);
    }

    public static GenericChart ErrorHeatmap(AccessLog log, ChartScope scope) => ErrorHeatmap(ChartData.PerBackend(log, scope, headerTimes: false), scope);

    public static GenericChart ErrorHeatmap(BackendSeries data, ChartScope scope)
    {
        var x = data.Buckets.Local();
        var z = data.Backends.Select((_, b) => data.Attempts[b].Select((n, t) =>
            n == 0 ? double.NaN : Math.Round(100.0 * data.Errors[b][t] / n, 2)).ToArray()).ToArray();
        var labels = Labels(data.Backends, scope, b => string.Create(C,
            $"{data.Errors[b].Sum():N0}/{data.Attempts[b].Sum():N0}"));
        var chart = Chart.Heatmap<double, DateTime, string, string>(zData: z, X: x, Y: labels,
            ColorScale: StyleParam.Colorscale.NewCustom([Tuple.Create(0.0, Color.fromHex("#f7f7f7")), Tuple.Create(0.05, Color.fromHex("#fddbc7")), Tuple.Create(0.3, Color.fromHex("#ef8a62")), Tuple.Create(1.0, Color.fromHex("#b2182b"))]),
            ReverseYAxis: true, XGap: 1, YGap: 1);
        ChartStyle.Traces(chart, "colorbar", ChartStyle.TitleText("failed attempts (%)"));
        ChartStyle.Traces(chart, "zmin", 0);
        ChartStyle.Traces(chart, "zmax", 100);
        ChartStyle.Traces(chart, "hovertemplate", "%{y}<br>%{x}<br>%{z:.1f} % of attempts failed (5xx)<extra></extra>");
        if (data.Backends.Count == 0) ChartStyle.NoData(chart, "no upstream attempts in this window");
        return ChartStyle.Finish(chart,
            $"Failed attempts (5xx) per backend per {Bucket(data.Buckets.Size)}, % of its attempts (blank: no attempts)",
            scope.TimeAxis, "backend (failed/attempts)", ChartStyle.HeightFor(data.Backends.Count), timeAxis: true);
    }

    public static GenericChart LatencyOverTime(AccessLog log, ChartScope scope)
    {
        var data = ChartData.PerBackend(log, scope, headerTimes: true);
        var p95 = data.HeaderTimes!.Select(cells => cells.Select(v => v is null ? double.NaN : Stats.Percentile(v, 0.95)).ToArray()).ToArray();
        var p50 = data.HeaderTimes!.Select(cells => cells.Select(v => v is null ? double.NaN : Stats.Percentile(v, 0.50)).ToArray()).ToArray();
        return LatencyOverTime(data.Buckets, Labels(data.Backends, scope, _ => null), p50, p95, scope);
    }

    public static GenericChart LatencyOverTime(TimeBuckets buckets, List<string> backends, double[][] p50s, double[][] p95s, ChartScope scope)
    {
        var data = new { Buckets = buckets, Backends = backends };
        var x = data.Buckets.Local();
        var traces = new List<GenericChart>();
        for (var b = 0; b < data.Backends.Count; b++)
        {
            var p95 = p95s[b];
            var p50 = p50s[b];
            var name = data.Backends[b];
            var p95Trace = Chart.Line<DateTime, double, string>(x, p95, Name: name + " p95", ShowMarkers: true)
                .WithTraceInfo(LegendGroup: name);
            var p50Trace = Chart.Line<DateTime, double, string>(x, p50, Name: name + " p50", LineDash: StyleParam.DrawingStyle.Dot)
                .WithTraceInfo(LegendGroup: name, Visible: StyleParam.Visible.LegendOnly);
            ChartStyle.Traces(p95Trace, "connectgaps", false);
            ChartStyle.Traces(p50Trace, "connectgaps", false);
            traces.Add(p95Trace);
            traces.Add(p50Trace);
        }
        var chart = traces.Count == 0 ? Chart.Line<DateTime, double, string>([], [], Name: "none") : Chart.Combine(traces);
        if (traces.Count == 0) ChartStyle.NoData(chart, "no upstream attempts in this window");
        ChartStyle.Traces(chart, "hovertemplate", "%{fullData.name}<br>%{x}<br>%{y:.3f} s<extra></extra>");
        return ChartStyle.Finish(chart,
            $"Backend response header time per {Bucket(data.Buckets.Size)}: p95 (p50 dotted, click the legend to show)",
            scope.TimeAxis, "upstream header time (s)", 520, timeAxis: true);
    }

    public static GenericChart LatencyBreakdown(AccessLog log, ChartScope scope)
    {
        var data = ChartData.Latency(log, scope);
        var labels = Labels(data.Backends, scope, _ => null);
        GenericChart Box(string name, List<double>[] values, string color)
        {
            var xs = new List<double>();
            var ys = new List<string>();
            for (var b = 0; b < labels.Count; b++)
            {
                var thinned = Stats.Thin(values[b], MaxBoxPoints);
                xs.AddRange(thinned);
                ys.AddRange(Enumerable.Repeat(labels[b], thinned.Count));
            }
            return Chart.BoxPlot<double, string, string>(X: xs, Y: ys, Name: name, Orientation: StyleParam.Orientation.Horizontal,
                MarkerColor: Color.fromHex(color), BoxPoints: StyleParam.BoxPoints.Outliers);
        }
        var chart = Chart.Combine([Box("connect", data.Connect, "#1f77b4"), Box("header", data.Header, "#ff7f0e"), Box("response", data.Response, "#2ca02c")]);
        ChartStyle.Layout(chart, "boxmode", "group");
        ChartStyle.Layout(chart, "yaxis", new Dictionary<string, object>
        {
            ["autorange"] = "reversed", ["type"] = "category", ["title"] = new Dictionary<string, object> { ["text"] = "backend" },
        });
        if (data.Backends.Count == 0) ChartStyle.NoData(chart, "no upstream attempts in this window");
        chart = ChartStyle.Finish(chart, "Latency per backend: connect, response header and full response (seconds)",
            "seconds (connect / header / response time of each attempt)", "backend", ChartStyle.HeightFor(data.Backends.Count, perRow: 48), timeAxis: false);
        return chart;
    }

    public static GenericChart Retries(AccessLog log, ChartScope scope)
    {
        var m = ChartData.Retries(log, scope);
        var z = m.Counts.Select(row => row.Select(n => n == 0 ? double.NaN : n).ToArray()).ToArray();
        var chart = Chart.Heatmap<double, string, string, string>(zData: z, X: m.Served, Y: m.Failed,
            ColorScale: StyleParam.Colorscale.NewCustom([Tuple.Create(0.0, Color.fromHex("#fee0d2")), Tuple.Create(1.0, Color.fromHex("#a50f15"))]),
            ReverseYAxis: true, XGap: 1, YGap: 1);
        ChartStyle.Traces(chart, "colorbar", ChartStyle.TitleText("failed attempts"));
        ChartStyle.Traces(chart, "texttemplate", "%{z}");
        ChartStyle.Traces(chart, "hovertemplate", "%{z} attempts failed on %{y}<br>then served by %{x}<extra></extra>");
        if (m.Total == 0) ChartStyle.NoData(chart, "no retried attempts in this window");
        return ChartStyle.Finish(chart,
            string.Create(C, $"Retries: {m.Total:N0} failed attempts, by the backend that failed and the peer that then served the request"),
            $"served the request (\"{ChartData.NotRescued}\": the client still got a 5xx)", "failed backend",
            ChartStyle.HeightFor(m.Failed.Count, perRow: 30), timeAxis: false);
    }

    public static GenericChart TopFailingPaths(AccessLog log, ChartScope scope, int top)
    {
        var paths = ChartData.FailingPaths(log, scope, top);
        var labels = paths.Select(p => Formatting.DisplayText.Cut(p.Path, 70)).ToArray();
        var chart = Chart.Bar<long, string, string>(values: paths.Select(p => p.Count).ToArray(), Keys: labels, Name: "5xx responses",
            MarkerColor: ChartStyle.BackendError);
        ChartStyle.Layout(chart, "yaxis", new Dictionary<string, object>
        {
            ["autorange"] = "reversed", ["type"] = "category", ["title"] = new Dictionary<string, object> { ["text"] = "request (method and path)" },
        });
        if (paths.Count == 0) ChartStyle.NoData(chart, "no 5xx responses in this window");
        return ChartStyle.Finish(chart, string.Create(C, $"Top {paths.Count} request paths answered 5xx"),
            "requests answered 5xx", "request (method and path)", ChartStyle.HeightFor(paths.Count, perRow: 26), timeAxis: false);
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
