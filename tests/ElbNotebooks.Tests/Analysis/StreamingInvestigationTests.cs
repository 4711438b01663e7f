using ElbNotebooks.Reports;
using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>The streamed investigation (no rows kept, minimal parse) must give exactly the loaded one's answer.</summary>
public class StreamingInvestigationTests
{
    [Fact]
    public void Streaming_the_sample_logs_gives_the_same_json_as_loading_them()
    {
        string[] paths = [TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")];
        var loaded = AccessLog.Load(paths, null).Investigate();
        var streamed = AccessLogInvestigation.Investigate(LogSource.FromPaths(paths));

        Assert.Equal(loaded.ToJson(), streamed.ToJson());
        Assert.Equal(3, streamed.Suspects.Count);
        Assert.Equal(loaded.Log.RequestCount, streamed.Inputs.Requests);
        Assert.Equal(loaded.Log.Inputs.Report.Summary, streamed.Inputs.Report.Summary);
    }

    public static TheoryData<string, int> Scenarios => new()
    {
        { "mixed", 1 }, { "mixed", 5 }, { "refused", 2 }, { "slow", 3 }, { "listener-only", 4 }, { "one-backend-pool", 6 }, { "baseline", 7 },
        { "mixed-scopes", 8 }, { "rollout-3", 9 }, { "pool-outage", 10 },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Streaming_a_generated_incident_gives_the_same_json_as_loading_it(string scenario, int seed)
    {
        var options = ElbNotebooks.Generation.Scenarios.Apply(scenario, new GeneratorOptions { Seed = seed, RequestsPerSecond = 6 });
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", LogGenerator.Lines(options)) + "\n");

        var loaded = AccessLog.Load(new MemoryStream(bytes), "scenario.log").Investigate();
        var streamed = AccessLogInvestigation.Investigate([LogSource.FromStream(new MemoryStream(bytes), "scenario.log")]);

        Assert.Equal(loaded.ToJson(), streamed.ToJson());
    }

    /// <summary>
    /// The AWS and nginx parsers skip what a streamed investigation keeps no column for (the request line, user agent,
    /// trace ids...), and read a client only where whom a failure hurt may be asked: the answer must not change.
    /// </summary>
    [Fact]
    public void Streaming_alb_clb_and_nginx_logs_gives_the_same_json_as_loading_them()
    {
        var alb = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "sample-logs"), "*elasticloadbalancing*.log.gz").Single();
        AssertSameJson(File.ReadAllBytes(alb), null);
        AssertSameJson(Encoding.UTF8.GetBytes(TestLines.AlbWithFailingLambda()), null);

        var tcp = TestLines.Clb.Replace("\"GET http://shop.example.com:80/cart HTTP/1.1\" \"curl/8.5.0\"", "\"- - - \" \"-\"").Replace(" 500 500 ", " - - ");
        var clb = Enumerable.Range(0, 40).Select(k => (k % 3 == 0 ? tcp : TestLines.Clb).Replace("10:15:30", $"10:{15 + k / 4}:{10 + k % 4 * 10}"));
        AssertSameJson(Encoding.UTF8.GetBytes(string.Join("\n", clb) + "\n"), null);

        var nginx = Enumerable.Range(0, 40).Select(k => TestLines.NginxUpstreamRetry.Replace("10:15:30", $"10:{15 + k / 4}:{10 + k % 4 * 10}"));
        AssertSameJson(Encoding.UTF8.GetBytes(string.Join("\n", nginx) + "\n"), new LoadOptions { NginxLogFormat = TestLines.NginxUpstreamDirective });
    }

    private static void AssertSameJson(byte[] bytes, LoadOptions? load)
    {
        var loaded = AccessLog.Load(new MemoryStream(bytes), "log", load).Investigate();
        var streamed = AccessLogInvestigation.Investigate([LogSource.FromStream(new MemoryStream(bytes), "log")], load);

        Assert.True(loaded.Log.RequestCount > 0);
        Assert.Equal(loaded.ToJson(), streamed.ToJson());
    }

    [Fact]
    public void Filters_and_a_chosen_bucket_size_give_the_same_answer_streamed()
    {
        string[] paths = [TestPaths.SampleLog("elb-refused-and-slow.log.gz")];
        var options = new InvestigationOptions
        {
            From = new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(8)),
            To = new DateTimeOffset(2024, 5, 1, 14, 40, 0, TimeSpan.FromHours(8)),
            Listener = "listener_4739b440-1213-4d4f-99ab-dd9c8847ecec",
            BucketSize = TimeSpan.FromSeconds(90),
        };
        var loaded = AccessLog.Load(paths, null).Investigate(options);
        var streamed = AccessLogInvestigation.Investigate(LogSource.FromPaths(paths), null, options);

        Assert.Equal(loaded.ToJson(), streamed.ToJson());
        Assert.Equal("10.0.2.22:9000", Assert.Single(streamed.Suspects).Backend.Backend);
    }

    [Fact]
    public void A_minimal_parse_counts_and_rejects_exactly_like_a_full_one()
    {
        var text = string.Join("\n", TestLines.Seed, "garbage", TestLines.WithField(TestLines.Seed, 8, "41l"), "", TestLines.FullWithRetry);
        var loaded = TestLines.Load(text).Investigate();
        var streamed = AccessLogInvestigation.Investigate([LogSource.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.log")]);

        Assert.Equal(loaded.Log.Report.Summary, streamed.Inputs.Report.Summary);
        Assert.Equal(loaded.Log.Report.Examples, streamed.Inputs.Report.Examples);
        Assert.Equal(loaded.ToJson(), streamed.ToJson());
    }

    [Fact]
    public void A_streamed_investigation_has_no_rows_to_hand_to_charts_or_reports()
    {
        StreamedInvestigation streamed = AccessLogInvestigation.Investigate(LogSource.FromPaths([TestPaths.SampleLog("elb-web-incident.log")]));

        // Row charts and reports take an Investigation, which only a loaded log makes: checked by the compiler.
        Assert.Null(typeof(StreamedInvestigation).GetProperty("Log"));
        Assert.False(typeof(Investigation).IsAssignableFrom(typeof(StreamedInvestigation)));
        Assert.NotEmpty(streamed.Timeline.PerBackend.Rows);
    }
}

/// <summary>Logs need not be in time order: the same lines in reverse give the same answer, but for the examples' row and line numbers.</summary>
public class OutOfOrderInvestigationTests
{
    [Theory]
    [InlineData("mixed", 5)]
    [InlineData("slow", 2)]
    public void Reversed_lines_give_the_same_verdicts_windows_and_figures(string scenario, int seed)
    {
        var options = ElbNotebooks.Generation.Scenarios.Apply(scenario, new GeneratorOptions { Seed = seed, RequestsPerSecond = 6 });
        var lines = LogGenerator.Lines(options).ToList();
        string Json(IEnumerable<string> ordered) => WithoutRowNumbers(AccessLogInvestigation.Investigate(
            [LogSource.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", ordered) + "\n")), "scenario.log")]).ToJson());

        var forward = Json(lines);
        Assert.Contains("\"health\"", forward);
        Assert.Equal(forward, Json(Enumerable.Reverse(lines)));
    }

    private static string WithoutRowNumbers(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        foreach (var suspect in node["suspects"]!.AsArray())
        {
            suspect!.AsObject().Remove("example_request_rows");
            suspect.AsObject().Remove("example_lines"); // where those rows are written: the first ones in the other order
        }
        return node.ToJsonString();
    }
}
