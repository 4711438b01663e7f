using System.Runtime.CompilerServices;

namespace ElbNotebooks.Analysis;

/// <summary>
/// Items listed per bucket as they come (a block's clients or endpoints, before its worker sorts them), the last
/// bucket's list at hand, and emptied lists kept for the next block: a block's items mostly fall in three or four
/// buckets, one after another.
/// </summary>
internal sealed class ListedPerBucket<T>
{
    private readonly Stack<List<T>> _spare = new();
    private (long Bucket, List<T>? List) _last;

    /// <summary>The lists by bucket; a list removed from here is not kept for reuse.</summary>
    public Dictionary<long, List<T>> Lists { get; } = [];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long bucket, T item) => BucketLookup.Of(Lists, bucket, ref _last, _spare).Add(item);

    /// <summary>Forgets the buckets <paramref name="outside"/> says to.</summary>
    public void RemoveWhere(Func<long, bool> outside)
    {
        foreach (var bucket in Lists.Keys.Where(outside).ToList()) Lists.Remove(bucket);
        _last = default;
    }

    /// <summary>Empties every list and keeps it for reuse.</summary>
    public void Clear() => BucketLookup.Recycle(Lists, _spare, ref _last, static list => list.Clear());
}
