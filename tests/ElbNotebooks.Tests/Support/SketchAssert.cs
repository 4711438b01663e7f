using ElbNotebooks.Analysis;

namespace ElbNotebooks.Tests.Support;

/// <summary>
/// Percentiles of an investigation come from latency sketches: within <see cref="LatencySketch.RelativeError"/> (1%)
/// of the exact value, so tests that pinned an exact percentile check it within that error.
/// </summary>
internal static class SketchAssert
{
    public static void WithinError(double expected, double? actual)
    {
        Assert.NotNull(actual);
        var bound = LatencySketch.RelativeError * Math.Abs(expected) + 1e-9;
        Assert.True(Math.Abs(actual.Value - expected) <= bound, $"{actual} is not within {LatencySketch.RelativeError:P2} of {expected}");
    }
}
