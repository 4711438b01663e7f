using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace ElbNotebooks.Loading;

/// <summary>An S3 client set up from <see cref="BucketOptions"/> and the standard AWS chain.</summary>
internal static class BucketClients
{
    private const string FallbackRegion = "us-east-1";

    public static AmazonS3Client Create(BucketOptions options)
    {
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxAttempts - 1,
            // Checksums only where the API requires them: OBS and other S3-compatible stores know not the newer ones.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var region = options.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? ProfileRegion(options.Profile ?? Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default") ?? FallbackRegion;
        if (Endpoint(options) is { } endpoint)
        {
            config.ServiceURL = endpoint.AbsoluteUri;
            config.AuthenticationRegion = region;
            config.ForcePathStyle = options.PathStyle ?? NeedsPathStyle(endpoint);
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            if (options.PathStyle is { } pathStyle) config.ForcePathStyle = pathStyle;
        }
        var credentials = options.Credentials ?? (options.Profile is { } profile ? ProfileCredentials(profile) : null);
        return credentials is not null ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    /// <summary>The option, else the SDKs' environment variables for a custom endpoint; null for AWS S3 itself.</summary>
    internal static Uri? Endpoint(BucketOptions options)
    {
        var text = options.EndpointUrl
            ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3"))
            ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));
        if (text is null) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri
            : throw new InvalidInputException($"The endpoint '{text}' is not an absolute URL such as https://obs.example.com.");
    }

    /// <summary>A host that is an address or localhost cannot take the bucket as a subdomain.</summary>
    internal static bool NeedsPathStyle(Uri endpoint) =>
        endpoint.IsLoopback || IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out _);

    private static AWSCredentials ProfileCredentials(string name) =>
        new CredentialProfileStoreChain().TryGetAWSCredentials(name, out var credentials)
            ? credentials
            : throw new InvalidInputException($"No profile '{name}' with credentials in the shared config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws/).");

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string? ProfileRegion(string name)
    {
        try
        {
            return new CredentialProfileStoreChain().TryGetProfile(name, out var profile) ? profile.Region?.SystemName : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }
}
