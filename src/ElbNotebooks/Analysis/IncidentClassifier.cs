namespace ElbNotebooks.Analysis;

/// <summary>
/// Groups the verdicts into incidents and names each one's scope. Suspects of the same pool and health whose windows
/// overlap (or are at most <see cref="InvestigationOptions.MaxGapBuckets"/> buckets apart) are one incident: one of
/// several backends with traffic then is <see cref="IncidentScope.Backend"/>, some of them
/// <see cref="IncidentScope.SeveralBackends"/>, all of them <see cref="IncidentScope.Pool"/>. A pool's only backend is
/// <see cref="IncidentScope.Backend"/>: nothing tells it from what it depends on. 5xx the load balancer answered by
/// itself are one <see cref="IncidentScope.LoadBalancer"/> incident per listener.
/// </summary>
internal sealed class IncidentClassifier(InvestigationOptions o, BucketClock clock)
{
    /// <summary>
    /// Failing incidents first (the load balancer's after the backends'), then slow ones, each in the order of its most
    /// severe suspect (a suspect's latest failure before its earlier ones).
    /// </summary>
    public List<ScopedIncident> Classify(IReadOnlyList<Suspect> suspects, IReadOnlyList<List<BackendSeries>> pools, IReadOnlyList<ListenerErrors> listenerErrors)
    {
        // Every failure of a suspect, its latest and its earlier ones: a backend failing with its whole pool in the
        // morning and alone in the afternoon is part of both incidents, not "spared" by the morning's.
        var rank = suspects.Select((s, k) => (s, k)).ToDictionary(p => (object)p.s, p => p.k, ReferenceEqualityComparer.Instance);
        var failures = suspects.SelectMany(s => s.Backend.Verdict.EarlierWindows.Select(w => new Failure(s, w, Latest: false))
            .Append(new Failure(s, s.Window, Latest: true)));
        var clusters = new List<List<Failure>>();
        foreach (var group in failures.GroupBy(f => (f.Suspect.Backend.Listener, f.Suspect.Backend.Pool, f.Suspect.Health)))
        {
            List<Failure>? current = null;
            var end = DateTime.MinValue;
            foreach (var f in group.OrderBy(f => f.Window.StartUtc))
            {
                if (current is null || f.Window.StartUtc > end + clock.Size * o.MaxGapBuckets)
                {
                    current = [];
                    clusters.Add(current);
                    end = DateTime.MinValue;
                }
                current.Add(f);
                if (f.Window.EndUtc > end) end = f.Window.EndUtc;
            }
        }
        clusters.Sort((a, b) => Order(a).CompareTo(Order(b)));
        (int, int, long) Order(List<Failure> c) =>
            (c.Min(f => rank[f.Suspect]), c.Any(f => f.Latest) ? 0 : 1, -c.Max(f => f.Window.StartUtc.Ticks));

        var incidents = new List<ScopedIncident>();
        foreach (var cluster in clusters.Where(c => c[0].Suspect.Health == Health.Failing)) incidents.Add(FromFailures(cluster, pools));
        incidents.AddRange(FromLoadBalancer(listenerErrors));
        foreach (var cluster in clusters.Where(c => c[0].Suspect.Health != Health.Failing)) incidents.Add(FromFailures(cluster, pools));
        return incidents;
    }

    /// <summary>One failure (or slow spell) of a suspect: its latest window, or one of its earlier ones.</summary>
    private sealed record Failure(Suspect Suspect, IncidentWindow Window, bool Latest);

    private ScopedIncident FromFailures(List<Failure> cluster, IReadOnlyList<List<BackendSeries>> pools)
    {
        var first = cluster[0].Suspect.Backend;
        var start = cluster.Min(f => f.Window.StartUtc);
        var end = cluster.Max(f => f.Window.EndUtc);
        var window = clock.Window(start, end);
        var members = pools.First(p => p[0].Key.Listener == first.Listener && p[0].Key.Pool == first.Pool);
        var names = cluster.Select(f => f.Suspect.Backend.Backend).ToHashSet(StringComparer.Ordinal);
        // Backends of the pool with traffic in the window: one that had none was not there to fail.
        var active = members.Where(m => names.Contains(m.Key.Backend) || AttemptsIn(m, start, end) > 0).ToList();
        var backends = active.Where(m => names.Contains(m.Key.Backend)).Select(m => m.Key.Backend).ToList();
        var spared = active.Where(m => !names.Contains(m.Key.Backend)).Select(m => m.Key.Backend).ToList();
        var health = cluster[0].Suspect.Health;
        // A latest window's figures are the suspect's own; an earlier one's are counted from its series: failed
        // attempts, or responses past its slow threshold.
        var failures = cluster.Sum(f => f.Latest
            ? health == Health.Slow ? f.Suspect.RequestsHurt : f.Suspect.FailedAttempts
            : EarlierFailures(members.First(m => m.Key.Backend == f.Suspect.Backend.Backend), f));
        var evidence = cluster.Any(f => !f.Latest || f.Suspect.Evidence == EvidenceStrength.Strong) ? EvidenceStrength.Strong : EvidenceStrength.Thin;

        var scope = active.Count == 1 || backends.Count == 1 ? IncidentScope.Backend
            : spared.Count == 0 ? IncidentScope.Pool
            : IncidentScope.SeveralBackends;
        // When each backend started failing: one backend's two windows in an incident are not "one after another".
        var starts = cluster.GroupBy(f => f.Suspect.Backend.Backend, StringComparer.Ordinal).Select(g => g.Min(f => f.Window.StartUtc))
            .Distinct().Order().ToList();
        return new ScopedIncident
        {
            Scope = scope, Health = health, Listener = first.Listener, Pool = first.Pool, Backends = backends,
            PoolBackends = active.Count, Window = window, Failures = failures, Evidence = evidence, Spared = spared,
            Staggered = starts[^1] - starts[0] > clock.Size * o.MaxGapBuckets, Starts = starts, MinErrors = o.MinErrors,
        };
    }

    private IEnumerable<ScopedIncident> FromLoadBalancer(IReadOnlyList<ListenerErrors> listenerErrors)
    {
        foreach (var listener in listenerErrors.Where(e => e.Status >= 500).GroupBy(e => e.Listener))
        {
            var requests = listener.Sum(e => e.Requests);
            var window = clock.Window(clock.Start(clock.Index(listener.Min(e => e.First))), clock.Start(clock.Index(listener.Max(e => e.Last)) + 1));
            var evidence = requests >= o.MinErrors ? EvidenceStrength.Strong : EvidenceStrength.Thin;
            yield return new ScopedIncident
            {
                Scope = IncidentScope.LoadBalancer, Health = Health.Failing, Listener = listener.Key, Pool = null, Backends = [],
                PoolBackends = 0, Window = window, Failures = requests, Evidence = evidence, Spared = [], MinErrors = o.MinErrors,
                Statuses = listener.OrderByDescending(e => e.Requests).ToList(), ListenerAddress = listener.First().ListenerAddress,
            };
        }
    }

    private long AttemptsIn(BackendSeries b, DateTime start, DateTime end) => Buckets(b, start, end) is var (t0, t1) && t1 >= t0 ? b.Attempts(t0, t1) : 0;

    private long EarlierFailures(BackendSeries b, Failure f) => Buckets(b, f.Window.StartUtc, f.Window.EndUtc) is var (t0, t1) && t1 >= t0
        ? f.Suspect.Health == Health.Slow ? b.FinalsAtLeast(t0, t1, f.Suspect.Backend.Verdict.SlowThreshold) : b.Errors(t0, t1)
        : 0;

    /// <summary>The series' buckets from <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    private (int T0, int T1) Buckets(BackendSeries b, DateTime start, DateTime end) =>
        ((int)Math.Max(0, clock.Index(start) - b.FirstBucket), (int)Math.Min(b.Count - 1, clock.Index(end) - 1 - b.FirstBucket));

    /// <summary>The minimum-evidence rule: fewer than <see cref="InvestigationOptions.MinErrors"/> failed attempts is thin.</summary>
    public static EvidenceStrength EvidenceOf(Health health, long failedAttempts, InvestigationOptions o) =>
        health == Health.Failing && failedAttempts < o.MinErrors ? EvidenceStrength.Thin : EvidenceStrength.Strong;
}
