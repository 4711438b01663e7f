using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Makes strings from UTF-8 field bytes, once per distinct value: backends, listeners, methods and user agents
/// repeat on every line, so a load keeps one copy of each. ASCII values are looked up by their bytes without
/// decoding (in a <see cref="StringCodes"/> table, whose codes the pool does not use); others are decoded (invalid
/// UTF-8 becomes U+FFFD) and looked up by their characters. Not thread-safe: one pool per parsing worker; a seed they
/// share (see the constructor) is only read once filled.
/// </summary>
internal sealed class StringPool
{
    private const int MaxPooledLength = 512;
    private readonly StringCodes _ascii = new();
    private readonly HashSet<string> _other = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _otherLookup;
    private readonly int _capacity;

    /// <summary>A pool filled earlier and no longer written to, whose strings this one reuses (see the constructor).</summary>
    private readonly StringPool? _seed;

    /// <summary>
    /// The values met most often (backends, methods, hosts, user agents) in a small direct-mapped table in front of
    /// the set: a hit costs a multiply and one compare instead of hashing every byte and probing the set. A slot is
    /// filled only by a value the set already held, so one-off values never churn it.
    /// </summary>
    private readonly string?[] _recent = new string?[RecentSlots];

    private const int RecentBits = 11;
    private const int RecentSlots = 1 << RecentBits;

    public const int DefaultCapacity = 200_000;

    /// <param name="capacity">Distinct values kept for lookup; past it, new values are made but not pooled.</param>
    /// <param name="seed">
    /// A pool filled before the parallel parse and then only read, so parsing workers share its strings instead of each
    /// making its own copy. A large load ages the seed's strings before it pauses collection, so the columns'
    /// references to them are references to old objects, which young collections need not trace.
    /// </param>
    public StringPool(int capacity = DefaultCapacity, StringPool? seed = null)
    {
        _capacity = capacity;
        _seed = seed;
        _otherLookup = _other.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _ascii.Count + _other.Count;

    public string Get(ReadOnlySpan<byte> utf8) => Get(utf8, out _);

    [MethodImpl(HotPath.Optimized)]
    public string Get(ReadOnlySpan<byte> utf8, out bool hit)
    {
        hit = false;
        if (utf8.Length == 0) return string.Empty;
        if (utf8.Length > MaxPooledLength) return Create(utf8);

        ref var recent = ref _recent[RecentSlot(utf8)];
        if (recent is not null && recent.Length == utf8.Length && Utf8Bytes.EqualsAscii(utf8, recent))
        {
            hit = true;
            return recent;
        }

        if (Utf8Bytes.IsAscii(utf8))
        {
            if (_ascii.TryGet(utf8, out _, out var existing))
            {
                // Seen before and seen again: worth a slot, so its next repeat costs one compare.
                recent = existing;
                hit = true;
                return existing;
            }
            if (_seed is not null && _seed._ascii.TryGet(utf8, out _, out existing))
            {
                if (Count < _capacity) _ascii.GetOrAdd(existing, 0, out _);
                hit = true;
                return existing;
            }
            var created = Utf8Bytes.String(utf8);
            if (Count < _capacity) _ascii.GetOrAdd(created, 0, out _);
            return created;
        }

        Span<char> chars = stackalloc char[MaxPooledLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return Get(chars[..length], out hit);
    }

    public string Get(ReadOnlySpan<char> chars) => Get(chars, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RecentSlot(ReadOnlySpan<byte> utf8)
    {
        // Length and the first and last eight bytes tell most repeated values apart (10.0.1.12:8080 vs 10.0.1.13:8080).
        ulong head, tail;
        if (utf8.Length >= 8)
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(utf8);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..]);
        }
        else
        {
            head = 0;
            foreach (var b in utf8) head = (head << 8) | b;
            tail = head;
        }
        var mixed = (head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)utf8.Length;
        return (int)(mixed >> (64 - RecentBits));
    }

    [MethodImpl(HotPath.Optimized)]
    private string Get(ReadOnlySpan<char> chars, out bool hit)
    {
        hit = _otherLookup.TryGetValue(chars, out var existing);
        if (hit) return existing!;
        if (_seed is not null && _seed._otherLookup.TryGetValue(chars, out existing))
        {
            if (Count < _capacity) _other.Add(existing);
            hit = true;
            return existing;
        }
        var created = chars.ToString();
        if (Count < _capacity) _other.Add(created);
        return created;
    }

    /// <summary>A string that is not pooled, for values that rarely repeat.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static string Create(ReadOnlySpan<byte> utf8) => Utf8Bytes.String(utf8);
}
