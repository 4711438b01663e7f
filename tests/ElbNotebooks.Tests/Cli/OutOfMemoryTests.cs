using ElbNotebooks.Tests.Loading;
using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Cli;

/// <summary>`load` past the memory it may use ends with what to do instead, never a stack trace.</summary>
public class OutOfMemoryTests
{
    [Fact]
    public void Load_under_a_small_heap_limit_says_to_stream_and_investigate_still_answers()
    {
        using var dir = new TempFolder();
        var log = Path.Combine(dir.Path, "big.log");
        var (generated, _, _) = TestCli.Run("generate", "--out", log, "--duration", "10m", "--rps", "100");
        Assert.Equal(0, generated);

        var (exit, stdout, stderr) = RunCli(log, "load");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("error: out of memory", stderr);
        Assert.Contains("investigate", stderr);
        Assert.Contains("export --parquet", stderr);
        Assert.DoesNotContain("   at ", stderr);

        var (investigated, json, _) = RunCli(log, "investigate", "--json");
        Assert.Equal(0, investigated);
        Assert.Contains("\"suspects\"", json);
    }

    /// <summary>The real tool in its own process, with the GC's heap capped at 32 MiB.</summary>
    private static (int Exit, string Out, string Err) RunCli(string log, params string[] command) =>
        ProcessRun.Capture("dotnet", [Path.Combine(AppContext.BaseDirectory, "elb-notebooks.dll"), .. command, log],
            environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x2000000" });
}
