using System.Globalization;
using ElbNotebooks.Export;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Export;

public class ParquetExportTests
{
    [Fact]
    public async Task Written_files_have_the_schema_documented_in_docs_parquet_schema()
    {
        using var dir = new TempFolder();
        var result = ParquetExport.Write(ExportData.WriteDays(dir, 1), Path.Combine(dir.Path, "out"));

        var documented = DocumentedSchema(Path.Combine(AppContext.BaseDirectory, "docs", "parquet-schema.md"));
        foreach (var table in new[] { ParquetExport.RequestsTable, ParquetExport.AttemptsTable })
        {
            var file = result.Files.First(f => f.Table == table).Path;
            var schema = await ParquetFiles.Schema(file);
            var written = schema.DataFields.Select(f => (f.Name, ParquetFiles.TypeName(f), f.IsNullable)).ToArray();
            Assert.Equal(documented[table], written);
            var metadata = await ParquetFiles.Metadata(file);
            Assert.Equal("1", metadata["elb_notebooks.schema_version"]);
            Assert.Equal(table, metadata["elb_notebooks.table"]);
            Assert.Equal("elb-2024-05-01.log", metadata["elb_notebooks.source"]);
        }
    }

    [Fact]
    public void Requests_columns_are_the_loaded_log_columns_after_request_id()
    {
        using var dir = new TempFolder();
        var log = AccessLog.Load(ExportData.WriteDays(dir, 1));
        var documented = DocumentedSchema(Path.Combine(AppContext.BaseDirectory, "docs", "parquet-schema.md"));

        Assert.Equal(["request_id", .. log.Requests.Columns.Select(c => c.Name)], documented["requests"].Select(c => c.Name));
        Assert.Equal(["request_id", .. log.Attempts.Columns.Select(c => c.Name).Where(n => n != "request")],
            documented["attempts"].Select(c => c.Name));
    }

    [Fact]
    public async Task Rows_land_in_the_partition_of_their_requests_utc_date_and_hour()
    {
        using var dir = new TempFolder();
        var inputs = ExportData.WriteDays(dir, 1, 2);
        var log = AccessLog.Load(inputs);
        var result = ParquetExport.Write(inputs, Path.Combine(dir.Path, "out"));

        var expected = log.RequestColumns.Time.Values.ToArray()
            .Select(t => $"dt={t:yyyy-MM-dd}/hour={t:HH}").Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, result.Files.Where(f => f.Table == "requests").Select(f => f.Partition).Distinct().ToArray());
        Assert.Contains("dt=2024-04-30/hour=16", expected); // 00:xx at +08:00 on May 1st is the day before in UTC

        foreach (var file in result.Files)
        {
            var partition = Path.GetRelativePath(Path.Combine(result.Directory, file.Table), Path.GetDirectoryName(file.Path)!).Replace('\\', '/');
            Assert.Equal(file.Partition, partition);
            Assert.Matches(@"^part-[0-9a-f]{16}\.parquet$", Path.GetFileName(file.Path));
            var times = await ParquetFiles.Values<DateTime>(file.Path, "time");
            Assert.Equal(file.Rows, times.Count);
            Assert.All(times, t => Assert.Equal(file.Partition, string.Create(CultureInfo.InvariantCulture,
                $"dt={t!.Value.ToUniversalTime():yyyy-MM-dd}/hour={t.Value.ToUniversalTime():HH}")));
        }
    }

    [Fact]
    public async Task Values_read_back_equal_the_loaded_log_with_nulls_where_the_log_had_none()
    {
        using var dir = new TempFolder();
        var input = ExportData.WriteDays(dir, 3);
        var log = AccessLog.Load(input);
        var result = ParquetExport.Write(input, Path.Combine(dir.Path, "out"));

        var lines = new List<long?>();
        var headers = new List<double?>();
        var times = new List<DateTime?>();
        var ids = new List<string?>();
        foreach (var file in result.Files.Where(f => f.Table == "requests"))
        {
            lines.AddRange(await ParquetFiles.Values<long>(file.Path, "line"));
            headers.AddRange(await ParquetFiles.Values<double>(file.Path, "upstream_header_time"));
            times.AddRange(await ParquetFiles.Values<DateTime>(file.Path, "time"));
            ids.AddRange(await ParquetFiles.Strings(file.Path, "request_id"));
        }
        var byLine = lines.Select((line, i) => (line!.Value, header: headers[i], time: times[i], id: ids[i])).ToDictionary(r => r.Value);

        var r = log.RequestColumns;
        Assert.Equal(r.Count, byLine.Count);
        for (var row = 0; row < r.Count; row++)
        {
            var exported = byLine[r.Line[row]];
            Assert.Equal(r.Time[row], exported.time!.Value.ToUniversalTime());
            Assert.Equal(double.IsNaN(r.UpstreamHeaderTime[row]) ? null : r.UpstreamHeaderTime[row], exported.header);
            Assert.EndsWith(":" + r.Line[row].ToString(CultureInfo.InvariantCulture), exported.id);
        }
        Assert.Contains(headers, h => h is null);
    }

    [Fact]
    public void Exporting_the_same_input_again_writes_nothing_and_changes_no_file()
    {
        using var dir = new TempFolder();
        var inputs = ExportData.WriteDays(dir, 1, 2);
        var output = Path.Combine(dir.Path, "out");
        var first = ParquetExport.Write(inputs, output);
        var before = ExportData.Snapshot(output);

        var again = ParquetExport.Write(inputs, output);

        Assert.Empty(again.Written);
        Assert.Equal(0, again.Requests);
        Assert.Equal(first.Requests, again.AlreadyExportedRequests);
        Assert.Equal(first.Attempts, again.AlreadyExportedAttempts);
        Assert.Equal(before, ExportData.Snapshot(output));
    }

    [Fact]
    public void Exporting_a_new_day_adds_files_and_leaves_every_old_file_untouched()
    {
        using var dir = new TempFolder();
        var days = ExportData.WriteDays(dir, 1, 2, 3);
        var output = Path.Combine(dir.Path, "out");
        ParquetExport.Write(days[..2], output);
        var before = ExportData.Snapshot(output);
        Thread.Sleep(20); // a rewrite would show in the modification time

        var next = ParquetExport.Write(days[2..], output);

        var after = ExportData.Snapshot(output);
        foreach (var (path, state) in before) Assert.Equal(state, after[path]);
        Assert.Equal(after.Keys.Except(before.Keys).Where(k => !k.StartsWith(ExportLedger.Folder + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            next.Written.Select(f => Path.GetRelativePath(output, f.Path).Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.Empty(next.AlreadyPresent);
        // day 3 starts at 00:xx +08:00, i.e. in day 2's UTC date: that partition gains a file, old ones stay
        Assert.Contains(next.Written, f => f.Partition == "dt=2024-05-02/hour=16");
        Assert.Equal(2, after.Keys.Count(k => k.StartsWith("requests/dt=2024-05-02/hour=16/", StringComparison.Ordinal)));
        Assert.DoesNotContain(after.Keys, k => k.Contains(".writing-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_result_counts_the_rows_and_reports_parsing_like_a_load()
    {
        using var dir = new TempFolder();
        var inputs = ExportData.WriteDays(dir, 1, 2);
        var log = AccessLog.Load(inputs);
        var result = ParquetExport.Write(inputs, Path.Combine(dir.Path, "out"));

        Assert.Equal(log.RequestCount, result.Requests);
        Assert.Equal(log.AttemptCount, result.Attempts);
        Assert.Equal(log.Report.Summary, result.Report.Summary);
        Assert.Equal(2, result.Report.Rejected);
    }

    [Fact]
    public void Small_chunks_write_the_same_rows_as_one_chunk()
    {
        using var dir = new TempFolder();
        var inputs = ExportData.WriteDays(dir, 1, 2);
        var whole = ParquetExport.Write(inputs, Path.Combine(dir.Path, "whole"));
        var chunked = ParquetExport.Write(inputs, Path.Combine(dir.Path, "chunked"), ExportOptions.Default with { ChunkRows = 5 });

        Assert.Equal(whole.Files.Select(f => (f.Table, f.Partition, f.Rows, Path.GetFileName(f.Path))),
            chunked.Files.Select(f => (f.Table, f.Partition, f.Rows, Path.GetFileName(f.Path))));
    }

    [Fact]
    public void Input_with_no_parsable_line_throws_and_writes_nothing()
    {
        using var dir = new TempFolder();
        var input = dir.Write("junk.log", "not a log line\nnor this\n");
        var output = Path.Combine(dir.Path, "out");

        Assert.Throws<LogLoadException>(() => ParquetExport.Write([input], output));
        Assert.Empty(Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories));
    }

    /// <summary>The two tables of docs/parquet-schema.md: (column, type, nullable) in order.</summary>
    internal static Dictionary<string, (string Name, string Type, bool Nullable)[]> DocumentedSchema(string path)
    {
        var tables = new Dictionary<string, (string, string, bool)[]>();
        string? table = null;
        var rows = new List<(string, string, bool)>();
        foreach (var line in File.ReadLines(path).Append("## end"))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (table is not null && rows.Count > 0) tables[table] = rows.ToArray();
                table = line[3..].Trim();
                rows = [];
                continue;
            }
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 5 || cells[1] is "column" || cells[1].StartsWith('-')) continue;
            rows.Add((cells[1], cells[2], cells[3] == "yes"));
        }
        return tables;
    }
}
