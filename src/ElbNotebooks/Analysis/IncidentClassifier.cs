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
    /// <summary>Failing incidents first (the load balancer's after the backends'), then slow ones; suspects keep their order.</summary>
    public List<ScopedIncident> Classify(IReadOnlyList<Suspect> suspects, IReadOnlyList<List<BackendSeries>> pools, IReadOnlyList<ListenerErrors> listenerErrors)
    {
        var clusters = new List<List<Suspect>>();
        foreach (var group in suspects.GroupBy(s => (s.Backend.Listener, s.Backend.Pool, s.Health)))
        {
            List<Suspect>? current = null;
            var end = DateTime.MinValue;
            foreach (var s in group.OrderBy(s => s.Window.StartUtc))
            {
                if (current is null || s.Window.StartUtc > end + clock.Size * o.MaxGapBuckets)
                {
                    current = [];
                    clusters.Add(current);
                    end = DateTime.MinValue;
                }
                current.Add(s);
                if (s.Window.EndUtc > end) end = s.Window.EndUtc;
            }
        }
        // In the order of each incident's most severe suspect.
        var rank = suspects.Select((s, k) => (s, k)).ToDictionary(p => (object)p.s, p => p.k, ReferenceEqualityComparer.Instance);
        clusters.Sort((a, b) => a.Min(s => rank[s]).CompareTo(b.Min(s => rank[s])));

        var incidents = new List<ScopedIncident>();
        foreach (var cluster in clusters.Where(c => c[0].Health == Health.Failing)) incidents.Add(FromSuspects(cluster, pools));
        incidents.AddRange(FromLoadBalancer(listenerErrors));
        foreach (var cluster in clusters.Where(c => c[0].Health != Health.Failing)) incidents.Add(FromSuspects(cluster, pools));
        return incidents;
    }

    private ScopedIncident FromSuspects(List<Suspect> cluster, IReadOnlyList<List<BackendSeries>> pools)
    {
        var first = cluster[0].Backend;
        var start = cluster.Min(s => s.Window.StartUtc);
        var end = cluster.Max(s => s.Window.EndUtc);
        var window = clock.Window(start, end);
        var members = pools.First(p => p[0].Key.Listener == first.Listener && p[0].Key.Pool == first.Pool);
        var names = cluster.Select(s => s.Backend.Backend).ToHashSet(StringComparer.Ordinal);
        // Backends of the pool with traffic in the window: one that had none was not there to fail.
        var active = members.Where(m => names.Contains(m.Key.Backend) || AttemptsIn(m, start, end) > 0).ToList();
        var backends = active.Where(m => names.Contains(m.Key.Backend)).Select(m => m.Key.Backend).ToList();
        var spared = active.Where(m => !names.Contains(m.Key.Backend)).Select(m => m.Key.Backend).ToList();
        var health = cluster[0].Health;
        var failures = health == Health.Slow ? cluster.Sum(s => s.RequestsHurt) : cluster.Sum(s => s.FailedAttempts);
        var evidence = cluster.Any(s => s.Evidence == EvidenceStrength.Strong) ? EvidenceStrength.Strong : EvidenceStrength.Thin;

        var scope = active.Count == 1 || backends.Count == 1 ? IncidentScope.Backend
            : spared.Count == 0 ? IncidentScope.Pool
            : IncidentScope.SeveralBackends;
        var starts = cluster.Select(s => s.Window.StartUtc).Distinct().Order().ToList();
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

    private long AttemptsIn(BackendSeries b, DateTime start, DateTime end)
    {
        var t0 = (int)Math.Max(0, clock.Index(start) - b.FirstBucket);
        var t1 = (int)Math.Min(b.Count - 1, clock.Index(end) - 1 - b.FirstBucket);
        return t1 < t0 ? 0 : b.Attempts(t0, t1);
    }

    /// <summary>The minimum-evidence rule: fewer than <see cref="InvestigationOptions.MinErrors"/> failed attempts is thin.</summary>
    public static EvidenceStrength EvidenceOf(Health health, long failedAttempts, InvestigationOptions o) =>
        health == Health.Failing && failedAttempts < o.MinErrors ? EvidenceStrength.Thin : EvidenceStrength.Strong;
}
