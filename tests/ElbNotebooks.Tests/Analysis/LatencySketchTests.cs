using CsCheck;
using ElbNotebooks.Analysis;

namespace ElbNotebooks.Tests.Analysis;

public class LatencySketchTests
{
    /// <summary>Latencies from 1 ms to about 5 minutes, log-uniform, with one in twenty a zero (a cached or refused answer).</summary>
    private static readonly Gen<double[]> Latencies =
        Gen.Select(Gen.Double[-3, 2.5], Gen.Int[0, 19]).Select((exponent, zero) => zero == 0 ? 0 : Math.Pow(10, exponent)).Array[1, 500];

    private static readonly double[] Ps = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

    private static LatencySketch Sketch(IEnumerable<double> values)
    {
        var sketch = new LatencySketch();
        foreach (var v in values) sketch.Add(v);
        return sketch;
    }

    [Fact]
    public void Quantiles_are_within_the_stated_relative_error_of_the_exact_percentiles()
    {
        Gen.Select(Latencies, Gen.Double[0, 1]).Sample((values, anyP) =>
        {
            var sorted = values.Order().ToArray();
            var sketch = Sketch(values);
            foreach (var p in Ps.Append(anyP))
            {
                var exact = Percentiles.NaNOf(sorted, p);
                // Relative error, but for values under Tiny (counted as 0): at most Tiny off there.
                var bound = LatencySketch.RelativeError * exact + LatencySketch.Tiny + 1e-9;
                Assert.True(Math.Abs(sketch.Quantile(p) - exact) <= bound, $"p{p}: sketch {sketch.Quantile(p)}, exact {exact}");
            }
            Assert.Equal(values.Length, sketch.Count);
        }, iter: 2000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Latencies_at_a_millisecond_or_more_are_within_one_percent()
    {
        Gen.Double[-3, 2.5].Select(e => Math.Pow(10, e)).Array[1, 300].Sample(values =>
        {
            var sorted = values.Order().ToArray();
            var sketch = Sketch(values);
            foreach (var p in Ps)
            {
                var exact = Percentiles.NaNOf(sorted, p);
                Assert.True(Math.Abs(sketch.Quantile(p) - exact) <= 0.01 * exact + 1e-9, $"p{p}: sketch {sketch.Quantile(p)}, exact {exact}");
            }
        }, iter: 1000);
    }

    [Fact]
    public void Quantiles_never_leave_the_values_counted_and_the_extremes_are_exact()
    {
        Gen.Select(Latencies, Latencies).Sample((a, b) =>
        {
            var merged = Sketch(a);
            merged.Merge(Sketch(b));
            var counted = a.Concat(b).Where(v => v >= LatencySketch.Tiny).ToArray();
            if (counted.Length == 0) return;
            // Quantiles are rounded to 9 decimals (a nanosecond), which may move them past an extreme by less than that.
            var (min, max) = (Math.Round(counted.Min(), 9), Math.Round(counted.Max(), 9));
            foreach (var p in Ps) Assert.InRange(merged.Quantile(p), a.Concat(b).Any(v => v < LatencySketch.Tiny) ? 0 : min, max);
            Assert.Equal(max, merged.Quantile(1));
            if (counted.Length == a.Length + b.Length) Assert.Equal(min, merged.Quantile(0));
            Assert.Equal(counted.Max(), merged.Max);
            Assert.Equal(counted.Min(), merged.Min);
        }, iter: 1000);
    }

    [Fact]
    public void A_timeout_reads_as_written_not_as_its_bins_value()
    {
        // A backend whose connections time out at its 5 s connect timeout: 5 s sits in the bin (4.973, 5.072] s,
        // which stands for 5.022 s. The p95 and p99 are the timeout itself.
        // The fast answers take 1.5 and 1.7 ms (not whole milliseconds, so every bin stands for its value).
        var sketch = Sketch(Enumerable.Repeat(0.0015, 45).Concat(Enumerable.Repeat(0.0017, 45)).Concat(Enumerable.Repeat(5.0, 10)));
        Assert.Equal(5.022, LatencySketch.ValueOf(LatencySketch.Bin(5.0)), 0.001);
        Assert.Equal(5.0, sketch.Quantile(0.95));
        Assert.Equal(5.0, sketch.Quantile(0.99));
        Assert.Equal(Math.Round(LatencySketch.ValueOf(LatencySketch.Bin(0.0017)), 9), sketch.Quantile(0.5)); // a middle rank: its bin's
        Assert.Equal(0.0015, sketch.Quantile(0));
        Assert.Equal(10, sketch.CountAtLeast(5.0));
    }

    [Fact]
    public void Counts_whose_values_are_not_known_leave_their_bins_values()
    {
        // A bucket table made before its rows carried their bins' smallest and largest value.
        var unknown = new LatencySketch();
        unknown.AddBin(LatencySketch.Bin(5.0), 10, null, null, wholeMilliseconds: false);
        var known = new LatencySketch();
        known.AddBin(LatencySketch.Bin(5.0), 10, 5.0, 5.0, wholeMilliseconds: false);

        Assert.Equal(Math.Round(LatencySketch.ValueOf(LatencySketch.Bin(5.0)), 9), unknown.Quantile(0.95));
        Assert.Null(unknown.Max);
        Assert.Equal(5.0, known.Quantile(0.95));
        known.Merge(unknown);
        Assert.Null(known.Max);
        Assert.Equal(unknown.Quantile(0.95), known.Quantile(0.95));
    }

    /// <summary>Times as most logs write them: whole milliseconds, most of them under 50 ms, one in twenty a zero.</summary>
    private static readonly Gen<double[]> FastWholeMilliseconds =
        Gen.Select(Gen.Int[1, 49], Gen.Int[0, 19]).Select((ms, zero) => zero == 0 ? 0 : ms / 1000.0).Array[1, 300];

    [Fact]
    public void Whole_milliseconds_under_fifty_give_the_exact_percentiles()
    {
        // Every bin under about 50 ms holds one whole millisecond at most, and stands for it while every value is one.
        Gen.Select(FastWholeMilliseconds, FastWholeMilliseconds, Gen.Double[0, 1]).Sample((a, b, anyP) =>
        {
            var sorted = a.Concat(b).Order().ToArray();
            var merged = Sketch(a);
            merged.Merge(Sketch(b));
            Assert.True(merged.WholeMilliseconds);
            foreach (var p in Ps.Append(anyP))
                Assert.Equal(Math.Round(Percentiles.NaNOf(sorted, p), 9), merged.Quantile(p));
        }, iter: 1000);
        Assert.Equal(0.002, Sketch([0.001, 0.002, 0.002, 0.003]).Quantile(0.5));
    }

    [Fact]
    public void Whole_milliseconds_of_any_size_are_within_the_stated_relative_error()
    {
        Gen.Int[1, 300_000].Select(ms => ms / 1000.0).Array[1, 300].Sample(values =>
        {
            var sorted = values.Order().ToArray();
            var sketch = Sketch(values);
            foreach (var p in Ps)
            {
                var exact = Percentiles.NaNOf(sorted, p);
                Assert.True(Math.Abs(sketch.Quantile(p) - exact) <= LatencySketch.RelativeError * exact + 1e-9, $"p{p}: sketch {sketch.Quantile(p)}, exact {exact}");
            }
        }, iter: 1000);
    }

    [Fact]
    public void One_time_that_is_not_a_whole_millisecond_leaves_every_bin_its_value()
    {
        // 2.5 ms in the sketch, or in one merged into it, or a table's row that does not say its values were whole.
        var bin = Math.Round(LatencySketch.ValueOf(LatencySketch.Bin(0.002)), 9);
        Assert.Equal(0.002, Sketch([0.002, 0.002, 0.003]).Quantile(0.5));
        Assert.Equal(bin, Sketch([0.002, 0.002, 0.0025]).Quantile(0.5));
        var merged = Sketch([0.002, 0.002, 0.003]);
        merged.Merge(Sketch([0.0025]));
        Assert.False(merged.WholeMilliseconds);
        Assert.Equal(bin, merged.Quantile(1.0 / 3));
        Assert.True(Sketch([0.002, 0.00005]).WholeMilliseconds); // counted as zero, not in a bin

        var fromTable = new LatencySketch();
        fromTable.AddBin(LatencySketch.Bin(0.001), 1, 0.001, 0.001, wholeMilliseconds: true);
        fromTable.AddBin(LatencySketch.Bin(0.002), 2, 0.002, 0.002, wholeMilliseconds: true);
        fromTable.AddBin(LatencySketch.Bin(0.003), 1, 0.003, 0.003, wholeMilliseconds: true);
        Assert.Equal(0.002, fromTable.Quantile(0.5));
        fromTable.AddBin(LatencySketch.Bin(0.004), 1, 0.004, 0.004, wholeMilliseconds: false);
        Assert.Equal(bin, fromTable.Quantile(0.5));
        fromTable.Clear();
        Assert.True(fromTable.WholeMilliseconds);
    }

    [Fact]
    public void Merged_sketches_answer_as_one_sketch_of_all_the_values()
    {
        Gen.Select(Latencies, Latencies, Latencies).Sample((a, b, c) =>
        {
            var merged = Sketch(a);
            merged.Merge(Sketch(b));
            merged.Merge(Sketch(c));
            var whole = Sketch(a.Concat(b).Concat(c));
            Assert.Equal(whole.Count, merged.Count);
            foreach (var p in Ps) Assert.Equal(whole.Quantile(p), merged.Quantile(p));
        }, iter: 500);
    }

    [Fact]
    public void Counts_at_or_above_a_threshold_are_exact_but_for_the_thresholds_own_bin()
    {
        Gen.Select(Latencies, Gen.Double[-2.5, 2]).Sample((values, exponent) =>
        {
            var threshold = Math.Pow(10, exponent);
            var counted = Sketch(values).CountAtLeast(threshold);
            Assert.InRange(counted,
                values.Count(v => v >= threshold / (1 - LatencySketch.RelativeError)),
                values.Count(v => v >= threshold / (1 + LatencySketch.RelativeError)));
        }, iter: 1000);
    }

    [Fact]
    public void An_empty_or_cleared_sketch_has_no_quantiles()
    {
        var sketch = new LatencySketch();
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.Equal(LatencyStats.Empty, sketch.Stats());
        sketch.Add(0.25);
        Assert.Equal(0.25, sketch.Quantile(0.5), 0.25 * LatencySketch.RelativeError);
        sketch.Clear();
        Assert.Equal(0, sketch.Count);
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
    }

    [Fact]
    public void Zero_and_sub_tenth_of_a_millisecond_times_are_zero()
    {
        var sketch = Sketch([0, 0.00005, 0.00009]);
        Assert.Equal(0, sketch.Quantile(1));
    }

    [Fact]
    public void A_bin_counts_past_sixteen_bits_added_or_merged()
    {
        var added = new LatencySketch();
        for (var k = 0; k < 70_000; k++) added.Add(0.1);
        added.Add(10);
        var merged = new LatencySketch();
        for (var k = 0; k < 3; k++) merged.Merge(added);

        Assert.Equal(0.1, added.Quantile(0.99), 0.1 * LatencySketch.RelativeError);
        Assert.Equal(1, added.CountAtLeast(5));
        Assert.Equal(70_001, added.CountAtLeast(0.05));
        Assert.Equal(210_003, merged.Count);
        Assert.Equal(210_003, merged.CountAtLeast(0.05));
        Assert.Equal(0.1, merged.Quantile(0.99998), 0.1 * LatencySketch.RelativeError);
        Assert.Equal(10, merged.Quantile(1), 10 * LatencySketch.RelativeError);
    }

    [Fact]
    public void A_sketch_reused_after_clearing_merges_as_a_fresh_one()
    {
        // A streaming investigation's partial sketches are cleared and refilled block after block; their bins still
        // span every value they ever held, and merging copies only the bins that hold values.
        Gen.Select(Latencies, Latencies).Sample((before, after) =>
        {
            var reused = Sketch(before);
            reused.Clear();
            foreach (var v in after) reused.Add(v);
            var fromReused = new LatencySketch();
            fromReused.Merge(reused);
            var fromFresh = new LatencySketch();
            fromFresh.Merge(Sketch(after));
            Assert.Equal(fromFresh.Bins(), fromReused.Bins());
            foreach (var p in Ps) Assert.Equal(fromFresh.Quantile(p), fromReused.Quantile(p));
        }, iter: 500);
    }

    [Fact]
    public void A_bin_whose_sixteen_bit_count_wrapped_to_zero_is_merged()
    {
        var wrapped = new LatencySketch();
        for (var k = 0; k < 65_536; k++) wrapped.Add(0.1);
        var merged = new LatencySketch();
        merged.Merge(wrapped);
        merged.Merge(wrapped);

        Assert.Equal(wrapped.Bins().Select(b => (b.Bin, b.Count * 2)), merged.Bins());
        Assert.Equal(131_072, merged.CountAtLeast(0.05));
        Assert.Equal(0.1, merged.Quantile(0.5), 0.1 * LatencySketch.RelativeError);
    }

    [Fact]
    public void Bins_of_whole_milliseconds_and_of_any_other_time_follow_the_formula()
    {
        static int Formula(double seconds) =>
            seconds >= LatencySketch.Tiny ? (int)Math.Ceiling(Math.Log(seconds) / Math.Log(LatencySketch.Gamma)) : LatencySketch.ZeroBin;

        for (var ms = 0; ms <= 5000; ms++) Assert.Equal(Formula(ms / 1000.0), LatencySketch.Bin(ms / 1000.0));
        Gen.Double[0, 100].Sample(seconds => Assert.Equal(Formula(seconds), LatencySketch.Bin(seconds)), iter: 10_000);
        foreach (var odd in new[] { -0.0, -0.001, 0.00005, 0.0001, 1e10, double.PositiveInfinity })
            Assert.Equal(Formula(odd), LatencySketch.Bin(odd));
    }
}
