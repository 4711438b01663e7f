using System.Numerics;

namespace ElbNotebooks.Parsing;

/// <summary>
/// A request's endpoint as people name one: its method and path, without the query, a path segment that holds an id
/// written <c>{id}</c> (<c>GET /api/v2/prices/{id}</c> for <c>GET /api/v2/prices/SKU-4576?currency=EUR</c>), so that
/// the requests a backend hurt group by what they asked for rather than by which item. A segment is an id when it is
/// all digits or holds three digits or more: <c>v2</c> and <c>oauth2</c> stay, <c>42</c>, <c>p57443.jpg</c>,
/// <c>2024-05-01</c> and a UUID do not.
/// </summary>
internal static class RequestEndpoint
{
    /// <summary>The longest endpoint written; a longer one is cut and ends with <c>…</c>.</summary>
    public const int MaxLength = 200;

    private const int MaxMethod = 24;

    /// <summary>The endpoint of a request with this method and URI (either may be missing: <c>-</c>).</summary>
    public static string Of(string? method, string? uri)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        return new string(buffer[..Write(method, uri, buffer)]);
    }

    /// <summary>Writes the endpoint into <paramref name="into"/> (at least <see cref="MaxLength"/> long) and gives its length.</summary>
    public static int Write(string? method, string? uri, Span<char> into)
    {
        var m = string.IsNullOrEmpty(method) ? "-" : method.AsSpan(0, Math.Min(method.Length, MaxMethod));
        m.CopyTo(into);
        var n = m.Length;
        into[n++] = ' ';
        if (string.IsNullOrEmpty(uri))
        {
            into[n++] = '-';
            return n;
        }
        n += WritePath(uri, into[n..(MaxLength - 1)], out var complete);
        if (!complete) into[n++] = '…';
        return n;
    }

    /// <summary>
    /// Writes the path of <paramref name="uri"/> (characters or UTF-8 bytes) as an endpoint has it, its query and fragment
    /// dropped and each id segment written <c>{id}</c>, segment by segment while they fit in <paramref name="into"/>;
    /// gives the length written, and whether it is all of it. Writing a path written so gives it again, so a minimal
    /// parse can keep the short, repeated path and <see cref="Write"/> still gives what it gives for the whole URI.
    /// </summary>
    public static int WritePath<T>(ReadOnlySpan<T> uri, Span<T> into, out bool complete) where T : unmanaged, IBinaryInteger<T>
    {
        T slash = T.CreateTruncating('/');
        var end = uri.IndexOfAny(T.CreateTruncating('?'), T.CreateTruncating('#'));
        var path = end >= 0 ? uri[..end] : uri;
        var n = 0;
        if (path.IsEmpty)
        {
            complete = into.Length > 0;
            if (complete) into[n++] = slash;
            return n;
        }
        while (!path.IsEmpty)
        {
            var next = path[1..].IndexOf(slash);
            var segment = next < 0 ? path : path[..(next + 1)]; // with its leading '/', if any
            var leading = segment[0] == slash ? 1 : 0;
            var id = IsId(segment[leading..]);
            if (n + (id ? leading + 4 : segment.Length) > into.Length)
            {
                complete = false;
                return n;
            }
            if (id)
            {
                if (leading == 1) into[n++] = slash;
                foreach (var c in "{id}") into[n++] = T.CreateTruncating(c);
            }
            else
            {
                segment.CopyTo(into[n..]);
                n += segment.Length;
            }
            path = next < 0 ? default : path[(next + 1)..];
        }
        complete = true;
        return n;
    }

    private static bool IsId<T>(ReadOnlySpan<T> segment) where T : unmanaged, IBinaryInteger<T>
    {
        if (segment.IsEmpty) return false;
        var digits = 0;
        foreach (var c in segment)
            if (c >= T.CreateTruncating('0') && c <= T.CreateTruncating('9')) digits++;
        return digits == segment.Length || digits >= 3;
    }
}
