using System.IO.Compression;
using System.Text;
using ElbNotebooks.Export;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;
using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Export;

/// <summary>Exporting a log again after it grew writes only its new lines: no request is ever in the Parquet twice.</summary>
public class GrownInputExportTests
{
    private static List<string> RequestIds(string output) =>
        Directory.EnumerateFiles(Path.Combine(output, ParquetExport.RequestsTable), "*.parquet", SearchOption.AllDirectories)
            .SelectMany(f => ParquetFiles.Strings(f, "request_id").GetAwaiter().GetResult()).Select(id => id!).ToList();

    private static List<string> AttemptIds(string output) =>
        Directory.EnumerateFiles(Path.Combine(output, ParquetExport.AttemptsTable), "*.parquet", SearchOption.AllDirectories)
            .SelectMany(f => ParquetFiles.Strings(f, "request_id").GetAwaiter().GetResult()).Select(id => id!).ToList();

    private static IEnumerable<string> Lines(IEnumerable<string> ids) => ids.Select(id => id[(id.IndexOf(':') + 1)..]).Order(StringComparer.Ordinal);

    /// <summary>Exports the grown file into a fresh folder: what the incremental exports together must equal.</summary>
    private static (List<string> Requests, List<string> Attempts) Fresh(TempFolder dir, string path)
    {
        var fresh = Path.Combine(dir.Path, "fresh-" + Guid.NewGuid().ToString("N"));
        ParquetExport.Write([path], fresh);
        return (RequestIds(fresh), AttemptIds(fresh));
    }

    public static TheoryData<string> Growths => new() { "appended", "partial-last-line", "gzip-member-appended" };

    [Theory]
    [MemberData(nameof(Growths))]
    public void A_grown_log_adds_only_its_new_lines(string growth)
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var day1 = ExportData.Day(1);
        var day2 = ExportData.Day(2);
        string path;
        switch (growth)
        {
            case "appended":
                path = dir.Write("logs/elb.log", day1);
                break;
            case "partial-last-line":
                // the writer was half-way through a line when the first export read the file
                var line = day2.Split('\n')[0];
                path = dir.Write("logs/elb.log", day1 + line[..(line.Length / 2)]);
                break;
            default:
                path = dir.WriteGzip("logs/elb.log.gz", day1);
                break;
        }
        var first = ParquetExport.Write([path], output);
        var before = ExportData.Snapshot(output);

        switch (growth)
        {
            case "appended":
                File.AppendAllText(path, day2);
                break;
            case "partial-last-line":
                File.AppendAllText(path, day2[(day2.Split('\n')[0].Length / 2)..]);
                break;
            default:
                using (var file = new FileStream(path, FileMode.Append))
                using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
                    gzip.Write(Encoding.UTF8.GetBytes(day2));
                break;
        }
        var second = ParquetExport.Write([path], output);

        Assert.Empty(second.Report.Problems); // a .gz grown by a member is whole, not damaged
        var earlier = Assert.Single(second.AlreadyExported);
        Assert.Equal(path, earlier.Source);
        Assert.Equal(first.Requests, earlier.Requests);
        Assert.Equal(second.Report.Parsed - second.Report.OutOfRange, second.Requests + second.AlreadyExportedRequests);
        var requests = RequestIds(output);
        var attempts = AttemptIds(output);
        Assert.Equal(requests.Count, requests.Distinct().Count());
        Assert.Equal(first.Requests + second.Requests, requests.Count);
        Assert.Single(requests.Select(id => id[..id.IndexOf(':')]).Distinct()); // one source key for the log
        var fresh = Fresh(dir, path);
        Assert.Equal(Lines(fresh.Requests), Lines(requests));
        Assert.Equal(Lines(fresh.Attempts), Lines(attempts));
        var after = ExportData.Snapshot(output);
        foreach (var (file, state) in before) Assert.Equal(state, after[file]);

        // The same grown log once more: nothing new.
        var third = ParquetExport.Write([path], output);
        Assert.Empty(third.Written);
        Assert.Equal(requests.Count, RequestIds(output).Count);
    }

    [Fact]
    public void A_log_changed_in_place_is_a_new_input_and_exported_whole()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var path = dir.Write("logs/elb.log", ExportData.Day(1));
        var first = ParquetExport.Write([path], output);

        File.WriteAllText(path, ExportData.Day(3) + ExportData.Day(1));
        var second = ParquetExport.Write([path], output);

        Assert.Empty(second.AlreadyExported);
        Assert.Equal(first.Requests * 2, second.Requests);
    }

    [Fact]
    public void A_log_exported_with_a_time_range_then_without_adds_only_the_rows_left_out()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var path = dir.Write("logs/elb.log", ExportData.Day(1));
        var range = new LoadOptions
        {
            From = new DateTimeOffset(2024, 5, 1, 5, 0, 0, TimeSpan.FromHours(8)),
            To = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(8)),
        };
        var ranged = ParquetExport.Write([path], output, new ExportOptions { Load = range });
        Assert.InRange(ranged.Requests, 1, 30);
        File.AppendAllText(path, ExportData.Day(2)); // and it grew meanwhile

        var whole = ParquetExport.Write([path], output);

        Assert.Equal(ranged.Requests, whole.AlreadyExportedRequests);
        Assert.Equal(ranged.Attempts, whole.AlreadyExportedAttempts);
        Assert.Equal(whole.Report.Parsed, whole.Requests + whole.AlreadyExportedRequests);
        var requests = RequestIds(output);
        Assert.Equal(requests.Count, requests.Distinct().Count());
        var fresh = Fresh(dir, path);
        Assert.Equal(Lines(fresh.Requests), Lines(requests));
        Assert.Equal(Lines(fresh.Attempts), Lines(AttemptIds(output)));

        // The ranged export again: everything in its range is there already.
        var again = ParquetExport.Write([path], output, new ExportOptions { Load = range });
        Assert.Equal(0, again.Requests);
        Assert.Equal(ranged.Requests, again.AlreadyExportedRequests);
    }

    [Fact]
    public void A_log_renamed_by_rotation_adds_nothing_and_its_successor_is_exported_whole()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var logs = Path.Combine(dir.Path, "logs");
        var path = dir.Write("logs/access.log", ExportData.Day(1));
        var first = ParquetExport.Write([logs], output);
        File.AppendAllText(path, ExportData.Day(2).Split('\n')[0] + "\n"); // one more line before rotation
        File.Move(path, path + ".1");
        dir.Write("logs/access.log", ExportData.Day(3));

        var second = ParquetExport.Write([logs], output);

        var rotated = Assert.Single(second.AlreadyExported);
        Assert.Equal(path + ".1", rotated.Source);
        Assert.Equal(["access.log"], rotated.ExportedAs);
        Assert.Equal(first.Requests, rotated.Requests);
        var requests = RequestIds(output);
        Assert.Equal(requests.Count, requests.Distinct().Count());
        var day3 = ParquetExport.Write([dir.Write("day3/other.log", ExportData.Day(3))], Path.Combine(dir.Path, "fresh3"));
        Assert.Equal(first.Requests + 1 + day3.Requests, requests.Count);
        Assert.Equal(second.Report.Parsed, second.Requests + second.AlreadyExportedRequests);
    }

    /// <summary>logrotate with <c>compress</c> and <c>delaycompress</c>: access.log → access.log.1 → access.log.2.gz, gzipped for real.</summary>
    private static void Rotate(string logs)
    {
        var log = Path.Combine(logs, "access.log");
        if (File.Exists(log + ".1"))
        {
            using (var input = File.OpenRead(log + ".1"))
            using (var output = File.Create(log + ".2.gz"))
            using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
                input.CopyTo(gzip);
            File.Delete(log + ".1");
        }
        File.Move(log, log + ".1");
    }

    private static string FirstLine(int day) => ExportData.Day(day).Split('\n')[0] + "\n";

    [Fact]
    public void A_rotated_log_compressed_by_logrotate_adds_nothing()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var logs = Path.Combine(dir.Path, "logs");
        var log = Path.Combine(logs, "access.log");
        // Two days a file: over 64 KiB, so an earlier export's text is checked past its head too.
        dir.Write("logs/access.log", ExportData.Day(1) + ExportData.Day(2));
        var day1 = ParquetExport.Write([logs], output);
        File.AppendAllText(log, FirstLine(9)); // written after the export, before the rotation
        Rotate(logs);
        dir.Write("logs/access.log", ExportData.Day(3) + ExportData.Day(4));
        var day2 = ParquetExport.Write([logs], output);
        File.AppendAllText(log, FirstLine(10));
        Rotate(logs);
        dir.Write("logs/access.log", ExportData.Day(5));
        Assert.True(File.Exists(log + ".2.gz") && !File.Exists(log + ".2"));

        var (exit, text, _) = TestCli.Run("export", logs, "--parquet", output);

        Assert.Equal(0, exit);
        Assert.Contains($"already exported {log}.2.gz: {day1.Requests + 1:N0} request(s) skipped, exported before as access.log, access.log.1", text);
        Assert.Contains($"already exported {log}.1: {day2.Requests - 1:N0} request(s) skipped, exported before as access.log\n", text.ReplaceLineEndings("\n"));
        var all = ExportData.Day(1) + ExportData.Day(2) + FirstLine(9) + ExportData.Day(3) + ExportData.Day(4) + FirstLine(10) + ExportData.Day(5);
        var fresh = ParquetExport.Write([dir.Write("fresh/all.log", all)], Path.Combine(dir.Path, "fresh-out"));
        Assert.Matches($@"\b{fresh.Requests - day1.Requests - day2.Requests:N0} requests, \d+ attempts exported", text);
        Assert.Contains($"{day1.Requests + 1 + day2.Requests - 1:N0} requests (", text); // what was skipped

        using var db = DuckDb.OpenInMemory();
        var requests = $"read_parquet('{Path.Combine(output, "requests").Replace('\\', '/')}/**/*.parquet', hive_partitioning = false)";
        Assert.Equal(fresh.Requests, db.Scalar($"SELECT count(*) FROM {requests}"));
        Assert.Equal(fresh.Requests, db.Scalar($"SELECT count(DISTINCT request_id) FROM {requests}"));
        Assert.Equal(fresh.Requests, db.Scalar($"SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (request_id, file, line) FROM {requests})"));
        var attempts = $"read_parquet('{Path.Combine(output, "attempts").Replace('\\', '/')}/**/*.parquet', hive_partitioning = false)";
        Assert.Equal(fresh.Attempts, db.Scalar($"SELECT count(*) FROM {attempts}"));
        // One source key per log, whatever it was named when its rows were written.
        Assert.Equal(3, db.Scalar($"SELECT count(DISTINCT split_part(request_id, ':', 1)) FROM {requests}"));
    }

    public static TheoryData<string> Encodings => new() { "lf", "lone-cr", "utf8-bom", "utf16" };

    /// <summary>
    /// Each way the text's identity is found: a plain file's is its bytes; one with lone CRs is read again for it; a
    /// byte-order-marked or UTF-16 one is hashed as it is decoded.
    /// </summary>
    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_compressed_copy_is_known_by_its_text(string encoding)
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var text = ExportData.Day(1) + ExportData.Day(2);
        var bytes = encoding switch
        {
            "lone-cr" => Encoding.UTF8.GetBytes(text.Replace('\n', '\r')),
            "utf8-bom" => Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(),
            "utf16" => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(),
            _ => Encoding.UTF8.GetBytes(text),
        };
        var plain = dir.Write("logs/access.log.1", bytes);
        var first = ParquetExport.Write([plain], output);
        Assert.Equal(124, first.Requests);
        using (var file = File.Create(plain[..^2] + ".2.gz"))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            gzip.Write(bytes);
        File.Delete(plain);

        var second = ParquetExport.Write([plain[..^2] + ".2.gz"], output);

        Assert.Equal(0, second.Requests);
        Assert.Empty(second.Written);
        var earlier = Assert.Single(second.AlreadyExported);
        Assert.Equal(first.Requests, earlier.Requests);
        Assert.Equal(["access.log.1"], earlier.ExportedAs);
    }

    [Fact]
    public void A_compressed_log_of_other_content_is_exported_whole()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var day1 = ExportData.Day(1);
        var first = ParquetExport.Write([dir.Write("logs/access.log", day1)], output);
        // the same lines but the first: no prefix of the text exported
        var other = dir.WriteGzip("logs/access.log.2.gz", day1[(day1.IndexOf('\n') + 1)..]);

        var second = ParquetExport.Write([other], output);

        Assert.Empty(second.AlreadyExported);
        Assert.Equal(first.Requests - 1, second.Requests);
    }

    [Fact]
    public void A_ledger_written_before_the_text_was_kept_still_matches_by_raw_bytes()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var path = dir.Write("logs/access.log", ExportData.Day(1));
        var first = ParquetExport.Write([path], output);
        foreach (var json in Directory.EnumerateFiles(Path.Combine(output, "_exported"), "*.json"))
        {
            var entry = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!.AsObject();
            Assert.True(entry.Remove("text_bytes") && entry.Remove("text_sha256") && entry.Remove("text_head_sha256"));
            File.WriteAllText(json, entry.ToJsonString());
        }
        File.AppendAllText(path, FirstLine(2));

        var grown = ParquetExport.Write([path], output);

        Assert.Equal(first.Requests, grown.AlreadyExportedRequests);
        Assert.Equal(1, grown.Requests);
    }

    [Fact]
    public void Two_copies_of_a_log_in_one_export_are_written_once()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var a = dir.Write("logs/a.log", ExportData.Day(1));
        var b = dir.Write("logs/b.log", ExportData.Day(1));

        var export = ParquetExport.Write([a, b], output);

        Assert.Equal(export.Requests, export.AlreadyExportedRequests);
        Assert.Equal(export.Requests, RequestIds(output).Count);
    }

    [Fact]
    public void The_cli_says_which_input_grew()
    {
        using var dir = new TempFolder();
        var output = Path.Combine(dir.Path, "out");
        var path = dir.Write("logs/elb.log", ExportData.Day(1));
        Assert.Equal(0, TestCli.Run("export", path, "--parquet", output).Exit);
        File.AppendAllText(path, ExportData.Day(2));

        var (exit, text, _) = TestCli.Run("export", path, "--parquet", output);

        Assert.Equal(0, exit);
        Assert.Contains($"already exported {path}: ", text);
        Assert.Matches(@"requests \(\d+ attempts\) skipped: already exported into this folder", text);
    }
}
