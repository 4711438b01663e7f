using Amazon.Runtime;

namespace ElbNotebooks.Loading;

/// <summary>
/// How <c>s3://bucket/prefix</c> inputs are read (AWS S3, Huawei OBS or any S3-compatible store). Credentials, region
/// and profile come from the standard AWS chain (environment, <c>~/.aws/config</c> and <c>credentials</c>,
/// <c>AWS_PROFILE</c>) unless set here. Change one with <c>with</c>.
/// </summary>
public sealed record BucketOptions
{
    /// <summary>Every option at its default: AWS's own endpoint, credentials and region resolution, no cache.</summary>
    public static BucketOptions Default { get; } = new();

    /// <summary>
    /// The store's endpoint, e.g. <c>https://obs.ap-southeast-1.myhuaweicloud.com</c>. Null: <c>AWS_ENDPOINT_URL_S3</c>,
    /// then <c>AWS_ENDPOINT_URL</c>, then AWS S3 itself.
    /// </summary>
    public string? EndpointUrl { get; init; }

    /// <summary>A named profile of the shared config and credentials files; null: <c>AWS_PROFILE</c> or <c>default</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>The region to sign for; null: <c>AWS_REGION</c>, the profile's region, else us-east-1.</summary>
    public string? Region { get; init; }

    /// <summary>
    /// Path-style addressing (<c>endpoint/bucket/key</c>) instead of virtual-hosted (<c>bucket.endpoint/key</c>). Null:
    /// path-style for an endpoint on an IP address or <c>localhost</c>, which cannot carry a bucket in its host name.
    /// </summary>
    public bool? PathStyle { get; init; }

    /// <summary>Credentials to use instead of the chain (e.g. <c>new BasicAWSCredentials(key, secret)</c>).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>
    /// A folder to keep fetched objects in (<c>folder/bucket/key</c>), so a second run of the same incident reads
    /// them from disk. Null: nothing is written to disk.
    /// </summary>
    public string? CacheFolder { get; init; }

    /// <summary>Objects fetched at once: the one being parsed and those fetched ahead of it.</summary>
    public int MaxRequestsInFlight { get; init; } = 8;

    /// <summary>Bytes of objects fetched ahead that may wait in memory; a larger object is streamed when its turn comes.</summary>
    public long PrefetchBytes { get; init; } = 256L << 20;

    /// <summary>Tries per request (the SDK's retries with backoff) and per dropped transfer (resumed where it stopped).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Objects listed so far, while a long listing runs.</summary>
    public IProgress<long>? ListingProgress { get; init; }

    internal void Validate()
    {
        if (MaxRequestsInFlight < 1) throw new ArgumentOutOfRangeException(nameof(MaxRequestsInFlight), "at least 1");
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), "at least 1");
        if (PrefetchBytes < 0) throw new ArgumentOutOfRangeException(nameof(PrefetchBytes));
        if (EndpointUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            throw new InvalidInputException($"The endpoint '{url}' is not an absolute URL such as https://obs.example.com.");
    }
}
