using System.Runtime;
using System.Text;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;

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
    public void Ageing_first_moves_what_is_alive_into_the_oldest_generation_before_the_pause()
    {
        var seedValue = new string('x', 3) + Environment.ProcessId;
        Assert.Equal(0, GC.GetGeneration(seedValue));

        using (var pause = CollectionPause.TryStart(256L << 20, ageFirst: seedValue))
        {
            Assert.NotNull(pause);
            Assert.Equal(GC.MaxGeneration, GC.GetGeneration(seedValue));
            var madeDuring = new string('y', 3) + Environment.ProcessId;
            Assert.Equal(0, GC.GetGeneration(madeDuring));
        }
    }

    [Fact]
    public void A_large_load_seeds_one_string_per_repeated_value_ages_it_and_keeps_every_cell()
    {
        var lines = LogGenerator.Lines(Scenarios.Apply("mixed", new GeneratorOptions { Seed = 5, RequestsPerSecond = 10 })).Take(10_000);
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        Assert.True(bytes.Length > 4 << 20, "the input must span several blocks, parsed by different workers");

        // A stream that says it holds 200 MB: the loader sizes for about 300,000 lines, seeds and pauses collection.
        var large = AccessLog.Load([LogSource.FromStream(new DeclaredLength(bytes, 200L << 20), "large.log")], LoadOptions.Default with { PauseCollection = true });
        var plain = AccessLog.Load(new MemoryStream(bytes), "large.log");

        Assert.Equal(plain.RequestCount, large.RequestCount);
        Assert.Equal(plain.AttemptCount, large.AttemptCount);
        foreach (var (expected, actual) in new[] { (plain.Requests, large.Requests), (plain.Attempts, large.Attempts) })
            foreach (var column in expected.Columns.OfType<LogStringDataFrameColumn>())
                Assert.Equal(column, (LogStringDataFrameColumn)actual.Columns[column.Name]);

        // Every backend already serves in the first block, so every worker got each backend's string from the seed:
        // one instance per value, made before the pause and aged, though the rows were written during it.
        var backends = ((LogStringDataFrameColumn)large.Attempts.Columns["backend"]).Where(b => b is not null).ToList();
        var instances = backends.Distinct(ReferenceEqualityComparer.Instance).Cast<string>().ToList();
        Assert.True(instances.Count > 3);
        Assert.Equal(backends.Distinct().Count(), instances.Count);
        Assert.All(instances, backend => Assert.Equal(GC.MaxGeneration, GC.GetGeneration(backend)));
    }

    /// <summary>Holds some bytes and says it holds more, as a file that is still being read would.</summary>
    private sealed class DeclaredLength(byte[] bytes, long length) : MemoryStream(bytes)
    {
        public override long Length => length;
    }

    [Fact]
    public void The_library_leaves_the_collector_alone_by_default_and_the_command_opts_in()
    {
        Assert.False(LoadOptions.Default.PauseCollection);
        Assert.False(new LoadOptions().PauseCollection);
        Assert.True(ElbNotebooks.Cli.Commands.CommonOptions.BaseLoadOptions.PauseCollection);
    }

    [Fact]
    public void Small_budgets_and_budgets_beyond_half_the_free_memory_do_not_pause()
    {
        Assert.Null(CollectionPause.TryStart(CollectionPause.MinimumBudget - 1));
        Assert.Null(CollectionPause.TryStart(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
