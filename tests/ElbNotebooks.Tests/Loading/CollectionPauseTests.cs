using System.Runtime;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>The garbage collector's latency mode is process-wide: these tests run alone.</summary>
[CollectionDefinition("Garbage collection", DisableParallelization = true)]
public sealed class GarbageCollectionCollection;

[Collection("Garbage collection")]
public class CollectionPauseTests
{
    [Fact]
    public void A_pause_holds_collection_off_until_disposed_and_only_one_load_owns_it()
    {
        using (var pause = CollectionPause.TryStart(256L << 20))
        {
            Assert.NotNull(pause);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            var before = GC.CollectionCount(0);
            var kept = Enumerable.Range(0, 100_000).Select(i => i.ToString()).ToList();
            Assert.Equal(before, GC.CollectionCount(0));
            Assert.Equal(100_000, kept.Count);

            Assert.Null(CollectionPause.TryStart(256L << 20));
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        using var again = CollectionPause.TryStart(256L << 20);
        Assert.NotNull(again);
    }

    [Fact]
    public void Allocating_past_the_budget_lets_the_runtime_collect_and_ends_the_pause_quietly()
    {
        var pause = CollectionPause.TryStart(CollectionPause.MinimumBudget);
        Assert.NotNull(pause);
        var before = GC.CollectionCount(0);
        var kept = new List<byte[]>();
        for (var i = 0; i < 3 * (CollectionPause.MinimumBudget >> 20); i++) kept.Add(new byte[1 << 20]);

        Assert.True(GC.CollectionCount(0) > before, "the runtime collects once the budget is spent");
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        pause.Dispose();
        GC.KeepAlive(kept);

        using var next = CollectionPause.TryStart(CollectionPause.MinimumBudget);
        Assert.NotNull(next);
    }

    [Fact]
    public void Small_budgets_and_budgets_beyond_half_the_free_memory_do_not_pause()
    {
        Assert.Null(CollectionPause.TryStart(CollectionPause.MinimumBudget - 1));
        Assert.Null(CollectionPause.TryStart(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
