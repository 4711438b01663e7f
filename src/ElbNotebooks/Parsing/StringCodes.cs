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
/// Values such as URIs are chosen by whoever sends the requests, so the hash is seeded (<see cref="SeededHash"/>), and a
/// lookup that probes more than <see cref="MaxProbes"/> slots (values made to collide) moves the table to a
/// <see cref="Dictionary{TKey,TValue}"/> with the runtime's randomised string hash, as the runtime's own dictionary
/// does when its fast string hash collides too often.
/// </remarks>
internal sealed class StringCodes
{
    private const int MaxProbes = 64;

    private string?[] _keys = new string?[32];
    private int[] _codes = new int[32];
    private int _count;
    private Dictionary<string, int>? _flooded;

    public int Count => _flooded?.Count ?? _count;

    /// <summary>The code of <paramref name="value"/>; when it has none, <paramref name="next"/>, which it then keeps.</summary>
    [MethodImpl(HotPath.Optimized)]
    public int GetOrAdd(string value, int next, out bool added)
    {
        if (_flooded is not null) return Flooded(value, next, out added);
        var mask = _keys.Length - 1;
        var slot = (int)Hash(value) & mask;
        for (var probes = 0; probes < MaxProbes; probes++, slot = (slot + 1) & mask)
        {
            var key = _keys[slot];
            if (key is null)
            {
                _keys[slot] = value;
                _codes[slot] = next;
                added = true;
                if (++_count * 2 > _keys.Length) Grow();
                return next;
            }
            if (ReferenceEquals(key, value) || key.Length == value.Length && Equal(key, value))
            {
                added = false;
                return _codes[slot];
            }
        }
        FallBack();
        return Flooded(value, next, out added);
    }

    public void Clear()
    {
        if (_count > 0) Array.Clear(_keys);
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
        _flooded = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
        for (var i = 0; i < _keys.Length; i++)
            if (_keys[i] is { } key) _flooded[key] = _codes[i];
        _keys = new string?[32];
        _codes = new int[32];
        _count = 0;
    }

    [MethodImpl(HotPath.Optimized)]
    private void Grow()
    {
        var (keys, codes) = (_keys, _codes);
        _keys = new string?[keys.Length * 2];
        _codes = new int[keys.Length * 2];
        var mask = _keys.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is not { } key) continue;
            var slot = (int)Hash(key) & mask;
            while (_keys[slot] is not null) slot = (slot + 1) & mask;
            _keys[slot] = key;
            _codes[slot] = codes[i];
        }
    }

    [MethodImpl(HotPath.Optimized)]
    private static bool Equal(string a, string b) =>
        Utf8Bytes.Equal(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(string value) => SeededHash.Of(MemoryMarshal.AsBytes(value.AsSpan()));
}
