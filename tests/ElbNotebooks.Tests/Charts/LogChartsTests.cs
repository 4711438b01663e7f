using ElbNotebooks.Loading;
using ElbNotebooks.Charts;
using ElbNotebooks.Tests.Support;
using static ElbNotebooks.Tests.Support.TestLogs;

namespace ElbNotebooks.Tests.Charts;

public class LogChartsTests
{
    private static readonly string[] Minutes = ["2024-05-01T10:00:00", "2024-05-01T10:01:00", "2024-05-01T10:02:00"];
    private static LogCharts Charts() => Scenario().Charts.WithBucket(TimeSpan.FromMinutes(1));

    [Fact]
    public void Status_over_time_stacks_status_classes_per_bucket_in_the_logs_own_offset()
    {
        var figure = Figure.Of(Charts().StatusOverTime());

        Assert.Equal("time (UTC+08:00)", figure.XTitle);
        Assert.Equal("requests per 1 min", figure.YTitle);
        Assert.Equal("stack", figure.Layout.GetProperty("barmode").GetString());
        Assert.Equal(Minutes, Figure.Strings(figure.Trace("2xx").GetProperty("x")));
        Assert.Equal([4, 3, 2], Figure.Numbers(figure.Trace("2xx").GetProperty("y")));
        Assert.Equal([0, 0, 1], Figure.Numbers(figure.Trace("3xx").GetProperty("y")));
        Assert.Equal([0, 1, 0], Figure.Numbers(figure.Trace("4xx").GetProperty("y")));
    }

    [Fact]
    public void Status_over_time_splits_5xx_by_who_made_them()
    {
        var figure = Figure.Of(Charts().StatusOverTime());

        Assert.Equal([2, 0, 0], Figure.Numbers(figure.Trace("5xx from backend").GetProperty("y")));
        Assert.Equal([0, 1, 0], Figure.Numbers(figure.Trace("5xx by LB: backend unreachable/timeout").GetProperty("y")));
        Assert.Equal([0, 1, 0], Figure.Numbers(figure.Trace("5xx by LB: no backend").GetProperty("y")));
        Assert.Contains("4 × 5xx", figure.Title);
    }

    [Fact]
    public void Error_heatmap_puts_the_most_failing_backend_on_top_with_failure_percentages()
    {
        var figure = Figure.Of(Charts().ErrorHeatmap());
        var heatmap = Assert.Single(figure.Traces);

        Assert.Equal("heatmap", heatmap.GetProperty("type").GetString());
        Assert.Equal([$"{B} (6/6)", $"{C} (1/3)", $"{A} (0/9)"], Figure.Strings(heatmap.GetProperty("y")));
        Assert.Equal(Minutes, Figure.Strings(heatmap.GetProperty("x")));
        var z = heatmap.GetProperty("z").EnumerateArray().Select(Figure.Numbers).ToArray();
        Assert.Equal([100, 100, double.NaN], z[0]);
        Assert.Equal([double.NaN, 50, 0], z[1]);
        Assert.Equal([0, 0, 0], z[2]);
        Assert.Equal("reversed", figure.Layout.GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("time (UTC+08:00)", figure.XTitle);
    }

    /// <summary>
    /// A request the client gave up on (499) whose attempt the load balancer logged as a 504: the old chart rule
    /// (attempt status 5xx) drew it as a failure, while the verdict never counts a client abort. One rule now.
    /// </summary>
    [Fact]
    public void A_client_aborted_5xx_is_no_failure_in_the_heatmap_as_in_the_verdict()
    {
        const string D = "10.0.0.4:80";
        var log = Load([
            Line(T0, 200, "200", "0.001", "0.010", "0.010", D),
            Line(T0.AddSeconds(10), 499, "504", "0.001", "-", "-", D),
            Line(T0.AddSeconds(20), 200, "200", "0.001", "0.010", "0.010", D),
        ]);
        Assert.Contains(504, log.AttemptColumns.Status.Values.ToArray()); // what the old rule counted as an error

        var health = Assert.Single(ElbNotebooks.Analysis.AccessLogInvestigation.Investigate(log).Backends);
        Assert.Equal(0, health.Backend5xx + health.Lb5xx);
        Assert.Equal(1, health.ClientAborts);

        var heatmap = Assert.Single(Figure.Of(log.Charts.WithBucket(TimeSpan.FromMinutes(1)).ErrorHeatmap()).Traces);
        Assert.Equal([$"{D} (0/3)"], Figure.Strings(heatmap.GetProperty("y")));
        Assert.Equal([0], Figure.Numbers(heatmap.GetProperty("z").EnumerateArray().Single()));
    }

    [Fact]
    public void Latency_over_time_draws_p95_per_backend_and_p50_on_demand()
    {
        var figure = Figure.Of(Charts().LatencyOverTime());

        var p95 = figure.Trace($"{A} p95");
        Assert.Equal(Minutes, Figure.Strings(p95.GetProperty("x")));
        var values = Figure.Numbers(p95.GetProperty("y"));
        Assert.Equal(0.020, values[0], 6);
        Assert.Equal(0.040, values[1], 6);
        Assert.Equal(0.029, values[2], 6);
        Assert.Equal("legendonly", figure.Trace($"{A} p50").GetProperty("visible").GetString());
        Assert.Equal("upstream header time (s)", figure.YTitle);
        Assert.Equal("time (UTC+08:00)", figure.XTitle);
    }

    [Fact]
    public void Latency_breakdown_has_one_box_trace_per_phase_with_each_backends_times()
    {
        var figure = Figure.Of(Charts().LatencyBreakdown());

        Assert.Equal(["connect", "header", "response"], figure.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(figure.Traces, t => Assert.Equal("box", t.GetProperty("type").GetString()));
        var header = figure.Trace("header");
        var ys = Figure.Strings(header.GetProperty("y"));
        var xs = Figure.Numbers(header.GetProperty("x"));
        Assert.Equal([1.5, 1.5], ys.Zip(xs).Where(p => p.First == B).Select(p => p.Second));
        Assert.Equal(9, ys.Count(y => y == A));
        Assert.Contains("seconds", figure.XTitle);
    }

    [Fact]
    public void Retries_count_failed_attempts_by_failing_backend_and_the_peer_that_served_the_request()
    {
        var figure = Figure.Of(Charts().Retries());
        var heatmap = Assert.Single(figure.Traces);

        Assert.Equal([B], Figure.Strings(heatmap.GetProperty("y")));
        Assert.Equal([A, "(not rescued)"], Figure.Strings(heatmap.GetProperty("x")));
        Assert.Equal([3, 1], Figure.Numbers(heatmap.GetProperty("z")[0]));
        Assert.Contains("4 failed attempts", figure.Title);
        Assert.Equal("failed backend", figure.YTitle);
    }

    [Fact]
    public void Retries_count_a_retried_request_whose_client_gave_up_as_not_rescued_as_the_verdicts_do()
    {
        // B refused, A answered, but the client had closed the connection (499): the client got nothing, so the
        // suspect's "hurt" counts it and the chart must not show it as served by A.
        var gaveUp = Line(T0.AddMinutes(1).AddSeconds(30), 499, "502, 200", "-, 0.001", "-, 0.040", "0.001, 0.041", $"{B}, {A}", "/api/cart");
        var figure = Figure.Of(Load(ScenarioLines().Append(gaveUp)).Charts.WithBucket(TimeSpan.FromMinutes(1)).Retries());
        var heatmap = Assert.Single(figure.Traces);

        Assert.Equal([A, "(not rescued)"], Figure.Strings(heatmap.GetProperty("x")));
        Assert.Equal([3, 2], Figure.Numbers(heatmap.GetProperty("z")[0]));
        Assert.Contains("or gave up", figure.XTitle);
    }

    [Fact]
    public void Top_failing_paths_ranks_method_and_path_without_the_query()
    {
        var figure = Figure.Of(Charts().TopFailingPaths());
        var bar = Assert.Single(figure.Traces);

        Assert.Equal("h", bar.GetProperty("orientation").GetString());
        Assert.Equal(["POST /api/orders", "GET /api/cart", "GET /api/pay"], Figure.Strings(bar.GetProperty("y")));
        Assert.Equal([2, 1, 1], Figure.Numbers(bar.GetProperty("x")));
        Assert.Equal("requests answered 5xx", figure.XTitle);
        Assert.Single(Figure.Strings(Figure.Of(Charts().TopFailingPaths(top: 1)).Traces[0].GetProperty("y")));
    }

    [Fact]
    public void Top_failing_paths_group_requests_by_endpoint_so_an_id_does_not_split_them()
    {
        // 3 failed requests for three different products are one endpoint, and outrank the 2 of one plain path;
        // the chart names them as the suspect's "hurt most" list and the reports do.
        var lines = new[] { "/products/17", "/products/42?ref=mail", "/products/p57443" }
            .Select((path, i) => Line(T0.AddSeconds(i), 500, "500", "0.001", "0.010", "0.010", A, path))
            .Concat(Enumerable.Range(0, 2).Select(i => Line(T0.AddSeconds(10 + i), 502, "502", "-", "-", "0.001", A, "/cart", "POST")));
        var figure = Figure.Of(Load(lines).Charts.TopFailingPaths());
        var bar = Assert.Single(figure.Traces);

        Assert.Equal(["GET /products/{id}", "POST /cart"], Figure.Strings(bar.GetProperty("y")));
        Assert.Equal([3, 2], Figure.Numbers(bar.GetProperty("x")));
        Assert.Equal("Top 2 endpoints answered 5xx", figure.Title);
    }

    [Fact]
    public void Every_chart_has_a_title_and_labelled_axes()
    {
        var charts = Charts();
        foreach (var chart in new[] { charts.StatusOverTime(), charts.ErrorHeatmap(), charts.LatencyOverTime(), charts.LatencyBreakdown(), charts.Retries(), charts.TopFailingPaths() })
        {
            var figure = Figure.Of(chart);
            Assert.False(string.IsNullOrWhiteSpace(figure.Title));
            Assert.False(string.IsNullOrWhiteSpace(figure.XTitle));
            Assert.False(string.IsNullOrWhiteSpace(figure.YTitle));
        }
    }

    [Fact]
    public void Charts_grow_with_dozens_of_backends_so_each_keeps_a_readable_row()
    {
        var lines = Enumerable.Range(0, 40).Select(i => Line(T0.AddSeconds(i), 200, "200", "0.001", "0.010", "0.010", $"10.1.0.{i}:80"));
        var figure = Figure.Of(Load(lines).Charts.ErrorHeatmap());

        Assert.Equal(40, figure.Traces[0].GetProperty("y").GetArrayLength());
        Assert.True(figure.Layout.GetProperty("height").GetInt32() >= 40 * 20);
    }

    [Fact]
    public void Charts_of_a_log_without_backends_or_errors_still_build_and_say_so()
    {
        var log = Load([Line(T0, 503, "-", "-", "-", "-", "-"), Line(T0.AddSeconds(1), 200, "200", "0.001", "0.002", "0.002", A)]);
        var charts = log.Charts;

        Assert.Contains("no retried attempts", Figure.Of(charts.Retries()).Layout.GetProperty("annotations")[0].GetProperty("text").GetString());
        Assert.NotNull(charts.LatencyOverTime());
        Assert.NotNull(charts.LatencyBreakdown());
        Assert.NotNull(charts.ErrorHeatmap());
        Assert.Equal(["GET /"], Figure.Strings(Figure.Of(charts.TopFailingPaths()).Traces[0].GetProperty("y")));
    }

    [Fact]
    public void The_default_bucket_keeps_at_most_120_buckets()
    {
        var figure = Figure.Of(Scenario().Charts.StatusOverTime());
        var x = figure.Trace("2xx").GetProperty("x").GetArrayLength();
        Assert.InRange(x, 1, 120);
        Assert.Equal("requests per 5 s", figure.YTitle);
    }
}
