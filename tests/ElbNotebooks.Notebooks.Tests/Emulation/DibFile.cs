namespace ElbNotebooks.Notebooks.Tests.Emulation;

/// <summary>One cell of a .dib file: the kernel its "#!kernel" line names, and its text.</summary>
public sealed record DibCell(int Number, string KernelName, string Source);

/// <summary>
/// Reads the .dib format (what a package's interactive-extensions/dotnet/extension.dib is): plain text where a line
/// "#!csharp", "#!markdown", "#!meta", ... starts a new cell in that kernel. Text before the first such line belongs
/// to the default kernel (C#). The "#!meta" cell (kernel info JSON) is kept as a cell of kernel "meta".
/// </summary>
public static class DibFile
{
    public static IReadOnlyList<DibCell> Load(string path) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<DibCell> Parse(string text)
    {
        var cells = new List<DibCell>();
        var kernel = KernelNames.CSharp;
        var current = new List<string>();

        void Flush()
        {
            var source = string.Join("\n", current).Trim('\n', '\r');
            if (source.Trim().Length > 0)
            {
                cells.Add(new DibCell(cells.Count + 1, kernel, source));
            }

            current.Clear();
        }

        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (KernelNames.TryParseKernelLine(line, out var next))
            {
                Flush();
                kernel = next;
            }
            else
            {
                current.Add(line);
            }
        }

        Flush();
        return cells;
    }
}
