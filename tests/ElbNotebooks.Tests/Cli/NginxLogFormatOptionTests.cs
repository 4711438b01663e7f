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
    public void Lines_the_given_log_format_does_not_read_are_read_as_combined_and_the_terminal_and_json_say_why()
    {
        // The log's lines have other upstream fields than the format given: read as combined, they have no upstream,
        // and the answer asks to add them to the log_format. The note says the format given is not what was used.
        var path = Path.Combine(_dir, "access.log");
        File.WriteAllText(path, TestLines.NginxCombined + " rt=0.012 ua=\"10.0.0.1:8080\"\n");

        var (exit, stdout, stderr) = Run("investigate", path, "--nginx-log-format", TestLines.NginxUpstreamDirective);
        var (jsonExit, json, _) = Run("investigate", path, "--json", "--nginx-log-format", TestLines.NginxUpstreamDirective);

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains($"  note {path}: read as nginx combined: the nginx log_format given reads 0 of its first 1 lines (the first it refuses: format-mismatch: ", stdout);
        Assert.Equal(ExitCodes.Ok, jsonExit);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var note = doc.RootElement.GetProperty("inputs")[0].GetProperty("note").GetString();
        Assert.StartsWith("read as nginx combined: the nginx log_format given reads 0 of its first 1 lines", note);
        Assert.Contains(note!, stdout);
    }

    [Fact]
    public void Lines_of_the_given_log_format_have_no_note()
    {
        var path = Path.Combine(_dir, "access.log");
        File.WriteAllText(path, TestLines.NginxUpstreamRetry + "\n");

        var (exit, stdout, stderr) = Run("investigate", path, "--nginx-log-format", TestLines.NginxUpstreamDirective);

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.DoesNotContain("note ", stdout);
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
