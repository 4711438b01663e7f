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
        Assert.Contains("is more than twice the 60 min the log covers", stderr); // 59 min 59 s, as a reader says it
    }

    [Fact]
    public void A_range_that_ends_before_it_starts_is_refused_in_the_words_it_was_given()
    {
        // Regression: the times were written round-trip style, 2024-05-01T11:00:00.0000000+08:00.
        var (exit, stdout, stderr) = TestCli.Run("investigate", Sample, "--from", "2024-05-01T11:00", "--to", "2024-05-01T10:00");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--from 2024-05-01 11:00:00 +08:00 is not before --to 2024-05-01 10:00:00 +08:00.", stderr);
    }
}
