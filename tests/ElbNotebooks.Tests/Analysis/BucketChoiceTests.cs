using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>The automatic bucket follows the busy time, not the empty hours between logs.</summary>
public class BucketChoiceTests
{
    [Theory]
    [InlineData(120, 120, 1)]       // two busy hours: minutes
    [InlineData(120, 300, 1)]       // the same two hours, three idle hours apart
    [InlineData(300, 300, 5)]       // five busy hours
    [InlineData(240, 60 * 24 * 365, 60)] // a year apart: the whole range caps the count of buckets
    public void Auto_size_cuts_the_busy_time_into_at_most_120_buckets_and_the_range_into_at_most_2000(int busyMinutes, int rangeMinutes, int expected)
    {
        Assert.Equal(TimeSpan.FromMinutes(expected), BucketClock.AutoSize(TimeSpan.FromMinutes(busyMinutes), TimeSpan.FromMinutes(rangeMinutes)));
    }

    [Fact]
    public void Two_sample_logs_hours_apart_are_judged_in_one_minute_buckets_like_each_alone()
    {
        var both = AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")).Investigate();
        var web = AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")).Investigate();

        Assert.Equal(web.BucketSize, both.BucketSize);
        var lb = both.Incidents.Single(i => i.Scope == IncidentScope.LoadBalancer);
        Assert.Equal("14:53–14:58 +08:00", lb.Window.Describe());
    }
}
