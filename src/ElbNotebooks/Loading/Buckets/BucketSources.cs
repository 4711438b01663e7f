using Amazon.S3;

namespace ElbNotebooks.Loading;

/// <summary>
/// Turns <c>s3://</c> paths into inputs: lists them (pruned by time when the load has a range) and makes one
/// <see cref="LogSource"/> per object to read, all fetched by one <see cref="ObjectFetcher"/> in input order.
/// </summary>
internal sealed class BucketSources(LoadOptions options)
{
    private AmazonS3Client? _client;
    private ObjectFetcher? _fetcher;

    public BucketInventory Inventory { get; } = new();

    public IReadOnlyList<LogSource> Expand(string text)
    {
        var path = BucketPath.Parse(text);
        var bucketOptions = options.Buckets;
        bucketOptions.Validate();
        _client ??= BucketClients.Create(bucketOptions);
        _fetcher ??= new ObjectFetcher(_client, bucketOptions, options.CancellationToken);
        var lister = new BucketLister(_client, Inventory, options.From?.UtcDateTime, options.To?.UtcDateTime,
            bucketOptions.ListingProgress, options.CancellationToken);

        List<BucketObject> objects;
        var inFolder = true;
        if (path.HasWildcards)
        {
            objects = lister.List(path.Bucket, path.GlobRoot).Where(o => KeyGlob.Matches(o.Key, path.Pattern)).ToList();
            if (objects.Count == 0) throw new FileNotFoundException($"No object matches '{path}'.", text);
        }
        else if (path.Pattern.Length == 0 || path.Pattern.EndsWith('/'))
        {
            objects = lister.List(path.Bucket, path.Pattern);
            if (objects.Count == 0) throw new FileNotFoundException($"No object under '{path}'.", text);
        }
        else if (lister.Find(path.Bucket, path.Pattern) is { } named)
        {
            named.Outcome = ObjectOutcome.Listed; // a named object is read whatever its name says
            objects = [named];
            inFolder = false;
        }
        else
        {
            objects = lister.List(path.Bucket, path.Pattern + "/");
            if (objects.Count == 0) throw new FileNotFoundException($"No such object or prefix: '{path}'.", text);
        }

        var sources = new List<LogSource>();
        foreach (var o in objects.Where(o => o.Outcome != ObjectOutcome.SkippedByTime).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            _fetcher.Add(o);
            sources.Add(LogSource.FromObject(o, _fetcher, inFolder));
        }
        return sources;
    }

    /// <summary>When every object listed was outside the range: say so, rather than "no input".</summary>
    public LogLoadException NothingInRange()
    {
        var listed = Inventory.Objects;
        var range = $"{options.From?.ToString("O") ?? "the beginning"} to {options.To?.ToString("O") ?? "now"}";
        return new LogLoadException(
            $"All {listed.Count:N0} objects listed ({string.Join(", ", listed.Take(3).Select(o => o.Name))}{(listed.Count > 3 ? ", ..." : "")}) " +
            $"are outside {range} by their keys: nothing to read. Widen --from/--to or name the objects.");
    }
}
