using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using static ElbNotebooks.Tests.Analysis.Scenario;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>A verdict carries the figures its words quote, as data a notebook can read.</summary>
public sealed class VerdictEvidenceTests
{
    [Fact]
    public void A_failing_backend_carries_its_window_rate_and_the_peers_baseline()
    {
        var i = Investigate(Options(1, Incident.BackendErrors("10.0.1.12:8080", At(20), At(35), share: 0.6)));

        var suspect = Assert.Single(i.Suspects);
        var v = suspect.Backend.Verdict;
        Assert.Equal(Health.Failing, v.Health);
        Assert.Equal(VerdictKind.AgainstPeers, v.Kind);
        Assert.Equal(BaselineKind.Peers, v.Baseline);
        Assert.Equal(suspect.Window, v.Window);
        Assert.Equal(v.Errors, v.Backend5xx + v.Lb5xx);
        Assert.Equal((double)v.Errors / v.Attempts, v.ErrorRate, 12);
        Assert.True(v.ErrorRate > 10 * v.BaselineErrorRate!.Value);
        Assert.Equal(3, v.Peers);
        Assert.Null(v.ThresholdErrorRate);
        Assert.Equal(v.Reason, suspect.Reason);
        Assert.Contains($"failed {v.Errors} of {v.Attempts} attempts", suspect.Reason);
    }

    [Fact]
    public void A_slow_backend_carries_its_p95s_and_whether_connect_time_was_high_too()
    {
        var i = Investigate(Options(1, Incident.SlowBackend("10.0.1.14:8080", At(30), At(50), extraSeconds: 2.5)));

        var v = Assert.Single(i.Suspects).Backend.Verdict;
        Assert.Equal(Health.Slow, v.Health);
        Assert.Equal(VerdictKind.AgainstPeers, v.Kind);
        Assert.True(v.HeaderP95 > v.BaselineHeaderP95 + 1);
        Assert.False(v.ConnectSlowToo);
        Assert.True(v.HeaderSamples > 0);
        Assert.Contains($"over {v.HeaderSamples} responses", v.Reason);
        // What it served in its slow window, counted as for a failing verdict (it was 0 attempts, 0 errors).
        var s = i.Suspects[0];
        Assert.True(v.Attempts >= v.HeaderSamples);
        Assert.Equal(s.FailedAttempts, v.Errors);
        Assert.Equal(v.Errors, v.Backend5xx + v.Lb5xx);
        Assert.Equal((double)v.Errors / v.Attempts, v.ErrorRate, 9);
    }

    [Fact]
    public void A_healthy_backend_is_in_line_with_its_peers_over_the_whole_range()
    {
        var i = Investigate(Options(1, Incident.BackendErrors("10.0.1.12:8080", At(20), At(35), share: 0.6)));

        var healthy = i.Backends.First(b => b.Health == Health.Healthy && b.Pool == i.Suspects[0].Backend.Pool).Verdict;
        Assert.Equal(VerdictKind.InLineWithPeers, healthy.Kind);
        Assert.Null(healthy.Window);
        Assert.Equal(1, healthy.SuspectPeers);
        Assert.Equal(2, healthy.Peers);
        Assert.Equal(3, healthy.PoolPeers);
        Assert.NotNull(healthy.PeerErrorRate);
    }
}
