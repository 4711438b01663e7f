using System.Runtime.CompilerServices;
using System.Text;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Lets a string set be searched with the UTF-8 bytes of an ASCII value, so a repeated value costs a hash and a
/// compare, not a decode. Both sides hash the same characters: an ASCII string widens to exactly its UTF-8 bytes.
/// The string pool's own table (<see cref="AsciiStringSet"/>) moves its values to such a set when its probes run long.
/// </summary>
/// <remarks>
/// Pooled values (user agents, URIs, referers) are chosen by whoever sends the requests, so the hash is the runtime's
/// own string hash (Marvin, seeded at random per process): values crafted to collide under a fixed hash would make
/// every lookup walk one long chain (hash flooding), and without the seed they cannot be crafted.
/// </remarks>
internal sealed class AsciiStringComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<byte>, string>
{
    public static AsciiStringComparer Instance { get; } = new();

    /// <summary>Longest value hashed on the stack; longer ones are widened on the heap (the pool keeps up to 512 bytes).</summary>
    private const int StackChars = 512;

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string value) => string.GetHashCode(value.AsSpan());

    [MethodImpl(HotPath.Optimized)]
    public bool Equals(ReadOnlySpan<byte> alternate, string other) => Utf8Bytes.EqualsAscii(alternate, other); // the set holds ASCII strings only

    [MethodImpl(HotPath.Optimized)]
    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        Span<char> chars = alternate.Length <= StackChars ? stackalloc char[alternate.Length] : new char[alternate.Length];
        Ascii.ToUtf16(alternate, chars, out var written);
        return string.GetHashCode(chars[..written]);
    }

    public string Create(ReadOnlySpan<byte> alternate) => Encoding.ASCII.GetString(alternate);
}
