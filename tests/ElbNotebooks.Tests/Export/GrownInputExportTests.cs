using System.IO.Compression;
using System.Text;
using ElbNotebooks.Export;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;

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
