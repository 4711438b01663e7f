using System.Runtime.InteropServices;
using System.Text;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Lets a string set be searched with the UTF-8 bytes of an ASCII value, so a repeated value costs a hash and a
/// compare, not a decode. Both sides hash the same bytes: an ASCII string narrows to exactly its UTF-8 bytes.
/// </summary>
internal sealed class AsciiStringComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<byte>, string>
{
    public static AsciiStringComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string value)
    {
        Span<byte> narrow = value.Length <= 256 ? stackalloc byte[value.Length] : new byte[value.Length];
        var status = Ascii.FromUtf16(value, narrow, out _);
        return status == System.Buffers.OperationStatus.Done ? Hash(narrow) : value.GetHashCode(StringComparison.Ordinal);
    }

    public bool Equals(ReadOnlySpan<byte> alternate, string other) => Ascii.Equals(alternate, other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<byte> alternate) => Encoding.ASCII.GetString(alternate);

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a over 8-byte words: fast for the short values logs repeat, and stable within a process.
        ulong hash = 14695981039346656037UL;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var word in words) hash = (hash ^ word) * 1099511628211UL;
        foreach (var b in bytes[(words.Length * 8)..]) hash = (hash ^ b) * 1099511628211UL;
        return (int)(hash ^ (hash >> 32));
    }
}
