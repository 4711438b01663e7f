using ElbNotebooks.Cli;
using ElbNotebooks.Cli.Commands;

namespace ElbNotebooks.Tests.Cli;

public sealed class NginxLogFormatOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-nginx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestCli.Run(args);

    [Fact]
    public void Investigate_reads_nginx_upstream_lines_with_the_given_log_format()
    {
        var path = Path.Combine(_dir, "access.log");
        File.WriteAllText(path, TestLines.NginxUpstreamRetry + "\n");

        var (exit, stdout, stderr) = Run("investigate", path, "--json", "--nginx-log-format", TestLines.NginxUpstreamDirective);

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("\"format\": \"nginx\"", stdout);
        Assert.Contains("10.0.1.23:8080", stdout);
    }

    [Fact]
    public void A_log_format_without_status_is_bad_usage_that_says_why()
    {
        var path = Path.Combine(_dir, "access.log");
        File.WriteAllText(path, TestLines.NginxCombined + "\n");

        var (exit, _, stderr) = Run("load", path, "--nginx-log-format", "[$time_local] $request");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--nginx-log-format", stderr);
        Assert.Contains("no $status", stderr);
    }
}
