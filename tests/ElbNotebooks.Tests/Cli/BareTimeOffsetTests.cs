using System.Text.Json;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Cli;

/// <summary>
/// <c>--from</c>/<c>--to</c> without an offset are read in the log's own offset, the one every view shows (the offset
/// most of the inputs' lines are written in), not in the offset of the first input's first lines; and a range does
/// not change the offset the views show.
/// </summary>
public sealed class BareTimeOffsetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-bare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestCli.Run(args);

    /// <summary>
    /// Three hours across the EU change to summer time (2024-03-31 01:00 UTC): the first hour written at +01:00, the
    /// next two at +02:00; 10.0.1.12:8080 fails from 03:30 to 04:00 +02:00 (01:30-02:00 UTC).
    /// </summary>
    private string AcrossDst()
    {
        var (before, after, log) = (Path.Combine(_dir, "before.log"), Path.Combine(_dir, "after.log"), Path.Combine(_dir, "dst.log"));
        Assert.Equal(0, Run("generate", "--out", before, "--start", "2024-03-31T01:00:00+01:00", "--duration", "1h", "--rps", "4").Exit);
        Assert.Equal(0, Run("generate", "--out", after, "--start", "2024-03-31T03:00:00+02:00", "--duration", "2h", "--rps", "4", "--seed", "2",
            "--incident", "errors:10.0.1.12:8080@03:30-04:00,share=0.6").Exit);
        File.WriteAllText(log, File.ReadAllText(before) + File.ReadAllText(after));
        return log;
    }

    [Fact]
    public void Across_a_dst_change_the_window_the_views_show_typed_back_finds_the_outage()
    {
        var log = AcrossDst();
        var (exit, whole, _) = Run("investigate", log);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("FAILING 10.0.1.12:8080 from 03:30 to 04:00 +02:00 (01:30-02:00 UTC)", whole);

        // The first lines are at +01:00: read there, this was 02:30-03:00 UTC, after the outage, and an all-clear.
        var (exit2, window, stderr) = Run("investigate", log, "--from", "2024-03-31T03:30", "--to", "2024-03-31T04:00");
        Assert.True(exit2 == ExitCodes.Ok, stderr);
        Assert.Contains("Filters: from 2024-03-31 03:30:00 +02:00, to 2024-03-31 04:00:00 +02:00;", window);
        Assert.Contains("FAILING 10.0.1.12:8080", window);
        Assert.DoesNotContain("No suspect", window);
    }

    [Fact]
    public async Task A_time_of_day_alone_is_on_the_logs_day_and_asks_for_the_date_where_that_is_not_one_day()
    {
        var web = TestPaths.SampleLog("elb-web-incident.log");
        var (exit, alone, err) = Run("investigate", web, "--from", "10:20", "--to", "10:35", "--json");
        var (_, dated, _) = Run("investigate", web, "--from", "2024-05-01T10:20", "--to", "2024-05-01T10:35", "--json");

        Assert.True(exit == ExitCodes.Ok, err);
        Assert.Equal(dated, alone);
        Assert.Equal("2024-05-01T02:20:00Z", JsonDocument.Parse(alone).RootElement.GetProperty("filters").GetProperty("from").GetString());

        // Two days: which one is not guessed.
        var twoDays = Path.Combine(_dir, "two-days.log");
        Assert.Equal(0, Run("generate", "--out", twoDays, "--start", "2024-05-01T23:30:00+08:00", "--duration", "1h", "--rps", "2").Exit);
        var (refused, stdout, stderr) = Run("investigate", twoDays, "--from", "23:45");
        Assert.Equal(ExitCodes.Usage, refused);
        Assert.Equal("", stdout);
        Assert.Contains("--from 23:45 names no day, and the logs span 2024-05-01 to 2024-05-02 (+08:00): give the date too, e.g. 2024-05-01T23:45.", stderr);

        // Where nothing parses, that is the answer, not the missing day.
        var garbage = Path.Combine(_dir, "garbage.log");
        File.WriteAllText(garbage, "not a log line\nnor this\n");
        var (unparsed, _, unparsedErr) = Run("investigate", garbage, "--from", "10:00");
        Assert.Equal(ExitCodes.NothingParsed, unparsed);
        Assert.Contains("No access-log line could be parsed", unparsedErr);
        Assert.DoesNotContain("names no day", unparsedErr);

        // Standard input is read once: its day is not known before the load.
        var (piped, _, pipedErr) = await TestCli.RunWithStdinAsync(web, "investigate", "-", "--to", "10:35:30");
        Assert.Equal(ExitCodes.Usage, piped);
        Assert.Contains("--to 10:35:30 names no day", pipedErr);
        Assert.DoesNotContain("taken as UTC", pipedErr);
    }

    [Theory]
    [InlineData("02:20Z", "02:35Z")]
    [InlineData("10:20+08:00", "10:35+08:00")]
    [InlineData("04:20+02:00", "04:35+0200")]
    public void A_time_of_day_with_an_offset_is_that_time_on_the_logs_day_in_that_offset(string from, string to)
    {
        // Read by the runtime as today at that time, it selected nothing and exited 3.
        var web = TestPaths.SampleLog("elb-web-incident.log");
        var (exit, typed, err) = Run("investigate", web, "--from", from, "--to", to, "--json");
        var (_, dated, _) = Run("investigate", web, "--from", "2024-05-01T10:20+08:00", "--to", "2024-05-01T10:35+08:00", "--json");

        Assert.True(exit == ExitCodes.Ok, err);
        Assert.Equal(dated, typed);
    }

    [Fact]
    public void A_stray_line_years_away_does_not_hide_the_logs_day()
    {
        // The 2019 seed line beside the 2024 sample is a time outlier the judgement leaves out; the logs' day for a time
        // of day alone is still the sample's, not a question naming 2019 (whose date would select nothing).
        var web = TestPaths.SampleLog("elb-web-incident.log");
        var seed = TestPaths.SampleLog("seed-line.log");
        var (exit, alone, err) = Run("investigate", web, seed, "--from", "10:20", "--to", "10:35", "--json");
        var (_, dated, _) = Run("investigate", web, seed, "--from", "2024-05-01T10:20", "--to", "2024-05-01T10:35", "--json");

        Assert.True(exit == ExitCodes.Ok, err);
        Assert.Equal(dated, alone);

        // Logs across midnight still ask for the date, and suggest theirs, not the stray line's.
        var night = Path.Combine(_dir, "night.log");
        Assert.Equal(0, Run("generate", "--out", night, "--start", "2024-05-01T20:00:00+08:00", "--duration", "8h", "--rps", "1").Exit);
        var (refused, _, stderr) = Run("investigate", night, seed, "--from", "01:30");
        Assert.Equal(ExitCodes.Usage, refused);
        Assert.Contains("--from 01:30 names no day, and the logs span 2024-05-01 to 2024-05-02 (+08:00): give the date too, e.g. 2024-05-02T01:30.", stderr);
    }

    [Theory]
    [InlineData("--from", "9999-12-31T23:59Z")]
    [InlineData("--to", "0001-01-01T00:00")]
    [InlineData("--from", "0001-01-01T00:00+14:00")]
    [InlineData("--from", "10:20+15:00")]
    [InlineData("--from", "14:00+07:60")]
    public void A_time_at_the_calendars_ends_or_past_any_offset_is_a_usage_error_not_a_crash(string option, string time)
    {
        var (exit, stdout, stderr) = Run("investigate", TestPaths.SampleLog("elb-web-incident.log"), option, time);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"{option} '{time}'", stderr);
        Assert.DoesNotContain("bug", stderr);
    }

    [Fact]
    public void Load_and_export_read_bare_times_in_the_offset_the_views_show()
    {
        var log = AcrossDst();
        var (exit, stdout, stderr) = Run("load", log, "--json", "--from", "2024-03-31T03:30", "--to", "2024-03-31T04:00");
        Assert.True(exit == ExitCodes.Ok, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("2024-03-31T01:30:00Z", json.GetProperty("from").GetString());
        Assert.Equal("+02:00", json.GetProperty("utc_offset").GetString());
        var requests = json.GetProperty("requests").GetInt64();

        var (exit2, exported, stderr2) = Run("export", log, "--parquet", Path.Combine(_dir, "parquet"), "--from", "2024-03-31T03:30", "--to", "2024-03-31T04:00");
        Assert.True(exit2 == ExitCodes.Ok, stderr2);
        Assert.Contains($"{requests:N0} requests", exported);
        Assert.Contains("dt=2024-03-31/hour=01", string.Join("\n", Directory.GetDirectories(Path.Combine(_dir, "parquet"), "*", SearchOption.AllDirectories)));
    }

    [Fact]
    public void A_range_mostly_in_the_other_offset_is_still_shown_in_the_offset_it_was_typed_in()
    {
        var log = AcrossDst();
        // 02:00-03:30 +02:00 is 00:00-01:30 UTC: an hour of +01:00 lines and half an hour of +02:00 ones.
        var (exit, stdout, stderr) = Run("investigate", log, "--from", "2024-03-31T02:00", "--to", "2024-03-31T03:30");
        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("Filters: from 2024-03-31 02:00:00 +02:00, to 2024-03-31 03:30:00 +02:00;", stdout);
        Assert.StartsWith("huawei-elb: ", stdout);
        Assert.Contains(" from 2024-03-31 02:00:00 to 2024-03-31 03:29:59 +02:00", stdout.Split('\n')[0]);
    }

    [Fact]
    public void With_logs_of_two_zones_bare_times_are_read_in_the_zone_of_most_lines_whichever_file_comes_first()
    {
        // The same hour, 02:00-03:00 UTC, logged at -05:00 (named first, fewer lines) and at +08:00.
        var (west, east) = (Path.Combine(_dir, "west.log"), Path.Combine(_dir, "east.log"));
        Assert.Equal(0, Run("generate", "--out", west, "--start", "2024-04-30T21:00:00-05:00", "--duration", "1h", "--rps", "2").Exit);
        Assert.Equal(0, Run("generate", "--out", east, "--start", "2024-05-01T10:00:00+08:00", "--duration", "1h", "--rps", "4", "--seed", "3",
            "--incident", "errors:10.0.1.12:8080@10:20-10:40,share=0.6").Exit);
        var (_, whole, _) = Run("investigate", west, east);
        Assert.Matches(@" from 2024-05-01 10:00:00 to 2024-05-01 1[01]:[0-9:]+ \+08:00,", whole.Split('\n')[0]);

        var (exit, stdout, stderr) = Run("investigate", west, east, "--from", "2024-05-01T10:30", "--to", "2024-05-01T10:40");
        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("Filters: from 2024-05-01 10:30:00 +08:00, to 2024-05-01 10:40:00 +08:00;", stdout);
        Assert.Contains("FAILING 10.0.1.12:8080", stdout);
    }

    [Fact]
    public void A_loaded_logs_offset_counts_the_lines_its_range_left_out()
    {
        var log = AcrossDst();
        var range = AccessLog.Load([log], LoadOptions.Default with
        {
            From = DateTimeOffset.Parse("2024-03-31T00:00:00Z"), To = DateTimeOffset.Parse("2024-03-31T01:30:00Z"),
        });
        // Kept: an hour at +01:00, half an hour at +02:00; the whole log: one hour at +01:00, two at +02:00.
        Assert.Equal(TimeSpan.FromHours(2), range.UtcOffset);
        Assert.Equal(TimeSpan.FromHours(2), AccessLog.Load(log).UtcOffset);
    }
}
