using ElbNotebooks.Notebooks.Tests.Emulation;

namespace ElbNotebooks.Notebooks.Tests;

public sealed class EmulatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<NotebookRun> RunAsync(NotebookFile notebook, string name = "tiny.ipynb", KernelEmulatorOptions? options = null)
    {
        var path = _temp.File(name);
        notebook.Save(path);
        return await new KernelEmulator(options).RunAsync(path);
    }

    private async Task<NotebookCellFailedException> FailAsync(NotebookFile notebook, string name, KernelEmulatorOptions? options = null) =>
        await Assert.ThrowsAsync<NotebookCellFailedException>(() => RunAsync(notebook, name, options));

    private static DisplayOutput SingleDisplay(CellRun cell) => Assert.IsType<DisplayOutput>(Assert.Single(cell.Outputs));

    [Fact]
    public async Task Cells_share_one_state_and_display_and_trailing_expressions_are_captured_as_html()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddMarkdown("# A tiny notebook\nMarkdown is not executed: `this is not C#`.")
            .AddCode("var answer = 40 + 2;")
            .AddCode("display(answer * 2);\nanswer.Display();")
            .AddCode("$\"answer = {answer}\"")
            .AddCode("Console.WriteLine(\"to stdout\");\nvar copy = answer;");

        var run = await RunAsync(notebook);

        Assert.Equal([2, 3, 4, 5], run.Cells.Select(c => c.CellNumber));
        Assert.Equal([1, 2, 3, 4], run.Cells.Select(c => c.ExecutionCount));
        Assert.Empty(run.Cell(2).Outputs);

        var displays = run.Cell(3).Outputs.Cast<DisplayOutput>().ToList();
        Assert.Equal(2, displays.Count);
        Assert.Contains("84", displays[0].Html);
        Assert.Equal("84", displays[0].PlainText);
        Assert.Contains("42", displays[1].Html);

        var trailing = SingleDisplay(run.Cell(4));
        Assert.Contains("answer = 42", trailing.Html);
        Assert.Equal("answer = 42", trailing.PlainText);

        // a statement that ends with ';' shows nothing; console text is a stdout stream
        var stream = Assert.IsType<StreamOutput>(Assert.Single(run.Cell(5).Outputs));
        Assert.Equal(new StreamOutput("stdout", "to stdout\n"), stream);
    }

    [Fact]
    public async Task Formatters_registered_by_a_cell_format_its_displays()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("public record Point(int X, int Y);")
            .AddCode("Formatter.Register<Point>((p, w) => w.Write($\"<b>({p.X}, {p.Y})</b>\"), \"text/html\");")
            .AddCode("new Point(1, 2)");

        var run = await RunAsync(notebook);

        Assert.Equal("<b>(1, 2)</b>", SingleDisplay(run.Cell(3)).Html);
    }

    [Fact]
    public async Task Void_call_without_semicolon_shows_nothing_and_a_null_value_shows_null()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("void Nothing() { }\nNothing()")
            .AddCode("string? none = null;\nnone");

        var run = await RunAsync(notebook);

        Assert.Empty(run.Cell(1).Outputs);
        Assert.Equal("<null>", SingleDisplay(run.Cell(2)).PlainText);
    }

    [Fact]
    public async Task Displayed_value_update_replaces_the_output()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("var shown = display(\"working\");\nshown.Update(\"done\");");

        var run = await RunAsync(notebook);

        Assert.Equal("done", SingleDisplay(run.Cell(1)).PlainText);
    }

    [Fact]
    public async Task A_compile_error_fails_with_notebook_name_cell_number_and_message()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddMarkdown("intro")
            .AddCode("var fine = 1;")
            .AddCode("int broken = \"not a number\";")
            .AddCode("var never = 2;");

        var failure = await FailAsync(notebook, "broken.ipynb");

        Assert.Equal("broken.ipynb", failure.Notebook);
        Assert.Equal(3, failure.CellNumber);
        Assert.Contains("CS0029", failure.Reason);
        Assert.StartsWith("broken.ipynb: cell 3 failed: (1,14): error CS0029", failure.Message);
    }

    [Fact]
    public async Task A_throwing_cell_fails_with_notebook_name_cell_number_and_message()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("var fine = 1;")
            .AddCode("throw new InvalidOperationException(\"the backend is on fire\");");

        var failure = await FailAsync(notebook, "throws.ipynb");

        Assert.Equal(2, failure.CellNumber);
        Assert.Equal("throws.ipynb: cell 2 failed: System.InvalidOperationException: the backend is on fire", failure.Message);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
    }

    [Fact]
    public async Task Awaited_exceptions_fail_the_cell_too()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("await Task.Yield();\nawait Task.FromException(new TimeoutException(\"slow\"));");

        var failure = await FailAsync(notebook, "async.ipynb");

        Assert.Equal("async.ipynb: cell 1 failed: System.TimeoutException: slow", failure.Message);
    }

    [Fact]
    public async Task A_cell_that_does_not_finish_fails_after_the_timeout()
    {
        var notebook = NotebookFile.CreatePolyglot().AddCode("System.Threading.Thread.Sleep(3000);");

        var failure = await FailAsync(notebook, "hangs.ipynb", new KernelEmulatorOptions { CellTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal("hangs.ipynb: cell 1 failed: still running after 00:00:00.2000000.", failure.Message);
    }

    [Fact]
    public async Task Nuget_reference_to_the_library_is_satisfied_by_the_fresh_build()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("#r \"nuget: ElbNotebooks, 0.1.0\"\n#i \"nuget: /somewhere/artifacts\"\nusing ElbNotebooks.Loading;")
            .AddCode("typeof(AccessLog).Assembly.Location");

        var run = await RunAsync(notebook);

        var package = Assert.Single(run.Packages);
        Assert.Equal(new PackageRequest(1, "#r \"nuget: ElbNotebooks, 0.1.0\"", "ElbNotebooks", "0.1.0"), package);
        Assert.Equal(["/somewhere/artifacts"], run.PackageSources);
        Assert.Equal(2, run.Cell(1).Directives.Count);
        var location = SingleDisplay(run.Cell(2)).PlainText;
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "ElbNotebooks.dll"), location);
    }

    [Fact]
    public async Task The_package_dependencies_come_with_the_library()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("#r \"nuget: ElbNotebooks, 0.1.0\"\nusing Microsoft.Data.Analysis;")
            .AddCode("var frame = new DataFrame(new Int32DataFrameColumn(\"status\", new[] { 200, 502 }));\nframe.Rows.Count")
            .AddCode("typeof(Plotly.NET.GenericChart).Assembly.GetName().Name");

        var run = await RunAsync(notebook);

        Assert.Equal("2", SingleDisplay(run.Cell(2)).PlainText);
        Assert.Equal("Plotly.NET", SingleDisplay(run.Cell(3)).PlainText);
    }

    [Fact]
    public async Task Library_is_not_referenced_before_its_nuget_directive()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("using ElbNotebooks.Loading;");

        var failure = await FailAsync(notebook, "no-r.ipynb");

        Assert.Equal(1, failure.CellNumber);
        Assert.Contains("error CS0234: The type or namespace name 'Loading' does not exist", failure.Reason);
    }

    [Fact]
    public async Task Other_packages_are_refused()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("#r \"nuget: Newtonsoft.Json, 13.0.3\"");

        var failure = await FailAsync(notebook, "other.ipynb");

        Assert.Contains("Newtonsoft.Json", failure.Reason);
        Assert.Contains("only ElbNotebooks", failure.Reason);
    }

    [Fact]
    public async Task Magic_commands_are_stripped_and_recorded_and_kernel_lines_pick_the_language()
    {
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("#!time\n1 + 1")
            .AddCode("#!markdown\n# not code")
            .AddCode("#!csharp\n2 + 2", kernelName: "markdown");

        var run = await RunAsync(notebook);

        Assert.Equal([1, 3], run.Cells.Select(c => c.CellNumber));
        Assert.Equal(["#!time"], run.Cell(1).Directives);
        Assert.Equal("2", SingleDisplay(run.Cell(1)).PlainText);
        Assert.Equal("4", SingleDisplay(run.Cell(3)).PlainText);
    }

    [Fact]
    public async Task Cells_of_other_kernels_fail_clearly()
    {
        var notebook = NotebookFile.CreatePolyglot().AddCode("printfn \"hi\"", kernelName: "fsharp");

        var failure = await FailAsync(notebook, "fsharp.ipynb");

        Assert.Contains("kernel 'fsharp' is not emulated", failure.Reason);
    }

    [Fact]
    public async Task Cells_run_in_the_notebook_folder()
    {
        var notebook = NotebookFile.CreatePolyglot().AddCode("System.IO.Directory.GetCurrentDirectory()");
        var before = Environment.CurrentDirectory;

        var run = await RunAsync(notebook);

        Assert.Equal(Path.GetFullPath(_temp.Path), Path.GetFullPath(SingleDisplay(run.Cell(1)).PlainText!));
        Assert.Equal(before, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task Extension_script_runs_right_after_the_nuget_directive()
    {
        var extension = _temp.File("extension.dib");
        File.WriteAllText(extension, """
            #!meta

            {"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"name":"csharp"}]}}

            #!markdown

            This extension is for tests.

            #!csharp

            var loadedBy = "extension";
            Formatter.Register<DateOnly>((d, w) => w.Write("<i>day</i>"), "text/html");

            #!csharp

            Console.WriteLine("extension loaded");
            """);
        var notebook = NotebookFile.CreatePolyglot()
            .AddCode("var before = 1;")
            .AddCode("#r \"nuget: ElbNotebooks, *-*\"\nloadedBy")
            .AddCode("new DateOnly(2024, 5, 1)");

        var run = await RunAsync(notebook, options: new KernelEmulatorOptions { ExtensionScriptPath = extension });

        Assert.Equal(extension, run.ExtensionScript);
        Assert.Equal(new StreamOutput("stdout", "extension loaded\n"), run.Cell(2).Outputs[0]);
        Assert.Equal("extension", ((DisplayOutput)run.Cell(2).Outputs[1]).PlainText);
        Assert.Equal("<i>day</i>", SingleDisplay(run.Cell(3)).Html);
    }

    [Fact]
    public async Task A_failing_extension_names_the_extension_and_its_cell()
    {
        var extension = _temp.File("extension.dib");
        File.WriteAllText(extension, "#!markdown\n\nhi\n\n#!csharp\n\nundefinedThing();\n");
        var notebook = NotebookFile.CreatePolyglot().AddCode("#r \"nuget: ElbNotebooks\"");

        var failure = await FailAsync(notebook, "uses-extension.ipynb", new KernelEmulatorOptions { ExtensionScriptPath = extension });

        Assert.Equal("extension.dib (loaded by uses-extension.ipynb)", failure.Notebook);
        Assert.Equal(2, failure.CellNumber);
        Assert.Contains("CS0103", failure.Reason);
    }

    [Fact]
    public async Task Missing_extension_script_runs_nothing()
    {
        var notebook = NotebookFile.CreatePolyglot().AddCode("#r \"nuget: ElbNotebooks\"\n1");

        var run = await RunAsync(notebook, options: new KernelEmulatorOptions { ExtensionScriptPath = _temp.File("none.dib") });

        Assert.Null(run.ExtensionScript);
        Assert.Equal("1", SingleDisplay(run.Cell(1)).PlainText);
    }

    [Fact]
    public async Task The_library_extension_script_runs_when_the_package_ships_one()
    {
        // Until src/ElbNotebooks/interactive-extensions/dotnet/extension.dib exists this runs no extension;
        // once it does, the extension must load in a notebook that restores the package.
        var notebook = NotebookFile.CreatePolyglot().AddCode("#r \"nuget: ElbNotebooks, 0.1.0\"");

        var run = await RunAsync(notebook, options: new KernelEmulatorOptions { ExtensionScriptPath = RepoPaths.ExtensionScript });

        Assert.Equal(File.Exists(RepoPaths.ExtensionScript) ? RepoPaths.ExtensionScript : null, run.ExtensionScript);
    }

    [Fact]
    public async Task Written_outputs_are_valid_nbformat_that_rereads_identically_and_reruns_give_the_same_file()
    {
        var path = _temp.File("written.ipynb");
        var notebook = NotebookFile.CreatePolyglot()
            .AddMarkdown("# Written")
            .AddCode("var id = Guid.NewGuid();\ndisplay($\"<div id='{id}'>chart</div>\");\nConsole.Write(\"a\\nb\");")
            .AddCode("\"<b>é</b>\"");
        notebook.Root["metadata"]!["custom_field"] = "kept";
        notebook.Cells[1].Node["id"] = "cell-id-1";
        notebook.Save(path);

        await new KernelEmulator().RunAndWriteOutputsAsync(path);
        var first = File.ReadAllText(path);
        await new KernelEmulator().RunAndWriteOutputsAsync(path);
        var second = File.ReadAllText(path);

        Assert.Equal(first, second);
        var reread = NotebookFile.Load(path);
        Assert.Equal(first, reread.ToJson());
        NbformatAssert.Valid(reread);
        Assert.Equal("kept", reread.Root["metadata"]!["custom_field"]!.GetValue<string>());
        Assert.Equal("cell-id-1", reread.Cells[1].Node["id"]!.GetValue<string>());
        Assert.Null(reread.Cells[0].Node["outputs"]);
        Assert.Equal(1, reread.Cells[1].ExecutionCount);
        Assert.Equal(2, reread.Cells[2].ExecutionCount);
        Assert.Contains("00000000-0000-4000-8000-000000000001", first);
        Assert.Contains("\"<b>é</b>\"", first);
        var outputs = reread.Cells[1].Outputs;
        Assert.Equal("display_data", outputs[0]!["output_type"]!.GetValue<string>());
        Assert.Equal(["a\n", "b"], outputs[1]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task Written_outputs_renumber_element_ids_and_chart_sequence_numbers_but_keep_guids_that_are_data()
    {
        var path = _temp.File("ids.ipynb");
        NotebookFile.CreatePolyglot()
            .AddCode("var element = Guid.NewGuid();\n" +
                     "display($\"<div id=\\\"{element}\\\"></div><script>plot('{element}')</script>\");\n" +
                     "display(\"pool_948c13ac-a1b4-4a27-9116-3f0468829e83\");")
            .AddCode("display(\"<div id='elb-chart-0a1b2c3d-17'></div><script>plot('elb-chart-0a1b2c3d-17')</script>\");\n" +
                     "display(\"<div id='elb-chart-99999999-18'></div>\");")
            .Save(path);

        await new KernelEmulator().RunAndWriteOutputsAsync(path);
        var written = string.Join("\n", NotebookFile.Load(path).Cells.SelectMany(c => c.Outputs)
            .Select(o => string.Concat(o!["data"]!["text/plain"]!.AsArray().Select(l => l!.GetValue<string>()))));

        Assert.Contains("<div id=\"00000000-0000-4000-8000-000000000001\"></div><script>plot('00000000-0000-4000-8000-000000000001')", written);
        Assert.Contains("pool_948c13ac-a1b4-4a27-9116-3f0468829e83", written);
        Assert.Contains("<div id='elb-chart-0a1b2c3d-1'></div><script>plot('elb-chart-0a1b2c3d-1')", written);
        Assert.Contains("<div id='elb-chart-99999999-2'></div>", written);
        Assert.DoesNotContain("-17'", written);
    }

    [Fact]
    public async Task Written_outputs_drop_the_commit_from_version_stamps()
    {
        var path = _temp.File("version.ipynb");
        NotebookFile.CreatePolyglot().AddCode("\"Generated by ElbNotebooks 0.1.0+4883c1852847434fdfc9c75f5584e14ace36a8a7. Keep 1.2.3.\"").Save(path);

        await new KernelEmulator().RunAndWriteOutputsAsync(path);

        var shown = string.Concat(NotebookFile.Load(path).Cells[0].Outputs[0]!["data"]!["text/plain"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("Generated by ElbNotebooks 0.1.0. Keep 1.2.3.", shown);
    }
}
