namespace ElbNotebooks.Charts;

/// <summary>
/// Leaves long empty stretches out of a time axis: logs of different hours (or days) are drawn side by side with the
/// gap named, instead of as a few bars at the edges of hours of empty plot. A stretch is left out when it is at least
/// <see cref="MinBuckets"/> buckets and <see cref="MinShare"/> of the axis; shorter silences stay visible as what
/// they are. Each bucket is drawn over its own span [start, start + size) (<see cref="Trace.XPeriod"/>), so a stretch
/// of empty buckets is left out from the first one's start to the start of the next bucket with data.
/// </summary>
internal static class TimeGaps
{
    public const int MinBuckets = 6;
    public const double MinShare = 0.15;

    public static void Collapse(PlotlyChart chart, TimeBuckets buckets, Func<int, bool> hasData)
    {
        var x = buckets.Local();
        var i = 0;
        while (i < x.Length)
        {
            if (hasData(i))
            {
                i++;
                continue;
            }
            var j = i;
            while (j < x.Length && !hasData(j)) j++;
            if (i > 0 && j < x.Length && j - i >= Math.Max(MinBuckets, x.Length * MinShare))
                chart.Layout.XAxis.Gaps.Add(new TimeGap(x[i], x[j], TimeGap.Describe(x[i], x[j])));
            i = j;
        }
    }
}
