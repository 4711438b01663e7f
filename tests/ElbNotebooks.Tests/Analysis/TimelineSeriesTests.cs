using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Reports;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>The timeline's typed series are what its DataFrames show, and what a streamed investigation has too.</summary>
public class TimelineSeriesTests
{
    [Fact]
    public void The_frames_show_the_typed_series_row_for_row()
    {
        var timeline = AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")).Investigate().Timeline;
        var perBackend = timeline.PerBackend;
        var buckets = timeline.BucketStarts.Count;

        Assert.Equal(timeline.Backends.Count * buckets, perBackend.Rows.Count);
        for (var k = 0; k < timeline.Backends.Count; k++)
        {
            var s = timeline.Backends[k];
            for (var t = 0; t < buckets; t++)
            {
                var r = k * buckets + t;
                Assert.Equal(timeline.BucketStarts[t], perBackend.Columns["bucket"][r]);
                Assert.Equal(s.Backend, perBackend.Columns["backend"][r]);
                Assert.Equal(s.Attempts[t], perBackend.Columns["attempts"][r]);
                Assert.Equal(s.Backend5xx[t], perBackend.Columns["backend_5xx"][r]);
                Assert.Equal(s.ErrorRate(t), perBackend.Columns["error_rate"][r]);
            }
        }
        Assert.Equal(buckets, timeline.StatusClasses.Rows.Count);
        Assert.Equal(timeline.Status.Status5xx.Sum(), timeline.StatusClasses.Columns["5xx"].Cast<long?>().Sum());
    }

    [Fact]
    public void A_streamed_investigation_has_the_loaded_ones_series()
    {
        var path = TestPaths.SampleLog("elb-refused-and-slow.log.gz");
        var loaded = AccessLog.Load(path).Investigate().Timeline;
        var streamed = AccessLogInvestigation.Investigate(LogSource.FromPaths([path])).Timeline;

        Assert.Equal(loaded.BucketStarts, streamed.BucketStarts);
        Assert.Equal(loaded.Status.Status2xx, streamed.Status.Status2xx);
        Assert.Equal(loaded.Backends.Select(b => b.Errors.Sum()), streamed.Backends.Select(b => b.Errors.Sum()));
    }

    [Fact]
    public void The_range_the_load_kept_is_the_reports_filter()
    {
        var from = new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(8));
        var log = AccessLog.Load([TestPaths.SampleLog("elb-refused-and-slow.log.gz")], LoadOptions.Default with { From = from });

        Assert.Equal(from, log.Inputs.RangeFrom);
        Assert.Null(log.Inputs.RangeTo);
        Assert.Contains("from 2024-05-01 14:00:00 +08:00", log.Investigate().Report().ToMarkdown());
    }
}
