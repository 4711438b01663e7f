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

    /// <summary>
    /// p50, p95 and p99 of <paramref name="values"/> (reordered in place) by selection, without sorting them all:
    /// the same numbers as <see cref="Stats"/> of the sorted values.
    /// </summary>
    public static LatencyStats StatsBySelection(Span<double> values) =>
        values.IsEmpty ? LatencyStats.Empty : new(Select(values, 0.50), Select(values, 0.95), Select(values, 0.99));

    /// <summary>The <paramref name="p"/> percentile of <paramref name="values"/> (reordered in place), NaN when empty.</summary>
    public static double NaNBySelection(Span<double> values, double p) => values.IsEmpty ? double.NaN : Select(values, p);

    private static double Select(Span<double> values, double p)
    {
        var rank = p * (values.Length - 1);
        var lo = (int)Math.Floor(rank);
        var below = NthSmallest(values, lo);
        var above = lo + 1 < values.Length ? Min(values[(lo + 1)..]) : below;
        return Math.Round(below + (above - below) * (rank - lo), 9);
    }

    /// <summary>Quickselect: puts the n-th smallest at index n, smaller ones before it and larger ones after.</summary>
    private static double NthSmallest(Span<double> v, int n)
    {
        var (left, right) = (0, v.Length - 1);
        while (left < right)
        {
            var mid = left + (right - left) / 2;
            // median of three as the pivot keeps sorted and reversed runs linear
            if (v[mid] < v[left]) (v[mid], v[left]) = (v[left], v[mid]);
            if (v[right] < v[left]) (v[right], v[left]) = (v[left], v[right]);
            if (v[right] < v[mid]) (v[right], v[mid]) = (v[mid], v[right]);
            var pivot = v[mid];
            var (i, j) = (left, right);
            while (i <= j)
            {
                while (v[i] < pivot) i++;
                while (pivot < v[j]) j--;
                if (i > j) break;
                (v[i], v[j]) = (v[j], v[i]);
                i++;
                j--;
            }
            if (n <= j) right = j;
            else if (n >= i) left = i;
            else break;
        }
        return v[n];
    }

    private static double Min(ReadOnlySpan<double> values)
    {
        var min = values[0];
        foreach (var v in values) if (v < min) min = v;
        return min;
    }

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
