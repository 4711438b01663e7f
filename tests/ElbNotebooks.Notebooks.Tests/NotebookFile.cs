using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ElbNotebooks.Notebooks.Tests;

/// <summary>
/// A Polyglot notebook (.ipynb, nbformat 4) kept as a <see cref="JsonObject"/> so that every field this model does not
/// know about (kernelspec, language_info, cell ids, tags, ...) survives a read/write round trip unchanged.
/// </summary>
public sealed class NotebookFile
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        NewLine = "\n",
        // Keep HTML outputs readable ("<div>", not "\u003Cdiv\u003E") and non-ASCII text as is, like Jupyter does.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private NotebookFile(JsonObject root)
    {
        Root = root;
        if (root["cells"] is not JsonArray cells)
        {
            throw new FormatException("Not an nbformat 4 notebook: no \"cells\" array.");
        }

        Cells = cells.Select(c => new NotebookCell(c as JsonObject
            ?? throw new FormatException("Not an nbformat 4 notebook: a cell is not an object."))).ToList();
    }

    /// <summary>The whole document; edits to it are written back.</summary>
    public JsonObject Root { get; }

    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary><c>metadata.polyglot_notebook.kernelInfo.defaultKernelName</c>, or null.</summary>
    public string? DefaultKernelName =>
        Root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>();

    public static NotebookFile Load(string path) => Parse(File.ReadAllText(path));

    public static NotebookFile Parse(string json)
    {
        var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
            ?? throw new FormatException("Empty notebook.");
        if (node is not JsonObject root)
        {
            throw new FormatException("Not an nbformat 4 notebook: the document is not a JSON object.");
        }

        var nbformat = root["nbformat"]?.GetValue<int>();
        if (nbformat != 4)
        {
            throw new FormatException($"Not an nbformat 4 notebook (nbformat = {nbformat?.ToString() ?? "missing"}).");
        }

        return new NotebookFile(root);
    }

    /// <summary>A new, empty Polyglot notebook whose default kernel is C#, with the metadata VS Code writes.</summary>
    public static NotebookFile CreatePolyglot()
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject
                {
                    ["display_name"] = ".NET (C#)",
                    ["language"] = "C#",
                    ["name"] = ".net-csharp",
                },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return new NotebookFile(root);
    }

    /// <summary>Appends a markdown cell.</summary>
    public NotebookFile AddMarkdown(string source) => Add(new JsonObject
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = NotebookCell.ToLines(source),
    });

    /// <summary>Appends a code cell for the given kernel ("csharp" unless told).</summary>
    public NotebookFile AddCode(string source, string kernelName = "csharp") => Add(new JsonObject
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = kernelName },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernelName },
        },
        ["outputs"] = new JsonArray(),
        ["source"] = NotebookCell.ToLines(source),
    });

    private NotebookFile Add(JsonObject cell)
    {
        ((JsonArray)Root["cells"]!).Add(cell);
        ((List<NotebookCell>)Cells).Add(new NotebookCell(cell));
        return this;
    }

    /// <summary>The document as Jupyter writes it: one-space indent, "\n" line ends, a final newline.</summary>
    public string ToJson() => Root.ToJsonString(WriteOptions) + "\n";

    public void Save(string path) => File.WriteAllText(path, ToJson());
}

/// <summary>One cell of a <see cref="NotebookFile"/>; a view over its JSON object.</summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject node) => Node = node;

    public JsonObject Node { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => Node["cell_type"]?.GetValue<string>() ?? throw new FormatException("A cell has no cell_type.");

    public bool IsCode => CellType == "code";

    /// <summary>The cell's text (nbformat allows a string or an array of lines).</summary>
    public string Source
    {
        get => Node["source"] switch
        {
            null => "",
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
            JsonNode text => text.GetValue<string>(),
        };
        set => Node["source"] = ToLines(value);
    }

    /// <summary>
    /// The kernel the cell's metadata names (<c>polyglot_notebook.kernelName</c>, else <c>dotnet_interactive.language</c>),
    /// or null when the cell follows the notebook's default kernel.
    /// </summary>
    public string? KernelName =>
        Node["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? Node["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>();

    public int? ExecutionCount
    {
        get => Node["execution_count"]?.GetValue<int>();
        set => Node["execution_count"] = value;
    }

    /// <summary>The cell's <c>outputs</c> array (created if missing).</summary>
    public JsonArray Outputs
    {
        get
        {
            if (Node["outputs"] is not JsonArray outputs)
            {
                outputs = new JsonArray();
                Node["outputs"] = outputs;
            }

            return outputs;
        }
    }

    /// <summary>Splits text into nbformat's multi-line form: lines that keep their "\n", the last one without.</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(text[start..]);
                break;
            }

            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }

        return lines;
    }
}
