namespace ElbNotebooks.Analysis;

/// <summary>What a backend's figures were compared with to judge it.</summary>
public enum BaselineKind
{
    /// <summary>Its peers in the same pool over the same window (their lower median).</summary>
    Peers,

    /// <summary>Its own requests outside the window (its quieter periods).</summary>
    OwnHistory,

    /// <summary>Nothing to compare with: a fixed threshold (<see cref="InvestigationOptions.AbsoluteFailingErrorRate"/>, <see cref="InvestigationOptions.AbsoluteSlowHeaderSeconds"/>).</summary>
    AbsoluteThreshold,
}

/// <summary>Which comparison a <see cref="Verdict"/> rests on; with <see cref="Verdict.Health"/> it picks the sentence.</summary>
public enum VerdictKind
{
    /// <summary>Failing or slow: it stood out against its peers in the window (<see cref="BaselineKind.Peers"/>).</summary>
    AgainstPeers,

    /// <summary>Failing or slow: no peer had traffic in the window, so compared with its own figures outside it.</summary>
    AgainstOwnHistory,

    /// <summary>Failing or slow: no peer and no quieter period of its own, so compared with an absolute threshold.</summary>
    AgainstThreshold,

    /// <summary>
    /// Failing or slow along with its peers: judged against its own quieter periods (<see cref="BaselineKind.OwnHistory"/>)
    /// or, without any, an absolute threshold (<see cref="BaselineKind.AbsoluteThreshold"/>), although peers had traffic.
    /// </summary>
    AlongWithPeers,

    /// <summary>Healthy, in line with its healthy peers (medians over the whole range).</summary>
    InLineWithPeers,

    /// <summary>Healthy, with no healthy peer with traffic to compare with.</summary>
    NoPeers,

    /// <summary>Healthy while most of its pool failed or slowed down: the one to compare the suspects with.</summary>
    SparedWhilePeersFailed,

    /// <summary>
    /// Not failing, but not in line with its healthy peers either: its error rate over the whole range stands out
    /// against theirs (as a failing one's must: <see cref="InvestigationOptions.MinErrorRate"/>,
    /// <see cref="InvestigationOptions.MinErrorRatio"/>), yet it had too few attempts for the judge to call it failing
    /// (fewer than <see cref="InvestigationOptions.MinErrors"/> failed attempts, or too few to tell from chance): thin
    /// evidence, not a suspect. <see cref="Verdict.Health"/> stays <see cref="Health.Healthy"/> (the judge's rule); the
    /// views show "too few" instead of "healthy", and the words say why.
    /// </summary>
    TooFewAttempts,

    /// <summary>
    /// Not slow, but not in line with its healthy peers either: its header-time p95 over the whole range stands out
    /// against theirs as a slow one's must (<see cref="InvestigationOptions.SlowRatio"/>,
    /// <see cref="InvestigationOptions.SlowMinExcessSeconds"/>), yet it had fewer responses than a slow verdict needs
    /// (<see cref="InvestigationOptions.MinSlowSamples"/>; <see cref="Verdict.HeaderSamples"/> says how many): thin
    /// evidence, not a suspect, as for <see cref="TooFewAttempts"/> (which comes first when its error rate stands out
    /// too). <see cref="Verdict.Health"/> stays <see cref="Health.Healthy"/>; the views show "too few".
    /// </summary>
    TooFewResponses,
}

/// <summary>
/// A backend's verdict with the evidence behind it as data: what it was compared with (<see cref="Baseline"/>), the
/// figures, the window and the thresholds. <see cref="Reason"/> says it in words. Failing and slow verdicts describe
/// their <see cref="Window"/>; healthy ones the whole investigated range. Figures that do not apply are null.
/// Rates are fractions (0.05 = 5%), times in seconds.
/// </summary>
public sealed record Verdict
{
    /// <summary>Only the judge makes verdicts: the words need what it knows of the backend.</summary>
    internal Verdict()
    {
    }

    /// <summary>Failing, slow or healthy.</summary>
    public required Health Health { get; init; }

    /// <summary>Which comparison the verdict rests on.</summary>
    public required VerdictKind Kind { get; init; }

    /// <summary>What its figures were compared with; null for a healthy backend not compared with peers.</summary>
    public BaselineKind? Baseline { get; init; }

    /// <summary>When it failed or was slow (bucket boundaries); null for a healthy backend (judged over the whole range).</summary>
    public IncidentWindow? Window { get; init; }

    /// <summary>
    /// Earlier failures (slow spells) of the same backend, apart from <see cref="Window"/> (its latest) and oldest first;
    /// empty when there was one. The reason names them; the figures are the latest window's.
    /// </summary>
    public IReadOnlyList<IncidentWindow> EarlierWindows { get; init; } = [];

    /// <summary>Its attempts in the window, failing or slow (healthy: over the whole range).</summary>
    public long Attempts { get; init; }

    /// <summary>Its failed attempts (5xx) in the window (healthy: over the whole range).</summary>
    public long Errors { get; init; }

    /// <summary>Of <see cref="Errors"/>, the 5xx it answered itself in the window; null for a healthy backend.</summary>
    public long? Backend5xx { get; init; }

    /// <summary>Of <see cref="Errors"/>, the 502/504 the load balancer wrote for it in the window (refused or timed out); null for a healthy backend.</summary>
    public long? Lb5xx { get; init; }

    /// <summary><see cref="Errors"/> / <see cref="Attempts"/> (0 without attempts).</summary>
    public double ErrorRate { get; init; }

    /// <summary>
    /// Failing: the error rate it was compared with: the peers' lower median in the window (or over the whole range,
    /// see <see cref="BaselineOverWholeRange"/>), or its own rate outside the window; null against a threshold.
    /// </summary>
    public double? BaselineErrorRate { get; init; }

    /// <summary>Failing against peers: true when the peers' rate over the whole range was higher than in the window and was used.</summary>
    public bool BaselineOverWholeRange { get; init; }

    /// <summary>
    /// The peers' error rate: their lower median in the window for a backend failing along with them, their median
    /// over the whole range for a healthy one; null when it does not apply or no peer had traffic.
    /// </summary>
    public double? PeerErrorRate { get; init; }

    /// <summary>Slow: header-time responses in the window; too few responses (<see cref="VerdictKind.TooFewResponses"/>): over the whole range; null otherwise.</summary>
    public long? HeaderSamples { get; init; }

    /// <summary>Its header-time p95 in the window (healthy: over the whole range), seconds; null without responses.</summary>
    public double? HeaderP95 { get; init; }

    /// <summary>Slow: the header-time p95 it was compared with (peers' lower median, or its own outside the window), seconds; null against a threshold.</summary>
    public double? BaselineHeaderP95 { get; init; }

    /// <summary>
    /// The peers' header-time p95: their lower median in the window for a backend slow along with them, the median
    /// over the whole range for a healthy one, seconds; null when it does not apply.
    /// </summary>
    public double? PeerHeaderP95 { get; init; }

    /// <summary>Slow against peers: its connect-time p95 in the window, seconds; null otherwise or without samples.</summary>
    public double? ConnectP95 { get; init; }

    /// <summary>Slow against peers: the peers' median connect-time p95 in the window, seconds; null otherwise or without samples.</summary>
    public double? PeerConnectP95 { get; init; }

    /// <summary>Slow against peers: true when its connect time was high too (network or an overloaded host), false when normal (the application is slow).</summary>
    public bool? ConnectSlowToo { get; init; }

    /// <summary>
    /// Peers it was compared with: for failing or slow, those with enough traffic in the window
    /// (<see cref="MinPeerSamples"/>); for healthy, the healthy peers with traffic.
    /// </summary>
    public int Peers { get; init; }

    /// <summary>The other backends of its pool (listener and pool), with traffic or not.</summary>
    public int PoolPeers { get; init; }

    /// <summary>Healthy: how many of its peers are suspects (failing or slow); null for a failing or slow backend.</summary>
    public int? SuspectPeers { get; init; }

    /// <summary>Failing or slow: the attempts (failing) or header-time responses (slow) a peer needed in the window to count; null for healthy.</summary>
    public int? MinPeerSamples { get; init; }

    /// <summary>Failing against a threshold: the error rate from which it is failing; null otherwise.</summary>
    public double? ThresholdErrorRate { get; init; }

    /// <summary>Slow against a threshold: the header-time p95 from which it is slow, seconds; null otherwise.</summary>
    public double? ThresholdHeaderSeconds { get; init; }

    /// <summary>The verdict in words, as the terminal, JSON, reports and notebooks show it.</summary>
    public string Reason => VerdictText.Reason(this);

    /// <summary>The backend's name, for the words.</summary>
    internal string Subject { get; init; } = "";

    /// <summary>"in pool_x", or "on listener_y" for logs without pool_name, for the words.</summary>
    internal string Place { get; init; } = "";

    /// <summary>The window as bucket indexes of the backend's series (inclusive).</summary>
    internal int T0 { get; init; }

    /// <summary>The last bucket index of the window (inclusive).</summary>
    internal int T1 { get; init; }

    /// <summary>How bad: excess errors (failing) or excess seconds (slow); orders the suspects.</summary>
    internal double Severity { get; init; }

    /// <summary>Too few attempts: the failed attempts a failing verdict needs (<see cref="InvestigationOptions.MinErrors"/>), for the words.</summary>
    internal int MinErrors { get; init; }

    /// <summary>Too few responses: the header-time responses a slow verdict needs (<see cref="InvestigationOptions.MinSlowSamples"/>), for the words.</summary>
    internal int MinResponses { get; init; }

    /// <summary>Healthy only for want of evidence (<see cref="VerdictKind.TooFewAttempts"/> or <see cref="VerdictKind.TooFewResponses"/>): the views say "too few".</summary>
    internal bool TooFew => Kind is VerdictKind.TooFewAttempts or VerdictKind.TooFewResponses;

    /// <summary>Slow: the header time from which a final response counts as hurt (NaN otherwise).</summary>
    internal double SlowThreshold { get; init; } = double.NaN;

    /// <summary>Null for NaN: the judge computes with NaN for "none", the verdict says null.</summary>
    internal static double? Value(double value) => double.IsNaN(value) ? null : value;
}
