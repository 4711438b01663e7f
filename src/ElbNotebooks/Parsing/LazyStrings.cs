using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// The strings of the distinct values a load column coded last (<see cref="PendingValues.Resolve"/>), each made from its
/// bytes when first read. A column of values that rarely repeat holds many that nobody reads: the 154,000 URIs of a
/// 500,000-line load, of which an investigation or a notebook's view reads a handful. Made as the load ended, on a
/// partly idle machine, they took up to a tenth of it (measured in interleaved runs: 0.754 → 0.733 s and
/// 0.855 → 0.802 s made when read, docs/big-data.md). The bytes are the load's, kept until then anyway.
/// </summary>
/// <remarks>
/// Several threads may read at once: two may make the same value, and either string is kept (equal, not the same object).
/// </remarks>
internal sealed class LazyStrings(PendingValues bytes, int firstCode, int[] valueOfCode)
{
    /// <summary>The value of <paramref name="code"/> in <paramref name="strings"/>, made now if it was left to be.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string? Of(string?[] strings, LazyStrings? lazy, int code) => strings[code] ?? lazy?.Make(strings, code);

    /// <summary>Makes the value of <paramref name="code"/> and keeps it in <paramref name="strings"/>; null for code 0, missing.</summary>
    private string? Make(string?[] strings, int code) =>
        code < firstCode ? null : strings[code] = StringPool.Create(bytes[valueOfCode[code - firstCode]]);
}
