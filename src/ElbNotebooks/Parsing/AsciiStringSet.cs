using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// The string pool's ASCII values, found by their UTF-8 bytes: an open-addressing table of our own, compiled with the
/// hot path (see <see cref="HotPath"/>). The base library's <see cref="HashSet{T}"/> with an alternate lookup ran
/// under default settings as counted, then recompiled code, and had to widen every value's bytes to hash them as a
/// string (measured: its lookups, hashing and recompiling were about 4% of a 500,000-line load's processor time).
/// Readers may share a table no one writes to any more (the pool's seed).
/// </summary>
/// <remarks>
/// The hash is seeded (<see cref="SeededHash"/>). A lookup that probes more than <see cref="MaxProbes"/> slots (values
/// made to collide) moves the values to a <see cref="HashSet{T}"/> hashing with the runtime's randomised string hash
/// (<see cref="AsciiStringComparer"/>).
/// </remarks>
internal sealed class AsciiStringSet
{
    private const int MaxProbes = 64;

    private string?[] _keys = new string?[64];
    private ulong[] _hashes = new ulong[64];
    private int _count;
    private HashSet<string>? _flooded;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<byte>> _floodedLookup;

    public int Count => _flooded?.Count ?? _count;

    /// <summary>The value whose characters are these ASCII bytes, if the set holds it.</summary>
    [MethodImpl(HotPath.Optimized)]
    public bool TryGet(ReadOnlySpan<byte> ascii, out string value)
    {
        if (_flooded is not null) return _floodedLookup.TryGetValue(ascii, out value!);
        var hash = SeededHash.Of(ascii);
        var keys = _keys;
        var mask = keys.Length - 1;
        var slot = (int)hash & mask;
        for (var probes = 0; probes < MaxProbes; probes++, slot = (slot + 1) & mask)
        {
            var key = keys[slot];
            if (key is null) break;
            if (_hashes[slot] == hash && key.Length == ascii.Length && Utf8Bytes.EqualsAscii(ascii, key))
            {
                value = key;
                return true;
            }
        }
        value = null!;
        return false;
    }

    /// <summary>Adds <paramref name="value"/>, the string of the ASCII bytes <paramref name="ascii"/>, which the set lacks.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void Add(ReadOnlySpan<byte> ascii, string value)
    {
        if (_flooded is not null)
        {
            _flooded.Add(value);
            return;
        }
        var hash = SeededHash.Of(ascii);
        var mask = _keys.Length - 1;
        var slot = (int)hash & mask;
        for (var probes = 0; probes < MaxProbes; probes++, slot = (slot + 1) & mask)
        {
            if (_keys[slot] is not null) continue;
            _keys[slot] = value;
            _hashes[slot] = hash;
            if (++_count * 2 > _keys.Length) Grow();
            return;
        }
        FallBack();
        _flooded!.Add(value);
    }

    /// <summary>Moves every value to the randomised set (a test forces it too).</summary>
    internal void FallBack()
    {
        _flooded = new HashSet<string>(_count * 2, AsciiStringComparer.Instance);
        foreach (var key in _keys)
            if (key is not null) _flooded.Add(key);
        _floodedLookup = _flooded.GetAlternateLookup<ReadOnlySpan<byte>>();
        _keys = [];
        _hashes = [];
        _count = 0;
    }

    [MethodImpl(HotPath.Optimized)]
    private void Grow()
    {
        var (keys, hashes) = (_keys, _hashes);
        var grown = new string?[keys.Length * 2];
        var grownHashes = new ulong[keys.Length * 2];
        var mask = grown.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is null) continue;
            var slot = (int)hashes[i] & mask;
            while (grown[slot] is not null) slot = (slot + 1) & mask;
            grown[slot] = keys[i];
            grownHashes[slot] = hashes[i];
        }
        _hashes = grownHashes;
        _keys = grown;
    }
}
