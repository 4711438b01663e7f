using ElbNotebooks.Notebooks.Tests.Emulation;

// The subset of the real kernel's public API (namespace Microsoft.DotNet.Interactive) that notebooks call, so that
// `using Microsoft.DotNet.Interactive;` (a default import of the C# kernel) and `x.Display()` compile as they do there.
namespace Microsoft.DotNet.Interactive;

/// <summary>A value shown by <c>display(x)</c> or <c>x.Display()</c>; <see cref="Update"/> replaces it in place.</summary>
public sealed class DisplayedValue
{
    private readonly OutputSink _sink;
    private readonly int _index;
    private readonly string[] _mimeTypes;

    private DisplayedValue(OutputSink sink, int index, string[] mimeTypes)
    {
        _sink = sink;
        _index = index;
        _mimeTypes = mimeTypes;
        DisplayId = $"display-{index + 1}";
    }

    /// <summary>Stable within a cell (no GUID), so written outputs are deterministic.</summary>
    public string DisplayId { get; }

    public void Update(object? updatedValue) => _sink.Update(_index, updatedValue, _mimeTypes);

    internal static DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var sink = OutputSink.Current
            ?? throw new InvalidOperationException("display() was called outside a running notebook cell.");
        return new DisplayedValue(sink, sink.Display(value, mimeTypes), mimeTypes);
    }
}

public static class DisplayExtensions
{
    /// <summary>Shows the value under the cell, like the kernel's <c>Display()</c> extension.</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);
}
