using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ElbNotebooks.Loading;

/// <summary>
/// Lists the objects under a prefix. With a time range it lists only what keys say can hold it: above a layout root
/// it goes down one subfolder at a time, below a root it opens only the year, month and day folders around the range,
/// and it marks ELB files whose names put them outside the range as skipped by time (docs/loading.md, "Buckets").
/// </summary>
internal sealed class BucketLister(IAmazonS3 client, BucketInventory inventory, DateTime? from, DateTime? to, IProgress<long>? progress, CancellationToken cancel)
{
    private readonly DateTime _from = from ?? DateTime.MinValue;
    private readonly DateTime _to = to ?? DateTime.MaxValue;
    private bool Pruning => from is not null || to is not null;
    private long _listed;

    /// <summary>Every object under <paramref name="folder"/> that could be listed, pruned ones marked as such.</summary>
    public List<BucketObject> List(string bucket, string folder)
    {
        var found = new List<BucketObject>();
        if (Pruning) Walk(bucket, folder, found);
        else ListAll(bucket, folder, found);
        return found;
    }

    /// <summary>The object whose key is exactly <paramref name="key"/>, if there is one.</summary>
    public BucketObject? Find(string bucket, string key)
    {
        // An object's key sorts before every longer key it begins: the first key under the prefix is it, if it exists.
        var page = Page(new ListObjectsV2Request { BucketName = bucket, Prefix = key, MaxKeys = 1 });
        var first = page.S3Objects?.FirstOrDefault();
        return first is not null && first.Key == key ? Add(bucket, first, []) : null;
    }

    private void Walk(string bucket, string folder, List<BucketObject> found)
    {
        var kind = KeyLayouts.Classify(folder);
        switch (kind)
        {
            case FolderKind.Ancestor:
                foreach (var child in Level(bucket, folder, found)) Walk(bucket, child, found);
                break;
            case FolderKind.ElbRoot or FolderKind.LtsRoot:
                WalkDates(bucket, folder, kind, [], found);
                break;
            default:
                ListAll(bucket, folder, found);
                break;
        }
    }

    /// <summary>Below a root: year, month and day folders, each opened only when it can hold the range.</summary>
    private void WalkDates(string bucket, string folder, FolderKind root, List<string> date, List<BucketObject> found)
    {
        if (date.Count == 3)
        {
            ListAll(bucket, folder, found);
            return;
        }
        foreach (var child in Level(bucket, folder, found))
        {
            var name = child[folder.Length..].TrimEnd('/');
            List<string> childDate = [.. date, name];
            if (KeyLayouts.DateFolderSpan(childDate) is null) ListAll(bucket, child, found);
            else if (KeyLayouts.DateFolderMayHold(root, childDate, _from, _to)) WalkDates(bucket, child, root, childDate, found);
        }
    }

    /// <summary>
    /// The objects right in <paramref name="folder"/> (added) and its subfolders (returned), found by skipping: each
    /// request asks for the first key after the last subfolder found, so a subfolder costs one request however many
    /// objects it holds. (A delimiter listing would do it in fewer requests on AWS, but S3-compatible servers differ
    /// in how they answer one for deep trees; a plain listing with start-after is answered alike by all.)
    /// </summary>
    private List<string> Level(string bucket, string folder, List<BucketObject> found)
    {
        // After every key of the subfolder that is ASCII after the '/', as log keys are (S3-compatible servers do not
        // all take any character in start-after).
        const string SkipMark = "~~~~~~~~~~~~~~~~";
        var folders = new List<string>();
        string? after = null;
        while (true)
        {
            var page = Page(new ListObjectsV2Request { BucketName = bucket, Prefix = folder, StartAfter = after, MaxKeys = 1 });
            if (page.S3Objects?.FirstOrDefault() is not { } first) return folders;
            var rest = first.Key[folder.Length..];
            var slash = rest.IndexOf('/');
            if (slash < 0)
            {
                Add(bucket, first, found);
                after = first.Key;
                continue;
            }
            var child = folder + rest[..(slash + 1)];
            if (folders.Count > 0 && folders[^1] == child)
            {
                after = first.Key; // a key that sorts past the skip mark: step over it
                continue;
            }
            folders.Add(child);
            after = child + SkipMark;
        }
    }

    private void ListAll(string bucket, string prefix, List<BucketObject> found)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        do
        {
            var page = Page(request);
            foreach (var o in page.S3Objects ?? []) Add(bucket, o, found);
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (request.ContinuationToken is not null);
    }

    private BucketObject? Add(string bucket, S3Object o, List<BucketObject> found)
    {
        if (o.Key.EndsWith('/')) return null; // a folder marker, not a file
        var added = inventory.Add(bucket, o.Key, o.Size ?? 0, o.ETag);
        if (Pruning && !KeyLayouts.MayHold(o.Key, _from, _to)) added.Outcome = ObjectOutcome.SkippedByTime;
        found.Add(added);
        progress?.Report(++_listed);
        return added;
    }

    private ListObjectsV2Response Page(ListObjectsV2Request request)
    {
        cancel.ThrowIfCancellationRequested();
        var where = BucketPath.Name(request.BucketName, request.Prefix ?? "");
        try
        {
            return client.ListObjectsV2Async(request, cancel).GetAwaiter().GetResult();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new FileNotFoundException($"No such bucket '{request.BucketName}' (listing {where}): {e.Message}", where);
        }
        catch (AmazonServiceException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new BucketAccessException(
                $"Access denied listing {where}: {e.ErrorCode}: {e.Message} Check the credentials (AWS_PROFILE, --profile), the region and the endpoint.", e);
        }
        catch (AmazonServiceException e)
        {
            throw new BucketAccessException($"Cannot list {where}: {(int)e.StatusCode} {e.ErrorCode}: {e.Message}", e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException)
        {
            throw new BucketAccessException($"Cannot list {where}: {e.Message}", e);
        }
    }
}

/// <summary>A bucket that could not be listed (denied, unreachable): there is no knowing what it holds.</summary>
public sealed class BucketAccessException(string message, Exception? inner = null) : IOException(message, inner);
