namespace ElbNotebooks.Loading;

public sealed partial class LogSource
{
    /// <summary>The bucket object this input reads, if it is one.</summary>
    internal BucketObject? Object { get; private init; }

    /// <summary>
    /// Files, folders, globs and <c>s3://bucket/prefix</c> paths (objects, prefixes, globs on keys), expanded and
    /// sorted. With <see cref="LoadOptions.From"/>/<see cref="LoadOptions.To"/>, bucket prefixes are listed and read
    /// only where their keys can hold that range; <see cref="LoadOptions.Buckets"/> says how to reach them.
    /// </summary>
    public static IReadOnlyList<LogSource> FromPaths(IEnumerable<string> paths, LoadOptions? options)
    {
        options ??= LoadOptions.Default;
        BucketSources? buckets = null;
        var sources = new List<LogSource>();
        foreach (var path in paths)
        {
            if (path is not null && BucketPath.IsBucketPath(path)) sources.AddRange((buckets ??= new BucketSources(options)).Expand(path));
            else sources.AddRange(InputPaths.Expand(path!));
        }
        if (sources.Count == 0 && buckets is { Inventory.Objects.Count: > 0 }) throw buckets.NothingInRange();
        return sources;
    }

    internal static LogSource FromObject(BucketObject o, ObjectFetcher fetcher, bool foundInFolder) =>
        new(o.Name, () => fetcher.Open(o), o.Size, foundInFolder) { Object = o };
}
