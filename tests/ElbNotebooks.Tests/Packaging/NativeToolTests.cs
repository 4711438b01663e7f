using System.Text.RegularExpressions;
using ElbNotebooks.Tests.Loading;
using ElbNotebooks.Tests.Loading.Buckets;
using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Packaging;

/// <summary>
/// The linux-x64 tool package carries a Native AOT build: trimmed, with no JIT to fall back on, so code that needs
/// reflection or run-time code generation fails only there. These tests compile that build as the package does
/// (<c>dotnet publish -r linux-x64</c> of the CLI, in a copy of the sources so the solution's own build outputs are
/// left alone) and check that every command gives what the JIT-compiled tool gives, byte for byte: the terminal
/// summary, the JSON, the HTML and Markdown reports, Parquet export, bucket tables, the generator, S3 reads and the
/// errors for bad input.
/// </summary>
[Collection(S3Collection.Name)]
public sealed partial class NativeToolTests(S3Server server)
{
    private static readonly Lazy<string> Tool = new(Publish);

    private static string Publish()
    {
        var copy = Directory.CreateTempSubdirectory("elb-native-").FullName;
        CopyTree(Path.Combine(TestPaths.RepoRoot, "src"), Path.Combine(copy, "src"));
        CopyTree(Path.Combine(TestPaths.RepoRoot, ".git"), Path.Combine(copy, ".git")); // the version names the commit
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props" })
            File.Copy(Path.Combine(TestPaths.RepoRoot, file), Path.Combine(copy, file));
        var output = Directory.CreateTempSubdirectory("elb-native-tool-").FullName;
        var (exit, stdout, stderr) = ProcessRun.Capture("dotnet",
            ["publish", Path.Combine(copy, "src", "ElbNotebooks.Cli"), "-c", "Release", "-r", "linux-x64", "-o", output, "--nologo"]);
        Directory.Delete(copy, recursive: true); // its build outputs are a few hundred MB; the tool is in output
        if (exit != 0)
            throw new InvalidOperationException($"the native build failed ({exit}); it needs clang and lld:\n{stdout}\n{stderr}");
        var tool = Path.Combine(output, "elb-notebooks");
        Assert.False(File.Exists(Path.Combine(output, "elb-notebooks.dll")), "the linux-x64 build must be native, not IL");
        return tool;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            if (!IsBuildOutput(Path.GetRelativePath(from, dir))) Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (!IsBuildOutput(relative)) File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Skip(1).FirstOrDefault() is "bin" or "obj";

    private static (int Exit, string Out, string Err) Native(string workingDirectory, params string[] args) =>
        ProcessRun.Capture(Tool.Value, args, workingDirectory);

    /// <summary>Runs a command with the native tool and in this process (the JIT build), each writing into a folder of its own.</summary>
    private static (TempFolder Native, TempFolder Jit) Both(Func<string, string[]> args, out (int Exit, string Out, string Err) native,
        out (int Exit, string Out, string Err) jit)
    {
        var nativeFolder = new TempFolder();
        var jitFolder = new TempFolder();
        native = Native(nativeFolder.Path, args(nativeFolder.Path));
        jit = TestCli.Run(args(jitFolder.Path));
        return (nativeFolder, jitFolder);
    }

    /// <summary>When a report was written, and the folder it was written to, are all that may differ.</summary>
    private static string Stable(string text, string folder) => GeneratedAt().Replace(text.Replace(folder, "<out>"), "<now>");

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ")]
    private static partial Regex GeneratedAt();

    private static void AssertSameRun((int Exit, string Out, string Err) native, (int Exit, string Out, string Err) jit, string nativeFolder, string jitFolder)
    {
        Assert.True(native.Exit == jit.Exit, $"exit {native.Exit} (native) vs {jit.Exit} (JIT)\n{native.Err}");
        Assert.Equal(Stable(jit.Out, jitFolder), Stable(native.Out, nativeFolder));
        Assert.Equal(Stable(jit.Err, jitFolder), Stable(native.Err, nativeFolder));
    }

    private static void AssertSameFiles(string nativeFolder, string jitFolder, bool stableText = false)
    {
        var files = Directory.EnumerateFiles(jitFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(jitFolder, f)).Order().ToArray();
        Assert.Equal(files, Directory.EnumerateFiles(nativeFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(nativeFolder, f)).Order());
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            if (stableText)
                Assert.Equal(Stable(File.ReadAllText(Path.Combine(jitFolder, file)), jitFolder), Stable(File.ReadAllText(Path.Combine(nativeFolder, file)), nativeFolder));
            else
                Assert.True(File.ReadAllBytes(Path.Combine(jitFolder, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(nativeFolder, file))),
                    $"{file} differs between the native and the JIT build");
        }
    }

    private static readonly string[] SampleLogs = ["elb-web-incident.log", "elb-pool-wide.log.gz", "elb-refused-and-slow.log.gz",
        "123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T1015Z_10.0.0.1_abc123.log.gz"];

    [Fact]
    public void Investigate_prints_the_same_summary_and_json()
    {
        foreach (var log in SampleLogs)
        {
            var path = TestPaths.SampleLog(log);
            var (n, j) = Both(_ => ["investigate", path], out var native, out var jit);
            using (n) using (j) AssertSameRun(native, jit, n.Path, j.Path);
            Assert.Contains("backend", native.Out, StringComparison.OrdinalIgnoreCase);

            (n, j) = Both(_ => ["investigate", "--json", path], out native, out jit);
            using (n) using (j) AssertSameRun(native, jit, n.Path, j.Path);
            Assert.StartsWith("{", native.Out);
        }
    }

    [Fact]
    public void The_reports_and_the_bucket_table_are_the_same()
    {
        var log = TestPaths.SampleLog("elb-web-incident.log");
        var (n, j) = Both(dir => ["investigate", log, "--report", Path.Combine(dir, "incident.html"), "--markdown", Path.Combine(dir, "incident.md")],
            out var native, out var jit);
        using (n) using (j)
        {
            AssertSameRun(native, jit, n.Path, j.Path);
            AssertSameFiles(n.Path, j.Path, stableText: true);
            Assert.Contains("Plotly.newPlot", File.ReadAllText(Path.Combine(n.Path, "incident.html")), StringComparison.Ordinal);
        }

        (n, j) = Both(dir => ["investigate", log, "--write-buckets", Path.Combine(dir, "buckets.parquet")], out native, out jit);
        using (n) using (j)
        {
            AssertSameRun(native, jit, n.Path, j.Path);
            AssertSameFiles(n.Path, j.Path);
            var fromTable = Native(n.Path, "investigate", "--json", "--buckets", Path.Combine(n.Path, "buckets.parquet"));
            var fromTableJit = TestCli.Run("investigate", "--json", "--buckets", Path.Combine(j.Path, "buckets.parquet"));
            AssertSameRun(fromTable, fromTableJit, n.Path, j.Path);
        }
    }

    [Fact]
    public void Export_writes_the_same_parquet_files()
    {
        var logs = new[] { TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-pool-wide.log.gz") };
        var (n, j) = Both(dir => ["export", .. logs, "--parquet", Path.Combine(dir, "parquet")], out var native, out var jit);
        using (n) using (j)
        {
            AssertSameRun(native, jit, n.Path, j.Path);
            Assert.Contains(Directory.EnumerateFiles(n.Path, "*.parquet", SearchOption.AllDirectories), f => f.Contains("attempts", StringComparison.Ordinal));
            AssertSameFiles(Path.Combine(n.Path, "parquet", "requests"), Path.Combine(j.Path, "parquet", "requests"));
            AssertSameFiles(Path.Combine(n.Path, "parquet", "attempts"), Path.Combine(j.Path, "parquet", "attempts"));
        }
    }

    [Fact]
    public void Generate_and_load_give_the_same_output()
    {
        var (n, j) = Both(dir => ["generate", "--out", Path.Combine(dir, "gen.log"), "--seed", "7", "--duration", "3m", "--scenario", "mixed"],
            out var native, out var jit);
        using (n) using (j)
        {
            AssertSameRun(native, jit, n.Path, j.Path);
            AssertSameFiles(n.Path, j.Path, stableText: true);
        }

        (n, j) = Both(_ => ["load", Path.Combine(TestPaths.RepoRoot, "sample-logs")], out native, out jit);
        using (n) using (j) AssertSameRun(native, jit, n.Path, j.Path);
    }

    [Fact]
    public void Bad_input_gets_the_same_error_and_exit_code()
    {
        using var folder = new TempFolder();
        var bad = folder.Write("bad.log", "this is not an access log\nnor is this\n");
        var native = Native(folder.Path, "investigate", bad);
        var jit = TestCli.Run("investigate", bad);
        AssertSameRun(native, jit, folder.Path, folder.Path);
        Assert.NotEqual(0, native.Exit);
        Assert.Contains("bad.log", native.Err, StringComparison.Ordinal);

        native = Native(folder.Path, "investigate", Path.Combine(folder.Path, "missing.log"));
        jit = TestCli.Run("investigate", Path.Combine(folder.Path, "missing.log"));
        AssertSameRun(native, jit, folder.Path, folder.Path);
    }

    [S3Fact]
    public void A_bucket_is_read_through_the_aws_sdk_as_the_jit_build_reads_it()
    {
        S3Profile.Ensure();
        using var logs = new BucketLogs(server).WithAlb();
        string[] args = ["investigate", "--json", logs.S3(), "--endpoint-url", server.Endpoint, "--profile", S3Profile.Name];

        var native = Native(logs.LocalRoot, args);
        var jit = TestCli.Run(args);

        Assert.True(native.Exit == 0, native.Err);
        AssertSameRun(native, jit, logs.LocalRoot, logs.LocalRoot);
        Assert.Contains("s3://", native.Out, StringComparison.Ordinal);
    }
}
