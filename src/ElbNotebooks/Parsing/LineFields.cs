using System.Runtime.CompilerServices;
using System.Buffers;

namespace ElbNotebooks.Parsing;

/// <summary>Where one field of a line sits: offsets into the line, without its quotes or brackets.</summary>
internal readonly record struct FieldSpan(int Start, int Length, FieldKind Kind, bool HasEscape);

internal enum FieldKind : byte
{
    Bare,
    Quoted,
    Bracketed,
}

/// <summary>
/// Splits an nginx-style access log line into fields: bare tokens, <c>"quoted values"</c> (which may hold spaces
/// and backslash escapes) and <c>[bracketed values]</c>. Writes only integer boundaries; strings are made later,
/// and only for fields a column keeps.
/// </summary>
internal static partial class LineFields
{
    private static readonly SearchValues<byte> QuoteOrBackslash = SearchValues.Create("\"\\"u8);

    /// <summary>
    /// Fills <paramref name="fields"/> and returns how many it found (at most its length; <paramref name="restStart"/>
    /// is then where the unsplit remainder begins, else -1). Returns -1 for an unterminated quote; a <c>[</c> without
    /// its <c>]</c> just starts a bare token.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static int Split(ReadOnlySpan<byte> line, Span<FieldSpan> fields, out int restStart) =>
        line.Length <= MaxClassifiedLength && TrySplitClassified(line, fields, out var count, out restStart)
            ? count
            : SplitByteByByte(line, fields, out restStart);

    /// <summary>The grammar of <see cref="Split"/>, searching the line's bytes field by field.</summary>
    [MethodImpl(HotPath.Optimized)]
    private static int SplitByteByByte(ReadOnlySpan<byte> line, Span<FieldSpan> fields, out int restStart)
    {
        restStart = -1;
        var count = 0;
        var pos = 0;
        while (true)
        {
            while (pos < line.Length && line[pos] == (byte)' ') pos++;
            if (pos >= line.Length) return count;
            if (count == fields.Length)
            {
                restStart = pos;
                return count;
            }

            var c = line[pos];
            if (c == (byte)'"')
            {
                var end = FindClosingQuote(line, pos + 1, out var hasEscape);
                if (end < 0) return -1;
                fields[count++] = new FieldSpan(pos + 1, end - pos - 1, FieldKind.Quoted, hasEscape);
                pos = end + 1;
            }
            else if (c == (byte)'[' && ClosingBracket(line, pos) is var close and >= 0)
            {
                fields[count++] = new FieldSpan(pos + 1, close - pos - 1, FieldKind.Bracketed, false);
                pos = close + 1;
            }
            else
            {
                var space = Utf8Bytes.IndexOf(line[pos..], (byte)' ');
                var length = space < 0 ? line.Length - pos : space;
                fields[count++] = new FieldSpan(pos, length, FieldKind.Bare, false);
                pos += length;
            }
        }
    }

    /// <summary>
    /// How many fields the line has, counting at most <paramref name="known"/> (0 for an unterminated quote): a format's
    /// <see cref="ILogFormat.Fields"/>, the layout its lines are held to.
    /// </summary>
    public static int Count(ReadOnlySpan<byte> line, int known)
    {
        Span<FieldSpan> fields = stackalloc FieldSpan[known];
        return Math.Max(Split(line, fields, out _), 0);
    }

    /// <summary>
    /// Splits a line that must have at least <paramref name="required"/> fields; otherwise says why it is not a request.
    /// The fields after the first <paramref name="fields"/>.Length start at <paramref name="restStart"/> (-1: none).
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static bool TrySplit(ReadOnlySpan<byte> line, Span<FieldSpan> fields, int required, out int count, out int restStart,
        out LineRejection rejection)
    {
        count = Split(line, fields, out restStart);
        rejection = count < 0 ? LineRejection.UnterminatedQuote()
            : count < required ? LineRejection.TooFewFields(count, required)
            : default;
        return count >= required;
    }

    /// <summary>
    /// The first of <paramref name="quoted"/> (0-based field indexes, ascending) below <paramref name="count"/> whose
    /// field is not quoted, else -1. A format that always quotes these fields finds its lost or doubled quotes here:
    /// a value whose closing quote is missing runs on to the next field's closing quote, shifting every later field
    /// by one, and a shifted field lands unquoted in a quoted place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstUnquoted(scoped ReadOnlySpan<FieldSpan> fields, int count, ReadOnlySpan<byte> quoted)
    {
        foreach (var index in quoted)
        {
            if (index >= count) return -1;
            if (fields[index].Kind != FieldKind.Quoted) return index;
        }
        return -1;
    }

    /// <summary>
    /// <c>[time]</c> is one field; <c>[2001:db8::7]:443</c> (an IPv6 address with a port) is a bare token.
    /// </summary>
    private static int ClosingBracket(ReadOnlySpan<byte> line, int open)
    {
        var close = Utf8Bytes.IndexOf(line[(open + 1)..], (byte)']');
        if (close < 0) return -1;
        close += open + 1;
        return close + 1 == line.Length || line[close + 1] == (byte)' ' ? close : -1;
    }

    /// <summary>
    /// A quote closes a value only when a space or the end of the line follows it, so a stray unescaped quote inside
    /// a user agent does not split the line. Backslash escapes the next byte.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private static int FindClosingQuote(ReadOnlySpan<byte> line, int from, out bool hasEscape)
    {
        hasEscape = false;
        var pos = from;
        while (pos < line.Length)
        {
            var next = line[pos..].IndexOfAny(QuoteOrBackslash);
            if (next < 0) return -1;
            pos += next;
            if (line[pos] == (byte)'\\')
            {
                hasEscape = true;
                pos += 2;
                continue;
            }
            if (pos + 1 == line.Length || line[pos + 1] == (byte)' ') return pos;
            pos++;
        }
        return -1;
    }

    /// <summary>
    /// Undoes nginx escaping in place into <paramref name="destination"/>: <c>\xHH</c> becomes byte HH, <c>\"</c> and
    /// <c>\\</c> their character. Returns the number of bytes written (never more than the input's length).
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static int Unescape(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == (byte)'\\' && i + 1 < value.Length)
            {
                var n = value[i + 1];
                if (n == (byte)'x' && i + 3 < value.Length && HexValue(value[i + 2]) is var hi and >= 0 && HexValue(value[i + 3]) is var lo and >= 0)
                {
                    destination[written++] = (byte)(hi * 16 + lo);
                    i += 3;
                    continue;
                }
                if (n is (byte)'"' or (byte)'\\')
                {
                    destination[written++] = n;
                    i++;
                    continue;
                }
            }
            destination[written++] = b;
        }
        return written;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
