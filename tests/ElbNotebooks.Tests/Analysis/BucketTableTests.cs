using ElbNotebooks;
using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// One judge: the bucket table the library counts, written to a file or a DataFrame and judged again with
/// <see cref="Investigation.FromBuckets(BucketTable, InvestigationOptions?)"/>, gives the library's own judgement.
/// </summary>
public sealed class BucketTableTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (StreamedInvestigation Investigation, BucketTable Table) Investigate(IEnumerable<LogSource> sources, InvestigationOptions? options = null)
    {
        BucketTable? table = null;
        var investigation = AccessLogInvestigation.Investigate(sources, null, options, t => table = t);
        return (investigation, table!);
    }

    [Theory]
    [InlineData("buckets.parquet")]
    [InlineData("buckets.csv")]
    public void The_sample_logs_table_saved_and_judged_again_gives_the_same_judgement(string name)
    {
        string[] paths = [TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")];
        var (investigation, table) = Investigate(LogSource.FromPaths(paths));
        var path = Path.Combine(_dir.Path, name);
        table.Save(path);

        var judged = Investigation.FromBuckets(path);

        Assert.Equal(3, judged.Suspects.Count);
        Assert.Equal(JudgementJson.Of(investigation.ToJson()), JudgementJson.Of(judged.ToJson()));
        Assert.Equal("bucket-table", judged.Inputs.Format);
        Assert.All(judged.Suspects, s => Assert.Empty(s.ExampleRequestRows));
    }

    [Fact]
    public void A_table_without_the_bins_smallest_and_largest_values_is_judged_with_its_bins_values()
    {
        // 10.0.2.22:9000 refused connections after its 5 s connect timeout: its window's connect p95 is 5 s as written,
        // from the log or from its table; a table made before min_microseconds and max_microseconds reads the bin's 5.022 s.
        var (investigation, table) = Investigate(LogSource.FromPaths([TestPaths.SampleLog("elb-refused-and-slow.log.gz")]));
        var path = Path.Combine(_dir.Path, "buckets.csv");
        table.Save(path);
        var lines = File.ReadAllLines(path);
        Assert.EndsWith(",min_microseconds,max_microseconds,whole_milliseconds", lines[0]);
        var older = Path.Combine(_dir.Path, "older.csv");
        File.WriteAllLines(older, lines.Select(l => WithoutLastColumns(l, 3)));

        static double? ConnectP95(StreamedInvestigation i) =>
            i.Suspects.Single(s => s.Backend.Backend == "10.0.2.22:9000").Peers.Single(p => p.IsSuspect).ConnectP95;

        Assert.Equal(5.0, ConnectP95(investigation));
        Assert.Equal(5.0, ConnectP95(Investigation.FromBuckets(path)));
        Assert.Equal(Math.Round(LatencySketch.ValueOf(LatencySketch.Bin(5.0)), 9), ConnectP95(Investigation.FromBuckets(older)));
    }

    [Fact]
    public void A_table_that_does_not_say_its_times_were_whole_milliseconds_reads_its_bins_values()
    {
        // The sample's connect times are whole milliseconds, 1 ms for most: a peer's connect p95 is 1 ms from the log
        // and from its table, and the bin's 1.007 ms from a table made before whole_milliseconds.
        var (investigation, table) = Investigate(LogSource.FromPaths([TestPaths.SampleLog("elb-web-incident.log")]));
        var path = Path.Combine(_dir.Path, "buckets.csv");
        table.Save(path);
        var older = Path.Combine(_dir.Path, "older.csv");
        File.WriteAllLines(older, File.ReadAllLines(path).Select(l => WithoutLastColumns(l, 1)));

        static double? PeerConnectP95(StreamedInvestigation i) =>
            i.Suspects.Single(s => s.Backend.Backend == "10.0.1.12:8080").Peers.First(p => !p.IsSuspect).ConnectP95;

        Assert.Equal(0.001, PeerConnectP95(investigation));
        Assert.Equal(0.001, PeerConnectP95(Investigation.FromBuckets(path)));
        Assert.Equal(Math.Round(LatencySketch.ValueOf(LatencySketch.Bin(0.001)), 9), PeerConnectP95(Investigation.FromBuckets(older)));
    }

    private static string WithoutLastColumns(string csvLine, int columns)
    {
        var end = csvLine.Length;
        for (var k = 0; k < columns; k++) end = csvLine.LastIndexOf(',', end - 1);
        return csvLine[..end];
    }

    [Fact]
    public void A_dataframe_of_the_table_gives_the_same_judgement()
    {
        var (investigation, table) = Investigate(LogSource.FromPaths([TestPaths.SampleLog("elb-web-incident.log")]));

        var judged = Investigation.FromBuckets(table.ToDataFrame());

        Assert.Equal(JudgementJson.Of(investigation.ToJson()), JudgementJson.Of(judged.ToJson()));
    }

    public static TheoryData<string, int, string?> Scenarios => new()
    {
        { "mixed", 1, null }, { "refused", 2, null }, { "slow", 3, null }, { "listener-only", 4, "2m" }, { "one-backend-pool", 6, null },
        { "client-aborts", 6, null }, { "mixed-scopes", 8, null }, { "rollout-3", 9, "5m" }, { "pool-outage", 10, null },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void A_generated_incident_judged_from_its_table_gives_the_same_judgement(string scenario, int seed, string? bucket)
    {
        var options = ElbNotebooks.Generation.Scenarios.Apply(scenario, new GeneratorOptions { Seed = seed, RequestsPerSecond = 4 });
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", LogGenerator.Lines(options)) + "\n");
        var investigate = new InvestigationOptions { BucketSize = bucket is null ? null : Specs.TryParseDuration(bucket, out var size) ? size : throw new ArgumentException(bucket) };
        var (investigation, table) = Investigate([LogSource.FromStream(new MemoryStream(bytes), "scenario.log")], investigate);
        var path = Path.Combine(_dir.Path, "buckets.parquet");
        table.Save(path);

        var judged = Investigation.FromBuckets(path, investigate);

        Assert.Equal(JudgementJson.Of(investigation.ToJson()), JudgementJson.Of(judged.ToJson()));
    }

    [Fact]
    public void A_csv_as_engines_write_it_reads_quoted_fields_and_their_timestamps()
    {
        var path = Path.Combine(_dir.Path, "athena.csv");
        // The columns this test leaves empty, quoted as Athena quotes every name.
        const string rest = "\"status\",\"requests_1xx\",\"requests_2xx\",\"requests_3xx\",\"requests_4xx\",\"requests_5xx\",\"no_backend_5xx\",\"backend_5xx\"," +
                            "\"lb_5xx\",\"status_4xx\",\"client_aborts\",\"hurt_errors\",\"rescued_errors\",\"first_error\",\"last_error\",\"timing\",\"bin\",\"samples\"";
        var empty = new string(',', rest.Count(c => c == ',') + 1);
        File.WriteAllText(path,
            "\"kind\",\"bucket_start\",\"bucket_seconds\",\"listener\",\"pool\",\"backend\",\"attempts\",\"requests\",\"first_request\",\"last_request\"," + rest + "\n" +
            "\"requests\",\"2024-05-01 02:20:00.000 UTC\",\"60\",,,,,\"3\",\"2024-05-01 02:20:01.000 UTC\",\"2024-05-01 02:20:59.000\"" + empty + "\n" +
            "\"attempts\",\"2024-05-01T02:20:00Z\",\"60\",\"web, \"\"alb\"\"\",\"web\",\"10.0.0.1:80\",\"3\",,," + empty + "\n");

        var judged = Investigation.FromBuckets(path);

        Assert.Equal(3, judged.Requests);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 20, 1, DateTimeKind.Utc), judged.From);
        Assert.Equal(new DateTime(2024, 5, 1, 2, 20, 59, DateTimeKind.Utc), judged.To);
        Assert.Equal("web, \"alb\"", Assert.Single(judged.Backends).Listener);
    }

    [Fact]
    public void Filters_and_a_bucket_the_table_cannot_make_are_refused()
    {
        var (_, table) = Investigate(LogSource.FromPaths([TestPaths.SampleLog("elb-web-incident.log")]));

        Assert.Throws<InvalidInputException>(() => Investigation.FromBuckets(table, new InvestigationOptions { Listener = "x" }));
        Assert.Throws<InvalidInputException>(() => Investigation.FromBuckets(table, new InvestigationOptions { BucketSize = TimeSpan.FromSeconds(90) }));
    }

    [Fact]
    public void A_table_is_judged_into_an_investigation_without_rows_that_still_has_its_series()
    {
        var (_, table) = Investigate(LogSource.FromPaths([TestPaths.SampleLog("elb-web-incident.log")]));
        StreamedInvestigation judged = Investigation.FromBuckets(table);

        // Reports and row charts take an Investigation (a loaded log): the compiler refuses a table's answer.
        Assert.Null(typeof(StreamedInvestigation).GetProperty("Log"));
        Assert.NotEmpty(judged.Timeline.PerBackend.Rows);
        Assert.Contains("bucket-table", judged.ToJson());
    }
}
