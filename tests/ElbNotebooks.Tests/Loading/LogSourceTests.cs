using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

public class LogSourceTests
{
    [Fact]
    public void A_file_reached_through_links_has_the_length_of_the_file_not_of_the_link()
    {
        using var dir = new TempFolder();
        var log = dir.Write("logs/access.log", TestLines.Seed + "\n" + TestLines.Seed + "\n");
        var link = Path.Combine(dir.Path, "current.log");
        File.CreateSymbolicLink(link, log);
        var linkToLink = Path.Combine(dir.Path, "latest.log");
        File.CreateSymbolicLink(linkToLink, "current.log");

        Assert.Equal(new FileInfo(log).Length, LogSource.FromFile(link).Length);
        Assert.Equal(new FileInfo(log).Length, LogSource.FromFile(linkToLink).Length);
        Assert.Equal(2, AccessLog.Load(linkToLink).RequestCount);
    }

    [Fact]
    public void A_broken_link_has_no_length()
    {
        using var dir = new TempFolder();
        var link = Path.Combine(dir.Path, "broken.log");
        File.CreateSymbolicLink(link, Path.Combine(dir.Path, "gone.log"));

        Assert.Null(LogSource.FromFile(link).Length);
    }
}
