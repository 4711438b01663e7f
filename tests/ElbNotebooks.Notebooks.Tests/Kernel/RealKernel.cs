using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace ElbNotebooks.Notebooks.Tests.Kernel;

/// <summary>
/// Runs the shipped notebooks in the real .NET Interactive kernel (the local tool dotnet-interactive, pinned in
/// .config/dotnet-tools.json) through Jupyter's <c>nbconvert --execute</c>, the way a user's JupyterLab runs them:
/// the package is packed from the tree under test into <c>artifacts/</c>, which <c>notebooks/nuget.config</c> names,
/// and each notebook runs in place in <c>notebooks/</c> and resolves <c>#r "nuget: ElbNotebooks, *-*"</c> to it.
/// Each notebook runs once per test process; the tests read its executed copy.
/// </summary>
public static class RealKernel
{
    public const string KernelName = ".net-csharp";

    private static readonly Lazy<Setup> Prepared = new(Prepare);
    private static readonly ConcurrentDictionary<string, Lazy<ExecutedNotebook>> Runs = new(StringComparer.Ordinal);

    /// <summary>The package version this test process packed (<c>0.1.0-dev.&lt;time&gt;</c>).</summary>
    public static string PackageVersion => Prepared.Value.PackageVersion;

    /// <summary>notebooks/<paramref name="notebook"/> executed in the kernel (once per process).</summary>
    public static ExecutedNotebook Run(string notebook) =>
        Runs.GetOrAdd(notebook, n => new Lazy<ExecutedNotebook>(() => Execute(n))).Value;

    private sealed record Setup(string JupyterPath, string OutputDir, string PackageVersion);

    private static Setup Prepare()
    {
        Exec("dotnet", ["tool", "restore"], RepoPaths.Root, TimeSpan.FromMinutes(5));

        var artifacts = Path.Combine(RepoPaths.Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        foreach (var old in Directory.GetFiles(artifacts, "ElbNotebooks.*-dev.*.nupkg")) File.Delete(old);
        // The solution built the library in this configuration before the tests ran (project reference): pack what
        // is built rather than build it again next to the other test project's own pack.
        var configuration = typeof(RealKernel).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        Exec("dotnet", ["pack", Path.Combine(RepoPaths.Root, "src", "ElbNotebooks"), "-c", configuration, "--no-build", "-o", artifacts, "--nologo"],
            RepoPaths.Root, TimeSpan.FromMinutes(5));
        var package = Directory.GetFiles(artifacts, "ElbNotebooks.*-dev.*.nupkg").Single();
        var version = Path.GetFileNameWithoutExtension(package)["ElbNotebooks.".Length..];

        // The kernelspec `dotnet interactive jupyter install` writes, in a folder of this run's, so the test needs
        // nothing installed in the user's Jupyter and changes nothing there.
        var work = Directory.CreateTempSubdirectory("elb-kernel-").FullName;
        var spec = Path.Combine(work, "jupyter", "kernels", KernelName);
        Directory.CreateDirectory(spec);
        File.WriteAllText(Path.Combine(spec, "kernel.json"), """
            {
              "argv": ["dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"],
              "display_name": ".NET (C#)",
              "language": "C#"
            }
            """);
        var output = Path.Combine(work, "executed");
        Directory.CreateDirectory(output);
        // 05-your-own-logs exports into notebooks/out/export, and an export skips the rows already there: each run of the
        // notebooks starts without one, as a fresh clone does, so its saved output ("36,260 requests ... written") holds.
        var export = Path.Combine(RepoPaths.Notebooks, "out", "export");
        if (Directory.Exists(export)) Directory.Delete(export, recursive: true);
        return new Setup(Path.Combine(work, "jupyter"), output, version);
    }

    private static ExecutedNotebook Execute(string notebook)
    {
        var setup = Prepared.Value;
        var started = DateTime.UtcNow;
        Exec("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--allow-errors",
                "--ExecutePreprocessor.kernel_name=" + KernelName, "--ExecutePreprocessor.timeout=900",
                "--ExecutePreprocessor.record_timing=False", "--output-dir", setup.OutputDir, notebook],
            RepoPaths.Notebooks, TimeSpan.FromMinutes(20), ("JUPYTER_PATH", setup.JupyterPath));
        return new ExecutedNotebook(notebook, NotebookFile.Load(Path.Combine(setup.OutputDir, notebook)), started);
    }

    private static string Exec(string file, string[] args, string workingDirectory, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{file}' could not be started ({e.Message}). The notebook tests need Jupyter: apt-get install -y jupyter-nbconvert python3-nbclient python3-ipykernel (see README).", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}.");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
            return stdout.Result;
        }
    }
}
