using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Cli;

/// <summary>
/// Output paths follow the README's exit codes: a missing folder is created and the command succeeds (0); a path
/// that cannot be written is bad usage (2) naming it, never "unexpected failure" (1).
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _log;
    private readonly string _file;

    public OutputPathTests()
    {
        _log = _dir.Write("elb.log", string.Concat(Enumerable.Repeat(TestLines.FullWithRetry + "\n", 20)));
        _file = _dir.Write("a-file", "not a folder\n");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>{log} is a log to read, {dir} the test's folder, {file} a plain file; the path written is the last argument.</summary>
    public static TheoryData<string, int> Cases => new()
    {
        { "investigate {log} --report {dir}/missing/sub/r.html", ExitCodes.Ok },
        { "investigate {log} --markdown {dir}/missing/r.md", ExitCodes.Ok },
        { "export {log} --parquet {dir}/missing/pq", ExitCodes.Ok },
        { "generate --duration 1m --out {dir}/nonexistent/x.log", ExitCodes.Ok },
        { "generate --duration 1m --out {dir}/x.log --key-out {dir}/keys/key.json", ExitCodes.Ok },
        { "investigate {log} --report {file}/r.html", ExitCodes.Usage },
        { "investigate {log} --markdown {file}/sub/r.md", ExitCodes.Usage },
        { "investigate {log} --report {dir}", ExitCodes.Usage },
        { "investigate {log} --json --report {file}/r.html", ExitCodes.Usage },
        { "export {log} --parquet {file}/pq", ExitCodes.Usage },
        { "export {log} --parquet {file}", ExitCodes.Usage },
        { "generate --duration 1m --out {file}/x.log", ExitCodes.Usage },
        { "generate --duration 1m --out {dir}/y.log --key-out {file}/key.json", ExitCodes.Usage },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_output_path_is_created_or_is_bad_usage_naming_it(string command, int expected)
    {
        var args = command.Split(' ').Select(a => a.Replace("{log}", _log).Replace("{dir}", _dir.Path).Replace("{file}", _file)).ToArray();
        var path = args[^1];

        var (exit, _, err) = TestCli.Run(args);

        Assert.True(exit == expected, $"exit {exit}: {err}");
        if (expected == ExitCodes.Ok)
        {
            Assert.True(File.Exists(path) || Directory.Exists(path), path);
            return;
        }
        Assert.Contains($"'{path}' cannot be written", err);
        Assert.False(File.Exists(path) && path != _file && !Directory.Exists(path), "nothing is left at " + path);
    }

    [Fact]
    public void An_unwritable_report_is_found_before_the_logs_are_read()
    {
        var (exit, output, err) = TestCli.Run("investigate", Path.Combine(_dir.Path, "no-such.log"), "--report", _file + "/r.html");

        // The missing input is reported first (it is checked while options are read); then the report path.
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Contains("no-such.log", err);

        (exit, output, err) = TestCli.Run("investigate", _log, "--report", _file + "/r.html");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output);
        Assert.Contains("is a file, not a folder", err);
    }
}
