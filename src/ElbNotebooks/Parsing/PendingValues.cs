using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Values of a string column kept as their UTF-8 bytes, one after another, until the column gives them codes
/// (<see cref="StringBuffer"/>): a row holding one has the value's index, complemented, as its code.
/// </summary>
/// <remarks>
/// Its arrays are not cleared when made (only what was written is read), so a load's megabytes of them are touched
/// once, when written.
/// </remarks>
internal sealed class PendingValues(int bytes = 16 * 1024, int values = 512)
{
    private byte[] _bytes = GC.AllocateUninitializedArray<byte>(Math.Max(bytes, 16));
    private int[] _ends = GC.AllocateUninitializedArray<int>(Math.Max(values, 16));

    public int Count { get; private set; }

    /// <summary>Bytes held, all values together.</summary>
    public int ByteCount => Count == 0 ? 0 : _ends[Count - 1];

    /// <summary>Adds a value; returns its index.</summary>
    [MethodImpl(HotPath.Optimized)]
    public int Add(ReadOnlySpan<byte> utf8)
    {
        var start = ByteCount;
        if (start + utf8.Length > _bytes.Length) _bytes = Grown(_bytes, start, Math.Max(start + utf8.Length, _bytes.Length * 2));
        if (Count == _ends.Length) _ends = Grown(_ends, Count, Count * 2);
        utf8.CopyTo(_bytes.AsSpan(start));
        _ends[Count] = start + utf8.Length;
        return Count++;
    }

    private static T[] Grown<T>(T[] items, int used, int size)
    {
        var grown = GC.AllocateUninitializedArray<T>(size);
        items.AsSpan(0, used).CopyTo(grown);
        return grown;
    }

    /// <summary>The bytes of value <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var start = index == 0 ? 0 : _ends[index - 1];
            return _bytes.AsSpan(start, _ends[index] - start);
        }
    }

    public void Clear() => Count = 0;

    private const int Unknown = -1;
    private const int NotAscii = -2;
    private const int PartitionBits = 6;
    private const int MaxProbes = 64;

    /// <summary>
    /// The code of every value: <paramref name="table"/>'s where it has the value; else a new code per distinct value,
    /// from <paramref name="next"/> on in order of first appearance. Unless <paramref name="keepTable"/>, new ASCII
    /// values are not added to <paramref name="table"/> (its column takes no more values; adding 150,000 URIs one by
    /// one was a third of this). Unless <paramref name="makeStrings"/>, the new values' strings are left to be made
    /// when read (<see cref="LazyStrings"/>), from these bytes, which must then stay as they are.
    /// </summary>
    /// <remarks>
    /// The work is spread over the cores in chunks of values (<paramref name="chunk"/>, a test sets it): each hashes its
    /// share and looks it up, counting the values the table lacks by partition of their hash; those are split into
    /// tables small enough for a core's cache, where each finds the first value with the same bytes; each chunk
    /// numbers its first appearances from where the chunks before it end, then every other value takes its first's
    /// code; the cores make one string per new value, when asked. Values that go through the table one by one
    /// (non-ASCII ones, all of them when the table is kept) are given codes in order on the calling thread. Its arrays
    /// take 12 to 16 bytes a value: fresh memory costs more than the work on this project's virtual machines.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    public ResolvedValues Resolve(StringCodes table, int next, bool keepTable, bool makeStrings, int chunk = 0)
    {
        var count = Count;
        var codes = GC.AllocateUninitializedArray<int>(count);
        var hashes = GC.AllocateUninitializedArray<uint>(count);
        if (chunk <= 0) chunk = Math.Max(4096, count / (4 * Environment.ProcessorCount) + 1);
        var chunks = (count + chunk - 1) / chunk;
        const int partitions = 1 << PartitionBits;
        // Per chunk, how many of its values the table lacks fall in each partition; then where each chunk's go.
        var placed = new int[chunks * partitions];
        var notAscii = 0;
        Parallel.For(0, chunks, c =>
        {
            var found = LookUp(table, codes, hashes, c * chunk, Math.Min(count, (c + 1) * chunk), placed.AsSpan(c * partitions, partitions));
            if (found > 0) Interlocked.Add(ref notAscii, found);
        });

        var starts = new int[partitions + 1];
        for (var p = 0; p < partitions; p++)
        {
            var at = starts[p];
            for (var c = 0; c < chunks; c++)
            {
                var n = placed[c * partitions + p];
                placed[c * partitions + p] = at;
                at += n;
            }
            starts[p + 1] = at;
        }
        var order = GC.AllocateUninitializedArray<int>(starts[partitions]);
        Parallel.For(0, chunks, c => Place(codes, hashes, order, placed.AsSpan(c * partitions, partitions), c * chunk, Math.Min(count, (c + 1) * chunk)));

        var first = GC.AllocateUninitializedArray<int>(count);
        var gaveUp = 0;
        Parallel.For(0, partitions, p =>
        {
            var unplaced = FindFirsts(order.AsSpan(starts[p], starts[p + 1] - starts[p]), hashes, first);
            if (unplaced > 0) Interlocked.Add(ref gaveUp, unplaced);
        });

        // A value left to the table finds its twins only if they are there too; a flooded table found none of its own.
        keepTable |= gaveUp > 0 || table.IsFlooded;
        var (newValues, newStrings) = keepTable || notAscii > 0
            ? AssignInOrder(table, codes, first, ref next, keepTable)
            : AssignByChunk(codes, first, next, chunk, chunks);

        if (makeStrings)
            Parallel.For(0, (newStrings.Length + 4095) / 4096, c => MakeStrings(newStrings, newValues, c * 4096, Math.Min(newStrings.Length, (c + 1) * 4096)));
        return new ResolvedValues(codes, newValues, newStrings);
    }

    /// <summary>
    /// Numbers the first appearances in order, one chunk of values per task from where the chunks before it end, then
    /// gives every other value its first's code. New values' strings are left to be made.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private static (int[] Values, string?[] Strings) AssignByChunk(int[] codes, int[] first, int next, int chunk, int chunks)
    {
        var count = codes.Length;
        var firsts = new int[chunks + 1];
        Parallel.For(0, chunks, c =>
        {
            var n = 0;
            for (int i = c * chunk, end = Math.Min(count, (c + 1) * chunk); i < end; i++)
                if (codes[i] == Unknown && first[i] == i) n++;
            firsts[c + 1] = n;
        });
        for (var c = 0; c < chunks; c++) firsts[c + 1] += firsts[c];
        var values = GC.AllocateUninitializedArray<int>(firsts[chunks]);
        Parallel.For(0, chunks, c =>
        {
            var k = firsts[c];
            for (int i = c * chunk, end = Math.Min(count, (c + 1) * chunk); i < end; i++)
            {
                if (codes[i] != Unknown || first[i] != i) continue;
                codes[i] = next + k;
                values[k++] = i;
            }
        });
        // Every first appearance has its code now; a value after it takes that.
        Parallel.For(0, chunks, c =>
        {
            for (int i = c * chunk, end = Math.Min(count, (c + 1) * chunk); i < end; i++)
                if (codes[i] == Unknown) codes[i] = codes[first[i]];
        });
        return (values, new string?[values.Length]);
    }

    /// <summary>Gives out codes value by value, through <paramref name="table"/> where a value must go there.</summary>
    [MethodImpl(HotPath.Optimized)]
    private (int[] Values, string?[] Strings) AssignInOrder(StringCodes table, int[] codes, int[] first, ref int next, bool keepTable)
    {
        var newValues = new List<int>();
        var newStrings = new List<string?>();
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            if (code >= 0) continue;
            if (code == Unknown && first[i] != i && first[i] >= 0)
            {
                codes[i] = codes[first[i]];
                continue;
            }
            if (code == Unknown && !keepTable)
            {
                codes[i] = next++;
                newValues.Add(i);
                newStrings.Add(null);
                continue;
            }
            var value = Utf8Bytes.String(this[i]);
            codes[i] = table.GetOrAdd(value, next, out var isNew);
            if (!isNew) continue;
            next++;
            newValues.Add(i);
            newStrings.Add(value);
        }
        return (newValues.ToArray(), newStrings.ToArray());
    }

    /// <summary>The strings of new values <paramref name="from"/> to <paramref name="to"/> not made yet.</summary>
    [MethodImpl(HotPath.Optimized)]
    private void MakeStrings(string?[] strings, int[] values, int from, int to)
    {
        for (var k = from; k < to; k++) strings[k] ??= Utf8Bytes.String(this[values[k]]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Partition(uint hash) => (int)(hash >> (32 - PartitionBits));

    /// <summary>
    /// Hashes values <paramref name="from"/> to <paramref name="to"/> and takes the table's code where it has one; keeps
    /// the low half of the hash of the others and counts them by partition into <paramref name="placed"/>. Returns how
    /// many are not ASCII.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private int LookUp(StringCodes table, int[] codes, uint[] hashes, int from, int to, Span<int> placed)
    {
        var notAscii = 0;
        for (var i = from; i < to; i++)
        {
            var bytes = this[i];
            if (!Utf8Bytes.IsAscii(bytes))
            {
                codes[i] = NotAscii;
                notAscii++;
                continue;
            }
            var hash = SeededHash.Of(bytes);
            hashes[i] = (uint)hash;
            if (table.TryGet(bytes, hash, out var code, out _)) codes[i] = code;
            else
            {
                codes[i] = Unknown;
                placed[Partition((uint)hash)]++;
            }
        }
        return notAscii;
    }

    /// <summary>Writes the values the table lacks among <paramref name="from"/> to <paramref name="to"/> into their partitions, in order.</summary>
    [MethodImpl(HotPath.Optimized)]
    private static void Place(int[] codes, uint[] hashes, int[] order, Span<int> next, int from, int to)
    {
        for (var i = from; i < to; i++)
            if (codes[i] == Unknown) order[next[Partition(hashes[i])]++] = i;
    }

    /// <summary>
    /// For each of <paramref name="members"/> (values of one partition, in order), the first value with the same bytes;
    /// returns how many it gave up on. A value whose probes run long (values made to collide) gets -1 and is left to
    /// the column's table, which falls back to the runtime's randomised dictionary.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private int FindFirsts(ReadOnlySpan<int> members, uint[] hashes, int[] first)
    {
        var size = 16;
        while (size < members.Length * 2) size *= 2;
        var slots = new int[size];
        slots.AsSpan().Fill(-1);
        var mask = size - 1;
        var gaveUp = 0;
        foreach (var i in members)
        {
            var hash = hashes[i];
            var slot = (int)hash & mask;
            first[i] = -1;
            for (var probes = 0; probes < MaxProbes; probes++, slot = (slot + 1) & mask)
            {
                var j = slots[slot];
                if (j < 0)
                {
                    slots[slot] = first[i] = i;
                    break;
                }
                if (hashes[j] == hash && Utf8Bytes.Equal(this[j], this[i]))
                {
                    first[i] = j;
                    break;
                }
            }
            if (first[i] < 0) gaveUp++;
        }
        return gaveUp;
    }
}

/// <summary>
/// What <see cref="PendingValues.Resolve"/> found: each value's code, and for each new code in order, the value it
/// stands for (an index into the pending values) and its string, null if left to be made.
/// </summary>
internal readonly record struct ResolvedValues(int[] Codes, int[] NewValues, string?[] NewStrings);
