using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ElbNotebooks.Parsing;

/// <summary>
/// The byte searches and compares the per-line code makes (a field's end, a repeated value, a separator), written
/// here instead of called in the base library, so that they are compiled with the hot path (see
/// <see cref="HotPath"/>) and never tiered. The base library's versions are precompiled code that the runtime, under
/// its default settings, recompiles with profiling counters once they are hot, then again without them once the JIT
/// has been quiet for 100 ms; a load keeps the JIT busy enough that they ran counted until its end, and a third of a
/// 500,000-line load's processor time went to those counters (measured with perf: the load took 1.16 s with the delay
/// set to 0, 1.45 s without). Fields are short, so one 16-byte vector at a time is enough.
/// </summary>
internal static class Utf8Bytes
{
    private const MethodImplOptions Hot = MethodImplOptions.AggressiveInlining | HotPath.Optimized;

    [MethodImpl(Hot)]
    public static bool Equal(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var length = a.Length;
        if (length != b.Length) return false;
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        if (length >= 16)
        {
            var last = (nuint)(length - 16);
            for (nuint i = 0; i < last; i += 16)
                if (Vector128.LoadUnsafe(ref x, i) != Vector128.LoadUnsafe(ref y, i)) return false;
            return Vector128.LoadUnsafe(ref x, last) == Vector128.LoadUnsafe(ref y, last);
        }
        if (length >= 8)
            return Unsafe.ReadUnaligned<ulong>(ref x) == Unsafe.ReadUnaligned<ulong>(ref y)
                && Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref x, length - 8)) == Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref y, length - 8));
        for (var i = 0; i < length; i++)
            if (Unsafe.Add(ref x, i) != Unsafe.Add(ref y, i)) return false;
        return true;
    }

    /// <summary>
    /// Whether the bytes are the characters of <paramref name="ascii"/>, a string of ASCII characters only (a byte of
    /// 0x80 or more then never matches).
    /// </summary>
    [MethodImpl(Hot)]
    public static bool EqualsAscii(ReadOnlySpan<byte> utf8, string ascii)
    {
        var length = utf8.Length;
        if (length != ascii.Length) return false;
        ref var bytes = ref MemoryMarshal.GetReference(utf8);
        ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(ascii.AsSpan()));
        var i = 0;
        for (; i + 16 <= length; i += 16)
        {
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref bytes, (nuint)i));
            if (lower != Vector128.LoadUnsafe(ref chars, (nuint)i) || upper != Vector128.LoadUnsafe(ref chars, (nuint)(i + 8))) return false;
        }
        for (; i < length; i++)
            if (Unsafe.Add(ref bytes, i) != Unsafe.Add(ref chars, i)) return false;
        return true;
    }

    [MethodImpl(Hot)]
    public static bool StartsWith(ReadOnlySpan<byte> span, ReadOnlySpan<byte> prefix) =>
        span.Length >= prefix.Length && Equal(span[..prefix.Length], prefix);

    [MethodImpl(Hot)]
    public static int IndexOf(ReadOnlySpan<byte> span, byte value)
    {
        ref var start = ref MemoryMarshal.GetReference(span);
        var length = span.Length;
        var i = 0;
        if (length >= 16)
        {
            var target = Vector128.Create(value);
            for (; i + 16 <= length; i += 16)
            {
                var found = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                if (found != 0) return i + BitOperations.TrailingZeroCount(found);
            }
            if (i == length) return -1;
            // The last 16 bytes, overlapping what was searched: none of those held the value.
            i = length - 16;
            var tail = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
            return tail != 0 ? i + BitOperations.TrailingZeroCount(tail) : -1;
        }
        for (; i < length; i++)
            if (Unsafe.Add(ref start, i) == value) return i;
        return -1;
    }

    [MethodImpl(Hot)]
    public static int IndexOfAny(ReadOnlySpan<byte> span, byte first, byte second)
    {
        ref var start = ref MemoryMarshal.GetReference(span);
        var length = span.Length;
        var i = 0;
        if (length >= 16)
        {
            var a = Vector128.Create(first);
            var b = Vector128.Create(second);
            for (; i + 16 <= length; i += 16)
            {
                var block = Vector128.LoadUnsafe(ref start, (nuint)i);
                var found = (Vector128.Equals(block, a) | Vector128.Equals(block, b)).ExtractMostSignificantBits();
                if (found != 0) return i + BitOperations.TrailingZeroCount(found);
            }
            if (i == length) return -1;
            i = length - 16;
            var last = Vector128.LoadUnsafe(ref start, (nuint)i);
            var tail = (Vector128.Equals(last, a) | Vector128.Equals(last, b)).ExtractMostSignificantBits();
            return tail != 0 ? i + BitOperations.TrailingZeroCount(tail) : -1;
        }
        for (; i < length; i++)
        {
            var c = Unsafe.Add(ref start, i);
            if (c == first || c == second) return i;
        }
        return -1;
    }

    [MethodImpl(Hot)]
    public static int LastIndexOf(ReadOnlySpan<byte> span, byte value)
    {
        ref var start = ref MemoryMarshal.GetReference(span);
        var end = span.Length;
        if (end >= 16)
        {
            var target = Vector128.Create(value);
            for (; end >= 16; end -= 16)
            {
                var found = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)(end - 16)), target).ExtractMostSignificantBits();
                if (found != 0) return end - 16 + 31 - BitOperations.LeadingZeroCount(found);
            }
        }
        for (var i = end - 1; i >= 0; i--)
            if (Unsafe.Add(ref start, i) == value) return i;
        return -1;
    }

    /// <summary>Where <paramref name="needle"/> (not empty) first occurs, or -1.</summary>
    [MethodImpl(Hot)]
    public static int IndexOf(ReadOnlySpan<byte> span, ReadOnlySpan<byte> needle)
    {
        for (var from = 0; span.Length - from >= needle.Length;)
        {
            var at = IndexOf(span[from..^(needle.Length - 1)], needle[0]);
            if (at < 0) return -1;
            at += from;
            if (Equal(span.Slice(at, needle.Length), needle)) return at;
            from = at + 1;
        }
        return -1;
    }

    /// <summary>Copies <paramref name="source"/> to the start of <paramref name="destination"/> (at least as long).</summary>
    [MethodImpl(Hot)]
    public static void Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length > destination.Length) throw new ArgumentException("The destination is too short.", nameof(destination));
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        var length = source.Length;
        var i = 0;
        for (; i + 16 <= length; i += 16) Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        for (; i < length; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
    }

    /// <summary>The string of UTF-8 bytes: ASCII is widened here, anything else decoded by the BCL (invalid bytes become U+FFFD).</summary>
    [MethodImpl(HotPath.Optimized)]
    public static unsafe string String(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return string.Empty;
        if (!IsAscii(utf8)) return System.Text.Encoding.UTF8.GetString(utf8);
        fixed (byte* bytes = utf8)
            return string.Create(utf8.Length, (nint)bytes, WidenAscii);
    }

    private static readonly System.Buffers.SpanAction<char, nint> WidenAscii = Widen;

    [MethodImpl(HotPath.Optimized)]
    private static unsafe void Widen(Span<char> chars, nint bytes)
    {
        ref var from = ref *(byte*)bytes;
        ref var to = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(chars));
        var length = chars.Length;
        var i = 0;
        for (; i + 16 <= length; i += 16)
        {
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref from, (nuint)i));
            lower.StoreUnsafe(ref to, (nuint)i);
            upper.StoreUnsafe(ref to, (nuint)(i + 8));
        }
        for (; i < length; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
    }

    /// <summary>
    /// Where the first LF is (else -1), and whether the bytes before it are all ASCII, in one pass. A line is read 32
    /// bytes at a time where the processor can, and <paramref name="ascii"/> may also be false for a byte after the LF
    /// in the last 32 read: the caller then checks the line's encoding itself. Searching a block's lines this way
    /// replaced a pass over the whole block for its encoding and a search 16 bytes at a time for each line's end.
    /// </summary>
    [MethodImpl(Hot)]
    public static int IndexOfLineFeed(ReadOnlySpan<byte> span, out bool ascii)
    {
        ref var start = ref MemoryMarshal.GetReference(span);
        var length = span.Length;
        if (Vector256.IsHardwareAccelerated && length >= 32)
        {
            var lf = Vector256.Create((byte)'\n');
            var seen = Vector256<byte>.Zero;
            var i = 0;
            for (; i + 32 <= length; i += 32)
            {
                var bytes = Vector256.LoadUnsafe(ref start, (nuint)i);
                seen |= bytes;
                if (Vector256.Equals(bytes, lf).ExtractMostSignificantBits() is var found and not 0)
                {
                    ascii = seen.ExtractMostSignificantBits() == 0;
                    return i + BitOperations.TrailingZeroCount(found);
                }
            }
            if (i < length)
            {
                // The last 32 bytes, overlapping what was searched: none of those held an LF.
                i = length - 32;
                var bytes = Vector256.LoadUnsafe(ref start, (nuint)i);
                seen |= bytes;
                if (Vector256.Equals(bytes, lf).ExtractMostSignificantBits() is var found and not 0)
                {
                    ascii = seen.ExtractMostSignificantBits() == 0;
                    return i + BitOperations.TrailingZeroCount(found);
                }
            }
            ascii = seen.ExtractMostSignificantBits() == 0;
            return -1;
        }
        var end = IndexOf(span, (byte)'\n');
        ascii = IsAscii(end < 0 ? span : span[..end]);
        return end;
    }

    [MethodImpl(Hot)]
    public static bool IsAscii(ReadOnlySpan<byte> span)
    {
        ref var start = ref MemoryMarshal.GetReference(span);
        var length = span.Length;
        var i = 0;
        if (length >= 16)
        {
            var high = Vector128<byte>.Zero;
            for (; i + 16 <= length; i += 16) high |= Vector128.LoadUnsafe(ref start, (nuint)i);
            high |= Vector128.LoadUnsafe(ref start, (nuint)(length - 16));
            return high.ExtractMostSignificantBits() == 0;
        }
        for (; i < length; i++)
            if (Unsafe.Add(ref start, i) >= 0x80) return false;
        return true;
    }
}
