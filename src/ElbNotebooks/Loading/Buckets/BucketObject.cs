namespace ElbNotebooks.Loading;

internal enum ObjectOutcome
{
    Listed,
    SkippedByTime,
    Read,
    Failed,
}

/// <summary>One listed object and what became of it; the report counts these.</summary>
internal sealed class BucketObject(BucketInventory inventory, string bucket, string key, long size, string? etag)
{
    private long _bytesFetched;

    public BucketInventory Inventory { get; } = inventory;
    public string Bucket { get; } = bucket;
    public string Key { get; } = key;
    public long Size { get; } = size;
    public string? ETag { get; } = etag;
    public string Name => BucketPath.Name(Bucket, Key);

    /// <summary>Its place in the fetcher's read order.</summary>
    public int Index { get; set; } = -1;

    public ObjectOutcome Outcome { get; set; }
    public bool FromCache { get; set; }

    /// <summary>Something its input's report notes, such as a cache folder that could not hold it.</summary>
    public string? Note { get; set; }

    /// <summary>Bytes transferred from the store (resumed transfers count what they fetched again).</summary>
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    public void Fetched(long bytes) => Interlocked.Add(ref _bytesFetched, bytes);

    public override string ToString() => Name;
}

/// <summary>Every object one load listed, read or not.</summary>
internal sealed class BucketInventory
{
    private readonly List<BucketObject> _objects = [];

    public IReadOnlyList<BucketObject> Objects => _objects;

    public BucketObject Add(string bucket, string key, long size, string? etag)
    {
        var o = new BucketObject(this, bucket, key, size, etag);
        _objects.Add(o);
        return o;
    }
}
