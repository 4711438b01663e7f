using System.Text.Json;
using ElbNotebooks.Cli;
using ElbNotebooks.Cli.Commands;

namespace ElbNotebooks.Tests.Reports;

public sealed class InvestigateReportOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-rep-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestCli.Run(args);

    [Fact]
    public void Investigate_with_report_and_markdown_writes_both_files_says_so_on_stderr_and_keeps_json_on_stdout()
    {
        var html = Path.Combine(_dir, "incident.html");
        var md = Path.Combine(_dir, "incident.md");

        var (exit, stdout, stderr) = Run("investigate", ReportSamples.Sample("elb-web-incident.log"), "--json", "--report", html, "--markdown", md);

        Assert.Equal(ExitCodes.Ok, exit);
        // The Markdown's charts are files of their own: the line names where they went.
        Assert.Equal($"wrote {html}{Environment.NewLine}wrote {md} and its charts in {Path.Combine(_dir, "incident-charts")}{Environment.NewLine}", stderr);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir, "incident-charts"), "*.svg"));
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("10.0.1.12:8080", doc.RootElement.GetProperty("suspects")[0].GetProperty("backend").GetString());
        Assert.Contains("10.0.1.12:8080 was failing", File.ReadAllText(html));
        Assert.StartsWith("# Incident: 10.0.1.12:8080 failing", File.ReadAllText(md));
    }

    [Fact]
    public void Investigate_without_report_options_prints_the_same_table_as_before()
    {
        var (_, plain, _) = Run("investigate", ReportSamples.Sample("elb-web-incident.log"));
        var (exit, withReport, stderr) = Run("investigate", ReportSamples.Sample("elb-web-incident.log"), "--markdown", Path.Combine(_dir, "x.md"));

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal(plain, withReport);
        Assert.StartsWith("wrote ", stderr);
    }

    [Fact]
    public void Investigate_creates_a_missing_report_folder()
    {
        var path = Path.Combine(_dir, "no-such-folder", "incident.html");

        var (exit, _, stderr) = Run("investigate", ReportSamples.Sample("elb-web-incident.log"), "--report", path);

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Investigate_names_a_report_path_it_cannot_write_as_bad_usage()
    {
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        var path = Path.Combine(file, "incident.html");

        var (exit, stdout, stderr) = Run("investigate", ReportSamples.Sample("elb-web-incident.log"), "--report", path);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(stdout);
        Assert.StartsWith($"error: --report '{path}' cannot be written: '{file}' is a file, not a folder", stderr);
    }
}
