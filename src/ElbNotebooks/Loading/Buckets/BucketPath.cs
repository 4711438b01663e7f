namespace ElbNotebooks.Loading;

/// <summary><c>s3://bucket/key</c>, <c>s3://bucket/prefix/</c> or <c>s3://bucket/prefix/**/*.gz</c> as typed.</summary>
internal sealed record BucketPath(string Bucket, string Pattern)
{
    private const string Scheme = "s3://";
    private static readonly char[] Wildcards = ['*', '?'];

    public static bool IsBucketPath(string path) => path.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static BucketPath Parse(string path)
    {
        var rest = path[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0) throw new InvalidInputException($"'{path}' names no bucket: use s3://bucket/prefix/.");
        return new BucketPath(bucket, slash < 0 ? "" : rest[(slash + 1)..]);
    }

    public bool HasWildcards => Pattern.IndexOfAny(Wildcards) >= 0;

    /// <summary>The folder a glob starts in: the key up to the last '/' before the first wildcard.</summary>
    public string GlobRoot
    {
        get
        {
            var firstWild = Pattern.IndexOfAny(Wildcards);
            return Pattern[..(Pattern.LastIndexOf('/', firstWild) + 1)];
        }
    }

    public static string Name(string bucket, string key) => Scheme + bucket + "/" + key;

    public override string ToString() => Name(Bucket, Pattern);
}
