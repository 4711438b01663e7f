using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using static ElbNotebooks.Tests.Support.TestLogs;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>"Since when" and "until when" are the failure's own minutes, not stretched by one background error nearby.</summary>
public sealed class WindowEdgeTests
{
    /// <summary>B fails every attempt from 10:00 to 10:05; at 10:07, back to normal, one of its 10 attempts fails.</summary>
    private static IEnumerable<string> FailureThenOneError(int errorsAt7)
    {
        for (var m = 0; m < 12; m++)
            for (var i = 0; i < 10; i++)
            {
                var at = T0.AddMinutes(m).AddSeconds(i * 5);
                var bFails = m < 5 || (m == 7 && i < errorsAt7);
                yield return bFails
                    ? Line(at, 500, "500", "0.001", "0.010", "0.010", B)
                    : Line(at, 200, "200", "0.001", "0.010", "0.010", B);
                yield return Line(at.AddSeconds(1), 200, "200", "0.001", "0.010", "0.010", A);
                yield return Line(at.AddSeconds(2), 200, "200", "0.001", "0.010", "0.010", C);
            }
    }

    private static Suspect Judge(int errorsAt7) =>
        Assert.Single(Load(FailureThenOneError(errorsAt7)).Investigate(InvestigationOptions.Default with { BucketSize = TimeSpan.FromMinutes(1) }).Suspects);

    [Fact]
    public void One_failed_attempt_two_minutes_after_a_failure_does_not_stretch_its_window()
    {
        var suspect = Judge(errorsAt7: 1);

        Assert.Equal(B, suspect.Backend.Backend);
        Assert.Equal(T0.UtcDateTime, suspect.Window.StartUtc);
        Assert.Equal(T0.AddMinutes(5).UtcDateTime, suspect.Window.EndUtc);
    }

    [Fact]
    public void Two_failed_attempts_in_that_minute_still_belong_to_the_failure()
    {
        // 2 of 10 is no lone error: the window runs on to the end of that minute, as before.
        var suspect = Judge(errorsAt7: 2);

        Assert.Equal(T0.AddMinutes(8).UtcDateTime, suspect.Window.EndUtc);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(10)]
    public void One_stray_error_in_a_few_second_bucket_is_no_failure_against_nothing(int seconds)
    {
        // 10.0.1.14:8080 failed 1 of its 2 attempts in one 7 s bucket and 1 of its ~1,450 over the hour: judged on that
        // bucket alone, with "no quieter period" (there was an hour of it), it was called failing.
        var i = AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")).Investigate(InvestigationOptions.Default with { BucketSize = TimeSpan.FromSeconds(seconds) });

        var suspect = Assert.Single(i.Suspects);
        Assert.Equal("10.0.1.12:8080", suspect.Backend.Backend);
        Assert.Equal(Health.Healthy, i.Backends.Single(b => b.Backend == "10.0.1.14:8080").Health);
    }

    [Theory]
    [InlineData("elb-web-incident.log")]
    [InlineData("elb-refused-and-slow.log.gz")]
    [InlineData("elb-pool-wide.log.gz")]
    public void Each_shipped_samples_suspects_are_its_answer_keys_backends_with_their_windows_to_the_minute(string sample)
    {
        using var key = JsonDocument.Parse(File.ReadAllText(TestPaths.SampleLog(sample[..sample.IndexOf('.', StringComparison.Ordinal)] + ".key.json")));
        var expected = key.RootElement.GetProperty("incidents").EnumerateArray()
            .Where(i => i.GetProperty("backend").ValueKind == JsonValueKind.String)
            .Select(i => (Backend: i.GetProperty("backend").GetString()!, From: i.GetProperty("fromUtc").GetDateTimeOffset().UtcDateTime,
                To: i.GetProperty("toUtc").GetDateTimeOffset().UtcDateTime))
            .OrderBy(i => i.Backend, StringComparer.Ordinal).ToList();

        var suspects = AccessLog.Load(TestPaths.SampleLog(sample)).Investigate().Suspects
            .Select(s => (s.Backend.Backend, From: s.Window.StartUtc, To: s.Window.EndUtc))
            .OrderBy(s => s.Backend, StringComparer.Ordinal).ToList();

        Assert.Equal(expected, suspects);
    }
}
