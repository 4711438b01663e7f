using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// A string column's codes by value: an open-addressing table of our own, looked up for most rows of a load, so
/// that it is compiled with the hot path instead of running as the base library's <see cref="Dictionary{TKey,TValue}"/>
/// does under default settings, with profiling counters (see <see cref="Utf8Bytes"/>; measured: 7% of a
/// 500,000-line load's samples were that dictionary's counted code).
/// </summary>
/// <remarks>
/// <para>
/// One thread adds; any thread may look a value up by its ASCII bytes meanwhile (<see cref="TryGet(ReadOnlySpan{byte}, out int, out string)"/>):
/// a string pool finds its values by their bytes (its seed is read by every worker), and a load's column looks up the
/// values it kept as bytes on every core (<see cref="PendingValues.Resolve"/>). A slot's
/// code and hash are written before its key, and a grown table is published whole, so a reader sees a slot complete or
/// empty. An ASCII value hashes as its bytes, so the string and its UTF-8 bytes meet in the same slot.
/// </para>
/// <para>
/// Values such as URIs are chosen by whoever sends the requests, so the hash is seeded (<see cref="SeededHash"/>), and a
/// lookup that probes more than <see cref="MaxProbes"/> slots (values made to collide) moves the table to a
/// <see cref="Dictionary{TKey,TValue}"/> with the runtime's randomised string hash, as the runtime's own dictionary
/// does when its fast string hash collides too often. Lookups by bytes then find nothing (readers on other threads
/// could not read a dictionary being written), and callers make strings; their columns still give each value one code.
/// </para>
/// </remarks>
internal sealed class StringCodes
{
    private const int MaxProbes = 64;

    private sealed class Table(int size)
    {
        public readonly string?[] Keys = new string?[size];
        public readonly int[] Codes = new int[size];
        public readonly ulong[] Hashes = new ulong[size];
    }

    private volatile Table _table = new(32);
    private int _count;
    private volatile Dictionary<string, int>? _flooded;

    public int Count => _flooded?.Count ?? _count;

    /// <summary>True once values made to collide moved it to the randomised dictionary: lookups by bytes then find nothing.</summary>
    public bool IsFlooded => _flooded is not null;

    /// <summary>The code of <paramref name="value"/>; when it has none, <paramref name="next"/>, which it then keeps.</summary>
    [MethodImpl(HotPath.Optimized)]
    public int GetOrAdd(string value, int next, out bool added)
    {
        if (_flooded is not null) return Flooded(value, next, out added);
        var table = _table;
        var mask = table.Keys.Length - 1;
        var hash = Hash(value);
        var slot = (int)hash & mask;
        for (var probes = 0; probes < MaxProbes; probes++, slot = (slot + 1) & mask)
        {
            var key = table.Keys[slot];
            if (key is null)
            {
                table.Codes[slot] = next;
                table.Hashes[slot] = hash;
                Volatile.Write(ref table.Keys[slot], value);
                added = true;
                if (++_count * 2 > table.Keys.Length) Grow();
                return next;
            }
            if (table.Hashes[slot] == hash && (ReferenceEquals(key, value) || key.Length == value.Length && Equal(key, value)))
            {
                added = false;
                return table.Codes[slot];
            }
        }
        FallBack();
        return Flooded(value, next, out added);
    }

    /// <summary>
    /// The code and string of the value whose UTF-8 bytes are <paramref name="ascii"/> (ASCII only), if it has one.
    /// Safe on any thread while one thread adds.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public bool TryGet(ReadOnlySpan<byte> ascii, out int code, out string value) =>
        TryGet(ascii, SeededHash.Of(ascii), out code, out value);

    /// <summary>As <see cref="TryGet(ReadOnlySpan{byte}, out int, out string)"/>, with the bytes' hash the caller has.</summary>
    [MethodImpl(HotPath.Optimized)]
    public bool TryGet(ReadOnlySpan<byte> ascii, ulong hash, out int code, out string value)
    {
        var table = _table;
        if (_flooded is null)
        {
            var mask = table.Keys.Length - 1;
            var slot = (int)hash & mask;
            for (var probes = 0; probes < MaxProbes; probes++, slot = (slot + 1) & mask)
            {
                var key = Volatile.Read(ref table.Keys[slot]);
                if (key is null) break;
                if (table.Hashes[slot] == hash && key.Length == ascii.Length && Utf8Bytes.EqualsAscii(ascii, key))
                {
                    code = table.Codes[slot];
                    value = key;
                    return true;
                }
            }
        }
        code = 0;
        value = null!;
        return false;
    }

    /// <summary>Empties the table; only while no other thread reads it (a parse target's column, between blocks).</summary>
    public void Clear()
    {
        if (_count > 0) Array.Clear(_table.Keys);
        _count = 0;
        _flooded = null;
    }

    private int Flooded(string value, int next, out bool added)
    {
        ref var code = ref CollectionsMarshal.GetValueRefOrAddDefault(_flooded!, value, out var known);
        added = !known;
        if (!known) code = next;
        return code;
    }

    /// <summary>Moves every value to the randomised dictionary (a test forces it too).</summary>
    internal void FallBack()
    {
        var table = _table;
        var flooded = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
        for (var i = 0; i < table.Keys.Length; i++)
            if (table.Keys[i] is { } key) flooded[key] = table.Codes[i];
        _flooded = flooded;
        _table = new Table(32);
        _count = 0;
    }

    [MethodImpl(HotPath.Optimized)]
    private void Grow()
    {
        var table = _table;
        var grown = new Table(table.Keys.Length * 2);
        var mask = grown.Keys.Length - 1;
        for (var i = 0; i < table.Keys.Length; i++)
        {
            if (table.Keys[i] is not { } key) continue;
            var slot = (int)table.Hashes[i] & mask;
            while (grown.Keys[slot] is not null) slot = (slot + 1) & mask;
            grown.Keys[slot] = key;
            grown.Codes[slot] = table.Codes[i];
            grown.Hashes[slot] = table.Hashes[i];
        }
        _table = grown;
    }

    [MethodImpl(HotPath.Optimized)]
    private static bool Equal(string a, string b) =>
        Utf8Bytes.Equal(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan()));

    /// <summary>An ASCII value's hash is its bytes' (see <see cref="TryGet(ReadOnlySpan{byte}, out int, out string)"/>); others hash their UTF-16 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(string value) =>
        SeededHash.OfAscii(value, out var ascii) is var hash && ascii ? hash : SeededHash.Of(MemoryMarshal.AsBytes(value.AsSpan()));
}
