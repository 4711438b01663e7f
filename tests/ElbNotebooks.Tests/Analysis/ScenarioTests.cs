using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using static ElbNotebooks.Tests.Analysis.Scenario;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>Generated logs with known incidents: the investigation must name exactly the right suspects.</summary>
public sealed class ScenarioTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 42 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_backend_answering_500s_is_the_only_suspect_and_is_failing_in_its_window(int seed)
    {
        var i = Investigate(Options(seed, Incident.BackendErrors("10.0.1.12:8080", At(20), At(35), share: 0.6)));

        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.1.12:8080", Describe(i));
        Assert.Equal(Health.Failing, suspect.Health);
        AssertWindow(suspect, 20, 35);
        Assert.True(suspect.Backend.Backend5xx > suspect.Backend.Lb5xx);
        Assert.Contains("10.0.1.12:8080 failed", suspect.Reason);
        Assert.Contains("peers", suspect.Reason);
        Assert.Equal(suspect.Backend, i.Backends[0]);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Refused_connections_are_charged_to_the_refusing_backend_even_when_a_retry_gave_the_client_200(int seed)
    {
        var i = Investigate(Options(seed, Incident.ConnectionRefused("10.0.2.22:9000", At(5), At(25))));

        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.2.22:9000", Describe(i));
        Assert.Equal(Health.Failing, suspect.Health);
        AssertWindow(suspect, 5, 25);
        Assert.True(suspect.Backend.Lb5xx > 10 * Math.Max(1, suspect.Backend.Backend5xx), "refusals are load-balancer 502/504");
        Assert.True(suspect.RequestsRetried > 0, "GETs were retried on a peer");
        Assert.True(suspect.RequestsRetried > suspect.RequestsHurt, "most clients were rescued by a retry");
        Assert.Contains("refused or timed out", suspect.Reason);
        foreach (var peer in i.Backends.Where(b => b.Backend is "10.0.2.21:9000" or "10.0.2.23:9000"))
        {
            Assert.Equal(Health.Healthy, peer.Health);
            Assert.True(peer.ErrorRate < 0.02, peer.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_slow_backend_is_slow_not_failing_and_the_only_suspect(int seed)
    {
        var i = Investigate(Options(seed, Incident.SlowBackend("10.0.1.14:8080", At(30), At(50), extraSeconds: 2.5)));

        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.1.14:8080", Describe(i));
        Assert.Equal(Health.Slow, suspect.Health);
        AssertWindow(suspect, 30, 50);
        Assert.Contains("header time p95", suspect.Reason);
        Assert.Contains("connect p95", suspect.Reason);
        Assert.Contains("was normal", suspect.Reason);
        Assert.True(suspect.RequestsHurt > 0);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Errors_the_load_balancer_answered_by_itself_are_listener_errors_and_name_no_suspect(int seed)
    {
        var options = Options(seed, Incident.ListenerErrors("web", At(53), At(58), share: 0.4, status: 503));
        var i = Investigate(options);
        var web = LogGenerator.Key(options).Listeners.Single(l => l.Name == "web");

        Assert.True(i.Suspects.Count == 0, Describe(i));
        var errors = Assert.Single(i.ListenerErrors, e => e.Status == 503);
        Assert.Equal(web.ListenerName, errors.Listener);
        Assert.Equal(errors.Requests, i.NoBackendErrors);
        Assert.InRange(errors.First, Utc(53) - Tolerance, Utc(53) + Tolerance);
        Assert.All(i.Backends, b => Assert.Equal(Health.Healthy, b.Health));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Client_aborts_are_counted_but_name_no_suspect(int seed)
    {
        var i = Investigate(Options(seed) with { ClientAbortRate = 0.05 });

        Assert.True(i.Suspects.Count == 0, Describe(i));
        Assert.True(i.Backends.Sum(b => b.ClientAborts) > 100);
        Assert.All(i.Backends, b => Assert.True(b.ErrorRate < 0.02, b.Reason));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_steady_baseline_of_errors_shared_by_peers_is_not_a_failure(int seed)
    {
        foreach (var rate in new[] { 0.002, 0.01, 0.03, 0.06 })
        {
            var i = Investigate(Options(seed) with
            {
                BaselineErrorRate = rate, Listeners = [ListenerSpec.Web, ListenerSpec.Api, ListenerSpec.Admin],
            });
            Assert.True(i.Suspects.Count == 0, $"baseline {rate}:\n{Describe(i)}");
            Assert.All(i.Backends, b => Assert.Equal(Health.Healthy, b.Health));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_one_backend_pool_is_failing_when_it_fails(int seed)
    {
        var options = Options(seed, Incident.BackendErrors("10.0.3.31:8080", At(10), At(30), share: 0.6)) with
        {
            Listeners = [ListenerSpec.Web, ListenerSpec.Admin],
        };
        var i = Investigate(options);

        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.3.31:8080", Describe(i));
        Assert.Equal(Health.Failing, suspect.Health);
        AssertWindow(suspect, 10, 30);
        Assert.Contains("outside that window", suspect.Reason);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_one_backend_pool_is_healthy_otherwise(int seed)
    {
        var i = Investigate(Options(seed) with { Listeners = [ListenerSpec.Web, ListenerSpec.Admin], BaselineErrorRate = 0.01 });

        Assert.True(i.Suspects.Count == 0, Describe(i));
        var solo = Assert.Single(i.Backends, b => b.Backend == "10.0.3.31:8080");
        Assert.Equal(Health.Healthy, solo.Health);
        Assert.Contains("no peer", solo.Reason);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Two_incidents_are_both_found_failing_first(int seed)
    {
        var i = Investigate(Options(seed,
            Incident.SlowBackend("10.0.1.14:8080", At(30), At(50)),
            Incident.ConnectionRefused("10.0.2.22:9000", At(5), At(25))));

        Assert.Equal(["10.0.2.22:9000", "10.0.1.14:8080"], i.Suspects.Select(s => s.Backend.Backend));
        Assert.Equal([Health.Failing, Health.Slow], i.Suspects.Select(s => s.Health));
        Assert.Equal(["10.0.2.22:9000", "10.0.1.14:8080"], i.Backends.Take(2).Select(b => b.Backend));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Two_of_three_backends_failing_at_once_are_both_found(int seed)
    {
        // Regression: with the plain median, each failing member's baseline was the average of the other failing
        // member and the healthy one, so neither stood out.
        var i = Investigate(Options(seed,
            Incident.BackendErrors("10.0.2.21:9000", At(20), At(35), share: 0.6),
            Incident.BackendErrors("10.0.2.22:9000", At(20), At(35), share: 0.6)));

        Assert.Equal(["10.0.2.21:9000", "10.0.2.22:9000"], i.Suspects.Select(s => s.Backend.Backend).Order());
        Assert.All(i.Suspects, s => Assert.Equal(Health.Failing, s.Health));
        Assert.All(i.Suspects, s => AssertWindow(s, 20, 35));
        Assert.Equal(Health.Healthy, Assert.Single(i.Backends, b => b.Backend == "10.0.2.23:9000").Health);
    }

    [Fact]
    public void The_legacy_layout_without_pool_names_compares_backends_of_the_same_listener()
    {
        var options = Options(5, Incident.BackendErrors("10.0.1.12:8080", At(20), At(35))) with { Layout = LogLayout.Legacy };
        var i = Investigate(options);

        var suspect = Assert.Single(i.Suspects);
        Assert.Equal("10.0.1.12:8080", suspect.Backend.Backend);
        Assert.Equal("-", suspect.Backend.Pool);
        Assert.Contains("peers on listener_", suspect.Reason);
    }
}
