namespace ElbNotebooks.Analysis;

/// <summary>
/// Requests far in time from the rest of the log (a clock that said 1970, a year typed wrong, a stray line of
/// another day), left out of the judgement: where the first one is written, how many there are, and how far they
/// lie from the requests that were judged.
/// </summary>
public sealed record TimeOutlier
{
    /// <summary>The first of the far requests (UTC).</summary>
    public required DateTime From { get; init; }

    /// <summary>The last of them (UTC).</summary>
    public required DateTime To { get; init; }

    /// <summary>How many requests lie there.</summary>
    public required long Requests { get; init; }

    /// <summary>The file of the first of them; null when not known.</summary>
    public required string? File { get; init; }

    /// <summary>Its line in <see cref="File"/>.</summary>
    public required long Line { get; init; }

    /// <summary>How far they lie from the requests that were judged.</summary>
    public required TimeSpan Distance { get; init; }
}

/// <summary>
/// Finds <see cref="TimeOutlier"/>s from the per-bucket counts of a pass: the requests are cut into runs separated by
/// a day or more without a request, and a run at either end is an outlier when it holds at most 1% of the requests
/// (or one request, a tenth of the others at most) and lies farther from the others than they span (and at least a day). One line dated 1970 among a morning's
/// requests would otherwise make every series span 54 years; two days of logs a week apart are both kept.
/// </summary>
internal static class TimeOutliers
{
    public static readonly TimeSpan MinDistance = TimeSpan.FromDays(1);
    public const double MaxShare = 0.01;

    /// <summary>The outliers, and the first and last counting bucket of the requests to judge.</summary>
    public static (List<TimeOutlier> Outliers, long First, long Last) Find(IReadOnlyDictionary<long, StatusCounts> buckets) =>
        Find(buckets.Select(b => new BucketRequests(b.Key, b.Value.First, b.Value.Last, b.Value.Requests, b.Value.FirstFile, b.Value.FirstLine)));

    /// <summary>The same from any pass's buckets of requests (e.g. a census's quarter-hours).</summary>
    public static (List<TimeOutlier> Outliers, long First, long Last) Find(IEnumerable<BucketRequests> buckets)
    {
        var runs = Runs(buckets);
        var outliers = new List<TimeOutlier>();
        if (runs.Count < 2) return (outliers, runs.Count == 0 ? 0 : runs[0].FirstBucket, runs.Count == 0 ? 0 : runs[0].LastBucket);

        var total = runs.Sum(r => r.Requests);
        var allowed = (long)(total * MaxShare);
        var (lo, hi) = (0, runs.Count - 1);
        while (lo < hi)
        {
            // Each end measured against what would be left without it; the one farther from the rest is tried first,
            // so outliers at both ends are each measured against the bulk.
            var early = (Gap: runs[lo + 1].First - runs[lo].Last, Others: runs[hi].Last - runs[lo + 1].First);
            var late = (Gap: runs[hi].First - runs[hi - 1].Last, Others: runs[hi - 1].Last - runs[lo].First);
            if (early.Gap >= late.Gap && IsOutlier(runs[lo], early.Gap, early.Others)) outliers.Add(runs[lo++].AsOutlier(early.Gap));
            else if (IsOutlier(runs[hi], late.Gap, late.Others)) outliers.Add(runs[hi--].AsOutlier(late.Gap));
            else if (IsOutlier(runs[lo], early.Gap, early.Others)) outliers.Add(runs[lo++].AsOutlier(early.Gap));
            else break;
            allowed -= outliers[^1].Requests;
        }
        outliers.Sort((a, b) => a.From.CompareTo(b.From));
        return (outliers, runs[lo].FirstBucket, runs[hi].LastBucket);

        bool IsOutlier(Run run, TimeSpan gap, TimeSpan rest) =>
            run.Requests <= Math.Max(1, allowed) && run.Requests * 10 <= total - run.Requests && gap >= MinDistance && gap >= rest;
    }

    private sealed record Run(long FirstBucket, long LastBucket, DateTime First, DateTime Last, long Requests, string? File, long Line)
    {
        public TimeOutlier AsOutlier(TimeSpan distance) =>
            new() { From = First, To = Last, Requests = Requests, File = File, Line = Line, Distance = distance };
    }

    private static List<Run> Runs(IEnumerable<BucketRequests> buckets)
    {
        var runs = new List<Run>();
        foreach (var c in buckets.OrderBy(b => b.Bucket))
        {
            if (c.Requests == 0) continue;
            if (runs.Count > 0 && c.First - runs[^1].Last < MinDistance)
            {
                var run = runs[^1];
                runs[^1] = run with { LastBucket = c.Bucket, Last = c.Last > run.Last ? c.Last : run.Last, Requests = run.Requests + c.Requests };
            }
            else runs.Add(new Run(c.Bucket, c.Bucket, c.First, c.Last, c.Requests, c.File, c.Line));
        }
        return runs;
    }
}

/// <summary>One bucket's requests for <see cref="TimeOutliers"/>: the first and last (UTC), and where the first is written.</summary>
internal sealed record BucketRequests(long Bucket, DateTime First, DateTime Last, long Requests, string? File, long Line);

internal static class TimeOutlierText
{
    /// <summary>
    /// One sentence for every view: <c>1 request at 1970-01-01 08:00 +08:00 (first: o.log line 2401) lies 19,844 days
    /// before the others: left out of the judgement</c>.
    /// </summary>
    public static string Describe(TimeOutlier o, DateTime judgedFrom, TimeSpan offset)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string Local(DateTime utc) => (utc + offset).ToString("yyyy-MM-dd HH:mm", c);
        var when = o.From == o.To || Local(o.From) == Local(o.To)
            ? $"at {Local(o.From)}"
            : $"from {Local(o.From)} to {Local(o.To)}";
        var where = o.File is null ? "" : string.Create(c, $" (first: {o.File} line {o.Line})");
        var distance = o.Distance >= TimeSpan.FromDays(2)
            ? string.Create(c, $"{Math.Floor(o.Distance.TotalDays):N0} days")
            : string.Create(c, $"{Math.Floor(o.Distance.TotalHours):N0} hours");
        var side = o.To < judgedFrom ? "before" : "after";
        var requests = o.Requests == 1 ? "1 request" : string.Create(c, $"{o.Requests:N0} requests");
        var verb = o.Requests == 1 ? "lies" : "lie";
        return $"{requests} {when} {Offsets.Format(offset)}{where} {verb} {distance} {side} the others: left out of the judgement";
    }
}
