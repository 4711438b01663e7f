using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// The hash of our own lookup tables (<see cref="StringCodes"/>, <see cref="AsciiStringSet"/>): a multiply-xorshift over
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
}
