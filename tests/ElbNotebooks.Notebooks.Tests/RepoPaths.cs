namespace ElbNotebooks.Notebooks.Tests;

/// <summary>Paths in the repository, found by walking up from the test assembly to the folder holding ElbNotebooks.sln.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ElbNotebooks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ElbNotebooks.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => LazyRoot.Value;

    /// <summary>notebooks/ — the shipped Polyglot notebooks.</summary>
    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>The extension script the package ships (interactive-extensions/dotnet/extension.dib in the .nupkg).</summary>
    public static string ExtensionScript =>
        Path.Combine(Root, "src", "ElbNotebooks", "interactive-extensions", "dotnet", "extension.dib");
}
