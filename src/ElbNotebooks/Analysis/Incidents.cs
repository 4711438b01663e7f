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
public enum EvidenceStrength { Strong, Thin }

/// <summary>
/// One incident with its scope: the suspects of one pool whose windows overlap (same health), or the errors the load
/// balancer answered by itself on one listener. <see cref="Backends"/> are the suspects (none for
/// <see cref="IncidentScope.LoadBalancer"/>), <see cref="PoolBackends"/> how many backends of the pool had traffic in
/// the window; <see cref="Failures"/> their failed attempts in the window (slow: responses delayed past the slow
/// threshold; load balancer: requests it answered 5xx by itself). <see cref="Reason"/> says where to look.
/// </summary>
public sealed record ScopedIncident(
    IncidentScope Scope, Health Health, string Listener, string? Pool, IReadOnlyList<string> Backends, int PoolBackends,
    IncidentWindow Window, long Failures, EvidenceStrength Evidence, string Reason);
