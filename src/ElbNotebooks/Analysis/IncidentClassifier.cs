using System.Globalization;

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
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

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
        var window = new IncidentWindow(start, end, clock.Offset);
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
        var pool = PoolName(first);
        var verb = health == Health.Slow ? (backends.Count == 1 ? "was slow" : "were slow") : "failed";
        var starts = cluster.Select(s => s.Window.StartUtc).Distinct().Order().ToList();
        var staggered = starts[^1] - starts[0] > clock.Size * o.MaxGapBuckets;
        var when = staggered
            ? $"{window.Describe()}, one after another (from {string.Join(", ", starts.Select(Local))}),"
            : $"{window.Describe()}, all from the same time,";
        var reason = scope switch
        {
            IncidentScope.Backend when active.Count == 1 =>
                $"{backends[0]} is the only backend of {pool} and {verb} ({window.Describe()}): no peer could take its traffic, and nothing " +
                "tells the backend from what it depends on; look at the backend first (host, process, its own logs), then at its dependencies",
            IncidentScope.Backend =>
                $"{backends[0]} alone of the {active.Count} backends of {pool} {verb} ({window.Describe()}) while its peers served normally: " +
                "look at that backend (host, process, its own logs) and take it out of the pool while they serve",
            IncidentScope.SeveralBackends =>
                $"{backends.Count} of the {active.Count} backends of {pool} {verb} {when} while {string.Join(", ", spared)} " +
                $"did not: a change that reached only them (a deploy or a config push, a host group); compare them with {(spared.Count == 1 ? "it" : "those")} and roll back",
            _ when staggered =>
                $"every backend of {pool} ({active.Count}) {verb} {when} which points at a change rolled out to all of them " +
                "(a deploy or a config push), or a dependency that failed them in turn; roll the change back",
            _ =>
                $"every backend of {pool} ({active.Count}) {verb} {when} so look at what they share (a database, " +
                "a downstream service, the network) or the application as a whole, not at one backend; taking one out of the pool would not help",
        };
        if (evidence == EvidenceStrength.Thin)
            reason += $". Thin evidence: {Count(failures, "failed attempt")}, fewer than {o.MinErrors}; not a confirmed outage";
        return new ScopedIncident
        {
            Scope = scope, Health = health, Listener = first.Listener, Pool = first.Pool, Backends = backends,
            PoolBackends = active.Count, Window = window, Failures = failures, Evidence = evidence, Reason = reason,
        };
    }

    private IEnumerable<ScopedIncident> FromLoadBalancer(IReadOnlyList<ListenerErrors> listenerErrors)
    {
        foreach (var listener in listenerErrors.Where(e => e.Status >= 500).GroupBy(e => e.Listener))
        {
            var requests = listener.Sum(e => e.Requests);
            var window = new IncidentWindow(
                clock.Start(clock.Index(listener.Min(e => e.First))), clock.Start(clock.Index(listener.Max(e => e.Last)) + 1), clock.Offset);
            var statuses = string.Join(", ", listener.OrderByDescending(e => e.Requests).Select(e => $"{e.Status} × {e.Requests.ToString(Inv)}"));
            var evidence = requests >= o.MinErrors ? EvidenceStrength.Strong : EvidenceStrength.Thin;
            var name = listener.First().ListenerAddress is { } address ? $"{address} ({listener.Key})" : listener.Key;
            var reason = $"the load balancer itself answered {Count(requests, "request")} on {name} with {statuses} ({window.Describe()}) " +
                         "and tried no backend: look at the load balancer and the listener (limits, rules, certificates, or no backend " +
                         "healthy by its health checks), not at a backend";
            if (evidence == EvidenceStrength.Thin) reason += $". Thin evidence: fewer than {o.MinErrors} requests; not a confirmed outage";
            yield return new ScopedIncident
            {
                Scope = IncidentScope.LoadBalancer, Health = Health.Failing, Listener = listener.Key, Pool = null, Backends = [],
                PoolBackends = 0, Window = window, Failures = requests, Evidence = evidence, Reason = reason,
            };
        }
    }

    private long AttemptsIn(BackendSeries b, DateTime start, DateTime end)
    {
        var t0 = (int)Math.Max(0, clock.Index(start) - b.FirstBucket);
        var t1 = (int)Math.Min(b.Count - 1, clock.Index(end) - 1 - b.FirstBucket);
        return t1 < t0 ? 0 : b.Attempts(t0, t1);
    }

    private string Local(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(clock.Offset).ToString("HH:mm", Inv);

    /// <summary>The pool's id, or the listener's for logs without pool_name (the legacy layout).</summary>
    private static string PoolName(BackendHealth b) =>
        b.Pool == InvestigationAggregator.Unknown ? $"the pool of {b.Listener}" : b.Pool;

    private static string Count(long n, string noun) => n.ToString(Inv) + " " + noun + (n == 1 ? "" : "s");

    /// <summary>The minimum-evidence rule: fewer than <see cref="InvestigationOptions.MinErrors"/> failed attempts is thin.</summary>
    public static EvidenceStrength EvidenceOf(Health health, long failedAttempts, InvestigationOptions o) =>
        health == Health.Failing && failedAttempts < o.MinErrors ? EvidenceStrength.Thin : EvidenceStrength.Strong;
}
