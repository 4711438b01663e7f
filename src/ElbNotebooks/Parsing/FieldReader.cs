using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Turns one line's field spans into typed values and pooled strings; <c>-</c> is always missing. Its small readers
/// are inlined: they run for most fields of every line, and a call costs about as much as the check it makes (in the
/// ReadyToRun build a call between methods also goes through an indirection).
/// </summary>
internal ref struct FieldReader(ReadOnlySpan<byte> line, ParseTarget target)
{
    private readonly ReadOnlySpan<byte> _line = line;

    public LineRejection Rejection { get; private set; }

    /// <summary>The field's bytes with nginx escapes undone (the scratch buffer is reused by the next call).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Bytes(FieldSpan field)
    {
        var raw = _line.Slice(field.Start, field.Length);
        if (!field.HasEscape) return raw;
        var scratch = target.Scratch(raw.Length);
        return scratch[..LineFields.Unescape(raw, scratch)];
    }

    public readonly string Pooled(scoped ReadOnlySpan<byte> value) => target.Strings.Get(value);

    [MethodImpl(HotPath.Optimized)]
    public string? String(FieldSpan field)
    {
        var raw = _line.Slice(field.Start, field.Length);
        return Utf8Values.IsDash(raw) ? null : target.Strings.Get(Bytes(field));
    }

    /// <summary>Adds the field to a column unless the format lacks it or a preferred field already filled the row.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void AddIfUnset(StringBuffer column, int row, FieldSpan field, bool present)
    {
        if (present && column.Count == row) column.Add(String(field));
    }

    /// <summary>Appends the field's value to <paramref name="column"/>, reusing its last string when the bytes repeat.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void AddString(FieldSpan field, StringBuffer column)
    {
        var raw = _line.Slice(field.Start, field.Length);
        if (Utf8Values.IsDash(raw))
        {
            column.Add(null);
            return;
        }
        if (field.HasEscape) Add(Bytes(field), column); // its bytes are not its value: nothing to compare with the last
        else AddRepeatable(raw, column);
    }

    /// <summary>
    /// Appends <paramref name="value"/>, text that is no single field (the fields past a format's known ones), as
    /// <see cref="AddString"/> appends a field: pooled only while the column's values repeat.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public void AddText(scoped ReadOnlySpan<byte> value, StringBuffer column) => AddRepeatable(value, column);

    /// <summary>Appends <paramref name="value"/>: the column's last string when the bytes repeat it, else <see cref="Add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddRepeatable(scoped ReadOnlySpan<byte> value, StringBuffer column)
    {
        if (column.Last.TryGet(value, out var same))
        {
            column.Add(same);
            return;
        }
        if (Add(value, column) is { } added) column.Last.Set(value, added);
    }

    /// <summary>
    /// Adds a kept value: pooled while the column's values repeat, else kept as bytes for the load or made fresh
    /// (<see cref="StringBuffer.AddUnpooled"/>). Returns its string, or null when it was kept as bytes.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private string? Add(scoped ReadOnlySpan<byte> value, StringBuffer column)
    {
        if (!column.WorthPooling) return column.AddUnpooled(value);
        var made = target.Strings.Get(value, out var hit);
        column.CountLookup(hit);
        column.Add(made);
        return made;
    }

    /// <summary>A value of a handful (method, protocol, scheme, host): the column's last one, else pooled.</summary>
    [MethodImpl(HotPath.Optimized)]
    private readonly void AddRepeated(scoped ReadOnlySpan<byte> value, StringBuffer column)
    {
        if (!column.Last.TryGet(value, out var same))
        {
            same = target.Strings.Get(value);
            column.Last.Set(value, same);
        }
        column.Add(same);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Double(FieldSpan field, string name, out double value)
    {
        var raw = _line.Slice(field.Start, field.Length);
        value = Missing.Double;
        if (Utf8Values.IsDash(raw) || Utf8Values.TryDouble(raw, out value)) return true;
        Rejection = LineRejection.BadNumber(name, raw);
        return false;
    }

    /// <summary>A time in seconds: finite, not negative and at most <see cref="Utf8Values.MaxDurationSeconds"/>, else the line is damaged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Duration(FieldSpan field, string name, out double value)
    {
        var raw = _line.Slice(field.Start, field.Length);
        value = Missing.Double;
        if (Utf8Values.IsDash(raw)) return true;
        if (!Utf8Values.TryDouble(raw, out value))
        {
            Rejection = LineRejection.BadNumber(name, raw);
            return false;
        }
        if (Utf8Values.IsDuration(value)) return true;
        Rejection = LineRejection.BadDuration(name, raw);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Long(FieldSpan field, string name, out long value)
    {
        var raw = _line.Slice(field.Start, field.Length);
        value = Missing.Long;
        if (Utf8Values.IsDash(raw) || Utf8Values.TryLong(raw, out value)) return true;
        Rejection = LineRejection.BadNumber(name, raw);
        return false;
    }

    /// <summary>Trailing optional numbers: a value that is not a number is missing, not a reason to drop the line.</summary>
    public long LenientLong(FieldSpan field) =>
        Utf8Values.TryLong(_line.Slice(field.Start, field.Length), out var value) ? value : Missing.Long;

    /// <summary>An optional port or count: a value that is not a number is missing.</summary>
    public int LenientInt(FieldSpan field) =>
        Utf8Values.TryInt(_line.Slice(field.Start, field.Length), out var value) ? value : Missing.Int;

    /// <summary><c>host:port</c>; IPv6 hosts contain colons, so the port follows the LAST one.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void AddressAndPort(FieldSpan field, StringBuffer address, IntBuffer port)
    {
        var raw = _line.Slice(field.Start, field.Length);
        if (Utf8Values.IsDash(raw) || raw.IsEmpty)
        {
            address.Add(null);
            port.Add(Missing.Int);
            return;
        }
        var colon = Utf8Bytes.LastIndexOf(raw, (byte)':');
        if (colon > 0 && Utf8Values.TryInt(raw[(colon + 1)..], out var p))
        {
            var host = raw[..colon];
            if (host.Length > 2 && host[0] == (byte)'[' && host[^1] == (byte)']') host = host[1..^1];
            Add(host, address);
            port.Add(p);
        }
        else
        {
            Add(raw, address);
            port.Add(Missing.Int);
        }
    }

    /// <summary>
    /// Whom a failing or slow backend hurt: the client's <paramref name="client"/> address and port and, for a minimal
    /// parse, the <paramref name="request"/>'s endpoint, where that may be asked (<paramref name="wanted"/>,
    /// <see cref="ParseTarget.WantsClient"/>); else none (<see cref="NoClient"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ClientAndEndpoint(bool wanted, FieldSpan client, FieldSpan request, RequestColumns r)
    {
        if (!wanted)
        {
            NoClient(r);
            return;
        }
        AddressAndPort(client, r.ClientIp, r.ClientPort);
        if (target.Minimal) RequestLine(request, r, methodAndUriOnly: true);
    }

    /// <summary>
    /// A row with no client and no endpoint read (a minimal parse's line whom no backend hurt): written here rather
    /// than padded when the row ends, as a padded column costs a virtual call per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoClient(RequestColumns r)
    {
        r.ClientIp.Add((string?)null);
        r.ClientPort.Add(Missing.Int);
        r.Method.Add((string?)null);
        r.Uri.Add((string?)null);
    }

    /// <summary>
    /// An AWS request field of <c>- - - </c>: a TCP listener's connection, or a request the load balancer could not
    /// read; no method, URL or protocol in it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasNoRequest(ReadOnlySpan<byte> request) =>
        request.Length >= 5 && request[0] == (byte)'-' && Utf8Bytes.Equal(request.TrimEnd((byte)' '), "- - -"u8);

    /// <summary>
    /// <c>"METHOD scheme://host/uri PROTOCOL"</c>; older logs may lack the URL. AWS writes <c>"- - - "</c> for a
    /// TCP connection or a request it could not read: all parts missing. <paramref name="methodAndUriOnly"/>: only the
    /// method and the URI, the endpoint a minimal parse keeps for the requests whom a backend may have hurt.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public void RequestLine(FieldSpan field, RequestColumns r, bool methodAndUriOnly = false)
    {
        var value = Bytes(field);
        if (HasNoRequest(value)) return;
        var firstSpace = Utf8Bytes.IndexOf(value, (byte)' ');
        if (Utf8Values.IsDash(value) || value.IsEmpty || firstSpace < 0)
        {
            r.Method.Add(value.IsEmpty || Utf8Values.IsDash(value) ? null : target.Strings.Get(value));
            return;
        }

        AddRepeated(value[..firstSpace], r.Method);
        var rest = value[(firstSpace + 1)..];
        var lastSpace = Utf8Bytes.LastIndexOf(rest, (byte)' ');
        ReadOnlySpan<byte> url;
        if (lastSpace >= 0)
        {
            if (!methodAndUriOnly) AddRepeated(rest[(lastSpace + 1)..], r.Protocol);
            url = rest[..lastSpace];
        }
        else if (Utf8Bytes.StartsWith(rest, "HTTP/"u8))
        {
            if (!methodAndUriOnly) r.Protocol.Add(target.Strings.Get(rest));
            url = default;
        }
        else
        {
            url = rest;
        }

        if (url.IsEmpty) return;
        var schemeEnd = Utf8Bytes.IndexOf(url, "://"u8);
        if (schemeEnd > 0)
        {
            if (!methodAndUriOnly) AddRepeated(url[..schemeEnd], r.Scheme);
            var afterScheme = url[(schemeEnd + 3)..];
            var pathStart = Utf8Bytes.IndexOfAny(afterScheme, (byte)'/', (byte)'?');
            if (pathStart < 0)
            {
                if (!methodAndUriOnly) AddRepeated(afterScheme, r.Host);
                r.Uri.Add("/");
            }
            else
            {
                if (!methodAndUriOnly) AddRepeated(afterScheme[..pathStart], r.Host);
                AddUri(afterScheme[pathStart..], r.Uri, methodAndUriOnly);
            }
        }
        else
        {
            AddUri(url, r.Uri, methodAndUriOnly);
        }
    }

    /// <summary>
    /// The URI; for a minimal parse's endpoint, only its path as an endpoint has it (<see cref="RequestEndpoint.WritePath"/>):
    /// few and repeated, so pooled, where the whole URIs of a pool-wide outage's failed requests were a new string each
    /// (docs/big-data.md, eighteenth part).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddUri(scoped ReadOnlySpan<byte> uri, StringBuffer column, bool pathOnly)
    {
        if (pathOnly)
        {
            Span<byte> path = stackalloc byte[512];
            var n = RequestEndpoint.WritePath(uri, path, out var complete);
            if (complete)
            {
                AddRepeated(path[..n], column);
                return;
            }
        }
        Add(uri, column);
    }
}
