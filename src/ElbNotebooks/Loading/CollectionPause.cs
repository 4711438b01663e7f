using System.Runtime;

namespace ElbNotebooks.Loading;

/// <summary>
/// Holds off garbage collection while a large load runs. Nearly everything a load allocates is kept (the column
/// arrays and the strings of values that do not repeat), so a collection during it frees almost nothing and only
/// copies the new strings from one generation to the next: measured, a third of a 500,000-line load. With a
/// budget of the bytes the load is expected to allocate, the runtime collects nothing until the load ends, then
/// once. Allocating past the budget (an estimate that was too low) makes the runtime collect as usual, so memory
/// is never held beyond what the load keeps. Process-wide: one load at a time owns the pause, others run as usual.
/// </summary>
internal sealed class CollectionPause : IDisposable
{
    /// <summary>Smaller loads gain too little to be worth a process-wide setting.</summary>
    public const long MinimumBudget = 64L << 20;

    private static int s_owned;
    private bool _disposed;

    private CollectionPause() { }

    /// <summary>
    /// A pause for up to <paramref name="budget"/> bytes of allocation, or null when it is too small to matter, would
    /// not fit comfortably in the memory the process may use, or the process already paused collection.
    /// </summary>
    /// <param name="budget">Bytes the load is expected to allocate.</param>
    /// <param name="ageFirst">
    /// An object made before the pause that the load's columns will refer to, standing for all such (the string
    /// pool's seed: backends, methods, user agents, on nearly every row). Young collections first run until it is in
    /// the oldest generation (each ages survivors by at most one; at most four). During the pause nothing ages, so
    /// without this every reference the load stores to those strings is a reference to a young object, and each
    /// young collection after the load traces them all: measured 170 ms per collection for a 500,000-line load until
    /// they age, against 27 ms once with the seed aged.
    /// </param>
    public static CollectionPause? TryStart(long budget, object? ageFirst = null)
    {
        if (budget < MinimumBudget || budget > HalfTheMemoryLeft()) return null;
        if (Interlocked.CompareExchange(ref s_owned, 1, 0) != 0) return null;
        try
        {
            for (var i = 0; ageFirst is not null && i < 4 && GC.GetGeneration(ageFirst) < GC.MaxGeneration; i++)
                GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            // No full blocking collection first: in a notebook that already holds earlier loads it would walk all
            // of them; the runtime only makes room for the budget.
            if (GC.TryStartNoGCRegion(budget, disallowFullBlockingGC: true)) return new CollectionPause();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            // Budget beyond what the runtime can set aside, or the host paused collection itself: load as usual.
        }
        Volatile.Write(ref s_owned, 0);
        return null;
    }

    /// <summary>Half the memory the process may still use: what a load plans its columns and its pause within.</summary>
    internal static long HalfTheMemoryLeft()
    {
        var memory = GC.GetGCMemoryInfo();
        return (memory.TotalAvailableMemoryBytes - memory.HeapSizeBytes) / 2;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            // The runtime ends the pause by itself when the load allocated past the budget.
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // A collection was induced or the budget ran out after the check above: the pause is over either way.
        }
        finally
        {
            Volatile.Write(ref s_owned, 0);
        }
    }
}
