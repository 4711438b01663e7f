using System.Text.Json;
using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using static ElbNotebooks.Tests.Analysis.Scenario;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// A backend that fails twice, hours apart, failed twice: its verdict is about the latest failure (since when it is
/// failing now, at the rate it failed then) and names the earlier one; failing on and off is still one failure.
/// </summary>
public sealed class SeparateFailuresTests
{
    private const string Web = "10.0.1.12:8080";

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    public void Two_failures_apart_are_judged_by_the_latest_and_name_the_earlier(int seed)
    {
        var i = Investigate(Options(seed, Incident.BackendErrors(Web, At(10), At(20)), Incident.BackendErrors(Web, At(45), At(55))));

        var suspect = Assert.Single(i.Suspects);
        AssertWindow(suspect, 45, 55);
        var earlier = Assert.Single(suspect.Backend.Verdict.EarlierWindows);
        Assert.InRange(earlier.StartUtc, Utc(10) - Tolerance, Utc(10) + Tolerance);
        Assert.InRange(earlier.EndUtc, Utc(20) - Tolerance, Utc(20) + Tolerance);
        // The rate of the failure itself (60% of its attempts), not one diluted by the 25 minutes it served well.
        Assert.InRange(suspect.Backend.Verdict.ErrorRate, 0.4, 0.8);
        Assert.Contains($"; it had failed earlier too, between {earlier.Between()}", suspect.Reason);
        // Where to look: each failure, the latest first, the backend alone each time.
        Assert.Collection(i.Incidents,
            latest => Assert.Equal((IncidentScope.Backend, suspect.Window.StartUtc), (latest.Scope, latest.Window.StartUtc)),
            before => Assert.Equal((IncidentScope.Backend, earlier.StartUtc), (before.Scope, before.Window.StartUtc)));
        Assert.All(i.Incidents, n => Assert.Equal([Web], n.Backends));
    }

    [Fact]
    public void Failing_on_and_off_is_one_failure()
    {
        // 10 minutes failing, 5 serving, 10 failing: the gap is shorter than either run, so one window.
        var i = Investigate(Options(7, Incident.BackendErrors(Web, At(10), At(20)), Incident.BackendErrors(Web, At(25), At(35))));

        var suspect = Assert.Single(i.Suspects);
        AssertWindow(suspect, 10, 35);
        Assert.Empty(suspect.Backend.Verdict.EarlierWindows);
        Assert.DoesNotContain("earlier too", suspect.Reason);
    }

    [Fact]
    public void A_backend_that_failed_alone_earlier_is_part_of_its_pools_outage_later()
    {
        // 10.0.2.22 refuses connections for 15 minutes; two hours later the whole api pool fails. Its refusals must not
        // count as its quieter period (they would raise its baseline so far that the outage passed for normal), nor the
        // two failures read as one "rollout" from the first to the second.
        var api = new[] { "10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000" };
        var options = Options(3, [Incident.ConnectionRefused(api[1], At(20), At(35)), .. api.Select(b => Incident.BackendErrors(b, At(140), At(155), share: 0.5))])
            with { Duration = TimeSpan.FromHours(3) };
        var i = Investigate(options);

        var outage = Assert.Single(i.Incidents, n => n.Window.StartUtc > Utc(100));
        Assert.Equal(IncidentScope.Pool, outage.Scope);
        Assert.Equal(api.Order(), outage.Backends.Order());
        Assert.Empty(outage.Spared);
        Assert.False(outage.Staggered);
        var refused = Assert.Single(i.Suspects, s => s.Backend.Backend == api[1]);
        AssertWindow(refused, 140, 155);
        var earlier = Assert.Single(refused.Backend.Verdict.EarlierWindows);
        Assert.InRange(earlier.StartUtc, Utc(20) - Tolerance, Utc(20) + Tolerance);
        // And the refusals are an incident of their own: that backend alone.
        var alone = Assert.Single(i.Incidents, n => n.Window.StartUtc < Utc(100));
        Assert.Equal((IncidentScope.Backend, earlier.StartUtc), (alone.Scope, alone.Window.StartUtc));
        Assert.Equal([api[1]], alone.Backends);
        Assert.Equal(IncidentScope.Pool, refused.Scope);
    }

    [Fact]
    public void A_backend_failing_with_its_whole_pool_then_again_alone_is_in_both_incidents()
    {
        // The pool's outage is the own-history verdict's; the later failure alone is the peers' one, which is kept: the
        // outage must stay named, and the pool not read as "2 of 3 failed while 10.0.2.21 did not".
        var api = new[] { "10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000" };
        var options = Options(2, [.. api.Select(b => Incident.BackendErrors(b, At(30), At(50), share: 0.5)), Incident.BackendErrors(api[0], At(240), At(260))])
            with { Duration = TimeSpan.FromHours(6) };
        var i = Investigate(options);

        var outage = Assert.Single(i.Incidents, n => n.Window.StartUtc < Utc(100));
        Assert.Equal(IncidentScope.Pool, outage.Scope);
        Assert.Empty(outage.Spared);
        var again = Assert.Single(i.Incidents, n => n.Window.StartUtc > Utc(200));
        Assert.Equal([api[0]], again.Backends);
        Assert.Equal(IncidentScope.Backend, again.Scope);
        var twice = Assert.Single(i.Suspects, s => s.Backend.Backend == api[0]);
        AssertWindow(twice, 240, 260);
        Assert.Single(twice.Backend.Verdict.EarlierWindows);
    }

    [Fact]
    public void A_failure_is_compared_with_its_quieter_periods_not_with_its_other_failures()
    {
        // 10.0.2.21 refuses every connection for an hour, then fails with its whole pool twice, 15 minutes apart (one
        // failure): its hour of refusals is no "quieter period" for the afternoon's failure.
        var api = new[] { "10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000" };
        var pool = api.SelectMany(b => new[] { Incident.BackendErrors(b, At(240), At(260), share: 0.3), Incident.BackendErrors(b, At(275), At(295), share: 0.3) });
        var options = Options(4, [Incident.ConnectionRefused(api[0], At(0), At(60)), .. pool]) with { Duration = TimeSpan.FromHours(6) };
        var i = Investigate(options);

        var first = Assert.Single(i.Suspects, s => s.Backend.Backend == api[0]);
        AssertWindow(first, 240, 295);
        Assert.InRange(first.Backend.Verdict.BaselineErrorRate!.Value, 0, 0.01);
        Assert.Single(first.Backend.Verdict.EarlierWindows);
    }

    [Fact]
    public void A_backend_slow_twice_has_two_slow_incidents_each_counting_its_delayed_responses()
    {
        const string slowOne = "10.0.1.14:8080";
        var i = Investigate(Options(3, Incident.SlowBackend(slowOne, At(30), At(50)), Incident.SlowBackend(slowOne, At(240), At(260)))
            with { Duration = TimeSpan.FromHours(6) });

        var suspect = Assert.Single(i.Suspects);
        Assert.Equal(Health.Slow, suspect.Health);
        AssertWindow(suspect, 240, 260);
        Assert.Contains("; it had been slow earlier too, between", suspect.Reason);
        Assert.Collection(i.Incidents,
            latest => Assert.Equal(suspect.RequestsHurt, latest.Failures),
            // The same 20 minutes of the same traffic, delayed the same way: about as many responses past the threshold.
            earlier => Assert.InRange(earlier.Failures, suspect.RequestsHurt * 0.7, suspect.RequestsHurt * 1.3));
        Assert.All(i.Incidents, n => Assert.Equal((Health.Slow, IncidentScope.Backend), (n.Health, n.Scope)));
    }

    [Fact]
    public void Episodes_join_by_the_two_runs_lengths_so_flapping_does_not_swallow_a_later_failure()
    {
        // Three 20-minute failures 20 minutes apart are one; a fourth 50 minutes after them is another.
        var incidents = new[] { (30, 50), (70, 90), (110, 130), (180, 200) }.Select(w => Incident.BackendErrors(Web, At(w.Item1), At(w.Item2))).ToArray();
        var i = Investigate(Options(5, incidents) with { Duration = TimeSpan.FromHours(4) });

        var suspect = Assert.Single(i.Suspects);
        AssertWindow(suspect, 180, 200);
        var earlier = Assert.Single(suspect.Backend.Verdict.EarlierWindows);
        Assert.InRange(earlier.StartUtc, Utc(30) - Tolerance, Utc(30) + Tolerance);
        Assert.InRange(earlier.EndUtc, Utc(130) - Tolerance, Utc(130) + Tolerance);
    }

    [Fact]
    public void The_terminal_and_the_json_say_so_for_the_shipped_samples_read_together()
    {
        // sample-logs/ holds 2024-05-01 (10.0.2.22 refusing alone) and 2024-05-02 (its whole pool failing).
        var folder = TestPaths.SampleLog("");
        var (exit, terminal, _) = TestCli.Run("investigate", folder);
        var (_, json, _) = TestCli.Run("investigate", folder, "--json");

        Assert.Equal(0, exit);
        Assert.Contains("FAILING 10.0.2.22:9000 from 2024-05-02 11:20 to 2024-05-02 11:35 +08:00 (2024-05-02 03:20-2024-05-02 03:35 UTC) " +
                        "(also failed 2024-05-01 14:05–2024-05-01 14:25 +08:00): ", terminal);
        using var doc = JsonDocument.Parse(json);
        var backend = doc.RootElement.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("backend").GetString() == "10.0.2.22:9000");
        var earlier = Assert.Single(backend.GetProperty("verdict").GetProperty("earlier_windows").EnumerateArray());
        Assert.Equal("2024-05-01T06:05:00Z", earlier.GetProperty("from").GetString());
        Assert.Equal("2024-05-01T06:25:00Z", earlier.GetProperty("to").GetString());
        Assert.Contains("it had failed earlier too, between 2024-05-01 14:05 and 2024-05-01 14:25 +08:00", backend.GetProperty("reason").GetString());
        var pool = doc.RootElement.GetProperty("incidents").EnumerateArray().Single(n => n.GetProperty("from_local").GetString() == "2024-05-02T11:20:00+08:00");
        Assert.Equal("pool", pool.GetProperty("scope").GetString());
        Assert.Empty(pool.GetProperty("spared").EnumerateArray());
    }
}
