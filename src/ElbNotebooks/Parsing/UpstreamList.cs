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

        for (var i = 0; i < _rest.Length; i++)
        {
            var b = _rest[i];
            var separator = b == (byte)',' ? 1
                : b == (byte)' ' && i + 2 < _rest.Length && _rest[i + 1] == (byte)':' && _rest[i + 2] == (byte)' ' ? 3
                : 0;
            if (separator == 0) continue;
            item = _rest[..i].Trim((byte)' ');
            _rest = _rest[(i + separator)..];
            return true;
        }

        item = _rest.Trim((byte)' ');
        _done = true;
        return true;
    }

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
