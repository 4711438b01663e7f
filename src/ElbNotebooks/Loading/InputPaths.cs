using System.IO.Enumeration;

namespace ElbNotebooks.Loading;

/// <summary>Expands what a user typed into files: a file, a folder (recursive), or a glob with <c>*</c>, <c>?</c>, <c>**</c>.</summary>
internal static class InputPaths
{
    private static readonly char[] Wildcards = ['*', '?'];

    public static IEnumerable<LogSource> Expand(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException("An input path is empty.");
        if (File.Exists(path)) return [LogSource.FromFile(path)];
        if (Directory.Exists(path)) return Walk(path, _ => true);
        if (path.IndexOfAny(Wildcards) >= 0) return Glob(path);
        throw new FileNotFoundException($"No such file or folder: '{path}'.", path);
    }

    /// <summary>
    /// Every file below the folder, in name order. Links to folders are followed, but a folder (by its real path) is
    /// read once, so a link back to a parent cannot loop.
    /// </summary>
    private static IEnumerable<LogSource> Walk(string folder, Func<string, bool> include)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        };
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(RealPath.Of(current))) continue;
            files.AddRange(Directory.EnumerateFiles(current, "*", options));
            foreach (var sub in Directory.EnumerateDirectories(current, "*", options)) pending.Push(sub);
        }
        return files
            .Where(include)
            .Order(StringComparer.Ordinal)
            .Select(f => LogSource.FromFile(f, foundInFolder: true))
            .ToArray();
    }

    private static IEnumerable<LogSource> Glob(string pattern)
    {
        var normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        var firstWild = Array.FindIndex(segments, s => s.IndexOfAny(Wildcards) >= 0);
        var root = string.Join('/', segments[..firstWild]);
        if (root.Length == 0) root = normalized.StartsWith('/') ? "/" : ".";
        var patternSegments = segments[firstWild..];
        if (!Directory.Exists(root))
            throw new FileNotFoundException($"No such folder for the pattern '{pattern}': '{root}'.", pattern);

        var matches = Walk(root, file => Matches(Path.GetRelativePath(root, file).Replace('\\', '/').Split('/'), patternSegments))
            .ToArray();
        if (matches.Length == 0) throw new FileNotFoundException($"No file matches '{pattern}'.", pattern);
        return matches;
    }

    private static bool Matches(ReadOnlySpan<string> path, ReadOnlySpan<string> pattern)
    {
        if (pattern.IsEmpty) return path.IsEmpty;
        if (pattern[0] == "**")
        {
            for (var skip = 0; skip <= path.Length; skip++)
                if (Matches(path[skip..], pattern[1..])) return true;
            return false;
        }
        return !path.IsEmpty
            && FileSystemName.MatchesSimpleExpression(pattern[0], path[0], ignoreCase: false)
            && Matches(path[1..], pattern[1..]);
    }
}
