using System.Collections.Concurrent;
using ElbNotebooks.Notebooks.Tests.Emulation;

namespace ElbNotebooks.Notebooks.Tests;

/// <summary>
/// Each shipped notebook run once per test process and shared by the tests that look at its outputs, so that checking
/// what a notebook shows, that its committed outputs are current, and that it runs at all costs one execution.
/// </summary>
public static class ShippedNotebookRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<NotebookRun>>> Runs = new(StringComparer.Ordinal);

    public static string PathOf(string notebook) => Path.Combine(RepoPaths.Notebooks, notebook);

    /// <summary>The run of notebooks/<paramref name="notebook"/> (executed on first use, never written back).</summary>
    public static Task<NotebookRun> Get(string notebook) =>
        Runs.GetOrAdd(notebook, n => new Lazy<Task<NotebookRun>>(() => NewEmulator().RunAsync(PathOf(n)))).Value;

    /// <summary>Runs the notebook, saves it with its outputs, and keeps that run for the other tests.</summary>
    public static async Task<NotebookRun> RunAndWriteOutputs(string notebook)
    {
        var run = await NewEmulator().RunAndWriteOutputsAsync(PathOf(notebook));
        Runs[notebook] = new Lazy<Task<NotebookRun>>(Task.FromResult(run));
        return run;
    }

    /// <summary>
    /// The packages a shipped notebook may restore: the library, and DuckDB for the big-data cell of 05 (the version
    /// this test project references stands in for the one the cell names).
    /// </summary>
    public static readonly string[] AllowedPackages = [KernelEmulator.PackageName, "DuckDB.NET.Data.Full"];

    private static KernelEmulator NewEmulator() =>
        new(new KernelEmulatorOptions { ExtensionScriptPath = RepoPaths.ExtensionScript, AllowedPackages = AllowedPackages });
}
