using System.Text;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Makes strings from UTF-8 field bytes, once per distinct value: backends, listeners, methods and user agents
/// repeat on every line, so a load keeps one copy of each. Invalid UTF-8 becomes U+FFFD. Not thread-safe: one
/// pool per parsing worker.
/// </summary>
public sealed class StringPool
{
    private const int MaxPooledChars = 512;
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;

    public StringPool(int capacity = 200_000)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _strings.Count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0) return string.Empty;
        if (utf8.Length > MaxPooledChars) return Encoding.UTF8.GetString(utf8);

        Span<char> chars = stackalloc char[MaxPooledChars];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return Get(chars[..length]);
    }

    public string Get(ReadOnlySpan<char> chars)
    {
        if (_lookup.TryGetValue(chars, out var existing)) return existing;
        var created = chars.ToString();
        if (_strings.Count < _capacity) _strings.Add(created);
        return created;
    }
}
