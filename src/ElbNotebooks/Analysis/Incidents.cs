namespace ElbNotebooks.Analysis;

/// <summary>How far an incident reached, which says where to look.</summary>
public enum IncidentScope
{
    /// <summary>One backend of a pool whose peers served normally: look at that backend, take it out of the pool.</summary>
    Backend,

    /// <summary>Several (not all) backends of a pool at the same time: a change that reached them (deploy, config).</summary>
    SeveralBackends,

    /// <summary>Every backend of a pool: a shared dependency or the application as a whole (or a change rolled out to all).</summary>
    Pool,

    /// <summary>The load balancer answered by itself, no backend tried: look at the load balancer and the listener.</summary>
    LoadBalancer,
}

/// <summary>
/// How much a verdict rests on. <see cref="Thin"/>: fewer than <see cref="InvestigationOptions.MinErrors"/> failed
/// attempts (possible only with nothing to compare with, under the absolute threshold): a sign to look further, not a
/// confirmed outage.
/// </summary>
public enum EvidenceStrength
{
    /// <summary>Enough failures to rest on.</summary>
    Strong,

    /// <summary>Fewer than <see cref="InvestigationOptions.MinErrors"/> failures: a sign to look further, not a confirmed outage.</summary>
    Thin,
}

/// <summary>
/// One incident with its scope: the suspects of one pool whose windows overlap (same health), or the errors the load
/// balancer answered by itself on one listener. <see cref="Backends"/> are the suspects (none for
/// <see cref="IncidentScope.LoadBalancer"/>), <see cref="PoolBackends"/> how many backends of the pool had traffic in
/// the window; <see cref="Failures"/> their failed attempts in the window (slow: responses delayed past the slow
/// threshold; load balancer: requests it answered 5xx by itself). <see cref="Reason"/> says where to look.
/// </summary>
public sealed record ScopedIncident
{
    // Made by the investigation only: its words need facts (the suspects' starts) a caller cannot give.
    internal ScopedIncident() { }

    /// <summary>How far it reached: one backend, several, the whole pool, or the load balancer.</summary>
    public required IncidentScope Scope { get; init; }

    /// <summary>Failing or slow.</summary>
    public required Health Health { get; init; }

    /// <summary>The listener it happened on.</summary>
    public required string Listener { get; init; }

    /// <summary>The pool (<c>-</c> for logs without pool_name); null for <see cref="IncidentScope.LoadBalancer"/>.</summary>
    public required string? Pool { get; init; }

    /// <summary>The suspects' backends (address:port); empty for <see cref="IncidentScope.LoadBalancer"/>.</summary>
    public required IReadOnlyList<string> Backends { get; init; }

    /// <summary>Backends of the pool with traffic in the window, suspects included (0 for the load balancer).</summary>
    public required int PoolBackends { get; init; }

    /// <summary>From the first suspect's start to the last one's end.</summary>
    public required IncidentWindow Window { get; init; }

    /// <summary>Failed attempts in the window; slow: responses delayed past the slow threshold; load balancer: requests it answered 5xx by itself.</summary>
    public required long Failures { get; init; }

    /// <summary>Strong, or thin (fewer than <see cref="InvestigationOptions.MinErrors"/> failures): a sign to look further.</summary>
    public required EvidenceStrength Evidence { get; init; }

    /// <summary>Backends of the pool with traffic in the window that were not suspects (empty for the pool or the load balancer).</summary>
    public required IReadOnlyList<string> Spared { get; init; }

    /// <summary>The suspects started one after another (further apart than <see cref="InvestigationOptions.MaxGapBuckets"/> buckets), not at the same time.</summary>
    public bool Staggered { get; init; }

    /// <summary>Where to look, in words.</summary>
    public string Reason => IncidentText.Reason(this);

    /// <summary>The suspects' distinct window starts (UTC), earliest first.</summary>
    internal IReadOnlyList<DateTime> Starts { get; init; } = [];

    /// <summary>The minimum-evidence threshold used (<see cref="InvestigationOptions.MinErrors"/>).</summary>
    internal int MinErrors { get; init; }

    /// <summary>Load balancer: its answers by status, most requests first.</summary>
    internal IReadOnlyList<ListenerErrors> Statuses { get; init; } = [];

    /// <summary>
    /// Load balancer: false when the log records no upstream for its answers (<see cref="ListenerErrors.UpstreamRecorded"/>),
    /// so no backend is known to have been tried or not.
    /// </summary>
    internal bool UpstreamRecorded => Statuses.All(e => e.UpstreamRecorded);

    /// <summary>Load balancer: the listener's address and port, where the log writes it.</summary>
    internal string? ListenerAddress { get; init; }
}
