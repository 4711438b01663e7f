using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>A few requests far in time from the rest are named (file and line) and left out; the answer is still given.</summary>
public class TimeOutliersTests
{
    private static readonly string[] Incident = File.ReadAllLines(TestPaths.SampleLog("elb-web-incident.log"));

    /// <summary>A sample line moved to another local time (+08:00 as the sample writes), its msec field with it.</summary>
    private static string At(string line, DateTimeOffset local)
    {
        var msec = (local.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        var bracket = line.IndexOf('[');
        var close = line.IndexOf(']', bracket);
        return msec + line[line.IndexOf(' ')..bracket] + "[" + local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) + line[close..];
    }

    private static readonly TimeSpan Plus8 = TimeSpan.FromHours(8);

    public static TheoryData<string, int, int[], int> Cases => new()
    {
        // name, good lines, lines (1-based, among the good ones) moved far away, expected outliers
        { "1970", 2400, [2401], 1 },
        { "9999", 2400, [2401], 1 },
        { "1970 and 9999", 2400, [2401, 2402], 2 },
        { "1970 among 50", 50, [51], 1 },
        { "three lines a year later", 2400, [2401, 2402, 2403], 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Far_requests_are_named_and_left_out_and_the_rest_is_judged(string name, int good, int[] moved, int expected)
    {
        var lines = Incident.Take(good).ToList();
        for (var k = 0; k < moved.Length; k++)
        {
            var when = name switch
            {
                "1970" or "1970 among 50" => new DateTimeOffset(1970, 1, 1, 8, 0, 0, Plus8),
                "9999" => new DateTimeOffset(9999, 12, 31, 7, 0, 0, Plus8),
                "1970 and 9999" => k == 0 ? new DateTimeOffset(1970, 1, 1, 8, 0, 0, Plus8) : new DateTimeOffset(9999, 12, 31, 7, 0, 0, Plus8),
                _ => new DateTimeOffset(2025, 5, 1, 10, k, 0, Plus8),
            };
            lines.Add(At(Incident[good + k], when));
        }
        var log = TestLines.Load(string.Join("\n", lines) + "\n", name: "far.log");
        Assert.Equal(good + moved.Length, log.Report.Parsed);

        var inv = log.Investigate();

        Assert.Equal(good, inv.Requests);
        Assert.Equal(expected, inv.TimeOutliers.Count);
        Assert.Equal(moved.Length, inv.TimeOutliers.Sum(o => o.Requests));
        Assert.Equal(moved[0], inv.TimeOutliers.Min(o => o.Line));
        Assert.All(inv.TimeOutliers, o => Assert.Equal("far.log", o.File));
        Assert.True(inv.To - inv.From < TimeSpan.FromHours(1), "the judged range is the bulk's");
        Assert.True(inv.BucketSize <= TimeSpan.FromMinutes(1), "the bucket is chosen for the bulk");
        Assert.All(inv.Backends, b => Assert.True(b.Attempts > 0));

        // Every view says so, with the line.
        var json = JsonDocument.Parse(inv.ToJson()).RootElement;
        var first = json.GetProperty("time_outliers")[0];
        Assert.Equal("far.log", first.GetProperty("file").GetString());
        Assert.Contains($"far.log line {moved[0]}", first.GetProperty("text").GetString());
        Assert.Equal(good, json.GetProperty("requests").GetInt64());
    }

    [Fact]
    public void The_same_answer_streamed_and_loaded()
    {
        var lines = Incident.Take(2400).Append(At(Incident[2400], new DateTimeOffset(1970, 1, 1, 8, 0, 0, Plus8))).ToArray();
        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        var loaded = TestLines.Load(bytes, name: "far.log").Investigate();
        var streamed = AccessLogInvestigation.Investigate([LogSource.FromStream(new MemoryStream(bytes), "far.log")]);
        Assert.Equal(loaded.ToJson(), streamed.ToJson());
    }

    [Fact]
    public void Two_real_logs_a_week_apart_are_both_judged()
    {
        var lines = Incident.Take(1200).Concat(Incident.Skip(1200).Take(1200).Select(l =>
        {
            var time = DateTimeOffset.Parse(l[(l.IndexOf('[') + 1)..l.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture);
            return At(l, time.AddDays(7));
        }));
        var inv = TestLines.Load(string.Join("\n", lines) + "\n").Investigate();
        Assert.Empty(inv.TimeOutliers);
        Assert.Equal(2400, inv.Requests);
    }

    [Fact]
    public void Two_requests_far_apart_are_both_judged_since_neither_is_the_bulk()
    {
        var lines = new[] { Incident[0], At(Incident[1], new DateTimeOffset(2024, 6, 1, 10, 0, 0, Plus8)) };
        var inv = TestLines.Load(string.Join("\n", lines) + "\n").Investigate();
        Assert.Empty(inv.TimeOutliers);
        Assert.Equal(2, inv.Requests);
    }

    [Fact]
    public void The_cli_gives_the_answer_and_names_the_line()
    {
        var dir = Directory.CreateTempSubdirectory("elb-outlier-");
        try
        {
            var path = Path.Combine(dir.FullName, "far.log");
            File.WriteAllLines(path, Incident.Take(2400).Append(At(Incident[2400], new DateTimeOffset(1970, 1, 1, 8, 0, 0, Plus8))));
            var (exit, output, _) = TestCli.Run("investigate", path);
            Assert.Equal(0, exit);
            Assert.Contains("Note: 1 request at 1970-01-01 08:00 +08:00 (first: " + path + " line 2401) lies 19,844 days before the others: left out of the judgement.", output);
            Assert.Contains("huawei-elb: 2,400 requests from 2024-05-01 10:00:00", output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
