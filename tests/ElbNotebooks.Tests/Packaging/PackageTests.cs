using System.IO.Compression;
using System.Xml.Linq;
using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Packaging;

/// <summary>Runs <c>dotnet pack</c> on the library into a temp folder and reads the .nupkg.</summary>
public class PackageTests
{
    private static readonly Lazy<string> Package = new(Pack);


    private static string Pack()
    {
        var output = Path.Combine(Path.GetTempPath(), "elb-pack-" + Guid.NewGuid().ToString("N"));
        var (exit, stdout, stderr) = ProcessRun.Capture("dotnet", ["pack", Path.Combine(TestPaths.RepoRoot, "src", "ElbNotebooks"), "-c", "Release", "-o", output, "--nologo"]);
        if (exit != 0) throw new InvalidOperationException($"dotnet pack failed ({exit}):\n{stdout}\n{stderr}");
        return Directory.GetFiles(output, "ElbNotebooks.*.nupkg").Single(f => !f.EndsWith(".symbols.nupkg", StringComparison.Ordinal));
    }

    [Fact]
    public void The_package_carries_the_library_and_the_extension_script()
    {
        using var zip = ZipFile.OpenRead(Package.Value);
        var entries = zip.Entries.Select(e => e.FullName).ToArray();

        Assert.Matches(@"ElbNotebooks\.\d+\.\d+\.\d+.*\.nupkg$", Path.GetFileName(Package.Value));
        Assert.Contains("lib/net10.0/ElbNotebooks.dll", entries);
        Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);
        // The log generator is its own project, for the CLI, tests and benchmarks: notebooks never load it.
        Assert.DoesNotContain(entries, e => e.Contains("Generation", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_extension_script_makes_one_fully_qualified_call()
    {
        using var zip = ZipFile.OpenRead(Package.Value);
        using var reader = new StreamReader(zip.GetEntry("interactive-extensions/dotnet/extension.dib")!.Open());
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(["#!csharp", "ElbNotebooks.Formatting.NotebookExtension.Load();"], lines);
    }

    [Fact]
    public void The_nuspec_declares_the_runtime_dependencies_and_no_kernel()
    {
        using var zip = ZipFile.OpenRead(Package.Value);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var xml = XDocument.Load(stream);
        var ids = xml.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToArray();

        Assert.Contains("Microsoft.Data.Analysis", ids);
        Assert.Contains("Microsoft.DotNet.Interactive.Formatting", ids);
        Assert.DoesNotContain(ids, id => id is "Microsoft.DotNet.Interactive" or "Microsoft.DotNet.Interactive.CSharp" or "FSharp.Core"
            || id.StartsWith("Plotly.NET", StringComparison.Ordinal)
            || id.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.Contains(xml.Descendants(), e => e.Name.LocalName == "group" && (string?)e.Attribute("targetFramework") == "net10.0");
    }

    [Fact]
    public void No_fsharp_runtime_reaches_the_kernel_through_the_library()
    {
        var assets = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "ElbNotebooks", "obj", "project.assets.json"));
        using var doc = System.Text.Json.JsonDocument.Parse(assets);
        var libraries = doc.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToArray();

        Assert.Contains("Microsoft.Data.Analysis", libraries);
        Assert.DoesNotContain(libraries, id => id.StartsWith("FSharp.", StringComparison.Ordinal) || id.StartsWith("Plotly", StringComparison.Ordinal));
    }

    [Fact]
    public void The_package_carries_the_plotly_js_licence()
    {
        using var zip = ZipFile.OpenRead(Package.Value);
        using var reader = new StreamReader(zip.GetEntry("licenses/plotly.js/LICENSE")!.Open());
        Assert.Contains("MIT License", reader.ReadToEnd());
    }
}
