namespace ElbNotebooks.Charts;

/// <summary>
/// Leaves long empty stretches out of a time axis: logs of different hours (or days) are drawn side by side with the
/// gap named, instead of as a few bars at the edges of hours of empty plot. A stretch is left out when it is at least
/// <see cref="MinBuckets"/> buckets and <see cref="MinShare"/> of the axis; shorter silences stay visible as what
/// they are.
/// </summary>
internal static class TimeGaps
{
    public const int MinBuckets = 6;
    public const double MinShare = 0.15;

    public static void Collapse(PlotlyChart chart, TimeBuckets buckets, Func<int, bool> hasData)
    {
        var x = buckets.Local();
        var half = buckets.Size / 2;
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
                chart.Layout.XAxis.Gaps.Add(new TimeGap(x[i] - half, x[j] - half, TimeGap.Describe(x[i], x[j])));
            i = j;
        }
    }
}
