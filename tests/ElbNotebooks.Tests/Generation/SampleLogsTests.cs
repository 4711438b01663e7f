using System.IO.Compression;
using System.Text;
using ElbNotebooks.Cli;

namespace ElbNotebooks.Tests.Generation;

/// <summary>The committed sample logs are exactly what the README's command lines generate.</summary>
public sealed class SampleLogsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("elbgen-samples");

    public void Dispose() => _dir.Delete(recursive: true);


    private static string ReadText(string path)
    {
        using var file = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(s, new UTF8Encoding(false));
        return reader.ReadToEnd();
    }

    private static string[] CommandLines() =>
        File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "sample-logs", "README.md"))
            .Where(l => l.StartsWith("elb-notebooks generate ", StringComparison.Ordinal)).ToArray();

    public static TheoryData<string> ReadmeCommands() => [.. CommandLines()];

    [Fact]
    public void Readme_lists_a_command_for_each_generated_sample()
    {
        var commands = CommandLines();
        Assert.Equal(3, commands.Length);
        Assert.Contains(commands, c => c.Contains("--out sample-logs/elb-pool-wide.log.gz ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("--out sample-logs/elb-web-incident.log ", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("--out sample-logs/elb-refused-and-slow.log.gz ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ReadmeCommands))]
    public void Readme_command_recreates_the_committed_sample_byte_for_byte(string commandLine)
    {
        var root = TestPaths.RepoRoot;
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        var committed = new Dictionary<string, string>();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] is not ("--out" or "--key-out")) continue;
            committed[args[i]] = Path.Combine(root, args[i + 1]);
            args[i + 1] = Path.Combine(_dir.FullName, Path.GetFileName(args[i + 1]));
        }
        var stderr = new StringWriter();
        Assert.Equal(0, Program.Run(args, new StringWriter(), stderr));

        var outIndex = Array.IndexOf(args, "--out") + 1;
        var expected = ReadText(committed["--out"]);
        var actual = ReadText(args[outIndex]);
        Assert.True(expected == actual, $"{committed["--out"]} differs from what `{commandLine}` writes now; regenerate it or fix the generator");
        if (committed.TryGetValue("--key-out", out var key))
            Assert.Equal(File.ReadAllText(key), File.ReadAllText(args[Array.IndexOf(args, "--key-out") + 1]));
    }

    [Fact]
    public void Sample_web_incident_shows_the_documented_failure()
    {
        var lines = ReadText(Path.Combine(TestPaths.RepoRoot, "sample-logs", "elb-web-incident.log")).TrimEnd('\n').Split('\n').Select(LogLine.Read).ToArray();
        var from = new DateTimeOffset(2024, 5, 1, 10, 20, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var to = new DateTimeOffset(2024, 5, 1, 10, 35, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var errors500 = lines.Where(l => l.Status == 500).GroupBy(l => l.UpstreamAddrs[0]).ToDictionary(g => g.Key, g => g.Count());
        var worst = errors500.MaxBy(p => p.Value);
        Assert.Equal("10.0.1.12:8080", worst.Key);
        Assert.True(errors500.Where(p => p.Key != worst.Key).All(p => p.Value * 10 < worst.Value));
        Assert.All(lines.Where(l => l.Status == 500 && l.UpstreamAddrs[0] == "10.0.1.12:8080"), l => Assert.Equal(["500"], l.UpstreamStatus));
        Assert.True(lines.Count(l => l.Status == 500 && l.UpstreamAddrs[0] == "10.0.1.12:8080" && l.ArrivalMillis >= from && l.ArrivalMillis < to) > worst.Value * 0.9);
    }

    [Fact]
    public void Seed_line_sample_is_the_reference_seed_line()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "sample-logs", "seed-line.log"));
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text.TrimEnd('\n').Split('\n');
        var line = LogLine.Read(Assert.Single(lines));
        Assert.Equal(22, line.Fields.Count);
        Assert.Equal("elb", line.LogVer);
        Assert.Equal(500, line.Status);
        Assert.Equal(["172.17.0.82:3000"], line.UpstreamAddrs);
        Assert.Equal("10.133.251.171:51527", line.Client);
        Assert.Equal(1554944564344, line.MsecMillis);
    }
}
