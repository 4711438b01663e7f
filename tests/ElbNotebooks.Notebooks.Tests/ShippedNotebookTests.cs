using System.Text.Json.Nodes;
using ElbNotebooks.Notebooks.Tests.Kernel;

namespace ElbNotebooks.Notebooks.Tests;

/// <summary>
/// Every shipped notebook, executed in the real kernel: no error, nothing on stderr, a plot for every chart cell, and
/// the committed outputs equal to what it shows now. With ELB_WRITE_NOTEBOOK_OUTPUTS=1 the outputs are written into
/// the notebooks instead:
/// <c>ELB_WRITE_NOTEBOOK_OUTPUTS=1 dotnet test tests/ElbNotebooks.Notebooks.Tests --filter Committed_outputs</c>
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
        "06-pool-wide-incident.ipynb",
    ];

    public static TheoryData<string> Notebooks() => new(ExpectedNotebooks);

    [Fact]
    public void The_guided_notebooks_and_nothing_else_are_shipped()
    {
        var shipped = Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(ExpectedNotebooks, shipped);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Runs_in_the_real_kernel_with_no_error_and_nothing_on_stderr(string notebook)
    {
        var run = RealKernel.Run(notebook);

        Assert.NotEmpty(run.Cells);
        foreach (var cell in run.Cells)
        {
            var bad = cell.Outputs.FirstOrDefault(o => o.IsError || o.IsStderr);
            Assert.True(bad is null, $"{notebook}, cell {cell.Number}: {bad?.ErrorName} {bad?.ErrorValue}{bad?.Text}\n--- cell:\n{cell.Code}");
            Assert.All(cell.Outputs, o => Assert.DoesNotContain("could not be shown", o.Html ?? o.Text ?? ""));
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Loads_the_package_packed_from_this_tree(string notebook)
    {
        var run = RealKernel.Run(notebook);

        var installed = run.Cells.SelectMany(c => c.Outputs).Select(o => o.Html ?? "").Where(h => h.Contains("Installed Packages", StringComparison.Ordinal));
        Assert.Contains(installed, h => h.Contains("ElbNotebooks, " + RealKernel.PackageVersion, StringComparison.Ordinal));
        Assert.Contains(run.Cells.SelectMany(c => c.Outputs), o => o.Text?.Contains("elbnotebooks/" + RealKernel.PackageVersion.ToLowerInvariant() + "/interactive-extensions/dotnet/extension.dib", StringComparison.Ordinal) == true);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_chart_cell_shows_a_plot_with_data(string notebook)
    {
        var run = RealKernel.Run(notebook);

        // The write-up notebook draws its charts inside the reports it writes (NotebookBrowserTests opens them).
        var chartCells = run.Cells.Where(c => c.Code.Contains(".Charts.", StringComparison.Ordinal)).ToList();
        Assert.Equal(notebook == "04-incident-write-up.ipynb", chartCells.Count == 0);
        foreach (var cell in chartCells)
        {
            var charts = cell.Outputs.Where(o => o.IsChart).ToList();
            Assert.True(charts.Count > 0, $"{notebook}, cell {cell.Number} draws no chart:\n{cell.Code}");
            foreach (var chart in charts)
            {
                var figure = Figure(chart.Html!);
                var traces = figure["data"]!.AsArray();
                Assert.NotEmpty(traces);
                Assert.Contains(traces, t => t!["x"] is JsonArray { Count: > 0 } || t!["z"] is JsonArray { Count: > 0 });
                Assert.False(string.IsNullOrEmpty(figure["layout"]!["title"]?["text"]?.GetValue<string>()), $"{notebook}, cell {cell.Number}: a chart without a title");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Each_notebook_says_what_you_will_learn_first_and_what_was_found_last(string notebook)
    {
        var file = NotebookFile.Load(Path.Combine(RepoPaths.Notebooks, notebook));

        NbformatAssert.Valid(file);
        Assert.Equal("csharp", file.DefaultKernelName);
        Assert.Equal("markdown", file.Cells[0].CellType);
        Assert.Contains("You will learn", file.Cells[0].Source);
        Assert.Equal("markdown", file.Cells[^1].CellType);
        Assert.Matches("^## What (you found|was found)", file.Cells[^1].Source);
        var ids = file.Cells.Select(c => c.Node["id"]?.GetValue<string>()).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", id!));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(file.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.KernelName));
        // The kernel has no nullable context: an annotation would print a compiler warning in the notebook.
        Assert.All(file.Cells.Where(c => c.IsCode), c => Assert.DoesNotMatch(@"\b(string|object)\?[\s)>\]]", c.Source));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_outputs_are_what_the_real_kernel_shows_now(string notebook)
    {
        var path = Path.Combine(RepoPaths.Notebooks, notebook);
        var fresh = RealKernel.Run(notebook).ForCommit();
        if (Environment.GetEnvironmentVariable(WriteOutputsVariable) == "1")
        {
            fresh.Save(path);
            return;
        }

        var committed = NotebookFile.Load(path);
        Assert.Equal(committed.Cells.Count, fresh.Cells.Count);
        for (var i = 0; i < committed.Cells.Count; i++)
        {
            if (!committed.Cells[i].IsCode) continue;
            var was = committed.Cells[i].Outputs;
            var now = fresh.Cells[i].Outputs;
            if (JsonNode.DeepEquals(was, now) && committed.Cells[i].ExecutionCount == fresh.Cells[i].ExecutionCount) continue;
            Assert.Fail($"notebooks/{notebook}, cell {i + 1}: the committed outputs are not what the kernel shows now.\n" +
                $"  committed: {Cut(was.ToJsonString())}\n  now:       {Cut(now.ToJsonString())}\n" +
                $"Write them: {WriteOutputsVariable}=1 dotnet test tests/ElbNotebooks.Notebooks.Tests --filter Committed_outputs");
        }

        static string Cut(string s) => s.Length > 400 ? s[..400] + "…" : s;
    }

    /// <summary>The figure JSON a chart output hands to <c>Plotly.newPlot</c>.</summary>
    internal static JsonNode Figure(string html)
    {
        const string Start = "var fig=";
        var start = html.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var end = html.IndexOf(";var el=document.getElementById(", start, StringComparison.Ordinal);
        Assert.True(start >= Start.Length && end > start, "no figure in the chart output");
        return JsonNode.Parse(html[start..end])!;
    }
}
