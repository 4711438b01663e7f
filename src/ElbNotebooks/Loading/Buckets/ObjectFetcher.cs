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
        var fetching = _ahead.Remove(o, out var task) ? task : null;
        if (CachePath(o) is not { } path)
        {
            if (fetching is null) return new ObjectStream(client, o, options, cancel).Start();
            _bytesAhead -= o.Size;
            return new MemoryStream(fetching.GetAwaiter().GetResult()!, writable: false);
        }
        // The cache only saves a transfer: when it cannot hold or give back the object, the object is read from the
        // bucket as if there were no cache, and its input says so. Only the bucket's own errors fail it.
        try
        {
            if (fetching is not null) fetching.GetAwaiter().GetResult();
            else if (!IsCached(o, path)) Download(o, toCache: true).GetAwaiter().GetResult();
            else return OpenCached(o, path, fromCache: true);
            return OpenCached(o, path, fromCache: false);
        }
        catch (CacheException e)
        {
            o.Note = $"not cached ({e.Message}): read from the bucket";
            return new ObjectStream(client, o, options, cancel).Start();
        }
    }

    /// <summary>Starts fetching the objects after the one being opened, within the limits.</summary>
    private void FetchAhead(int from)
    {
        _next = Math.Max(_next, from);
        while (_next < _order.Count && _ahead.Count < options.MaxRequestsInFlight - 1)
        {
            var o = _order[_next];
            if (CachePath(o) is { } path)
            {
                if (!IsCached(o, path)) _ahead[o] = Download(o, toCache: true);
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

    /// <summary>
    /// The object's bytes in memory, or null once they are in the cache folder. Writing the cached copy fails with a
    /// <see cref="CacheException"/>; reading the bucket fails as the bucket does.
    /// </summary>
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
        var part = path + ".part-" + Guid.NewGuid().ToString("N");
        try
        {
            FileStream file;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new CacheException(e);
            }
            await using (file)
            {
                var chunk = new byte[1 << 16];
                int n;
                while ((n = await source.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
                {
                    try
                    {
                        await file.WriteAsync(chunk.AsMemory(0, n), cancel).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new CacheException(e);
                    }
                }
                try
                {
                    await file.FlushAsync(cancel).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CacheException(e);
                }
            }
            try
            {
                File.Move(part, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CacheException(e);
            }
        }
        finally
        {
            try
            {
                File.Delete(part);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a part that cannot be removed is harmless: no object is ever read from a part
            }
        }
        return (byte[]?)null;
    }, cancel);

    private static FileStream OpenCached(BucketObject o, string path, bool fromCache)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (stream.Length != o.Size)
            {
                stream.Dispose();
                throw new CacheException(new IOException($"the cached copy {path} has {stream.Length:N0} bytes, not the listed {o.Size:N0}"));
            }
            o.FromCache = fromCache;
            return stream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CacheException(e);
        }
    }

    private static bool IsCached(BucketObject o, string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists && file.Length == o.Size;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>folder/bucket/hash-name</c>, or null without a cache folder. The hash (SHA-256 of the bucket, the key and
    /// the listed ETag) makes the name: keys are not paths (<c>c/app.log</c> and <c>c/app.log/1.log</c> are two
    /// objects; <c>..</c>, empty segments, case-only differences and any length are keys too), so no two objects
    /// share a copy and a file never stands where a folder must. An object replaced in the bucket (a new ETag) gets a
    /// new copy. The key's last segment, made safe, follows the hash so a person can tell the copies apart.
    /// </summary>
    private string? CachePath(BucketObject o)
    {
        if (options.CacheFolder is not { } folder) return null;
        var identity = System.Text.Encoding.UTF8.GetBytes(o.Bucket + "\n" + o.Key + "\n" + o.ETag);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(identity).AsSpan(0, 16));
        return Path.Combine(Path.GetFullPath(folder), Safe(o.Bucket, 63), hash + "-" + Safe(o.Key[(o.Key.LastIndexOf('/') + 1)..], 80));
    }

    /// <summary>A file name made of the text's letters, digits, <c>.</c>, <c>-</c> and <c>_</c> (others become <c>_</c>), at most <paramref name="length"/> long, never only dots.</summary>
    private static string Safe(string text, int length)
    {
        var safe = new string([.. text.Take(length).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        return safe.Trim('.').Length == 0 ? "_" + safe : safe;
    }

    /// <summary>The cache folder could not hold or give back an object (the bucket itself answered).</summary>
    private sealed class CacheException(Exception inner) : IOException(inner.Message, inner);

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
