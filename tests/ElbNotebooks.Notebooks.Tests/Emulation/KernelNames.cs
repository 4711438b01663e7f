namespace ElbNotebooks.Notebooks.Tests.Emulation;

/// <summary>The kernel names (and aliases) of a Polyglot notebook, and the "#!kernel" lines that switch between them.</summary>
public static class KernelNames
{
    public const string CSharp = "csharp";
    public const string Markdown = "markdown";

    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csharp"] = CSharp, ["c#"] = CSharp, ["cs"] = CSharp,
        ["fsharp"] = "fsharp", ["f#"] = "fsharp", ["fs"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh",
        ["javascript"] = "javascript", ["js"] = "javascript",
        ["markdown"] = Markdown, ["md"] = Markdown,
        ["html"] = "html", ["mermaid"] = "mermaid", ["sql"] = "sql", ["kql"] = "kql",
        ["http"] = "http", ["value"] = "value", ["meta"] = "meta",
    };

    /// <summary>The canonical name of a kernel name or alias; unknown names are returned lower-cased.</summary>
    public static string Normalize(string name) =>
        Known.TryGetValue(name.Trim(), out var canonical) ? canonical : name.Trim().ToLowerInvariant();

    /// <summary>True when <paramref name="line"/> is exactly "#!name" for a known kernel (a cell/language switch).</summary>
    public static bool TryParseKernelLine(string line, out string kernelName)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith("#!", StringComparison.Ordinal) && Known.TryGetValue(trimmed[2..], out var canonical))
        {
            kernelName = canonical;
            return true;
        }

        kernelName = "";
        return false;
    }
}
