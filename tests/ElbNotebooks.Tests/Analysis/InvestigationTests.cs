using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;

using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>The engine on small hand-written Huawei ELB lines (log-formats.md section 1).</summary>
public sealed class InvestigationTests
{
    internal const string SeedLine =
        "1554944564.344 - [2019-04-11T09:02:44+08:00] elb 10.133.251.171:51527 500 \"GET http://10.154.73.58:5971/ HTTP/1.1\" 411 3726 3545 19.028 \"500\" \"0.009\" \"19.028\" \"19.028\" \"172.17.0.82:3000\" \"Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/73.0.3683.103 Safari/537.36\" \"\" \"-\" loadbalancer_ed0f790b-e194-4657-9f97-53426227099e listener_b21dd0a9-690a-4945-950e-b134095c6bd9 6b6aaf84d72b40fcb2d2b9b28f6a0b83";

    /// <summary>A full-layout line (33 fields) at 2024-05-01 10:mm:ss +08:00.</summary>
    internal static string Line(int minute, int second, int status, string upstreamStatus, string connect, string header, string addr,
        string listener = "listener_web", string pool = "pool_web", string method = "GET")
    {
        var time = new DateTimeOffset(2024, 5, 1, 10, minute, second, TimeSpan.FromHours(8));
        var msec = time.ToUnixTimeMilliseconds() / 1000.0;
        return FormattableString.Invariant(
            $"{msec:0.000} - [{time:yyyy-MM-dd'T'HH:mm:sszzz}] elb_01 203.0.113.7:51544 {status} \"{method} https://shop.example.com/cart HTTP/1.1\" 812 272 100 0.020 \"{upstreamStatus}\" \"{connect}\" \"{header}\" \"{header}\" \"{addr}\" \"curl/8.5.0\" \"-\" \"-\" loadbalancer_1 {listener} id_1 {pool} \"-\" tenant 121.64.212.1:443 \"-\" - TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 shop.example.com 56704 -");
    }

    internal static AccessLog Load(IEnumerable<string> lines) =>
        AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n")), "test.log");

    [Fact]
    public void The_seed_line_alone_names_its_backend_as_failing()
    {
        var i = Load([SeedLine]).Investigate();

        var suspect = Assert.Single(i.Suspects);
        Assert.Equal("172.17.0.82:3000", suspect.Backend.Backend);
        Assert.Equal(Health.Failing, suspect.Health);
        Assert.Equal(1, suspect.Backend.Backend5xx);
        Assert.Equal(0, suspect.Backend.Lb5xx);
        SketchAssert.WithinError(19.028, suspect.Backend.Header.P50); // a sketch's percentile: within 1%
        Assert.Equal(new DateTime(2019, 4, 11, 1, 2, 0, DateTimeKind.Utc), suspect.Window.StartUtc);
        Assert.Equal(new DateTimeOffset(2019, 4, 11, 9, 2, 0, TimeSpan.FromHours(8)), suspect.Window.StartLocal);
        Assert.Equal([0L], suspect.ExampleRequestRows);
        Assert.Equal(1, suspect.RequestsHurt);
        Assert.StartsWith("172.17.0.82:3000 failed 1 of 1 attempts (100.0%; 1 backend 5xx) between 09:02 and 09:03 +08:00", suspect.Reason);
    }

    [Fact]
    public void A_failed_earlier_attempt_is_charged_to_its_backend_even_when_the_client_got_200()
    {
        var i = Load([Line(0, 1, 200, "502, 200", "0.001, 0.001", "-, 0.018", "10.0.1.23:8080, 10.0.1.24:8080")]).Investigate();

        var refused = Assert.Single(i.Backends, b => b.Backend == "10.0.1.23:8080");
        Assert.Equal(1, refused.Attempts);
        Assert.Equal(1, refused.Lb5xx);
        Assert.Equal(0, refused.Backend5xx);
        Assert.Equal(1.0, refused.ErrorRate);
        var rescuer = Assert.Single(i.Backends, b => b.Backend == "10.0.1.24:8080");
        Assert.Equal(0, rescuer.Lb5xx + rescuer.Backend5xx);
        SketchAssert.WithinError(0.018, rescuer.Header.P50); // a sketch's percentile: within 1%
    }

    [Fact]
    public void Who_made_a_5xx_is_told_by_the_header_time_and_client_aborts_are_never_errors()
    {
        var i = Load([
            Line(0, 1, 500, "500", "0.001", "0.200", "10.0.1.11:8080"),
            Line(0, 2, 504, "504", "5.000", "-", "10.0.1.11:8080"),
            Line(0, 3, 404, "404", "0.001", "0.010", "10.0.1.11:8080"),
            Line(0, 4, 499, "-", "-", "-", "10.0.1.11:8080"),
            Line(0, 5, 200, "200", "0.001", "0.010", "10.0.1.11:8080"),
        ]).Investigate();

        var b = Assert.Single(i.Backends);
        Assert.Equal(5, b.Attempts);
        Assert.Equal(1, b.Backend5xx);
        Assert.Equal(1, b.Lb5xx);
        Assert.Equal(1, b.Status4xx);
        Assert.Equal(1, b.ClientAborts);
        Assert.Equal(0.4, b.ErrorRate);
    }

    [Fact]
    public void An_albs_460_is_a_client_abort_as_a_499_is()
    {
        // The ALB example (log-formats.md §2) with the 460 an ALB writes when the client closed the connection before
        // the idle timeout: before the target answered (target status "-"), and after it answered 200; beside them a
        // 404 the target answered, and the example's own 502 (the target reset the connection).
        var waiting = TestLines.WithField(TestLines.Alb, 9, "460");
        var late = TestLines.WithField(TestLines.WithField(waiting, 10, "200"), 7, "0.500");
        var notFound = TestLines.WithField(TestLines.WithField(TestLines.WithField(TestLines.Alb, 9, "404"), 10, "404"), 7, "0.010");
        var b = Assert.Single(TestLines.Load(string.Join("\n", waiting, late, notFound, TestLines.Alb) + "\n").Investigate().Backends);

        Assert.Equal(4, b.Attempts);
        Assert.Equal(2, b.ClientAborts);
        Assert.Equal(1, b.Status4xx);
        Assert.Equal(1, b.Lb5xx);
        Assert.Equal(0.25, b.ErrorRate);
    }

    [Fact]
    public void Requests_the_load_balancer_answered_itself_are_listener_errors_never_charged_to_a_backend()
    {
        var i = Load([
            Line(0, 1, 503, "-", "-", "-", "-"),
            Line(0, 2, 503, "-", "-", "-", "-"),
            Line(0, 3, 403, "-", "-", "-", "-", listener: "listener_api"),
            Line(0, 4, 301, "-", "-", "-", "-"),
            Line(0, 5, 200, "200", "0.001", "0.010", "10.0.1.11:8080"),
        ]).Investigate();

        Assert.Equal(2, i.NoBackendErrors);
        Assert.Equal(
            [("listener_api", 403, 1L), ("listener_web", 503, 2L)],
            i.ListenerErrors.Select(e => (e.Listener, e.Status, e.Requests)));
        var b = Assert.Single(i.Backends);
        Assert.Equal(1, b.Attempts);
        Assert.Empty(i.Suspects);
    }

    [Fact]
    public void Percentiles_interpolate_linearly_between_ranks_within_the_sketchs_relative_error()
    {
        var headers = new[] { "0.010", "0.020", "0.030", "0.040", "0.050", "0.060", "0.070", "0.080", "0.090", "0.100", "1.100" };
        var i = Load(headers.Select((h, k) => Line(0, k, 200, "200", "0.001", h, "10.0.1.11:8080"))).Investigate();

        // Exact values, met within LatencySketch.RelativeError (1%): the percentiles come from a sketch.
        var b = Assert.Single(i.Backends);
        SketchAssert.WithinError(0.060, b.Header.P50);
        SketchAssert.WithinError(0.6, b.Header.P95);     // rank 9.5: halfway between 0.100 and 1.100
        SketchAssert.WithinError(1.0, b.Header.P99);     // rank 9.9
        SketchAssert.WithinError(0.001, b.Connect.P99);
    }

    [Fact]
    public void The_worst_minute_and_first_and_last_errors_are_reported()
    {
        var i = Load([
            Line(1, 10, 500, "500", "0.001", "0.2", "10.0.1.11:8080"),
            Line(2, 10, 500, "500", "0.001", "0.2", "10.0.1.11:8080"),
            Line(2, 20, 500, "500", "0.001", "0.2", "10.0.1.11:8080"),
            Line(3, 30, 200, "200", "0.001", "0.2", "10.0.1.11:8080"),
        ]).Investigate();

        var b = Assert.Single(i.Backends);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 1, 10, DateTimeKind.Utc), b.FirstError);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 2, 20, DateTimeKind.Utc), b.LastError);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 2, 0, DateTimeKind.Utc), b.WorstMinute);
        Assert.Equal(2, b.WorstMinuteErrors);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(60, 1)]
    [InlineData(180, 2)]
    [InlineData(600, 5)]
    [InlineData(1440, 15)]
    [InlineData(10080, 60)]
    public void Buckets_are_sized_for_60_to_120_over_the_span(int spanMinutes, int bucketMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(bucketMinutes), BucketClock.AutoSize(TimeSpan.FromMinutes(spanMinutes)));

    [Fact]
    public void The_timeline_has_one_row_per_backend_and_bucket_and_one_per_bucket_for_status_classes()
    {
        var i = Load([
            Line(0, 1, 200, "200", "0.001", "0.010", "10.0.1.11:8080"),
            Line(2, 1, 500, "500", "0.001", "0.010", "10.0.1.12:8080"),
            Line(4, 1, 503, "-", "-", "-", "-"),
        ]).Investigate();

        Assert.Equal(TimeSpan.FromMinutes(1), i.Timeline.BucketSize);
        Assert.Equal(2 * 5, i.Timeline.PerBackend.Rows.Count);
        Assert.Equal(
            ["bucket", "listener", "pool", "backend", "attempts", "backend_5xx", "lb_5xx", "status_4xx", "client_aborts", "error_rate", "p50_header_time", "p95_header_time"],
            i.Timeline.PerBackend.Columns.Select(c => c.Name));
        Assert.Equal(5, i.Timeline.StatusClasses.Rows.Count);
        Assert.Equal(["bucket", "2xx", "3xx", "4xx", "5xx", "lb_5xx", "backend_5xx", "no_backend_5xx"], i.Timeline.StatusClasses.Columns.Select(c => c.Name));
        Assert.Equal(1L, i.Timeline.StatusClasses["backend_5xx"][2]);
        Assert.Equal(1L, i.Timeline.StatusClasses["no_backend_5xx"][4]);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 0, 0), i.Timeline.PerBackend["bucket"][0]);
    }

    [Fact]
    public void The_listener_and_time_filters_keep_only_matching_attempts()
    {
        var log = Load([
            Line(0, 1, 200, "200", "0.001", "0.010", "10.0.1.11:8080"),
            Line(5, 1, 200, "200", "0.001", "0.010", "10.0.1.11:8080"),
            Line(5, 2, 200, "200", "0.001", "0.010", "10.0.2.21:9000", listener: "listener_api", pool: "pool_api"),
        ]);

        var api = log.Investigate(new InvestigationOptions { Listener = "listener_api" });
        Assert.Equal(["10.0.2.21:9000"], api.Backends.Select(b => b.Backend));

        var late = log.Investigate(new InvestigationOptions { From = new DateTimeOffset(2024, 5, 1, 10, 3, 0, TimeSpan.FromHours(8)) });
        Assert.Equal(2, late.Requests);
        Assert.Equal(1, late.Backends.Single(b => b.Backend == "10.0.1.11:8080").Attempts);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 5, 1), late.From);
    }

    [Fact]
    public void The_json_document_has_the_contract_keys()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Load([SeedLine]).Investigate().ToJson());
        var root = doc.RootElement;
        foreach (var key in new[] { "format", "lines", "parsed", "rejected", "blank", "from", "to", "backends", "no_backend_errors", "suspects" })
            Assert.True(root.TryGetProperty(key, out _), key);
        Assert.Equal("2019-04-11T01:02:44Z", root.GetProperty("from").GetString());
        var backend = root.GetProperty("backends")[0];
        foreach (var key in new[] { "backend", "pool", "listener", "attempts", "backend_5xx", "lb_5xx", "error_rate", "p50_header_time", "p99_header_time", "health", "reason" })
            Assert.True(backend.TryGetProperty(key, out _), key);
        var suspect = root.GetProperty("suspects")[0];
        Assert.Equal("failing", suspect.GetProperty("health").GetString());
        Assert.Equal("2019-04-11T01:02:00Z", suspect.GetProperty("from").GetString());
        Assert.Equal("2019-04-11T01:03:00Z", suspect.GetProperty("to").GetString());
    }
}
