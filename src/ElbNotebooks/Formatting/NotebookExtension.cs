using ElbNotebooks.Loading;

namespace ElbNotebooks.Formatting;

/// <summary>What a notebook kernel runs when it loads the package (its <c>extension.dib</c> calls <see cref="Load"/>).</summary>
public static class NotebookExtension
{
    /// <summary>
    /// Registers the views (<see cref="ElbFormatters.Register"/>) and starts compiling the library's per-line code on
    /// the thread pool, so the session's first load does not wait for the JIT: a notebook loads the package a cell or
    /// more before it loads a log (docs/big-data.md, "Compiled before the first load"). Calling it again is harmless.
    /// </summary>
    public static void Load()
    {
        ElbFormatters.Register();
        HotPathWarmUp.StartEverything();
    }
}
