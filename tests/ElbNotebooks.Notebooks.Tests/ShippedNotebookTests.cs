using ElbNotebooks.Notebooks.Tests.Emulation;

namespace ElbNotebooks.Notebooks.Tests;

/// <summary>
/// Runs every notebook in notebooks/ through the kernel emulator. With ELB_WRITE_NOTEBOOK_OUTPUTS=1 each notebook
/// that runs is saved with its outputs:
/// <c>ELB_WRITE_NOTEBOOK_OUTPUTS=1 dotnet test tests/ElbNotebooks.Notebooks.Tests -c Release --filter Every_shipped_notebook_runs</c>
/// </summary>
public sealed class ShippedNotebookTests
{
    public const string WriteOutputsVariable = "ELB_WRITE_NOTEBOOK_OUTPUTS";

    public static readonly string[] ExpectedNotebooks =
    [
        "01-getting-started.ipynb",
        "02-locate-unhealthy-backend.ipynb",
        "03-slow-backend.ipynb",
        "04-incident-write-up.ipynb",
        "05-your-own-logs.ipynb",
    ];

    public static TheoryData<string> ShippedNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in FindNotebooks())
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    private static IEnumerable<string> FindNotebooks() =>
        Directory.Exists(RepoPaths.Notebooks)
            ? Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Order(StringComparer.Ordinal)
            : [];

    [Fact]
    public void The_five_guided_notebooks_are_shipped()
    {
        var missing = ExpectedNotebooks.Where(n => !File.Exists(Path.Combine(RepoPaths.Notebooks, n))).ToList();

        Assert.True(missing.Count == 0, $"missing in notebooks/: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(ShippedNotebooks))]
    public async Task Every_shipped_notebook_runs(string notebook)
    {
        var run = Environment.GetEnvironmentVariable(WriteOutputsVariable) == "1"
            ? await ShippedNotebookRuns.RunAndWriteOutputs(notebook)
            : await ShippedNotebookRuns.Get(notebook);

        Assert.NotEmpty(run.Cells);
        Assert.Contains(run.Packages, p => p.Name == KernelEmulator.PackageName);
        Assert.All(run.Packages, p => Assert.Contains(p.Name, ShippedNotebookRuns.AllowedPackages));
    }
}
