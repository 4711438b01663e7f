using CsCheck;
using ElbNotebooks.Analysis;

namespace ElbNotebooks.Tests.Analysis;

public class PercentilesTests
{
    [Fact]
    public void Selection_gives_the_same_percentiles_as_sorting()
    {
        Gen.Select(Gen.Int[0, 40].Array[1, 400], Gen.Bool).Sample(sample =>
        {
            // Few distinct values (many ties), as latencies rounded to milliseconds have; sometimes already sorted.
            var (ticks, sorted) = sample;
            var values = ticks.Select(t => t / 1000.0).ToArray();
            if (sorted) Array.Sort(values);
            var expected = Percentiles.Stats(values.Order().ToArray());
            Assert.Equal(expected, Percentiles.StatsBySelection(values.ToArray()));
        }, iter: 3000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Selection_of_nothing_is_empty() => Assert.Equal(LatencyStats.Empty, Percentiles.StatsBySelection([]));
}
