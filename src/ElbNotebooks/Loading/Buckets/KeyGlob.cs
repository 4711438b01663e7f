using System.IO.Enumeration;

namespace ElbNotebooks.Loading;

/// <summary>Matches object keys against a glob as local paths are matched: <c>*</c> and <c>?</c> within a segment, <c>**</c> across.</summary>
internal static class KeyGlob
{
    public static bool Matches(string key, string pattern) => Matches(key.Split('/'), pattern.Split('/'));

    private static bool Matches(ReadOnlySpan<string> key, ReadOnlySpan<string> pattern)
    {
        if (pattern.IsEmpty) return key.IsEmpty;
        if (pattern[0] == "**")
        {
            for (var skip = 0; skip <= key.Length; skip++)
                if (Matches(key[skip..], pattern[1..])) return true;
            return false;
        }
        return !key.IsEmpty
            && FileSystemName.MatchesSimpleExpression(pattern[0], key[0], ignoreCase: false)
            && Matches(key[1..], pattern[1..]);
    }
}
