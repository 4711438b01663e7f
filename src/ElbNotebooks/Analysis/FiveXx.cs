namespace ElbNotebooks.Analysis;

/// <summary>Who made a 5xx, read from its row the way Huawei's FAQ (elb_faq_0081) says.</summary>
internal enum FiveXxSource
{
    /// <summary>The backend answered it (a header time is present) and the load balancer passed it on.</summary>
    Backend,

    /// <summary>The load balancer wrote it for a backend that refused or did not answer in time (no header time).</summary>
    LoadBalancerForBackend,

    /// <summary>The load balancer answered by itself: no backend was tried (upstream fields '-').</summary>
    LoadBalancerAlone,
}

/// <summary>The one classification of a 5xx that tables, charts and the judge share.</summary>
internal static class FiveXx
{
    /// <summary>Who made a 5xx: <paramref name="upstreamAttempts"/> 0 or less is no backend tried; a NaN header time is no answer.</summary>
    public static FiveXxSource Source(int upstreamAttempts, double headerTime) =>
        upstreamAttempts <= 0 ? FiveXxSource.LoadBalancerAlone
        : double.IsNaN(headerTime) ? FiveXxSource.LoadBalancerForBackend
        : FiveXxSource.Backend;

    /// <summary>How a table names the source.</summary>
    public static string Describe(FiveXxSource source) => source switch
    {
        FiveXxSource.Backend => "backend (passed through)",
        FiveXxSource.LoadBalancerForBackend => "load balancer, backend unreachable or timed out",
        _ => "load balancer, no backend tried",
    };
}
