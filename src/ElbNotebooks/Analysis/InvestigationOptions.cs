namespace ElbNotebooks.Analysis;

/// <summary>A backend's verdict. Failing outranks slow.</summary>
public enum Health
{
    /// <summary>Neither failing nor slow against its peers.</summary>
    Healthy,

    /// <summary>Answers, but its latency is well above its peers' (see <see cref="InvestigationOptions.SlowRatio"/>).</summary>
    Slow,

    /// <summary>Its 5xx attempts (its own and those the load balancer wrote for it) stand out against its peers.</summary>
    Failing,
}

/// <summary>
/// What to investigate and how strict to be. Every threshold and its default lives here; change one with <c>with</c>.
/// <para>
/// "Errors" are 5xx attempts: the backend's own 5xx (it answered: header time present) plus the 502/504 the load
/// balancer wrote for it (refused or timed out: no header time). 4xx and client aborts (499; 460 in an ALB's log) are never errors.
/// </para>
/// </summary>
public sealed record InvestigationOptions
{
    /// <summary>Every option at its default: the whole log, every listener, the thresholds described on each property.</summary>
    public static InvestigationOptions Default { get; } = new();

    /// <summary>Bucket of the time series and of window detection; null picks 1/2/5/10/15/30/60 min for ~60-120 buckets over the busy time (idle stretches of 30 min or more left out).</summary>
    public TimeSpan? BucketSize { get; init; }

    /// <summary>Only this listener: its listener_name, or the start of it or of its id (<c>08ff6ee9</c>) when one listener has it.</summary>
    public string? Listener { get; init; }

    /// <summary>Only requests at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only requests before this instant.</summary>
    public DateTimeOffset? To { get; init; }

    // ---- failing ----

    /// <summary>A failing backend's error rate in its window is at least this (a material rate).</summary>
    public double MinErrorRate { get; init; } = 0.05;

    /// <summary>
    /// ...and at least this many times its baseline: the peers' median rate in the window or over the whole range,
    /// whichever is higher (peers that got lucky in a short window do not lower the bar); with no peer traffic, its own
    /// rate outside the window. A backend whose peers failed with it is also tested against its own rate outside the
    /// window (the peers say which backends stand out, not whether any failed).
    /// </summary>
    public double MinErrorRatio { get; init; } = 3.0;

    /// <summary>
    /// ...and at least this many errors in the window (fewer is noise). It is also the minimum-evidence rule: a verdict
    /// on fewer failed attempts (possible only under <see cref="AbsoluteFailingErrorRate"/>, with nothing to compare
    /// with) is <see cref="EvidenceStrength.Thin"/>, not a confirmed outage; so is a load-balancer incident of fewer requests.
    /// </summary>
    public int MinErrors { get; init; } = 10;

    /// <summary>
    /// ...and so many errors that the baseline explains them with at most this probability (exact one-sided binomial
    /// tail). Small, because windows are found by scanning many buckets of many backends.
    /// </summary>
    public double MaxPValue { get; init; } = 1e-6;

    /// <summary>Floor of the baseline rate in that test (a baseline of exactly 0 would make any error "infinitely" significant).</summary>
    public double MinBaselineRate { get; init; } = 0.001;

    /// <summary>A peer counts in the comparison only with at least this many attempts in the window.</summary>
    public int MinPeerAttempts { get; init; } = 10;

    /// <summary>Its own history outside the window is a baseline only with at least this many attempts.</summary>
    public int MinBaselineAttempts { get; init; } = 20;

    /// <summary>
    /// With nothing to compare with (no peers with traffic, no quieter period), a backend is failing when at least this
    /// share of its attempts failed and either <see cref="MinErrors"/> of them or at least half of them did. A backend
    /// failing all along with its peers (no quieter period of its own) is failing at this share with <see cref="MinErrors"/>.
    /// </summary>
    public double AbsoluteFailingErrorRate { get; init; } = 0.25;

    // ---- slow ----

    /// <summary>A slow backend's header-time p95 in its window is at least this many times its peers' (median of their p95s)...</summary>
    public double SlowRatio { get; init; } = 3.0;

    /// <summary>...and at least this many seconds above it.</summary>
    public double SlowMinExcessSeconds { get; init; } = 0.5;

    /// <summary>...over at least this many attempts with a header time in the window.</summary>
    public int MinSlowSamples { get; init; } = 10;

    /// <summary>With nothing to compare with, a header-time p95 at or above this many seconds is slow.</summary>
    public double AbsoluteSlowHeaderSeconds { get; init; } = 5.0;

    // ---- windows ----

    /// <summary>Abnormal buckets separated by at most this many normal buckets form one window.</summary>
    public int MaxGapBuckets { get; init; } = 2;

    /// <summary>A bucket's header p95 is judged only with at least this many samples in it.</summary>
    public int MinBucketSamples { get; init; } = 3;

    /// <summary>Request rows kept per suspect as evidence.</summary>
    public int ExamplesPerSuspect { get; init; } = 5;

    internal void Validate()
    {
        if (From is { } from && To is { } to && from >= to)
            throw new InvalidInputException($"The time range is empty: from {TimeText.Instant(from)} is not before to {TimeText.Instant(to)}.");
        if (BucketSize is { } b && b < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(BucketSize), "at least one second");
        if (MinErrorRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MinErrorRate));
        if (MinErrorRatio < 1) throw new ArgumentOutOfRangeException(nameof(MinErrorRatio));
        if (MinErrors < 1) throw new ArgumentOutOfRangeException(nameof(MinErrors));
        if (MaxPValue is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MaxPValue));
        if (SlowRatio < 1) throw new ArgumentOutOfRangeException(nameof(SlowRatio));
        if (MaxGapBuckets < 0) throw new ArgumentOutOfRangeException(nameof(MaxGapBuckets));
        if (MinBucketSamples < 1 || MinSlowSamples < 1) throw new ArgumentOutOfRangeException(nameof(MinSlowSamples));
    }
}
