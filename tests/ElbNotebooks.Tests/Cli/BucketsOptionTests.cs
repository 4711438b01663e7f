using ElbNotebooks.Tests.Analysis;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Cli;

/// <summary><c>investigate --write-buckets</c> writes the table the library judges; <c>investigate --buckets</c> judges a table alone.</summary>
public sealed class BucketsOptionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("t.parquet")]
    [InlineData("t.csv")]
    public void A_written_table_judged_with_buckets_gives_the_logs_judgement(string name)
    {
        var table = Path.Combine(_dir.Path, name);
        var logs = TestPaths.SampleLog("elb-web-incident.log");

        var (exit, fromLogs, err) = TestCli.Run("investigate", logs, "--json", "--write-buckets", table);
        Assert.True(exit == 0, err);
        Assert.Contains("wrote " + table, err);
        var (exit2, fromTable, err2) = TestCli.Run("investigate", "--buckets", table, "--json");

        Assert.True(exit2 == 0, err2);
        Assert.Equal(JudgementJson.Of(fromLogs), JudgementJson.Of(fromTable));
        Assert.Contains("\"format\": \"bucket-table\"", fromTable);
    }

    [Fact]
    public void A_report_run_writes_the_same_table_from_the_loaded_log()
    {
        var streamed = Path.Combine(_dir.Path, "streamed.csv");
        var loaded = Path.Combine(_dir.Path, "loaded.csv");
        var logs = TestPaths.SampleLog("elb-web-incident.log");

        TestCli.Run("investigate", logs, "--write-buckets", streamed);
        var (exit, _, err) = TestCli.Run("investigate", logs, "--write-buckets", loaded, "--markdown", Path.Combine(_dir.Path, "r.md"));

        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllText(streamed), File.ReadAllText(loaded));
    }

    [Fact]
    public void The_terminal_answer_from_a_table_names_the_same_suspects()
    {
        var table = Path.Combine(_dir.Path, "t.parquet");
        var logs = TestPaths.SampleLog("elb-refused-and-slow.log.gz");
        var (_, fromLogs, _) = TestCli.Run("investigate", logs, "--write-buckets", table);

        var (exit, fromTable, err) = TestCli.Run("investigate", "--buckets", table, "--bucket", "5m");
        var (_, fromLogs5m, _) = TestCli.Run("investigate", logs, "--bucket", "5m");

        Assert.True(exit == 0, err);
        Assert.StartsWith("bucket-table:", fromTable);
        Assert.Equal(Lines(fromLogs5m).Skip(1).TakeWhile(l => !l.StartsWith("Parse report")), Lines(fromTable).Skip(1).TakeWhile(l => !l.StartsWith("Parse report")));
        Assert.NotEqual(fromLogs, fromLogs5m);
    }

    [Theory]
    [InlineData("--report", "x.html")]
    [InlineData("--markdown", "x.md")]
    [InlineData("--from", "2024-05-01T10:00")]
    [InlineData("--listener", "listener_08ff6ee9")]
    public void Options_that_need_rows_or_filter_logs_are_refused_with_buckets(string option, string value)
    {
        var table = Path.Combine(_dir.Path, "t.parquet");
        TestCli.Run("investigate", TestPaths.SampleLog("elb-web-incident.log"), "--write-buckets", table);

        var (exit, _, err) = TestCli.Run("investigate", "--buckets", table, option, value);

        Assert.Equal(2, exit);
        Assert.Contains(option, err);
    }

    [Fact]
    public void Neither_logs_nor_a_table_is_bad_usage()
    {
        var (exit, _, err) = TestCli.Run("investigate");

        Assert.Equal(2, exit);
        Assert.Contains("--buckets", err);
    }

    private static string[] Lines(string text) => text.Split('\n');
}
