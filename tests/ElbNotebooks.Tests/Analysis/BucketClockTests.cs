using CsCheck;
using ElbNotebooks.Analysis;

namespace ElbNotebooks.Tests.Analysis;

public class BucketClockTests
{
    [Fact]
    public void A_requested_size_that_is_not_whole_minutes_counts_in_the_largest_part_of_a_minute_dividing_it()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), BucketClock.Base(TimeSpan.FromSeconds(90)).Size);
        Assert.Equal(TimeSpan.FromSeconds(1), BucketClock.Base(TimeSpan.FromSeconds(7)).Size);
        Assert.Equal(TimeSpan.FromMinutes(1), BucketClock.Base(TimeSpan.FromMinutes(15)).Size);
        Assert.Equal(TimeSpan.FromMinutes(1), BucketClock.Base(null).Size);
    }

    [Fact]
    public void Streaming_buckets_nest_in_the_requested_ones_whatever_the_whole_minute_offset()
    {
        Gen.Select(Gen.Int[1, 7200], Gen.Int[-14 * 60, 14 * 60], Gen.Long[0, 10_000_000]).Sample((seconds, offsetMinutes, index) =>
        {
            var requested = TimeSpan.FromSeconds(seconds);
            var fine = BucketClock.Base(requested);
            var final = new BucketClock(requested, TimeSpan.FromMinutes(offsetMinutes));
            var start = fine.Start(index);
            var end = fine.Start(index + 1).AddTicks(-1);
            Assert.Equal(final.Index(start), final.Index(end));
        }, iter: 2000);
    }
}
