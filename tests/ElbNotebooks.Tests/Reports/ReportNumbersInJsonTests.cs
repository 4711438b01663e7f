using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;

namespace ElbNotebooks.Tests.Reports;

/// <summary>
/// "The JSON says everything the terminal says", and the report's readers must find its numbers there. Regressions: the
/// incident report counted, from the loaded rows, the distinct clients each suspect hurt, the share of its listener's
/// traffic, the 5xx statuses behind a verdict, its pool's figures over its window and the traffic's 5xx by who made
/// them, and <c>investigate --json</c> had none of them; then the report's pool table kept exact percentiles from the
/// rows while the JSON's and the verdict's came from sketches, up to 1% apart. The CLI's investigation streams its inputs
/// and keeps no rows, so it counts them while aggregating: here its JSON must give the rows' counts (latencies within
/// 1%), and the report the JSON's numbers exactly.
/// </summary>
public sealed class ReportNumbersInJsonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-report-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_sample_logs_json_counts_what_the_report_counts_from_the_rows()
    {
        // A failing backend answering 500s, one refusing connections (rescued by retries) and a slow one.
        var facts = Compare(TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz"));

        Assert.Equal(["10.0.1.12:8080 failing", "10.0.1.14:8080 slow", "10.0.2.22:9000 failing"],
            facts.Suspects.Select(s => $"{s.Suspect.Backend.Backend} {HealthNames.Of(s.Suspect.Health)}").Order());
        Assert.All(facts.Suspects, s => Assert.True(s.Impact.ClientsHurt > 1, $"{s.Suspect.Backend.Backend} hurt {s.Impact.ClientsHurt} clients"));
    }

    [Fact]
    public void The_sample_folder_json_counts_what_the_report_counts_leaving_out_the_2019_seed_line_far_from_the_rest()
    {
        // The folder holds the 2019 seed line (a 500, left out as far from the rest) and an ALB log beside the Huawei ones.
        var facts = Compare(Path.Combine(TestPaths.RepoRoot, "sample-logs"));

        Assert.NotEmpty(facts.Investigation.TimeOutliers);
        Assert.True(facts.ClientsWith5xx > 0);
    }

    [Theory]
    [InlineData("mixed-scopes", "11")]
    [InlineData("slow", "2")]
    [InlineData("refused", "3")]
    public void A_generated_logs_json_counts_what_the_report_counts_from_the_rows(string scenario, string seed)
    {
        var log = Path.Combine(_dir, scenario + ".log");
        var (exit, _, err) = TestCli.Run("generate", "--out", log, "--scenario", scenario, "--seed", seed, "--rps", "4");
        Assert.True(exit == ExitCodes.Ok, err);

        var facts = Compare(log);

        Assert.NotEmpty(facts.Suspects);
    }

    [Fact]
    public void A_bucket_tables_json_says_null_for_what_a_table_does_not_count()
    {
        var table = Path.Combine(_dir, "buckets.csv");
        var (exit, _, err) = TestCli.Run("investigate", TestPaths.SampleLog("elb-web-incident.log"), "--write-buckets", table);
        Assert.True(exit == ExitCodes.Ok, err);

        var (exit2, json, err2) = TestCli.Run("investigate", "--buckets", table, "--json");

        Assert.True(exit2 == ExitCodes.Ok, err2);
        using var doc = JsonDocument.Parse(json);
        var suspect = Assert.Single(doc.RootElement.GetProperty("suspects").EnumerateArray());
        foreach (var key in new[] { "clients_hurt", "listener_requests", "share_of_listener_requests", "endpoints_hurt", "requests_hurt_elsewhere", "error_statuses" })
            Assert.Equal(JsonValueKind.Null, suspect.GetProperty(key).ValueKind);
        Assert.Empty(suspect.GetProperty("example_lines").EnumerateArray());
        var self = suspect.GetProperty("peers")[0];
        Assert.Equal(261, self.GetProperty("backend_5xx").GetInt64()); // counts the table has
        Assert.Equal(JsonValueKind.Null, self.GetProperty("error_statuses").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("traffic").GetProperty("clients_5xx").ValueKind);
        Assert.Equal(278, doc.RootElement.GetProperty("traffic").GetProperty("requests_5xx").GetInt64());
    }

    /// <summary>
    /// <c>investigate --json</c> (streamed, no rows) against the same inputs loaded: every suspect's clients hurt, listener
    /// traffic, statuses and pool table, and the whole traffic's 5xx, counted again from the rows (<see cref="RowCounts"/>);
    /// and the report's numbers, which must be the JSON's to the digit.
    /// </summary>
    private static ReportFacts Compare(params string[] paths)
    {
        var investigation = AccessLog.Load(paths).Investigate();
        var facts = new ReportFacts(investigation, ReportSamples.Options);
        var counted = new RowCounts(investigation);
        var (exit, json, err) = TestCli.Run(["investigate", .. paths, "--json"]);
        Assert.True(exit == ExitCodes.Ok, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        var suspects = root.GetProperty("suspects").EnumerateArray().ToList();
        Assert.Equal(facts.Suspects.Count, suspects.Count);
        foreach (var (s, j) in facts.Suspects.Zip(suspects))
        {
            var name = s.Suspect.Backend.Backend;
            Assert.Equal(name, j.GetProperty("backend").GetString());
            Assert.Equal(s.Impact.RequestsHurt, j.GetProperty("requests_hurt").GetInt64());
            Assert.True(counted.ClientsHurt(s.Suspect) == j.GetProperty("clients_hurt").GetInt64(), $"{name}: clients hurt, counted from the rows");
            Assert.True(counted.ListenerRequests(s.Suspect) == j.GetProperty("listener_requests").GetInt64(), $"{name}: listener requests, counted from the rows");
            Assert.Equal(s.Impact.ClientsHurt, j.GetProperty("clients_hurt").GetInt64());
            Assert.Equal(s.Impact.RequestsInWindow, j.GetProperty("listener_requests").GetInt64());
            Assert.Equal(s.Impact.ShareOfTraffic, j.GetProperty("share_of_listener_requests").GetDouble(), 6);
            Assert.Equal(Statuses(s.Self!.ErrorStatuses!), Statuses(j.GetProperty("error_statuses")));

            // What the requests it hurt asked for: its ten endpoints hurt most, and the rest, which add up to its requests
            // hurt.
            var listed = j.GetProperty("endpoints_hurt").EnumerateArray().Select(e => (e.GetProperty("endpoint").GetString()!, e.GetProperty("requests").GetInt64())).ToList();
            Assert.NotEmpty(listed);
            Assert.Equal(listed, s.Suspect.EndpointsHurt!.Select(e => (e.Endpoint, e.Requests)));
            Assert.Equal(s.Impact.RequestsHurt, listed.Sum(e => e.Item2) + j.GetProperty("requests_hurt_elsewhere").GetInt64());
            if (s.Suspect.Health == Health.Failing)
            {
                var endpoints = counted.EndpointsHurt(s.Suspect);
                Assert.Equal(endpoints.Take(10), listed);
                Assert.Equal(endpoints.Skip(10).Sum(e => e.Requests), j.GetProperty("requests_hurt_elsewhere").GetInt64());
                Assert.Equal(s.Impact.RequestsHurt, endpoints.Sum(e => e.Requests));
            }
            else
            {
                // A slow one's are counted by latency bins, as its requests hurt are: each endpoint's count lies between
                // its responses at least a bin's width over the threshold and those at most a bin's width under it.
                var surely = counted.EndpointsHurt(s.Suspect, s.Suspect.SlowThreshold * LatencySketch.Gamma).ToDictionary(e => e.Endpoint, e => e.Requests);
                var maybe = counted.EndpointsHurt(s.Suspect, s.Suspect.SlowThreshold / LatencySketch.Gamma).ToDictionary(e => e.Endpoint, e => e.Requests);
                foreach (var (endpoint, n) in listed)
                    Assert.InRange(n, surely.GetValueOrDefault(endpoint), maybe.GetValueOrDefault(endpoint));
            }

            // The answer's "N of M attempts failed": the verdict's window figures.
            if (s.Suspect.Health == Health.Failing)
            {
                var verdict = root.GetProperty("backends").EnumerateArray()
                    .Single(b => b.GetProperty("backend").GetString() == name && b.GetProperty("listener").GetString() == s.Suspect.Backend.Listener)
                    .GetProperty("verdict");
                Assert.Equal(s.Self.Attempts, verdict.GetProperty("attempts").GetInt64());
                Assert.Equal(s.Self.Errors, verdict.GetProperty("errors").GetInt64());
                Assert.Equal(s.Self.Backend5xx, verdict.GetProperty("backend_5xx").GetInt64());
                Assert.Equal(s.Self.Lb5xx, verdict.GetProperty("lb_5xx").GetInt64());
            }

            // The evidence's log lines: where each is written.
            var rows = j.GetProperty("example_request_rows").EnumerateArray().Select(r => r.GetInt64()).ToList();
            var lines = j.GetProperty("example_lines").EnumerateArray().Select(l => (l.GetProperty("file").GetString(), l.GetProperty("line").GetInt64())).ToList();
            Assert.Equal(rows.Count, lines.Count);
            Assert.NotEmpty(s.Evidence);
            foreach (var (e, k) in s.Evidence.Select((e, k) => (e, k)))
                Assert.Equal((e.Row, e.File, e.Line), (rows[k], lines[k].Item1, lines[k].Item2));

            // The evidence's table of its pool over its window: counted from the rows, counts exact and latencies within
            // 1% (the JSON's come from sketches); the report's table shows the JSON's figures.
            var peers = j.GetProperty("peers").EnumerateArray().ToList();
            var exact = counted.Peers(s.Suspect);
            Assert.Equal(exact.Select(p => (p.Backend, p.IsSuspect)), peers.Select(p => (p.GetProperty("backend").GetString()!, p.GetProperty("suspect").GetBoolean())));
            Assert.Equal(exact.Select(p => (p.Backend, p.IsSuspect)), s.Peers.Select(p => (p.Backend, p.IsSuspect)));
            foreach (var (p, pj, shown) in exact.Zip(peers, s.Peers))
            {
                Assert.Equal((p.Attempts, p.Backend5xx, p.Lb5xx), (pj.GetProperty("attempts").GetInt64(), pj.GetProperty("backend_5xx").GetInt64(), pj.GetProperty("lb_5xx").GetInt64()));
                Assert.Equal(Math.Round(p.ErrorRate, 6), pj.GetProperty("error_rate").GetDouble());
                Assert.Equal(Statuses(p.ErrorStatuses), Statuses(pj.GetProperty("error_statuses")));
                Within1Percent(p.HeaderP50, pj.GetProperty("p50_header_time"));
                Within1Percent(p.HeaderP95, pj.GetProperty("p95_header_time"));
                Within1Percent(p.ConnectP95, pj.GetProperty("p95_connect_time"));

                Assert.Equal((shown.Attempts, shown.Backend5xx, shown.Lb5xx), (p.Attempts, p.Backend5xx, p.Lb5xx));
                Assert.Equal(Statuses(shown.ErrorStatuses!), Statuses(pj.GetProperty("error_statuses")));
                Same(shown.Header.P50, pj.GetProperty("p50_header_time"));
                Same(shown.Header.P95, pj.GetProperty("p95_header_time"));
                Same(shown.ConnectP95, pj.GetProperty("p95_connect_time"));
            }
        }

        // "All traffic investigated".
        var traffic = root.GetProperty("traffic");
        Assert.Equal(facts.ClientSaw5xx, traffic.GetProperty("requests_5xx").GetInt64());
        Assert.Equal(facts.Backend5xx, traffic.GetProperty("backend_5xx").GetInt64());
        Assert.Equal(facts.Lb5xx, traffic.GetProperty("lb_5xx").GetInt64());
        Assert.Equal(facts.NoBackend5xx, traffic.GetProperty("no_backend_5xx").GetInt64());
        Assert.Equal(facts.Rescued, traffic.GetProperty("rescued_by_retry").GetInt64());
        Assert.Equal(facts.ClientsWith5xx, traffic.GetProperty("clients_5xx").GetInt64());
        Assert.Equal(counted.ClientsWith5xx(), traffic.GetProperty("clients_5xx").GetInt64());

        // "Thresholds (InvestigationOptions)".
        var thresholds = root.GetProperty("thresholds");
        var o = facts.Investigation.Options;
        Assert.Equal(o.BucketSize is null, thresholds.GetProperty("bucket_chosen").GetBoolean());
        Assert.Equal(o.MinErrorRate, thresholds.GetProperty("min_error_rate").GetDouble());
        Assert.Equal(o.MaxPValue, thresholds.GetProperty("max_p_value").GetDouble());
        Assert.Equal(o.SlowMinExcessSeconds, thresholds.GetProperty("slow_min_excess_seconds").GetDouble());
        Assert.Equal(o.MinBucketSamples, thresholds.GetProperty("min_bucket_samples").GetInt32());
        return facts;
    }

    private static string Statuses(IReadOnlyDictionary<int, long> statuses) =>
        string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Statuses(JsonElement statuses) =>
        string.Join(", ", statuses.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}"));

    /// <summary>The report's figure is the JSON's, as the JSON writes it (to 6 decimals).</summary>
    private static void Same(double? shown, JsonElement written)
    {
        if (shown is { } v && !double.IsNaN(v)) Assert.Equal(Math.Round(v, 6), written.GetDouble());
        else Assert.Equal(JsonValueKind.Null, written.ValueKind);
    }

    private static void Within1Percent(double? exact, JsonElement sketched)
    {
        if (exact is not { } e)
        {
            Assert.Equal(JsonValueKind.Null, sketched.ValueKind);
            return;
        }
        var s = sketched.GetDouble();
        Assert.True(Math.Abs(s - e) <= 0.01 * e + 1e-4, $"sketched {s} against exact {e}");
    }
}
