using ElbNotebooks;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>The one-call tables notebooks use, checked against the same reading done by hand with DataFrame code.</summary>
public class LogTablesTests
{
    private static readonly Lazy<AccessLog> Gz = new(() => AccessLog.Load(TestPaths.SampleLog("elb-refused-and-slow.log.gz")));
    private static readonly Lazy<AccessLog> Web = new(() => AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")));

    public static TheoryData<string> Samples() => new("web", "gz");
    private static AccessLog Sample(string name) => name == "web" ? Web.Value : Gz.Value;

    [Theory]
    [MemberData(nameof(Samples))]
    public void Who_made_the_5xx_equals_the_faq_reading_of_every_5xx_row(string name)
    {
        var log = Sample(name);
        var r = log.Requests;
        var byHand = new Dictionary<(string, int), long>();
        for (long i = 0; i < r.Rows.Count; i++)
        {
            if (r["status"][i] is not int status || status < 500) continue;
            var madeBy = r["upstream_addr"][i] is null ? "load balancer, no backend tried"
                : r["upstream_header_time"][i] is null ? "load balancer, backend unreachable or timed out"
                : "backend (passed through)";
            byHand[(madeBy, status)] = byHand.GetValueOrDefault((madeBy, status)) + 1;
        }

        var table = log.WhoMade5xx();

        var rows = Enumerable.Range(0, (int)table.Rows.Count).ToDictionary(i => ((string)table["made by"][i], (int)table["status"][i]), i => (long)table["requests"][i]);
        Assert.Equal(byHand.OrderBy(kv => kv.Key).ToList(), rows.OrderBy(kv => kv.Key).ToList());
        Assert.Equal(rows.Values.OrderByDescending(v => v), rows.Values);
    }

    [Fact]
    public void The_refused_backends_5xx_are_made_by_the_load_balancer_and_the_listeners_503_by_nobody()
    {
        var table = Gz.Value.WhoMade5xx();
        var rows = Enumerable.Range(0, (int)table.Rows.Count).Select(i => ((string)table["made by"][i], (int)table["status"][i], (long)table["requests"][i])).ToList();

        Assert.Contains(rows, r => r is ("load balancer, no backend tried", 503, 929));
        Assert.Contains(rows, r => r.Item1 == "load balancer, backend unreachable or timed out" && r.Item2 == 502);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Error_rates_count_every_attempt_once_and_put_the_worst_backend_of_each_pool_first(string name)
    {
        var log = Sample(name);
        var table = log.ErrorRates();

        Assert.Equal(log.AttemptCount, ((Int64DataFrameColumn)table["attempts"]).Sum());
        var a = log.Attempts;
        Assert.Equal(a.Filter(a["status"].ElementwiseGreaterThanOrEqual(500)).Rows.Count, ((Int64DataFrameColumn)table["5xx"]).Sum());
        var failing = name == "web" ? "10.0.1.12:8080" : "10.0.2.22:9000";
        var row = Enumerable.Range(0, (int)table.Rows.Count).Single(i => (string)table["backend"][i] == failing);
        var pool = (string)table["pool"][row];
        Assert.Equal(row, Enumerable.Range(0, (int)table.Rows.Count).First(i => (string)table["pool"][i] == pool));
    }

    [Fact]
    public void A_rows_raw_line_is_its_files_line_and_explain_reads_it_as_the_faq_does()
    {
        var seed = AccessLog.Load(TestPaths.SampleLog("seed-line.log"));

        Assert.Equal(File.ReadAllLines(TestPaths.SampleLog("seed-line.log"))[0], seed.RawLine(0));
        Assert.Equal("172.17.0.82:3000 answered 500 after 19.028 s (connect 0.009 s): the backend's application produced the 500, and the load balancer passed it on.",
            seed.Explain(0));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => seed.RawLine(1));
        Assert.Contains("rows 0 to 0", error.Message);
    }

    /// <summary>One row of each kind (status, upstream status, attempts, header time or none) of a real log, with its reading.</summary>
    private static List<(long Row, string Kind, string Reading)> EachKind(AccessLog log)
    {
        var r = log.Requests;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new List<(long, string, string)>();
        for (long i = 0; i < r.Rows.Count; i++)
        {
            var kind = $"{r["status"][i]}|{r["upstream_status"][i] ?? "-"}|{r["upstream_attempts"][i]}|{(r["upstream_header_time"][i] is null ? "-" : "header")}";
            if (seen.Add(kind)) kinds.Add((i, kind, log.Explain(i)));
        }
        return kinds;
    }

    [Theory]
    [InlineData("elb-refused-and-slow.log.gz")]
    [InlineData("elb-web-incident.log")]
    [InlineData("elb-pool-wide.log.gz")]
    [InlineData("123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T1015Z_10.0.0.1_abc123.log.gz")]
    public void Explain_never_shows_a_missing_value_as_a_number(string sample)
    {
        var kinds = EachKind(AccessLog.Load(TestPaths.SampleLog(sample)));

        Assert.True(kinds.Count > 3, string.Join("\n", kinds));
        foreach (var (row, kind, reading) in kinds)
        {
            foreach (var sentinel in new[] { "NaN", int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), "∞" })
                Assert.False(reading.Contains(sentinel, StringComparison.Ordinal), $"row {row} ({kind}): {reading}");
            if (kind.StartsWith("499|", StringComparison.Ordinal))
                Assert.True(reading.Contains("The client closed the connection (499)", StringComparison.Ordinal) ||
                            reading.StartsWith("No backend was tried: the client closed the connection (499)", StringComparison.Ordinal), $"row {row} ({kind}): {reading}");
        }
    }

    [Fact]
    public void Explain_reads_a_client_abort_as_the_client_closing_the_connection()
    {
        var log = AccessLog.Load(TestPaths.SampleLog("elb-refused-and-slow.log.gz"));
        var kinds = EachKind(log);

        // Line 186: 499, upstream_status "-", connect 0.001, header "-", one attempt on 10.0.2.23:9000.
        var (row, _, reading) = kinds.Single(k => k.Kind == "499|-|1|-");
        Assert.Equal(186, (long)log.Requests["line"][row]);
        Assert.Equal("The client closed the connection (499) before 10.0.2.23:9000 answered (connect 0.001 s): the client gave up waiting, so no status came back from the backend.", reading);
        // Line 3331: 499 after a 502 on 10.0.2.22:9000 and a retry on 10.0.2.21:9000 that had not answered.
        Assert.Equal("The client closed the connection (499) before 10.0.2.21:9000 answered (connect 0.000 s): the client gave up waiting, so no status came back from the backend. " +
                     "It was the last of 2 attempts: log.Attempts has the earlier one.", kinds.Single(k => k.Kind == "499|-|2|-").Reading);
        Assert.Equal("10.0.2.22:9000 never answered (connect 0.001 s, no header time): the load balancer wrote 502 for it and the client got 502.",
            kinds.Single(k => k.Kind == "502|502|1|-").Reading);
    }

    [Fact]
    public void Explain_reads_an_albs_460_as_the_client_closing_the_connection()
    {
        // The ALB example (log-formats.md §2) with the 460 an ALB writes when the client closed the connection before
        // the idle timeout: before the target answered (target status "-", processing times -1), before any target was
        // chosen (target "-"), and after the target answered 200 in 0.5 s.
        var waiting = TestLines.WithField(TestLines.Alb, 9, "460");
        var undispatched = TestLines.WithField(waiting, 5, "-");
        var late = TestLines.WithField(TestLines.WithField(waiting, 10, "200"), 7, "0.500");
        var log = TestLines.Load(string.Join("\n", waiting, undispatched, late) + "\n");

        Assert.Equal("The client closed the connection (460) before 10.0.1.23:8080 answered: the client gave up waiting, so no status came back from the backend.",
            log.Explain(0));
        Assert.Equal("No backend was tried: the client closed the connection (460) before the load balancer passed the request on.", log.Explain(1));
        Assert.Equal("The client closed the connection (460) after 10.0.1.23:8080 answered 200 in 0.500 s: the client gave up before the response reached it.",
            log.Explain(2));
    }

    [Fact]
    public void Explain_leaves_out_the_connect_time_an_alb_log_does_not_have()
    {
        var log = AccessLog.Load(TestPaths.SampleLog("123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T1015Z_10.0.0.1_abc123.log.gz"));

        Assert.Equal("10.0.1.21:8080 answered 200 after 0.020 s: the backend's application produced the 200, and the load balancer passed it on.", log.Explain(0));
        Assert.All(EachKind(log), k => Assert.DoesNotContain("connect", k.Reading));
    }

    [Fact]
    public void The_raw_line_of_a_gz_whose_checksum_is_damaged_is_read_as_the_load_read_it()
    {
        using var dir = new ElbNotebooks.Tests.Loading.TempFolder();
        var bytes = File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz"));
        bytes[^6] ^= 0xff; // a byte of the CRC-32: the load keeps every line
        var log = AccessLog.Load(dir.Write("crc.log.gz", bytes));

        using var whole = new System.IO.Compression.GZipStream(File.OpenRead(TestPaths.SampleLog("elb-refused-and-slow.log.gz")),
            System.IO.Compression.CompressionMode.Decompress);
        var last = new StreamReader(whole).ReadToEnd().TrimEnd('\n').Split('\n')[^1];
        Assert.Equal(last, log.RawLine(log.RequestCount - 1));
    }

    [Fact]
    public void Latencies_has_a_row_per_judged_backend_with_the_slow_one_marked()
    {
        var investigation = Gz.Value.Investigate();
        var table = investigation.Latencies();

        Assert.Equal(investigation.Backends.Count, table.Rows.Count);
        var slow = Enumerable.Range(0, (int)table.Rows.Count).Single(i => (string)table["backend"][i] == "10.0.1.14:8080");
        Assert.Equal("Slow", table["health"][slow]);
        Assert.True((double)table["header p95"][slow]! > 2.0);
    }

    [Fact]
    public void Investigation_options_name_a_listener_by_the_start_of_its_id_and_refuse_an_unknown_one_listing_them()
    {
        var byPrefix = Web.Value.Investigate(new InvestigationOptions { Listener = "4739b440" });
        var byName = Web.Value.Investigate(new InvestigationOptions { Listener = "listener_4739b440-1213-4d4f-99ab-dd9c8847ecec" });

        Assert.Equal("listener_4739b440-1213-4d4f-99ab-dd9c8847ecec", byPrefix.Options.Listener);
        Assert.Equal(byName.Requests, byPrefix.Requests);
        Assert.Equal(3_057, byPrefix.Requests);
        var error = Assert.Throws<InvalidInputException>(() => Web.Value.Investigate(new InvestigationOptions { Listener = "web" }));
        Assert.Contains("listener_08ff6ee9-1a44-4455-bf78-e2cfb6f95b24 at 121.64.212.1:443 (6,010), listener_4739b440-1213-4d4f-99ab-dd9c8847ecec at 121.64.212.1:80 (3,057)", error.Message);
    }
}
