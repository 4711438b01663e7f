using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading.Buckets;

public sealed class KeyLayoutsTests
{
    private static readonly DateTime From = new(2024, 5, 1, 10, 10, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2024, 5, 1, 10, 15, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("app.web-alb.50dc6c495c0c9188", "20240501T1005Z", false)] // 10:00-10:05, +5 min slack ends at 10:10
    [InlineData("app.web-alb.50dc6c495c0c9188", "20240501T1010Z", true)]
    [InlineData("app.web-alb.50dc6c495c0c9188", "20240501T1025Z", false)] // starts 10:20, -5 min slack at 10:15
    [InlineData("net.tcp-nlb.1234", "20240501T1020Z", true)]
    [InlineData("classic-web", "20240501T1100Z", true)]                   // a CLB file may cover 60 minutes
    [InlineData("classic-web", "20240501T1125Z", false)]
    public void An_elb_file_name_tells_whether_it_can_hold_the_range(string lb, string end, bool mayHold)
    {
        var key = $"AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2024/05/01/123456789012_elasticloadbalancing_eu-west-1_{lb}_{end}_10.0.0.1_abc123.log.gz";
        Assert.Equal(mayHold, KeyLayouts.MayHold(key, From, To));
    }

    [Theory]
    [InlineData("logs/elb-2024-05-01.log.gz")]
    [InlineData("AWSLogs/123456789012/ELBAccessLogTestFile")]
    public void A_key_whose_name_tells_no_time_is_always_read(string key) => Assert.True(KeyLayouts.MayHold(key, From, To));

    [Theory]
    [InlineData("", "Ancestor")]
    [InlineData("my-prefix/", "Ancestor")]
    [InlineData("AWSLogs/", "Ancestor")]
    [InlineData("my-prefix/AWSLogs/123456789012/", "Ancestor")]
    [InlineData("AWSLogs/123456789012/elasticloadbalancing/", "Ancestor")]
    [InlineData("AWSLogs/123456789012/elasticloadbalancing/eu-west-1/", "ElbRoot")]
    [InlineData("AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2024/", "Unknown")]
    [InlineData("AWSLogs/123456789012/CloudTrail/", "Unknown")]
    [InlineData("LogTanks/", "Ancestor")]
    [InlineData("LogTanks/cn-north-4/", "LtsRoot")]
    [InlineData("a/b/c/", "Unknown")]
    public void Folders_are_classified_by_layout(string folder, string kind) => Assert.Equal(kind, KeyLayouts.Classify(folder).ToString());

    [Fact]
    public void Date_folders_are_opened_only_around_the_range()
    {
        Assert.True(KeyLayouts.DateFolderMayHold(FolderKind.ElbRoot, ["2024", "05", "01"], From, To));
        Assert.False(KeyLayouts.DateFolderMayHold(FolderKind.ElbRoot, ["2024", "04", "30"], From, To));
        Assert.False(KeyLayouts.DateFolderMayHold(FolderKind.ElbRoot, ["2023"], From, To));
        // LTS names folders by transfer time in local time: a day either side is opened.
        Assert.True(KeyLayouts.DateFolderMayHold(FolderKind.LtsRoot, ["2024", "04", "30"], From, To));
        Assert.True(KeyLayouts.DateFolderMayHold(FolderKind.LtsRoot, ["2024", "05", "02"], From, To));
        Assert.False(KeyLayouts.DateFolderMayHold(FolderKind.LtsRoot, ["2024", "05", "03"], From, To));
        Assert.Null(KeyLayouts.DateFolderSpan(["2024", "13"]));
        Assert.Null(KeyLayouts.DateFolderSpan(["elb-logs"]));
    }
}
