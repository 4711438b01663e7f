using ElbNotebooks.Cli.Commands;

namespace ElbNotebooks.Tests.Cli;

/// <summary>A --bucket far longer than the log's range puts everything in one bucket: refused with the reason, exit 2.</summary>
public class BucketRangeTests
{
    private static readonly string Sample = TestPaths.SampleLog("elb-web-incident.log"); // an hour of log

    [Theory]
    [InlineData("1000000h", ExitCodes.Usage)]
    [InlineData("3h", ExitCodes.Usage)]
    [InlineData("90m", ExitCodes.Ok)]
    [InlineData("5m", ExitCodes.Ok)]
    public void A_bucket_more_than_twice_the_range_is_refused(string bucket, int expected)
    {
        var (exit, stdout, stderr) = TestCli.Run("investigate", Sample, "--json", "--bucket", bucket);

        Assert.Equal(expected, exit);
        if (expected == ExitCodes.Ok) return;
        Assert.Equal("", stdout);
        Assert.Contains("is more than twice the 00:59:59 the log covers", stderr);
    }
}
