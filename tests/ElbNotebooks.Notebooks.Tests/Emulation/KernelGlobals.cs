using Microsoft.DotNet.Interactive;

namespace ElbNotebooks.Notebooks.Tests.Emulation;

/// <summary>
/// The globals of the emulated C# kernel: what the real kernel brings in with <c>using static Microsoft.DotNet.Interactive.Kernel</c>
/// (<c>display(...)</c>) for the members the notebooks use. Members are lower-case on purpose, like the kernel's.
/// </summary>
public class KernelGlobals
{
    /// <summary>Shows <paramref name="value"/> formatted with the registered formatters (HTML and plain text unless told).</summary>
#pragma warning disable IDE1006 // the kernel's name
    public DisplayedValue display(object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);
#pragma warning restore IDE1006
}
