using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ElbNotebooks.Parsing;

/// <summary>
/// The hash of our own lookup table (<see cref="StringCodes"/>, also the string pool's): a multiply-xorshift over
/// eight bytes at a time, seeded at random per process. Values such as URIs and user agents are chosen by whoever sends
/// the requests; without the seed they cannot be crafted to collide, and the tables still move to the runtime's
/// randomised dictionary when a lookup probes too far.
/// </summary>
internal static class SeededHash
{
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    [MethodImpl(HotPath.Optimized)]
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        ref var start = ref MemoryMarshal.GetReference(bytes);
        var h = Seed ^ (ulong)bytes.Length;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8) h = Mix(h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        if (i < bytes.Length)
        {
            ulong tail = 0;
            for (var j = bytes.Length - 1; j >= i; j--) tail = (tail << 8) | Unsafe.Add(ref start, j);
            h = Mix(h ^ tail);
        }
        return Mix(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h)
    {
        h *= 0x9E3779B97F4A7C15UL;
        return h ^ (h >> 32);
    }

    /// <summary>
    /// The hash of <paramref name="chars"/>' ASCII bytes, the same as <see cref="Of"/> of them, computed without making
    /// them; <paramref name="ascii"/> is false (and the hash meaningless) when a character is not ASCII.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static ulong OfAscii(ReadOnlySpan<char> chars, out bool ascii)
    {
        ref var start = ref MemoryMarshal.GetReference(chars);
        var h = Seed ^ (ulong)chars.Length;
        uint seen = 0;
        var i = 0;
        var high = Vector128<ushort>.Zero;
        for (; i + 8 <= chars.Length; i += 8)
        {
            var eight = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref start), (nuint)i);
            high |= eight;
            // The low bytes of eight characters, in order: their bytes, when they are ASCII.
            h = Mix(h ^ Vector128.Narrow(eight, eight).AsUInt64().ToScalar());
        }
        if (Vector128.GreaterThanAny(high, Vector128.Create((ushort)0x7F))) seen = 0x80;
        if (i < chars.Length)
        {
            ulong tail = 0;
            for (var j = chars.Length - 1; j >= i; j--)
            {
                var c = Unsafe.Add(ref start, j);
                seen |= c;
                tail = (tail << 8) | (byte)c;
            }
            h = Mix(h ^ tail);
        }
        ascii = seen < 0x80;
        return Mix(h);
    }
}
