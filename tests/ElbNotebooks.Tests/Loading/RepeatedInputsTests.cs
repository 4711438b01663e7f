using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

/// <summary>Each real file is read once per run, however many names reach it; the repeats are named as skipped.</summary>
public class RepeatedInputsTests
{
    private static string Lines(int count) => string.Concat(Enumerable.Repeat(TestLines.Seed + "\n", count));

    [Fact]
    public void A_folder_holding_a_link_to_itself_is_read_once()
    {
        using var dir = new TempFolder();
        dir.Write("logs/elb.log", Lines(100));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "logs", "loop"), Path.Combine(dir.Path, "logs"));

        var log = AccessLog.Load(Path.Combine(dir.Path, "logs"));

        Assert.Equal(100, log.Report.Lines);
        Assert.Equal(100, log.RequestCount);
        Assert.Single(log.Report.Files);
    }

    [Fact]
    public void A_link_to_a_folder_elsewhere_is_followed()
    {
        using var dir = new TempFolder();
        dir.Write("other/b.log", Lines(3));
        dir.Write("logs/a.log", Lines(2));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "logs", "more"), Path.Combine(dir.Path, "other"));

        var log = AccessLog.Load(Path.Combine(dir.Path, "logs"));

        Assert.Equal(5, log.RequestCount);
    }

    public static TheoryData<string> Repeats => new()
    {
        "the same name twice",
        "a file and its folder",
        "a file and a link to it",
        "a file and a path through a linked folder",
        "a file by relative and absolute path",
        "a file and a hard link to it",
    };

    [Theory]
    [MemberData(nameof(Repeats))]
    public void A_file_named_twice_counts_once_and_the_repeat_is_named(string how)
    {
        using var dir = new TempFolder();
        var file = dir.Write("logs/elb.log", Lines(10));
        string[] paths = how switch
        {
            "the same name twice" => [file, file],
            "a file and its folder" => [file, Path.Combine(dir.Path, "logs")],
            "a file and a link to it" => [file, Link(dir, "link.log", file)],
            "a file and a path through a linked folder" => [file, Path.Combine(Link(dir, "alias", Path.Combine(dir.Path, "logs")), "elb.log")],
            "a file and a hard link to it" => [file, HardLink(file, Path.Combine(dir.Path, "hard.log"))],
            _ => [file, Path.GetRelativePath(Environment.CurrentDirectory, file)],
        };

        var log = AccessLog.Load(paths);

        Assert.Equal(10, log.Report.Lines);
        Assert.Equal(10, log.RequestCount);
        var repeat = Assert.Single(log.Report.SkippedFiles);
        Assert.Equal(how == "a file and its folder" ? file : paths[1], repeat.File);
        Assert.Contains($"the same file as {file}", repeat.Reason);
    }

    [Fact]
    public void The_cli_reads_a_file_named_twice_once()
    {
        using var dir = new TempFolder();
        var file = dir.Write("elb.log", Lines(7));

        var (exit, stdout, _) = TestCli.Run("load", file, file, dir.Path);

        Assert.Equal(0, exit);
        Assert.Contains("7 lines in 1 file", stdout);
    }

    [Fact]
    public void A_files_identity_is_taken_with_its_type_when_its_source_is_made_and_kept_through_a_wrapper()
    {
        if (!OperatingSystem.IsLinux()) return; // device and inode are known on Linux only
        using var dir = new TempFolder();
        var file = dir.Write("elb.log", Lines(1));
        var other = dir.Write("other.log", Lines(1));
        var source = LogSource.FromFile(file);

        Assert.NotNull(source.Identity);
        Assert.Null(source.Special);
        Assert.Equal(source.Identity, LogSource.FromFile(HardLink(file, Path.Combine(dir.Path, "hard.log"))).Identity);
        Assert.NotEqual(source.Identity, LogSource.FromFile(other).Identity);
        Assert.Equal(source.Identity, source.Through(s => s).Identity);
        Assert.Null(LogSource.FromFile(Path.Combine(dir.Path, "missing.log")).Identity);
    }

    /// <summary>A second name of the file (ln): no link to follow, the same inode.</summary>
    private static string HardLink(string file, string link)
    {
        using var ln = System.Diagnostics.Process.Start("ln", [file, link]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
        return link;
    }

    private static string Link(TempFolder dir, string name, string target)
    {
        var link = Path.Combine(dir.Path, name);
        if (Directory.Exists(target)) Directory.CreateSymbolicLink(link, target);
        else File.CreateSymbolicLink(link, target);
        return link;
    }
}
