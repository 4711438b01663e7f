using ElbNotebooks.Analysis;
using ElbNotebooks.Tests.Analysis;
using ElbNotebooks.Tests.Loading;
using Parquet;
using Parquet.Schema;

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
        // A table names no client nor request: its suspects' lines say whom they hurt by requests only, and name no endpoint.
        var whom = new System.Text.RegularExpressions.Regex(@" \(\d+ clients?, [\d.]+% of the listener's requests\)");
        Assert.Contains(Lines(fromLogs5m), l => whom.IsMatch(l));
        Assert.Contains(Lines(fromLogs5m), l => l.StartsWith("    hurt most: "));
        Assert.DoesNotContain(Lines(fromTable), l => whom.IsMatch(l) || l.StartsWith("    hurt most: "));
        Assert.Equal(Lines(fromLogs5m).Skip(1).TakeWhile(l => !l.StartsWith("Parse report")).Where(l => !l.StartsWith("    hurt most: ")).Select(l => whom.Replace(l, "")),
            Lines(fromTable).Skip(1).TakeWhile(l => !l.StartsWith("Parse report")));
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

    /// <summary>The table the library writes for the web sample log, as CSV lines.</summary>
    private string[] WrittenCsv()
    {
        var table = Path.Combine(_dir.Path, "written.csv");
        TestCli.Run("investigate", TestPaths.SampleLog("elb-web-incident.log"), "--write-buckets", table);
        return File.ReadAllLines(table);
    }

    [Fact]
    public void A_value_that_is_not_a_time_is_bad_input_naming_the_file_line_and_column()
    {
        var lines = WrittenCsv();
        lines[2] = lines[2].Replace("2024-05-01T02:01:00Z", "not-a-date");
        var table = _dir.Write("bad.csv", string.Join('\n', lines) + "\n");

        var (exit, @out, err) = TestCli.Run("investigate", "--buckets", table);

        Assert.Equal(2, exit);
        Assert.Empty(@out);
        Assert.Contains($"{table}, line 3, column bucket_start: 'not-a-date' is not a time", err);
        Assert.DoesNotContain("this is a bug", err);
    }

    [Fact]
    public void A_csv_table_missing_columns_is_refused_naming_them()
    {
        var table = _dir.Write("narrow.csv", string.Join('\n', WrittenCsv().Take(3).Select(l => string.Join(',', l.Split(',').Take(12)))) + "\n");

        var (exit, @out, err) = TestCli.Run("investigate", "--buckets", table);
        var (jsonExit, json, _) = TestCli.Run("investigate", "--buckets", table, "--json");

        Assert.Equal(2, exit);
        Assert.Empty(@out);
        Assert.Contains($"The bucket table {table} lacks the columns requests_2xx, requests_3xx", err);
        Assert.Contains("first_request, last_request", err);
        Assert.DoesNotContain("this is a bug", err);
        Assert.Equal(2, jsonExit);
        Assert.Empty(json);
    }

    [Fact]
    public async Task A_parquet_table_missing_columns_is_refused_naming_them()
    {
        var table = Path.Combine(_dir.Path, "narrow.parquet");
        await WriteParquet(table, ["kind", "bucket_start", "bucket_seconds", "requests"], "requests");

        var (exit, @out, err) = TestCli.Run("investigate", "--buckets", table);

        Assert.Equal(2, exit);
        Assert.Empty(@out);
        Assert.Contains($"The bucket table {table} lacks the columns listener, pool, backend, status, requests_1xx", err);
        Assert.DoesNotContain("this is a bug", err);
    }

    [Theory]
    [InlineData("header-only.csv")]
    [InlineData("empty.parquet")]
    public void A_table_of_no_row_judges_nothing_and_says_so(string name)
    {
        var table = Path.Combine(_dir.Path, name);
        if (name.EndsWith(".csv")) File.WriteAllText(table, WrittenCsv()[0] + "\n");
        else new BucketTable([], "empty").Save(table);

        var (exit, @out, err) = TestCli.Run("investigate", "--buckets", table);

        Assert.Equal(3, exit);
        Assert.Empty(@out);
        Assert.Contains($"The bucket table {table} counts no request (0 rows)", err);
        Assert.Contains("not an all-clear", err);
    }

    [Fact]
    public void A_row_cut_short_is_bad_input_naming_its_line()
    {
        var written = string.Join('\n', WrittenCsv()) + "\n";
        var half = written[..(written.Length / 2)];
        var line = half.Count(c => c == '\n') + 1;
        Assert.NotEqual('\n', half[^1]);
        var table = _dir.Write("cut.csv", half);

        var (exit, @out, err) = TestCli.Run("investigate", "--buckets", table);

        Assert.Equal(2, exit);
        Assert.Empty(@out);
        Assert.Contains($"The bucket table {table}, line {line}, has ", err);
        Assert.Contains("the row is cut short", err);
    }

    [Fact]
    public void A_parquet_table_cut_short_is_bad_input_naming_it()
    {
        var whole = Path.Combine(_dir.Path, "whole.parquet");
        TestCli.Run("investigate", TestPaths.SampleLog("elb-web-incident.log"), "--write-buckets", whole);
        var bytes = File.ReadAllBytes(whole);
        var table = _dir.Write("cut.parquet", bytes[..(bytes.Length / 2)]);

        var (exit, @out, err) = TestCli.Run("investigate", "--buckets", table);

        Assert.Equal(2, exit);
        Assert.Empty(@out);
        Assert.Contains($"The bucket table {table} is not a whole Parquet file", err);
    }

    /// <summary>A Parquet table of text columns <paramref name="columns"/>, one row with <paramref name="kind"/> in each.</summary>
    private static async Task WriteParquet(string path, string[] columns, string kind)
    {
        var fields = columns.Select(c => new DataField<string>(c, nullable: true)).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        foreach (var field in fields) await group.WriteAsync(field, new[] { kind });
    }

    private static string[] Lines(string text) => text.Split('\n');
}
