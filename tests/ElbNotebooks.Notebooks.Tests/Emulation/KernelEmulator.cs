using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Notebooks.Tests.Emulation;

public sealed record KernelEmulatorOptions
{
    /// <summary>
    /// The package's extension script (interactive-extensions/dotnet/extension.dib). The real kernel runs it right after
    /// <c>#r "nuget: ElbNotebooks"</c> restores the package; so does the emulator. A path that does not exist runs nothing.
    /// </summary>
    public string? ExtensionScriptPath { get; init; }

    /// <summary>
    /// Packages a <c>#r "nuget: ..."</c> may ask for; anything else fails the cell. ElbNotebooks is the freshly built
    /// library (and runs its extension); any other must be referenced by this test project, which supplies it.
    /// </summary>
    public IReadOnlyCollection<string> AllowedPackages { get; init; } = [KernelEmulator.PackageName];

    /// <summary>Run with the notebook's folder as the current directory, as the kernel does (relative paths in cells).</summary>
    public bool RunInNotebookDirectory { get; init; } = true;

    /// <summary>A cell still running after this fails the notebook (the kernel would wait forever; a test should not).</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>A <c>#r "nuget: Name, Version"</c> a cell asked for; satisfied by the freshly built library.</summary>
public sealed record PackageRequest(int CellNumber, string Directive, string Name, string? Version);

/// <summary>One executed code cell.</summary>
public sealed record CellRun(
    int CellNumber, int ExecutionCount, string Code, IReadOnlyList<string> Directives, IReadOnlyList<CellOutput> Outputs);

/// <summary>The result of running a notebook: each executed cell's outputs, what it asked for, and write-back.</summary>
public sealed class NotebookRun(
    string name, NotebookFile notebook, IReadOnlyList<CellRun> cells, IReadOnlyList<PackageRequest> packages,
    IReadOnlyList<string> packageSources, string? extensionScript)
{
    public string Name { get; } = name;

    public NotebookFile Notebook { get; } = notebook;

    public IReadOnlyList<CellRun> Cells { get; } = cells;

    public IReadOnlyList<PackageRequest> Packages { get; } = packages;

    /// <summary>The <c>#i "nuget: ..."</c> sources the notebook named (recorded, not used).</summary>
    public IReadOnlyList<string> PackageSources { get; } = packageSources;

    /// <summary>The extension.dib that ran after <c>#r "nuget: ElbNotebooks"</c>, or null when none was there.</summary>
    public string? ExtensionScript { get; } = extensionScript;

    /// <summary>The run's outputs of the cell with this 1-based number.</summary>
    public CellRun Cell(int cellNumber) => Cells.Single(c => c.CellNumber == cellNumber);

    /// <summary>
    /// Puts the outputs into <see cref="Notebook"/>: each executed code cell gets its <c>execution_count</c> and its
    /// <c>outputs</c> (<c>display_data</c> with text/html and text/plain, <c>stream</c> for console text). Ids that
    /// change from run to run are renumbered per notebook so that re-running writes the same file: GUIDs used as HTML
    /// element ids (<c>id="..."</c>, and wherever else that GUID appears) and the run-wide sequence number of this
    /// project's chart ids (<c>elb-chart-&lt;hash&gt;-&lt;n&gt;</c>); the commit in a version (<c>0.1.0+4883c18...</c>)
    /// is dropped. Other GUIDs are data (pool and listener names) and are kept as they are.
    /// </summary>
    public NotebookFile ApplyOutputs()
    {
        // First every element id of the notebook, so that an id met first in a later output (or in the plain-text
        // rendering) is renumbered everywhere.
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var texts = Cells.SelectMany(c => c.Outputs).SelectMany(o => o switch
        {
            DisplayOutput display => display.Data.Values,
            StreamOutput stream => [stream.Text],
            _ => [],
        });
        foreach (var text in texts)
        {
            foreach (Match guid in KernelEmulator.ElementIdGuidPattern().Matches(text))
            {
                ids.TryAdd(guid.Groups["guid"].Value, $"00000000-0000-4000-8000-{ids.Count + 1:D12}");
            }
        }

        var charts = new Dictionary<string, string>(StringComparer.Ordinal);
        string Stable(string text)
        {
            if (ids.Count > 0)
            {
                text = KernelEmulator.GuidPattern().Replace(text, m => ids.GetValueOrDefault(m.Value, m.Value));
            }

            text = KernelEmulator.SourceRevisionPattern().Replace(text, "${version}");
            return KernelEmulator.ChartIdPattern().Replace(text, m =>
            {
                if (!charts.TryGetValue(m.Value, out var id))
                {
                    id = $"elb-chart-{m.Groups["hash"].Value}-{charts.Count + 1}";
                    charts[m.Value] = id;
                }

                return id;
            });
        }

        foreach (var run in Cells)
        {
            var cell = Notebook.Cells[run.CellNumber - 1];
            cell.ExecutionCount = run.ExecutionCount;
            var outputs = cell.Outputs;
            outputs.Clear();
            foreach (var output in run.Outputs)
            {
                outputs.Add(output switch
                {
                    DisplayOutput display => new JsonObject
                    {
                        ["data"] = new JsonObject(display.Data.Select(d =>
                            KeyValuePair.Create(d.Key, (JsonNode?)NotebookCell.ToLines(Stable(d.Value))))),
                        ["metadata"] = new JsonObject(),
                        ["output_type"] = "display_data",
                    },
                    StreamOutput stream => new JsonObject
                    {
                        ["name"] = stream.Name,
                        ["output_type"] = "stream",
                        ["text"] = NotebookCell.ToLines(Stable(stream.Text)),
                    },
                    _ => throw new InvalidOperationException($"Unknown output {output.GetType().Name}."),
                });
            }
        }

        return Notebook;
    }
}

/// <summary>
/// Executes Polyglot notebooks the way the .NET Interactive C# kernel would, with Roslyn scripting: every C# cell in
/// order in one script state, the kernel's default imports, <c>display(...)</c>/<c>x.Display()</c> and trailing
/// expressions formatted with the registered formatters, <c>#r "nuget: ElbNotebooks"</c> satisfied by the freshly
/// built library (whose extension.dib then runs), magic commands stripped and recorded.
/// Not thread-safe: formatter state, Console and the current directory are process-wide; run notebooks serially.
/// </summary>
public sealed partial class KernelEmulator(KernelEmulatorOptions? options = null)
{
    public const string PackageName = "ElbNotebooks";

    /// <summary>The C# kernel's default imports. Microsoft.DotNet.Interactive is this project's stand-in (KernelApi.cs).</summary>
    public static readonly ImmutableArray<string> DefaultImports =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks",
        "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.Formatting",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> KernelReferences = new(LoadKernelReferences);
    private static readonly Lazy<ImmutableArray<MetadataReference>> LibraryReferences = new(LoadLibraryReferences);

    private readonly KernelEmulatorOptions _options = options ?? new KernelEmulatorOptions();

    [GeneratedRegex("""^\s*#r\s+"\s*nuget\s*:\s*(?<name>[^,"]+?)\s*(,\s*(?<version>[^"]*?)\s*)?"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^\s*#i\s+"\s*(nuget\s*:\s*)?(?<source>[^"]*?)\s*"\s*$""")]
    private static partial Regex PackageSource();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    internal static partial Regex GuidPattern();

    /// <summary>A GUID that is an HTML element id: <c>id="..."</c>, <c>id='...'</c>, also HTML-encoded (<c>id=&amp;quot;...</c>).</summary>
    [GeneratedRegex("""\bid\s*=\s*(["']|&quot;|&#39;|&#x27;)?(?<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})""")]
    internal static partial Regex ElementIdGuidPattern();

    /// <summary>
    /// The commit a build stamps into its informational version (<c>0.1.0+4883c18...</c>): it changes with every commit,
    /// so an output that names the library's version would never match the committed notebook.
    /// </summary>
    [GeneratedRegex(@"(?<version>\b\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)\+[0-9a-f]{7,40}\b")]
    internal static partial Regex SourceRevisionPattern();

    /// <summary>Chart element ids of ElbNotebooks' chart view: a content hash and a process-wide sequence number.</summary>
    [GeneratedRegex("elb-chart-(?<hash>[0-9a-f]{8})-[0-9]+")]
    internal static partial Regex ChartIdPattern();

    /// <summary>Runs the notebook at <paramref name="path"/>; throws <see cref="NotebookCellFailedException"/> on the first failing cell.</summary>
    public Task<NotebookRun> RunAsync(string path, CancellationToken cancellationToken = default) =>
        RunAsync(NotebookFile.Load(path), Path.GetFileName(path), Path.GetDirectoryName(Path.GetFullPath(path)), cancellationToken);

    /// <summary>Runs <paramref name="notebook"/>; <paramref name="name"/> is used in failure messages.</summary>
    public async Task<NotebookRun> RunAsync(
        NotebookFile notebook, string name, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var session = new Session(this, name);
        var previousDirectory = Environment.CurrentDirectory;
        Formatter.ResetToDefault();
        try
        {
            if (_options.RunInNotebookDirectory && workingDirectory is not null)
            {
                Environment.CurrentDirectory = workingDirectory;
            }

            await session.StartAsync(cancellationToken);
            var defaultKernel = KernelNames.Normalize(notebook.DefaultKernelName ?? KernelNames.CSharp);
            for (var i = 0; i < notebook.Cells.Count; i++)
            {
                var cell = notebook.Cells[i];
                if (!cell.IsCode)
                {
                    continue; // markdown and raw cells are not executed
                }

                var source = cell.Source;
                var kernel = KernelNames.Normalize(cell.KernelName ?? defaultKernel);
                var firstLine = source.Replace("\r\n", "\n").Split('\n').FirstOrDefault(l => l.Trim().Length > 0);
                if (firstLine is not null && KernelNames.TryParseKernelLine(firstLine, out var switched))
                {
                    kernel = switched;
                }

                if (kernel == KernelNames.Markdown)
                {
                    continue;
                }

                if (kernel != KernelNames.CSharp)
                {
                    throw new NotebookCellFailedException(name, i + 1, $"kernel '{kernel}' is not emulated (only C# cells run).");
                }

                await session.RunCellAsync(i + 1, source, cancellationToken);
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }

        return new NotebookRun(name, notebook, session.Cells, session.Packages, session.Sources, session.ExtensionScript);
    }

    /// <summary>Runs the notebook at <paramref name="path"/> and saves it with the outputs of this run.</summary>
    public async Task<NotebookRun> RunAndWriteOutputsAsync(string path, CancellationToken cancellationToken = default)
    {
        var run = await RunAsync(path, cancellationToken);
        run.ApplyOutputs().Save(path);
        return run;
    }

    private sealed class Session(KernelEmulator emulator, string name)
    {
        private readonly KernelGlobals _globals = new();
        private ScriptOptions _scriptOptions = ScriptOptions.Default
            .WithReferences(KernelReferences.Value)
            .WithImports(DefaultImports)
            .WithEmitDebugInformation(false);

        private ScriptState<object>? _state;
        private bool _libraryLoaded;
        private readonly HashSet<string> _otherPackages = new(StringComparer.OrdinalIgnoreCase);

        private static bool IsLibrary(PackageRequest package) =>
            string.Equals(package.Name, PackageName, StringComparison.OrdinalIgnoreCase);

        public List<CellRun> Cells { get; } = [];

        public List<PackageRequest> Packages { get; } = [];

        public List<string> Sources { get; } = [];

        public string? ExtensionScript { get; private set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var script = CSharpScript.Create("", _scriptOptions, typeof(KernelGlobals));
            _state = await script.RunAsync(_globals, catchException: null, cancellationToken);
        }

        public async Task RunCellAsync(int cellNumber, string source, CancellationToken cancellationToken)
        {
            var sink = new OutputSink();
            var directives = new List<string>();
            var lines = source.Replace("\r\n", "\n").Split('\n');
            var requested = new List<PackageRequest>();
            for (var l = 0; l < lines.Length; l++)
            {
                var line = lines[l];
                var trimmed = line.Trim();
                if (NugetReference().Match(line) is { Success: true } package)
                {
                    var version = package.Groups["version"].Success && package.Groups["version"].Value.Length > 0
                        ? package.Groups["version"].Value
                        : null;
                    requested.Add(new PackageRequest(cellNumber, trimmed, package.Groups["name"].Value, version));
                }
                else if (PackageSource().Match(line) is { Success: true } packageSource)
                {
                    Sources.Add(packageSource.Groups["source"].Value);
                }
                else if (trimmed.StartsWith("#!", StringComparison.Ordinal))
                {
                    // magic command (#!time, #!about, the #!csharp kernel line, ...): recorded, not emulated
                }
                else
                {
                    continue;
                }

                directives.Add(trimmed);
                lines[l] = ""; // keep line numbers of compiler messages right
            }

            foreach (var package in requested)
            {
                if (!emulator._options.AllowedPackages.Contains(package.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new NotebookCellFailedException(name, cellNumber,
                        $"{package.Directive}: only {string.Join(", ", emulator._options.AllowedPackages)} can be restored " +
                        "here (the emulator satisfies it with the freshly built library).");
                }

                Packages.Add(package);
            }

            OutputSink.Current = sink;
            try
            {
                foreach (var other in requested.Where(p => !IsLibrary(p)).Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (_otherPackages.Add(other))
                    {
                        _scriptOptions = _scriptOptions.AddReferences(PackageReferences(other));
                    }
                }

                if (requested.Any(IsLibrary) && !_libraryLoaded)
                {
                    _libraryLoaded = true;
                    _scriptOptions = _scriptOptions.AddReferences(LibraryReferences.Value);
                    await LoadExtensionAsync(cancellationToken);
                }

                var code = string.Join("\n", lines);
                if (code.Trim().Length > 0)
                {
                    await SubmitAsync(name, cellNumber, code, displayResult: true, cancellationToken);
                }
            }
            finally
            {
                OutputSink.Current = null;
            }

            Cells.Add(new CellRun(cellNumber, Cells.Count + 1, source, directives, sink.Outputs));
        }

        private async Task LoadExtensionAsync(CancellationToken cancellationToken)
        {
            var path = emulator._options.ExtensionScriptPath;
            if (path is null || !File.Exists(path))
            {
                return; // no extension.dib (yet): nothing to run
            }

            ExtensionScript = path;
            var label = $"{Path.GetFileName(path)} (loaded by {name})";
            foreach (var cell in DibFile.Load(path))
            {
                if (cell.KernelName is KernelNames.Markdown or "meta")
                {
                    continue;
                }

                if (cell.KernelName != KernelNames.CSharp)
                {
                    throw new NotebookCellFailedException(label, cell.Number, $"kernel '{cell.KernelName}' is not emulated.");
                }

                await SubmitAsync(label, cell.Number, cell.Source, displayResult: false, cancellationToken);
            }
        }

        private async Task SubmitAsync(
            string file, int cellNumber, string code, bool displayResult, CancellationToken cancellationToken)
        {
            var script = _state!.Script.ContinueWith(code, _scriptOptions);
            var errors = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new NotebookCellFailedException(file, cellNumber, string.Join("\n", errors.Select(e => e.ToString())));
            }

            var hasResult = HasTrailingExpression(script.GetCompilation());
            var sink = OutputSink.Current!;
            var (stdout, stderr) = (Console.Out, Console.Error);
            Console.SetOut(new ConsoleCapture(sink, "stdout"));
            Console.SetError(new ConsoleCapture(sink, "stderr"));
            var state = _state;
            var running = Task.Run(() => script.RunFromAsync(state, catchException: null, cancellationToken), cancellationToken);
            try
            {
                _state = await running.WaitAsync(emulator._options.CellTimeout, cancellationToken);
            }
            catch (TimeoutException) when (!running.IsCompleted)
            {
                throw new NotebookCellFailedException(file, cellNumber, $"still running after {emulator._options.CellTimeout}.");
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var inner = exception;
                while (inner is TargetInvocationException or AggregateException && inner.InnerException is not null)
                {
                    inner = inner.InnerException;
                }

                throw new NotebookCellFailedException(file, cellNumber, $"{inner.GetType().FullName}: {inner.Message}", inner);
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }

            if (displayResult && hasResult)
            {
                sink.Display(_state.ReturnValue, null);
            }
        }
    }

    /// <summary>
    /// True when the submission ends with an expression without ';' that has a value: the kernel shows that value
    /// (<c>ScriptState.ReturnValue</c>, which is also null for "no value", so it is decided from the syntax).
    /// </summary>
    private static bool HasTrailingExpression(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Single();
        var last = tree.GetCompilationUnitRoot().Members.LastOrDefault();
        if (last is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement })
        {
            return false;
        }

        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    /// <summary>What the kernel process has before any #r: the framework, the formatting library, the kernel API stand-in.</summary>
    private static ImmutableArray<MetadataReference> LoadKernelReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal))
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        var formatting = DependencyClosure(typeof(Formatter).Assembly.GetName().Name!);
        return [.. framework.Concat(formatting).Append(typeof(KernelGlobals).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>
    /// What <c>#r "nuget: Name"</c> brings for another allowed package (<see cref="KernelEmulatorOptions.AllowedPackages"/>):
    /// its assemblies and their dependencies, which this test project must reference so they are in its .deps.json.
    /// </summary>
    private static ImmutableArray<MetadataReference> PackageReferences(string name) =>
        [.. DependencyClosure(name).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];

    /// <summary>What <c>#r "nuget: ElbNotebooks"</c> brings: the built library and its package dependencies.</summary>
    private static ImmutableArray<MetadataReference> LoadLibraryReferences() =>
        [.. DependencyClosure(PackageName).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];

    /// <summary>
    /// The runtime assemblies of a library and everything it depends on, from this test project's .deps.json
    /// (the same closure NuGet restores for the package), resolved in the output folder.
    /// </summary>
    private static IEnumerable<string> DependencyClosure(string library)
    {
        var baseDirectory = AppContext.BaseDirectory;
        var depsFile = Path.Combine(baseDirectory, typeof(KernelEmulator).Assembly.GetName().Name + ".deps.json");
        var targets = (JsonNode.Parse(File.ReadAllText(depsFile))?["targets"] as JsonObject)?.FirstOrDefault().Value as JsonObject
            ?? throw new InvalidOperationException($"{depsFile} has no targets.");
        var byName = targets.ToDictionary(t => t.Key.Split('/')[0], t => t.Value as JsonObject, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([library]);
        var files = new List<string>();
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current) || !byName.TryGetValue(current, out var entry) || entry is null)
            {
                continue;
            }

            foreach (var runtime in (entry["runtime"] as JsonObject ?? []).Select(r => Path.GetFileName(r.Key)))
            {
                var file = Path.Combine(baseDirectory, runtime);
                if (File.Exists(file))
                {
                    files.Add(file);
                }
            }

            foreach (var dependency in entry["dependencies"] as JsonObject ?? [])
            {
                pending.Push(dependency.Key);
            }
        }

        if (files.Count == 0)
        {
            throw new InvalidOperationException($"{library} is not in {depsFile}: reference it from the test project.");
        }

        return files;
    }
}
