using ElbNotebooks.Analysis;

namespace ElbNotebooks.Charts;

internal static class Stats
{
    /// <summary>The investigation's percentile (linear interpolation, "type 7"); NaN for no values. Sorts <paramref name="values"/>.</summary>
    public static double Percentile(List<double> values, double p)
    {
        values.Sort();
        return Percentiles.NaNOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values), p);
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
