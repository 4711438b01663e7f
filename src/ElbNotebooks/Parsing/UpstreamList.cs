using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Walks an upstream list such as <c>502, 200</c> or <c>10.0.0.1:80, 10.0.0.2:80 : 10.0.9.1:80</c>: one item per
/// attempt, separated by <c>", "</c>, or <c>" : "</c> between groups after an internal redirect.
/// </summary>
internal ref struct UpstreamList
{
    private ReadOnlySpan<byte> _rest;
    private bool _done;

    public UpstreamList(ReadOnlySpan<byte> value)
    {
        _rest = value;
        _done = value.IsEmpty;
    }

    [MethodImpl(HotPath.Optimized)]
    public bool TryNext(out ReadOnlySpan<byte> item)
    {
        if (_done)
        {
            item = default;
            return false;
        }

        // Vectorised search for the bytes a separator starts with: most lists are one item with neither.
        var rest = _rest;
        for (var from = 0; ;)
        {
            var found = Utf8Bytes.IndexOfAny(rest[from..], (byte)',', (byte)' ');
            if (found < 0) break;
            var i = from + found;
            var separator = rest[i] == (byte)',' ? 1
                : i + 2 < rest.Length && rest[i + 1] == (byte)':' && rest[i + 2] == (byte)' ' ? 3
                : 0;
            if (separator == 0)
            {
                from = i + 1;
                continue;
            }
            item = TrimSpaces(rest[..i]);
            _rest = rest[(i + separator)..];
            return true;
        }

        item = TrimSpaces(_rest);
        _done = true;
        return true;
    }

    /// <summary>Items are rarely padded: looking at both ends first spares most of them a call to Trim.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> TrimSpaces(ReadOnlySpan<byte> item) =>
        !item.IsEmpty && (item[0] == (byte)' ' || item[^1] == (byte)' ') ? item.Trim((byte)' ') : item;

    [MethodImpl(HotPath.Optimized)]
    public static int Count(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || Utf8Values.IsDash(value)) return 0;
        var list = new UpstreamList(value);
        var n = 0;
        while (list.TryNext(out _)) n++;
        return n;
    }
}
