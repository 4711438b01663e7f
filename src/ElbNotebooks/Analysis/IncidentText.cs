using System.Globalization;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The one place that puts a <see cref="ScopedIncident"/> into words (its <see cref="ScopedIncident.Reason"/>: where
/// to look), for the terminal, JSON, reports and notebooks alike; the classifier only groups and scopes.
/// </summary>
internal static class IncidentText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The sentence for an incident.</summary>
    public static string Reason(ScopedIncident n) => n.Scope == IncidentScope.LoadBalancer ? LoadBalancer(n) : Backends(n);

    /// <summary>
    /// ", still failing when the logs end" (or slow; "when the range ends" where one was asked for) for a window that
    /// reaches the investigation's last bucket (<see cref="IncidentWindow.Ongoing"/>), else nothing: what an on-call
    /// engineer asks first is whether it is over.
    /// </summary>
    internal static string Still(Health health, IncidentWindow window) =>
        !window.Ongoing ? "" : $", still {(health == Health.Slow ? "slow" : "failing")} {window.EndWords}";

    /// <summary>
    /// " (also failed 14:05–14:25 +08:00)" for a suspect that had failed (been slow) before the window it is
    /// judged in (<see cref="Verdict.EarlierWindows"/>), else nothing: the window is its latest trouble, not its first.
    /// </summary>
    internal static string Earlier(Suspect s) => EarlierWords(s) is { Length: > 0 } words ? $" ({words})" : "";

    /// <summary>
    /// What follows a suspect's window wherever its answer is written (terminal, reports, its notebook view): whether it
    /// had not ended (<see cref="Still"/>) and when it failed before (<see cref="Earlier"/>).
    /// </summary>
    internal static string AfterWindow(Suspect s) => Still(s.Health, s.Window) + Earlier(s);

    /// <summary><see cref="Earlier"/>'s words alone: "also failed 14:05–14:25 +08:00", or nothing.</summary>
    internal static string EarlierWords(Suspect s) =>
        s.Backend.Verdict.EarlierWindows is { Count: > 0 } earlier
            ? $"also {(s.Health == Health.Slow ? "slow" : "failed")} {VerdictText.Windows(earlier, static w => w.Describe())}"
            : "";

    private static string Backends(ScopedIncident n)
    {
        var pool = PoolName(n);
        var still = Still(n.Health, n.Window);
        var window = n.Window.Describe() + still;
        var verb = n.Health == Health.Slow ? (n.Backends.Count == 1 ? "was slow" : "were slow") : "failed";
        var when = n.Staggered
            ? $"{n.Window.Describe()}, one after another (from {string.Join(", ", n.Starts.Select(s => Local(s, n.Window.Offset, n.Window.Dated)))}){still},"
            : $"{window}, all from the same time,";
        var reason = n.Scope switch
        {
            IncidentScope.Backend when n.PoolBackends == 1 && Parsing.AwsAlbFormat.IsLambda(n.Backends[0]) =>
                $"{n.Backends[0]}, a Lambda function target, {verb} ({window}): look at the function (its errors, " +
                "throttles and duration in its own logs and metrics, a recent deploy), then at its dependencies",
            IncidentScope.Backend when n.PoolBackends == 1 =>
                $"{n.Backends[0]} is the only backend of {pool} and {verb} ({window}): no peer could take its traffic, and nothing " +
                "tells the backend from what it depends on; look at the backend first (host, process, its own logs), then at its dependencies",
            IncidentScope.Backend =>
                $"{n.Backends[0]} alone of the {n.PoolBackends} backends of {pool} {verb} ({window}) while its peers served normally: " +
                "look at that backend (host, process, its own logs) and take it out of the pool while they serve",
            IncidentScope.SeveralBackends =>
                $"{n.Backends.Count} of the {n.PoolBackends} backends of {pool} {verb} {when} while {string.Join(", ", n.Spared)} " +
                $"did not: a change that reached only them (a deploy or a config push, a host group); compare them with {(n.Spared.Count == 1 ? "it" : "those")} and roll back",
            _ when n.Staggered =>
                $"every backend of {pool} ({n.PoolBackends}) {verb} {when} which points at a change rolled out to all of them " +
                "(a deploy or a config push), or a dependency that failed them in turn; roll the change back",
            _ =>
                $"every backend of {pool} ({n.PoolBackends}) {verb} {when} so look at what they share (a database, " +
                "a downstream service, the network) or the application as a whole, not at one backend; taking one out of the pool would not help",
        };
        if (n.Evidence == EvidenceStrength.Thin)
            reason += $". Thin evidence: {Count(n.Failures, "failed attempt")}, fewer than {n.MinErrors.ToString("N0", Inv)}; not a confirmed outage";
        return reason;
    }

    private static string LoadBalancer(ScopedIncident n)
    {
        var statuses = string.Join(", ", n.Statuses.Select(e => $"{e.Status} × {e.Requests.ToString("N0", Inv)}"));
        var on = n.ListenerAddress is { } address ? $" on {address} ({n.Listener})" : ListenerNames.On(n.Listener);
        var window = n.Window.Describe() + (n.Window.Ongoing ? $", still going on {n.Window.EndWords}" : "");
        var reason = n.Statuses.Any(e => e.UpstreamMayBeUnread)
            ? $"{Count(n.Failures, "request")}{on} got {statuses} ({window}) and no upstream was read: its lines carry fields " +
              "the nginx log_format they were read with does not name, which hold an address as $upstream_addr writes one (the parse " +
              "report's note shows them); give the log_format the log was written with (--nginx-log-format, LoadOptions.NginxLogFormat) " +
              "to tell whether the load balancer answered them itself or a backend failed, and to judge each backend"
            : !n.UpstreamRecorded
            ? $"{Count(n.Failures, "request")}{on} got {statuses} ({window}) and this log records no upstream: " +
              "whether the load balancer answered them itself or a backend failed is unknown; add $upstream_addr, $upstream_status " +
              "and $upstream_header_time to the nginx log_format to tell, and to judge each backend"
            : $"the load balancer itself answered {Count(n.Failures, "request")}{on} with {statuses} ({window}) " +
              "and tried no backend: look at the load balancer and the listener (limits, rules, certificates, or no backend " +
              "healthy by its health checks), not at a backend";
        if (n.Evidence == EvidenceStrength.Thin) reason += $". Thin evidence: fewer than {n.MinErrors.ToString("N0", Inv)} requests; not a confirmed outage";
        return reason;
    }

    /// <summary>The pool's id, or the listener's for logs without pool_name (the legacy layout).</summary>
    private static string PoolName(ScopedIncident n) =>
        PoolNames.IsRecorded(n.Pool) ? n.Pool! : ListenerNames.IsRecorded(n.Listener) ? $"the pool of {n.Listener}" : "the pool";

    private static string Local(DateTime utc, TimeSpan offset, bool dated) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(offset).ToString(dated ? "yyyy-MM-dd HH:mm" : "HH:mm", Inv);

    private static string Count(long n, string noun) => n.ToString("N0", Inv) + " " + noun + (n == 1 ? "" : "s");
}
