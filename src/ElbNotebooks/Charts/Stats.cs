namespace ElbNotebooks.Charts;

internal static class Stats
{
    /// <summary>Linear-interpolated percentile (the common "type 7"); NaN for no values. Sorts <paramref name="values"/>.</summary>
    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        values.Sort();
        var rank = p * (values.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, values.Count - 1);
        return values[low] + (values[high] - values[low]) * (rank - low);
    }

    /// <summary>At most <paramref name="max"/> values, every k-th one: keeps box plots light on big logs, deterministically.</summary>
    public static List<double> Thin(List<double> values, int max)
    {
        if (values.Count <= max) return values;
        var step = (double)values.Count / max;
        var thinned = new List<double>(max);
        for (var i = 0; i < max; i++) thinned.Add(values[(int)(i * step)]);
        return thinned;
    }
}
