namespace ElbNotebooks.Loading;

/// <summary>A path with every link in it resolved: two names of one file or folder give the same real path.</summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return Resolve(full, MaxLinks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }

    private static string Resolve(string full, int linksLeft)
    {
        var parent = Path.GetDirectoryName(full);
        if (parent is null) return full;
        var here = Path.Combine(Resolve(parent, linksLeft), Path.GetFileName(full));
        if (linksLeft == 0 || new FileInfo(here).LinkTarget is null) return here;
        var target = new FileInfo(here).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? here : Resolve(Path.GetFullPath(target.FullName), linksLeft - 1);
    }
}
