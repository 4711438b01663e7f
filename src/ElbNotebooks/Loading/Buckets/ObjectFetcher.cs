using Amazon.S3;

namespace ElbNotebooks.Loading;

/// <summary>
/// Hands the load pipeline each object when it opens it, while fetching the next ones in parallel: at most
/// <see cref="BucketOptions.MaxRequestsInFlight"/> objects are in transfer (the one being parsed streams, the ones
/// ahead wait in memory up to <see cref="BucketOptions.PrefetchBytes"/>, or in the cache folder when there is one).
/// Objects are opened in the order they were added, which is the order the pipeline reads them.
/// </summary>
internal sealed class ObjectFetcher(IAmazonS3 client, BucketOptions options, CancellationToken cancel)
{
    private readonly List<BucketObject> _order = [];
    private readonly Dictionary<BucketObject, Task<byte[]?>> _ahead = [];
    private long _bytesAhead;
    private int _next;

    public void Add(BucketObject o)
    {
        o.Index = _order.Count;
        _order.Add(o);
    }

    public Stream Open(BucketObject o)
    {
        try
        {
            var stream = OpenCore(o);
            o.Outcome = ObjectOutcome.Read;
            return new OutcomeStream(stream, o);
        }
        catch (Exception e)
        {
            o.Outcome = ObjectOutcome.Failed;
            if (e is AggregateException { InnerException: { } inner }) throw ObjectStream.Describe(inner, o, options.MaxAttempts) ?? inner;
            throw;
        }
    }

    private Stream OpenCore(BucketObject o)
    {
        FetchAhead(o.Index + 1);
        if (_ahead.Remove(o, out var fetching))
        {
            if (CachePath(o) is null) _bytesAhead -= o.Size;
            var bytes = fetching.GetAwaiter().GetResult();
            return bytes is null
                ? OpenCached(o, justFetched: true) ?? throw new IOException($"{o.Name}: its cached copy vanished")
                : new MemoryStream(bytes, writable: false);
        }
        if (OpenCached(o) is { } cached) return cached;
        if (CachePath(o) is not null)
        {
            Download(o, toCache: true).GetAwaiter().GetResult();
            return OpenCached(o, justFetched: true) ?? throw new IOException($"{o.Name}: its cached copy vanished");
        }
        return new ObjectStream(client, o, options, cancel).Start();
    }

    /// <summary>Starts fetching the objects after the one being opened, within the limits.</summary>
    private void FetchAhead(int from)
    {
        _next = Math.Max(_next, from);
        while (_next < _order.Count && _ahead.Count < options.MaxRequestsInFlight - 1)
        {
            var o = _order[_next];
            if (CachePath(o) is not null)
            {
                if (!IsCached(o)) _ahead[o] = Download(o, toCache: true);
            }
            else if (o.Size <= options.PrefetchBytes)
            {
                if (_bytesAhead + o.Size > options.PrefetchBytes) return;
                _bytesAhead += o.Size;
                _ahead[o] = Download(o, toCache: false);
            }
            // else: too large to wait in memory; it streams when its turn comes
            _next++;
        }
    }

    /// <summary>The object's bytes in memory, or null once they are in the cache folder.</summary>
    private Task<byte[]?> Download(BucketObject o, bool toCache) => Task.Run(async () =>
    {
        await using var source = new ObjectStream(client, o, options, cancel);
        if (!toCache)
        {
            var buffer = new MemoryStream(checked((int)Math.Max(o.Size, 0)));
            await source.CopyToAsync(buffer, cancel).ConfigureAwait(false);
            return buffer.GetBuffer().Length == buffer.Length ? buffer.GetBuffer() : buffer.ToArray();
        }
        var path = CachePath(o)!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var part = path + ".part-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await source.CopyToAsync(file, cancel).ConfigureAwait(false);
            File.Move(part, path, overwrite: true);
        }
        finally
        {
            File.Delete(part);
        }
        return (byte[]?)null;
    }, cancel);

    private Stream? OpenCached(BucketObject o, bool justFetched = false)
    {
        if (!IsCached(o)) return null;
        o.FromCache = !justFetched;
        return new FileStream(CachePath(o)!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private bool IsCached(BucketObject o) => CachePath(o) is { } path && File.Exists(path) && new FileInfo(path).Length == o.Size;

    /// <summary><c>folder/bucket/key</c>; null without a cache folder, or for a key that would leave it (<c>..</c>).</summary>
    private string? CachePath(BucketObject o)
    {
        if (options.CacheFolder is not { } folder) return null;
        var segments = o.Key.Split('/');
        if (segments.Any(s => s is "" or "." or ".." || s.Contains('\\'))) return null;
        return Path.Combine([Path.GetFullPath(folder), o.Bucket, .. segments]);
    }

    /// <summary>Marks the object failed when reading it fails after it was opened.</summary>
    private sealed class OutcomeStream(Stream inner, BucketObject o) : ForwardOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch
            {
                o.Outcome = ObjectOutcome.Failed;
                throw;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
