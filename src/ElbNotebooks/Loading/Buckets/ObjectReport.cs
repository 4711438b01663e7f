using System.Globalization;

namespace ElbNotebooks.Loading;

/// <summary>
/// What a load did with bucket objects (<c>s3://</c> inputs): every object listed was skipped by time (its key puts
/// it outside <c>From</c>/<c>To</c>), read, or failed (the reason is in its <see cref="FileParseReport.Error"/>).
/// <c>Listed == SkippedByTime + Read + Failed + NotRead</c>; <c>NotRead</c> is 0 unless the load was stopped.
/// </summary>
public sealed record ObjectReport(
    long Listed,
    long ListedBytes,
    long SkippedByTime,
    long SkippedBytes,
    long Read,
    long ReadBytes,
    long FromCache,
    long Failed,
    long NotRead,
    long BytesFetched)
{
    internal static ObjectReport? Of(IEnumerable<LogSource> sources)
    {
        var objects = sources.Select(s => s.Object?.Inventory).OfType<BucketInventory>().Distinct()
            .SelectMany(i => i.Objects).ToArray();
        if (objects.Length == 0) return null;
        long Count(ObjectOutcome o) => objects.LongCount(x => x.Outcome == o);
        long Bytes(ObjectOutcome o) => objects.Where(x => x.Outcome == o).Sum(x => x.Size);
        return new ObjectReport(objects.Length, objects.Sum(o => o.Size),
            Count(ObjectOutcome.SkippedByTime), Bytes(ObjectOutcome.SkippedByTime),
            Count(ObjectOutcome.Read), Bytes(ObjectOutcome.Read), objects.LongCount(o => o.FromCache),
            Count(ObjectOutcome.Failed), Count(ObjectOutcome.Listed), objects.Sum(o => o.BytesFetched));
    }

    /// <summary><c>objects: 12 listed (3.1 MB), 9 skipped by time (2.3 MB), 3 read (0.8 MB; 0 from cache), 0 failed</c>.</summary>
    public string Summary
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var text = string.Create(c,
                $"objects: {Listed:N0} listed ({Size(ListedBytes)}), {SkippedByTime:N0} skipped by time ({Size(SkippedBytes)}), {Read:N0} read ({Size(ReadBytes)}; {FromCache:N0} from cache), {Failed:N0} failed");
            return NotRead > 0 ? text + string.Create(c, $", {NotRead:N0} not read") : text;
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.##} GB"),
    };

    /// <summary>The <see cref="Summary"/> line.</summary>
    public override string ToString() => Summary;
}
