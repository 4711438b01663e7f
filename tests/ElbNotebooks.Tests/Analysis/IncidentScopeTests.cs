using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;
using static ElbNotebooks.Tests.Analysis.Scenario;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// Majority and pool-wide failures from generated logs: every failing backend is named failing (whatever its peers
/// did), no healthy backend is named, and each incident gets the scope that says where to look.
/// </summary>
public sealed class IncidentScopeTests
{
    public static TheoryData<int, int> Rollouts()
    {
        var data = new TheoryData<int, int>();
        foreach (var reached in new[] { 2, 3, 4 })
            foreach (var seed in new[] { 1, 2, 3, 42 })
                data.Add(reached, seed);
        return data;
    }

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 42 };

    private static (Investigation Investigation, AnswerKey Key) Run(string scenario, int seed)
    {
        var options = Scenarios.Apply(scenario, Options(seed));
        return (Investigate(options), LogGenerator.Key(options));
    }

    /// <summary>Exactly these suspects, with these healths; every other backend healthy.</summary>
    private static void AssertSuspects(Investigation i, IEnumerable<string> failing, IEnumerable<string>? slow = null)
    {
        var expected = failing.Select(b => (b, Health.Failing)).Concat((slow ?? []).Select(b => (b, Health.Slow))).Order().ToList();
        Assert.True(expected.SequenceEqual(i.Suspects.Select(s => (s.Backend.Backend, s.Health)).Order()), Describe(i));
        foreach (var b in i.Backends.Where(b => !expected.Any(e => e.Item1 == b.Backend)))
            Assert.True(b.Health == Health.Healthy, Describe(i));
    }

    [Theory]
    [MemberData(nameof(Rollouts))]
    public void A_rollout_reaching_2_3_or_4_of_4_backends_names_exactly_them_with_the_right_scope(int reached, int seed)
    {
        var (i, key) = Run($"rollout-{reached}", seed);
        var web = key.Listeners[0].Backends;
        var hit = web.Take(reached).ToArray();

        AssertSuspects(i, hit);
        for (var k = 0; k < reached; k++)
            AssertWindow(i.Suspects.Single(s => s.Backend.Backend == hit[k]), 10 + 3 * k, 40);
        var incident = Assert.Single(i.Incidents);
        Assert.Equal(reached == 4 ? IncidentScope.Pool : IncidentScope.SeveralBackends, incident.Scope);
        Assert.Equal(hit, incident.Backends);
        Assert.Equal(4, incident.PoolBackends);
        Assert.Equal(EvidenceStrength.Strong, incident.Evidence);
        Assert.Contains("one after another", incident.Reason);
        Assert.All(i.Suspects, s => Assert.Equal(incident.Scope, s.Scope));
        Assert.InRange(incident.Window.StartUtc, Utc(10) - Tolerance, Utc(10) + Tolerance);
        Assert.InRange(incident.Window.EndUtc, Utc(40) - Tolerance, Utc(40) + Tolerance);
        if (reached == 3)
        {
            var spared = Assert.Single(i.Backends, b => b.Backend == web[3]);
            Assert.Contains("stayed healthy while 3 of its 3 peers", spared.Reason);
            Assert.Contains(web[3], incident.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_backend_of_a_pool_failing_at_once_is_a_pool_incident(int seed)
    {
        var (i, key) = Run("pool-outage", seed);
        var api = key.Listeners[1];

        AssertSuspects(i, api.Backends);
        Assert.All(i.Suspects, s => AssertWindow(s, 20, 35));
        Assert.All(i.Suspects, s => Assert.Contains("in its quieter periods", s.Reason));
        var incident = Assert.Single(i.Incidents);
        Assert.Equal(IncidentScope.Pool, incident.Scope);
        Assert.Equal(api.PoolName, incident.Pool);
        Assert.Equal(api.Backends, incident.Backends);
        Assert.Contains("all from the same time", incident.Reason);
        Assert.Contains("what they share", incident.Reason);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_pool_of_one_failing_is_a_backend_incident_that_says_it_has_no_peer(int seed)
    {
        var (i, _) = Run("one-backend-pool", seed);

        AssertSuspects(i, ["10.0.3.31:8080"]);
        var incident = Assert.Single(i.Incidents);
        Assert.Equal(IncidentScope.Backend, incident.Scope);
        Assert.Equal(1, incident.PoolBackends);
        Assert.Contains("only backend", incident.Reason);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_scope_in_one_log_is_found_and_named(int seed)
    {
        var (i, key) = Run("mixed-scopes", seed);
        var web = key.Listeners.Single(l => l.Name == "web");
        var api = key.Listeners.Single(l => l.Name == "api");

        AssertSuspects(i, [.. web.Backends.Take(3), .. api.Backends, "10.0.3.31:8080"], [web.Backends[3]]);
        var scopes = i.Incidents.Select(n => (n.Scope, n.Health, string.Join(",", n.Backends))).Order().ToList();
        Assert.Equal(
            new[]
            {
                (IncidentScope.Backend, Health.Failing, "10.0.3.31:8080"),
                (IncidentScope.Backend, Health.Slow, web.Backends[3]),
                (IncidentScope.SeveralBackends, Health.Failing, string.Join(",", web.Backends.Take(3))),
                (IncidentScope.Pool, Health.Failing, string.Join(",", api.Backends)),
                (IncidentScope.LoadBalancer, Health.Failing, ""),
            }.Order(),
            scopes);
        var lb = Assert.Single(i.Incidents, n => n.Scope == IncidentScope.LoadBalancer);
        Assert.Equal(api.ListenerName, lb.Listener);
        Assert.Null(lb.Pool);
        Assert.InRange(lb.Window.StartUtc, Utc(52) - Tolerance, Utc(52) + Tolerance);
        // Failing before slow; the slow backend's incident is last.
        Assert.Equal(Health.Slow, i.Incidents[^1].Health);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_issue_log_a_deploy_on_3_of_4_and_a_whole_pool_down_is_not_no_suspect(int seed)
    {
        // The report that started this: a bad deploy makes 3 of 4 web backends answer 500 on a third of their attempts
        // for 40 minutes, and all 3 api backends answer 503 on 40% for 15 minutes; it used to say "No suspect".
        var start = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(8));
        var options = Options(seed,
        [
            .. new[] { "10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080" }.Select(b => Incident.BackendErrors(b, At(30), At(70), share: 0.33)),
            .. new[] { "10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000" }.Select(b => Incident.BackendErrors(b, At(80), At(95), share: 0.4, status: 503)),
        ]) with { Duration = TimeSpan.FromHours(2), Start = start };
        var i = Investigate(options);

        AssertSuspects(i, ["10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080", "10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000"]);
        Assert.All(i.Suspects.Where(s => s.Backend.Backend.StartsWith("10.0.1.", StringComparison.Ordinal)), s => AssertWindow(s, 30, 70));
        Assert.All(i.Suspects.Where(s => s.Backend.Backend.StartsWith("10.0.2.", StringComparison.Ordinal)), s => AssertWindow(s, 80, 95));
        Assert.Equal([IncidentScope.SeveralBackends, IncidentScope.Pool], i.Incidents.Select(n => n.Scope).Order());
        Assert.Contains("all from the same time", i.Incidents.Single(n => n.Scope == IncidentScope.SeveralBackends).Reason);
        Assert.Contains("stayed healthy", Assert.Single(i.Backends, b => b.Backend == "10.0.1.14:8080").Reason);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_backend_of_a_pool_slowed_down_at_once_is_a_slow_pool_incident(int seed)
    {
        string[] api = ["10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000"];
        var i = Investigate(Options(seed, [.. api.Select(b => Incident.SlowBackend(b, At(25), At(40), extraSeconds: 2.0))]));

        AssertSuspects(i, [], api);
        Assert.All(i.Suspects, s => AssertWindow(s, 25, 40));
        Assert.All(i.Suspects, s => Assert.Contains("in its quieter periods", s.Reason));
        var incident = Assert.Single(i.Incidents);
        Assert.Equal((IncidentScope.Pool, Health.Slow), (incident.Scope, incident.Health));
        Assert.Equal(api, incident.Backends);
    }

    [Theory]
    [InlineData("backend-500", IncidentScope.Backend)]
    [InlineData("refused", IncidentScope.Backend)]
    [InlineData("slow", IncidentScope.Backend)]
    [InlineData("listener-only", IncidentScope.LoadBalancer)]
    public void The_earlier_scenarios_are_each_one_incident_of_their_scope(string scenario, IncidentScope scope)
    {
        var (i, key) = Run(scenario, 5);

        var incident = Assert.Single(i.Incidents);
        Assert.Equal(scope, incident.Scope);
        Assert.Equal(key.FailingBackends, incident.Backends);
    }

    [Fact]
    public void One_failed_attempt_is_thin_evidence_not_a_confirmed_outage_and_still_a_failing_suspect()
    {
        var log = AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(InvestigationTests.SeedLine + "\n")), "seed.log");
        var i = log.Investigate();

        var suspect = Assert.Single(i.Suspects);
        Assert.Equal(Health.Failing, suspect.Health);
        Assert.Equal(EvidenceStrength.Thin, suspect.Evidence);
        var incident = Assert.Single(i.Incidents);
        Assert.Equal(EvidenceStrength.Thin, incident.Evidence);
        Assert.Contains("not a confirmed outage", incident.Reason);
        using var json = System.Text.Json.JsonDocument.Parse(i.ToJson());
        Assert.Equal("thin", json.RootElement.GetProperty("suspects")[0].GetProperty("evidence").GetString());
        Assert.Equal("thin", json.RootElement.GetProperty("incidents")[0].GetProperty("evidence").GetString());
    }

    [Fact]
    public void Ten_failed_attempts_or_more_are_strong_evidence()
    {
        var i = Investigate(Options(1, Incident.BackendErrors("10.0.1.12:8080", At(20), At(35))));

        Assert.Equal(EvidenceStrength.Strong, Assert.Single(i.Suspects).Evidence);
        Assert.Equal(EvidenceStrength.Strong, Assert.Single(i.Incidents).Evidence);
    }
}
