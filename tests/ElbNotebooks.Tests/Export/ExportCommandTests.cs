using ElbNotebooks.Cli;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Export;

public class ExportCommandTests
{
    [Fact]
    public void Export_writes_the_partitions_and_says_what_it_wrote()
    {
        using var dir = new TempFolder();
        ExportData.WriteDays(dir, 1);
        var output = Path.Combine(dir.Path, "out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = Program.Run(["export", Path.Combine(dir.Path, "logs"), "--parquet", output], stdout, stderr);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", stderr.ToString());
        Assert.Contains("63 lines in 1 file: 62 parsed, 1 rejected", stdout.ToString());
        Assert.Contains("file(s) written, 0 already present", stdout.ToString());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "requests"), "part-*.parquet", SearchOption.AllDirectories));

        var again = new StringWriter();
        Assert.Equal(ExitCodes.Ok, Program.Run(["export", Path.Combine(dir.Path, "logs"), "--parquet", output], again, stderr));
        Assert.Contains("0 file(s) written", again.ToString());
    }

    [Fact]
    public void Export_without_a_target_folder_is_a_usage_error()
    {
        using var dir = new TempFolder();
        var input = dir.Write("a.log", TestLines.Seed + "\n");
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, Program.Run(["export", input], new StringWriter(), stderr));
        Assert.Contains("--parquet", stderr.ToString());
    }
}
