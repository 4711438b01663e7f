using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Notebooks.Tests.Emulation;

/// <summary>What a cell showed, in order: nbformat's <c>display_data</c> and <c>stream</c> outputs.</summary>
public abstract record CellOutput;

/// <summary>A displayed value: formatted text per MIME type ("text/html", "text/plain").</summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data) : CellOutput
{
    public string? Html => Data.GetValueOrDefault(MimeTypes.Html);

    public string? PlainText => Data.GetValueOrDefault(MimeTypes.PlainText);
}

/// <summary>Text the cell wrote to Console.Out ("stdout") or Console.Error ("stderr").</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

public static class MimeTypes
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";
}

/// <summary>
/// Collects the outputs of the cell that is running. Static because, as in the real kernel, <c>x.Display()</c> is an
/// extension method with no kernel argument; notebook runs are serial (formatter state is global anyway).
/// </summary>
public sealed class OutputSink
{
    private readonly List<CellOutput> _outputs = [];
    private readonly object _gate = new();

    /// <summary>The sink of the cell being executed, or null outside a cell.</summary>
    public static OutputSink? Current { get; internal set; }

    public IReadOnlyList<CellOutput> Outputs
    {
        get
        {
            lock (_gate)
            {
                return _outputs.ToList();
            }
        }
    }

    /// <summary>Formats <paramref name="value"/> like the kernel does (registered formatters) and records it.</summary>
    public int Display(object? value, IReadOnlyList<string>? mimeTypes)
    {
        var output = Format(value, mimeTypes);
        lock (_gate)
        {
            _outputs.Add(output);
            return _outputs.Count - 1;
        }
    }

    /// <summary>Replaces a display in place (<c>DisplayedValue.Update</c>).</summary>
    public void Update(int index, object? value, IReadOnlyList<string>? mimeTypes)
    {
        var output = Format(value, mimeTypes);
        lock (_gate)
        {
            _outputs[index] = output;
        }
    }

    /// <summary>Appends console text, merging with the previous output when it is the same stream.</summary>
    public void Write(string stream, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == stream)
            {
                _outputs[^1] = last with { Text = last.Text + text };
            }
            else
            {
                _outputs.Add(new StreamOutput(stream, text));
            }
        }
    }

    /// <summary>The HTML and plain-text renderings (or the requested MIME types) with the registered formatters.</summary>
    public static DisplayOutput Format(object? value, IReadOnlyList<string>? mimeTypes = null)
    {
        var types = mimeTypes is { Count: > 0 } ? mimeTypes : [MimeTypes.Html, MimeTypes.PlainText];
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            data[type] = value is null ? "<null>" : value.ToDisplayString(type);
        }

        return new DisplayOutput(data);
    }
}

/// <summary>Console.Out / Console.Error while a cell runs: forwards to the cell's <see cref="OutputSink"/>.</summary>
internal sealed class ConsoleCapture(OutputSink sink, string stream) : TextWriter
{
    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void Write(char value) => sink.Write(stream, value.ToString());

    public override void Write(string? value) => sink.Write(stream, value ?? "");

    public override void Write(char[] buffer, int index, int count) => sink.Write(stream, new string(buffer, index, count));

    public override void WriteLine(string? value) => sink.Write(stream, (value ?? "") + "\n");

    public override void WriteLine() => sink.Write(stream, "\n");
}
