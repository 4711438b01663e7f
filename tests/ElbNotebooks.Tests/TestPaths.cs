namespace ElbNotebooks.Tests;

/// <summary>Where the repository and its shipped files are, found by walking up from the test assembly.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string SampleLog(string name) => Path.Combine(RepoRoot, "sample-logs", name);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ElbNotebooks.sln")) && Directory.Exists(Path.Combine(d.FullName, "sample-logs")))
                return d.FullName;
        throw new InvalidOperationException("repository root with sample-logs/ not found above " + AppContext.BaseDirectory);
    }
}
