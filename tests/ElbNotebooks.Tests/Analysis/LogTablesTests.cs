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
