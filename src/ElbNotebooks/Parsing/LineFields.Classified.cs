using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ElbNotebooks.Parsing;

internal static partial class LineFields
{
    /// <summary>Longer lines are split byte by byte, to keep the masks on the stack small (512 bytes at most).</summary>
    internal const int MaxClassifiedLength = 4096;

    /// <summary>
    /// Splits a line as <see cref="SplitByteByByte"/> does, over its <see cref="ClassifiedLine"/> masks, when its
    /// quotes are regular; otherwise returns false and leaves the line to <see cref="SplitByteByByte"/>.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private static bool TrySplitClassified(ReadOnlySpan<byte> line, Span<FieldSpan> fields, out int count, out int restStart)
    {
        Span<ulong> masks = stackalloc ulong[ClassifiedLine.MasksFor(line.Length)];
        var classified = new ClassifiedLine(line, masks);
        count = SplitRegular(line, fields, classified, out restStart);
        return count >= 0;
    }

    /// <summary>The fields of a line with regular quotes (else -1).</summary>
    [MethodImpl(HotPath.Optimized)]
    private static int SplitRegular(ReadOnlySpan<byte> line, Span<FieldSpan> fields, scoped in ClassifiedLine classified, out int restStart)
    {
        restStart = -1;
        if (!classified.QuotesAreRegular) return -1;
        var boundaries = classified.FieldBoundaries();
        var pos = boundaries.Seek(0);
        var end = boundaries.MoveNext();
        var count = 0;
        while (true)
        {
            count = SplitBareAndQuoted(line, fields, count, ref boundaries, ref pos, ref end);
            if (pos == line.Length) return count;
            if (count == fields.Length)
            {
                restStart = pos;
                return count;
            }

            // A field starting with '['.
            if (ClosingBracket(line, pos) is var close and >= 0)
            {
                // Quotes inside brackets belong to no value, but the masks took them for values' quotes. The fields
                // written so far are still right, and SplitByteByByte writes them again.
                if (Utf8Bytes.IndexOf(line[(pos + 1)..close], (byte)'"') >= 0) return -1;
                fields[count++] = new FieldSpan(pos + 1, close - pos - 1, FieldKind.Bracketed, false);
                // Spaces inside the brackets were taken for separators: skip the boundaries they made. The space
                // after the ']' is where the bracketed field ends.
                pos = boundaries.Seek(close + 1) < line.Length ? boundaries.MoveNext() : line.Length;
            }
            else
            {
                fields[count++] = new FieldSpan(pos, end - pos, FieldKind.Bare, false);
                pos = boundaries.MoveNext();
            }
            end = boundaries.MoveNext();
        }
    }

    /// <summary>
    /// Takes fields from <paramref name="pos"/> (which ends at <paramref name="end"/>) up to the line's end, the
    /// last field wanted, or a field starting with <c>[</c>. Returns the new count. It calls nothing, so its state
    /// stays in registers.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private static int SplitBareAndQuoted(ReadOnlySpan<byte> line, Span<FieldSpan> fields, int count,
        scoped ref BitCursor boundaries, ref int pos, ref int end)
    {
        var cursor = boundaries;
        var (at, to) = (pos, end);
        // Unsigned comparisons let the JIT drop the bounds checks of line[at] and fields[count].
        while ((uint)at < (uint)line.Length && (uint)count < (uint)fields.Length && line[at] != (byte)'[')
        {
            // A quoted field's value is inside its quotes (and FieldKind.Quoted is 1).
            var quoted = line[at] == (byte)'"' ? 1 : 0;
            fields[count++] = new FieldSpan(at + quoted, to - at - 2 * quoted, (FieldKind)quoted, false);
            at = cursor.MoveNext();
            to = cursor.MoveNext();
        }
        boundaries = cursor;
        (pos, end) = (at, to);
        return count;
    }

    /// <summary>
    /// A line classified 64 bytes at a time into bitmasks (bit <c>i</c> of block <c>b</c> stands for byte
    /// <c>64·b + i</c>), assuming its quotes are regular: each quote in turn opens a value at a field's start (first
    /// in the line or after a space) or closes it (before a space or the line's end), and no value holds a
    /// backslash. Then a value spans from an odd-numbered quote to the next quote (a prefix XOR of the quote bits),
    /// the separators are the spaces outside values, and a field starts at each other byte after a separator.
    /// <see cref="QuotesAreRegular"/> says whether the assumption holds; when it does, <see cref="SplitByteByByte"/>'s
    /// grammar finds the same fields, but for bracketed ones, which the caller reads itself.
    /// </summary>
    internal readonly ref struct ClassifiedLine
    {
        private const int BlockSize = 64;
        /// <summary>
        /// Where each field starts (a byte other than a separator, first or after a separator) and, unless it is
        /// bracketed, where it ends (the first separator after it): starts and ends alternate.
        /// </summary>
        private readonly ReadOnlySpan<ulong> _fieldBoundaries;
        private readonly int _length;

        public bool QuotesAreRegular { get; }

        /// <summary>How many masks the constructor needs for a line of this length.</summary>
        public static int MasksFor(int length) => (length + BlockSize - 1) / BlockSize;

        [MethodImpl(HotPath.Optimized)]
        public ClassifiedLine(ReadOnlySpan<byte> line, Span<ulong> masks)
        {
            scoped var bytes = line;
            if (line.Length < BlockSize)
            {
                Span<byte> padded = stackalloc byte[BlockSize];
                padded.Fill((byte)' ');
                line.CopyTo(padded);
                bytes = padded;
            }
            // What the previous block hands on, in bit 0: the last byte was a space (the line's start counts as
            // one), closed a value; and, all bits, whether a value is still open.
            ulong afterSpace = 1, afterCloser = 0, inValue = 0;
            ulong irregular = 0;
            for (var b = 0; b < masks.Length; b++)
            {
                // A last, partial block is read as the line's last 64 bytes, shifted down past the bytes before it.
                var start = Math.Min(b * BlockSize, bytes.Length - BlockSize);
                var skipped = b * BlockSize - start;
                var (spaces, quotes, backslashes) = Classify(bytes.Slice(start, BlockSize));
                // Padding past the line's end reads as spaces. (Two shifts, as a shift by 64 would shift by 0.)
                spaces = spaces >> skipped | ulong.MaxValue << (63 - skipped) << 1;
                quotes >>= skipped;
                backslashes >>= skipped;

                var afterSeparator = afterSpace & ~inValue; // the last byte was a space outside values
                var inValues = PrefixXor(quotes) ^ inValue; // from each opening quote up to its closing one
                var closers = quotes & ~inValues;
                irregular |= quotes & inValues & ~(spaces << 1 | afterSpace)
                    | (closers << 1 | afterCloser) & ~spaces
                    | backslashes & inValues;
                var separators = spaces & ~inValues;
                var afterSeparators = separators << 1 | afterSeparator;
                masks[b] = separators ^ afterSeparators; // a change between separators and the rest
                afterSpace = spaces >> 63;
                afterCloser = closers >> 63;
                inValue = (ulong)((long)inValues >> 63);
            }
            QuotesAreRegular = (irregular | inValue) == 0; // a value still open at the end was never closed
            _fieldBoundaries = masks;
            _length = line.Length;
        }

        /// <summary>Bit <c>i</c> of the result is the XOR of bits 0 to <c>i</c>: whether an odd number of them are set.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong PrefixXor(ulong bits)
        {
            // A carry-less multiply by all ones is that XOR in one instruction (simdjson's trick).
            if (Pclmulqdq.IsSupported)
                return Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(bits), Vector128.CreateScalar(ulong.MaxValue), 0).ToScalar();
            bits ^= bits << 1;
            bits ^= bits << 2;
            bits ^= bits << 4;
            bits ^= bits << 8;
            bits ^= bits << 16;
            bits ^= bits << 32;
            return bits;
        }

        public BitCursor FieldBoundaries() => new(_fieldBoundaries, _length);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (ulong Spaces, ulong Quotes, ulong Backslashes) Classify(ReadOnlySpan<byte> block)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var v = Vector512.Create(block);
                return (Vector512.Equals(v, Vector512.Create((byte)' ')).ExtractMostSignificantBits(),
                    Vector512.Equals(v, Vector512.Create((byte)'"')).ExtractMostSignificantBits(),
                    Vector512.Equals(v, Vector512.Create((byte)'\\')).ExtractMostSignificantBits());
            }
            if (Vector256.IsHardwareAccelerated)
            {
                var low = Vector256.Create(block);
                var high = Vector256.Create(block[32..]);
                return (Where(low, high, (byte)' '), Where(low, high, (byte)'"'), Where(low, high, (byte)'\\'));
            }
            var v0 = Vector128.Create(block);
            var v1 = Vector128.Create(block[16..]);
            var v2 = Vector128.Create(block[32..]);
            var v3 = Vector128.Create(block[48..]);
            return (Where(v0, v1, v2, v3, (byte)' '), Where(v0, v1, v2, v3, (byte)'"'), Where(v0, v1, v2, v3, (byte)'\\'));
        }

        private static ulong Where(Vector256<byte> low, Vector256<byte> high, byte value) =>
            Vector256.Equals(low, Vector256.Create(value)).ExtractMostSignificantBits()
            | (ulong)Vector256.Equals(high, Vector256.Create(value)).ExtractMostSignificantBits() << 32;

        private static ulong Where(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, Vector128<byte> v3, byte value) =>
            Vector128.Equals(v0, Vector128.Create(value)).ExtractMostSignificantBits()
            | (ulong)Vector128.Equals(v1, Vector128.Create(value)).ExtractMostSignificantBits() << 16
            | (ulong)Vector128.Equals(v2, Vector128.Create(value)).ExtractMostSignificantBits() << 32
            | (ulong)Vector128.Equals(v3, Vector128.Create(value)).ExtractMostSignificantBits() << 48;
    }

    /// <summary>
    /// Steps through the set bits of a line's masks in order, keeping the current block's bits in hand: moving to
    /// the next bit clears the lowest one instead of searching again.
    /// </summary>
    internal ref struct BitCursor(ReadOnlySpan<ulong> masks, int length)
    {
        private const int BlockSize = 64;

        private readonly ReadOnlySpan<ulong> _masks = masks;
        private readonly int _length = length;
        private int _block = -1;
        private int _blockStart = -BlockSize; // bit i of the current block's mask is byte _blockStart + i
        private ulong _bits;

        /// <summary>The first set bit at or after <paramref name="from"/> (never before the current one), else the length.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Seek(int from)
        {
            var block = (int)((uint)from / BlockSize);
            if (block != _block)
            {
                _block = block;
                _blockStart = block * BlockSize;
                _bits = block < _masks.Length ? _masks[block] : 0;
            }
            // A ulong shift uses only the low six bits of its count: this clears the bits before from in its block.
            _bits &= ulong.MaxValue << from;
            return _bits != 0 ? _blockStart + BitOperations.TrailingZeroCount(_bits) : NextBlock();
        }

        /// <summary>The set bit after the current one, else the length.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int MoveNext()
        {
            _bits &= _bits - 1;
            return _bits != 0 ? _blockStart + BitOperations.TrailingZeroCount(_bits) : NextBlock();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int NextBlock()
        {
            while (++_block < _masks.Length)
            {
                _blockStart += BlockSize;
                _bits = _masks[_block];
                if (_bits != 0) return _blockStart + BitOperations.TrailingZeroCount(_bits);
            }
            return _length;
        }
    }
}
