using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>
/// Where the load pipeline's parsed blocks go. <see cref="Summarize"/> runs on the worker that parsed a block, off the
/// reading thread, so per-block work runs in parallel; <see cref="Accept"/> then gets each block with its summary on
/// one thread, in input order (a block of the next input arrives only once the previous input has been read to its
/// end). The block is emptied and reused for a later one once <see cref="Accept"/> returns: keep its values, not its
/// buffers. A full load is the sink that keeps every row (<see cref="RowSink"/>); streaming sinks keep only what
/// they make of each block, so memory stays bounded whatever the inputs' size.
/// </summary>
/// <typeparam name="TSummary">What the worker makes of a block; <see cref="NoSummary"/> when nothing.</typeparam>
internal interface IBlockSink<TSummary>
{
    /// <summary>
    /// True when the sink keeps the rows it is handed: the pipeline then sizes the columns once for the whole load
    /// (<see cref="Reserve"/>) and gives its workers string pools large enough to share one string per value.
    /// </summary>
    bool KeepsRows => false;

    /// <summary>With <see cref="KeepsRows"/>: the bytes the sink's columns take for this many rows.</summary>
    long BytesFor(long requests, long attempts) => 0;

    /// <summary>
    /// With <see cref="KeepsRows"/>: makes room for about this many rows, before the first block arrives, in the columns
    /// <paramref name="sample"/> (the first block, parsed) suggests.
    /// </summary>
    void Reserve(int requests, int attempts, ParseTarget sample) { }

    /// <summary>Once for each new parse target, before it parses a block: a sink may link its columns to the sink's own.</summary>
    void Attach(ParseTarget target) { }

    /// <summary>On a worker, right after it parsed <paramref name="block"/>: what <see cref="Accept"/> will get with it.</summary>
    TSummary Summarize(ParseTarget block);

    /// <summary>On the pipeline's thread, in input order: the block of <paramref name="source"/> and its summary.</summary>
    void Accept(LogSource source, ParseTarget block, TSummary summary);
}

/// <summary>The summary of a sink that needs none: nothing to make on the worker.</summary>
internal readonly record struct NoSummary;

/// <summary>The full load: appends every block's rows to <see cref="Requests"/> and <see cref="Attempts"/>, in input order.</summary>
internal sealed class RowSink : IBlockSink<NoSummary>
{
    /// <summary>Every request row, in input order.</summary>
    public RequestColumns Requests { get; } = new();

    /// <summary>Every attempt row; its request index counts from the load's first request.</summary>
    public AttemptColumns Attempts { get; } = new();

    /// <inheritdoc/>
    public bool KeepsRows => true;

    /// <inheritdoc/>
    public long BytesFor(long requests, long attempts) => requests * Requests.BytesPerRow + attempts * Attempts.BytesPerRow;

    /// <inheritdoc/>
    public void Reserve(int requests, int attempts, ParseTarget sample)
    {
        // The time column first: the pinned heap makes the others after it, in the address space marked for huge pages.
        Requests.Time.EnsureCapacity(requests);
        LargePages.MarkAhead(Requests.Time, BytesFor(requests, attempts));
        Requests.Reserve(requests, sample.Requests);
        Attempts.Reserve(attempts, sample.Attempts);
        LargePages.Back(Requests.All.Concat(Attempts.All));
    }

    /// <summary>
    /// The target's string columns keep values that rarely repeat as bytes, which <see cref="Finish"/> gives codes, and
    /// share with the load's column of their name the sample that tells whether its values repeat.
    /// </summary>
    public void Attach(ParseTarget target)
    {
        Link(target.Requests.All, Requests.All);
        Link(target.Attempts.All, Attempts.All);
    }

    private static void Link(IReadOnlyList<ColumnBuffer> block, IReadOnlyList<ColumnBuffer> load)
    {
        for (var i = 0; i < block.Count; i++)
        {
            if (block[i] is not StringBuffer column) continue;
            column.ForLoad = true;
            if (load[i] is StringBuffer twin && twin.Name == column.Name) column.Pooling = twin.Pooling;
        }
    }

    /// <summary>Once every block is appended: gives the values still kept as bytes their codes and strings.</summary>
    public void Finish()
    {
        int[]? zeros = null;
        var rows = Math.Max(Requests.Count, Attempts.Count);
        foreach (var column in Requests.All.Concat(Attempts.All))
        {
            if (column is not StringBuffer strings) continue;
            strings.ResolvePending(last: true);
            strings.FinishUnwritten(ref zeros, rows);
        }
    }

    /// <inheritdoc/>
    public NoSummary Summarize(ParseTarget block) => default;

    /// <summary>Appends the block's rows.</summary>
    public void Accept(LogSource source, ParseTarget block, NoSummary summary)
    {
        Attempts.AppendFrom(block.Attempts, Requests.Count);
        Requests.AppendFrom(block.Requests);
    }
}
