namespace ElbNotebooks.Analysis;

/// <summary>Exact percentiles of sorted samples: linear interpolation between closest ranks (numpy's default).</summary>
internal static class Percentiles
{
    public static double? Of(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty) return null;
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        var value = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
        return Math.Round(value, 9);
    }

    public static double NaNOf(ReadOnlySpan<double> sorted, double p) => Of(sorted, p) ?? double.NaN;

    public static LatencyStats Stats(ReadOnlySpan<double> sorted) =>
        sorted.IsEmpty ? LatencyStats.Empty : new(Of(sorted, 0.50), Of(sorted, 0.95), Of(sorted, 0.99));

    /// <summary>Sorts the non-missing values of <paramref name="values"/> into a new array.</summary>
    public static double[] SortedPresent(IEnumerable<double> values)
    {
        var array = values.Where(v => !double.IsNaN(v)).ToArray();
        Array.Sort(array);
        return array;
    }

    public static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        values.Sort();
        return NaNOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values), 0.5);
    }
}
