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
    /// The work is spread over the cores: each hashes a share of the values and looks them up; the values the table
    /// lacks are split by hash into tables small enough for a core's cache, where each finds the first value with the
    /// same bytes; the calling thread gives out the codes in order; the cores make one string per new value, when
    /// asked. Its arrays take 12 to 16 bytes a value: fresh memory costs more than the work on this project's virtual
    /// machines.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    public ResolvedValues Resolve(StringCodes table, int next, bool keepTable, bool makeStrings)
    {
        var count = Count;
        var codes = GC.AllocateUninitializedArray<int>(count);
        var hashes = GC.AllocateUninitializedArray<uint>(count);
        var chunk = Math.Max(4096, count / (4 * Environment.ProcessorCount) + 1);
        Parallel.For(0, (count + chunk - 1) / chunk, c => LookUp(table, codes, hashes, c * chunk, Math.Min(count, (c + 1) * chunk)));

        const int partitions = 1 << PartitionBits;
        var starts = new int[partitions + 1];
        for (var i = 0; i < count; i++)
            if (codes[i] == Unknown) starts[Partition(hashes[i]) + 1]++;
        for (var p = 0; p < partitions; p++) starts[p + 1] += starts[p];
        var order = GC.AllocateUninitializedArray<int>(starts[partitions]);
        var fill = starts[..partitions];
        for (var i = 0; i < count; i++)
            if (codes[i] == Unknown) order[fill[Partition(hashes[i])]++] = i;

        var first = GC.AllocateUninitializedArray<int>(count);
        var gaveUp = 0;
        Parallel.For(0, partitions, p =>
        {
            var unplaced = FindFirsts(order.AsSpan(starts[p], starts[p + 1] - starts[p]), hashes, first);
            if (unplaced > 0) Interlocked.Add(ref gaveUp, unplaced);
        });

        // A value left to the table finds its twins only if they are there too; a flooded table found none of its own.
        keepTable |= gaveUp > 0 || table.IsFlooded;
        var newValues = new List<int>();
        var newStrings = new List<string?>();
        for (var i = 0; i < count; i++)
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

        var strings = newStrings.ToArray();
        if (makeStrings)
            Parallel.For(0, (strings.Length + 4095) / 4096, c => MakeStrings(strings, newValues, c * 4096, Math.Min(strings.Length, (c + 1) * 4096)));
        return new ResolvedValues(codes, newValues.ToArray(), strings);
    }

    /// <summary>The strings of new values <paramref name="from"/> to <paramref name="to"/> not made yet.</summary>
    [MethodImpl(HotPath.Optimized)]
    private void MakeStrings(string?[] strings, List<int> values, int from, int to)
    {
        for (var k = from; k < to; k++) strings[k] ??= Utf8Bytes.String(this[values[k]]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Partition(uint hash) => (int)(hash >> (32 - PartitionBits));

    /// <summary>
    /// Hashes values <paramref name="from"/> to <paramref name="to"/> and takes the table's code where it has one; keeps
    /// the low half of the hash of the others.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private void LookUp(StringCodes table, int[] codes, uint[] hashes, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var bytes = this[i];
            if (!Utf8Bytes.IsAscii(bytes))
            {
                codes[i] = NotAscii;
                continue;
            }
            var hash = SeededHash.Of(bytes);
            hashes[i] = (uint)hash;
            codes[i] = table.TryGet(bytes, hash, out var code, out _) ? code : Unknown;
        }
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
                if (hashes[j] == hash && this[j].SequenceEqual(this[i]))
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
