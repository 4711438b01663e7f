using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ElbNotebooks.Notebooks.Tests.Kernel;

/// <summary>One output of an executed cell, as the kernel sent it.</summary>
public sealed record CellOutput(string Type, string? StreamName, string? Text, string? Html, string? ErrorName, string? ErrorValue)
{
    public bool IsError => Type == "error";
    public bool IsStderr => Type == "stream" && StreamName == "stderr";
    public bool IsChart => Html?.Contains("Plotly.newPlot(", StringComparison.Ordinal) == true;

    public static CellOutput From(JsonObject o)
    {
        var type = o["output_type"]!.GetValue<string>();
        var data = o["data"] as JsonObject;
        return new CellOutput(type, o["name"]?.GetValue<string>(),
            type == "stream" ? Lines(o["text"]) : Lines(data?["text/plain"]),
            Lines(data?["text/html"]), o["ename"]?.GetValue<string>(), o["evalue"]?.GetValue<string>());
    }

    internal static string? Lines(JsonNode? node) => node switch
    {
        null => null,
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        _ => node.GetValue<string>(),
    };
}

/// <summary>A code cell after execution: its number in the file (from 1, markdown included), source and outputs.</summary>
public sealed record ExecutedCell(int Number, string Code, IReadOnlyList<CellOutput> Outputs)
{
    /// <summary>What the cell showed as plain text (stream text and text/plain), one output per line.</summary>
    public string PlainText => string.Join("\n", Outputs.Select(o => o.Text).Where(t => t is not null));
}

/// <summary>A notebook as the real kernel left it (nbconvert's executed copy).</summary>
public sealed class ExecutedNotebook
{
    public ExecutedNotebook(string name, NotebookFile file, DateTime startedUtc)
    {
        Name = name;
        File = file;
        StartedUtc = startedUtc;
        Cells = file.Cells.Select((c, i) => (c, i))
            .Where(p => p.c.IsCode)
            .Select(p => new ExecutedCell(p.i + 1, p.c.Source, p.c.Outputs.OfType<JsonObject>().Select(CellOutput.From).ToList()))
            .ToList();
    }

    public string Name { get; }
    public NotebookFile File { get; }
    public DateTime StartedUtc { get; }
    public IReadOnlyList<ExecutedCell> Cells { get; }

    /// <summary>The one code cell whose source contains <paramref name="code"/> (or is it, with <paramref name="exact"/>).</summary>
    public ExecutedCell Cell(string code, bool exact = false)
    {
        var cells = Cells.Where(c => exact ? c.Code.Trim() == code : c.Code.Contains(code, StringComparison.Ordinal)).ToList();
        Assert.True(cells.Count == 1, $"{Name}: {cells.Count} cells contain '{code}', expected one");
        return cells[0];
    }

    /// <summary>What the cell containing <paramref name="code"/> showed as plain text.</summary>
    public string Shown(string code, bool exact = false) => Cell(code, exact).PlainText;

    /// <summary>
    /// The executed notebook as it is committed: the outputs the kernel made, less what differs from run to run or
    /// machine to machine and is not the notebook's content (see <see cref="CommittedOutputs"/>).
    /// </summary>
    public NotebookFile ForCommit()
    {
        var copy = NotebookFile.Parse(File.ToJson());
        foreach (var cell in copy.Cells.Where(c => c.IsCode))
        {
            var outputs = CommittedOutputs.Normalize(cell.Outputs);
            cell.Node["outputs"] = outputs;
        }
        return copy;
    }
}

/// <summary>
/// What is taken out of the kernel's outputs before they are committed or compared: the script the Jupyter kernel
/// sends in the first cell to find its own HTTP address (it lists the machine's addresses and a random port id), the
/// time stamp in a package built from a working tree (<c>0.1.0-dev.20261205143425</c> becomes <c>0.1.0-dev</c>), the
/// commit a build stamps into its version (<c>0.1.0+4883c18…</c> becomes <c>0.1.0</c>), and
/// the user's home folder in paths (<c>~</c>). Everything else is the kernel's output as it came.
/// </summary>
public static partial class CommittedOutputs
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public static JsonArray Normalize(JsonArray outputs)
    {
        var kept = new JsonArray();
        foreach (var output in outputs.OfType<JsonObject>())
        {
            if (CellOutput.From(output).Html?.Contains("dotnet-interactive-this-cell-", StringComparison.Ordinal) == true) continue;
            kept.Add(Rewrite(output.DeepClone()));
        }
        return kept;
    }

    private static JsonNode? Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList()) obj[key] = Rewrite(obj[key]);
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) array[i] = Rewrite(array[i]);
                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(Text(text));
            default:
                return node;
        }
    }

    public static string Text(string text)
    {
        text = DevVersion().Replace(text, "$1-dev");
        text = CommitStamp().Replace(text, "$1");
        if (Home.Length > 1) text = text.Replace(Home + "/", "~/", StringComparison.Ordinal);
        return text;
    }

    [GeneratedRegex(@"(\d+\.\d+\.\d+)-dev\.\d{14}")]
    private static partial Regex DevVersion();

    [GeneratedRegex(@"(\d+\.\d+\.\d+(?:-dev)?)\+[0-9a-f]{40}")]
    private static partial Regex CommitStamp();
}
