using System.Text;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

public class StringPoolTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void A_repeated_value_is_one_string_and_a_hit()
    {
        var pool = new StringPool();
        var first = pool.Get(Utf8("10.0.1.12:8080"), out var firstHit);
        var second = pool.Get(Utf8("10.0.1.12:8080"), out var secondHit);
        var third = pool.Get(Utf8("10.0.1.12:8080"), out var thirdHit);

        Assert.Equal("10.0.1.12:8080", first);
        Assert.False(firstHit);
        Assert.True(secondHit);
        Assert.True(thirdHit);
        Assert.Same(first, second);
        Assert.Same(first, third);
    }

    [Fact]
    public void A_seeded_pool_hands_out_the_seeds_strings_and_leaves_the_seed_as_it_was()
    {
        var seed = new StringPool();
        var backend = seed.Get(Utf8("10.0.1.12:8080"));
        var agent = seed.Get(Utf8("Mozilla/5.0 (Linux; Android 14) Überall"));
        var pool = new StringPool(seed: seed);

        var reused = pool.Get(Utf8("10.0.1.12:8080"), out var reusedHit);
        var reusedAgent = pool.Get(Utf8("Mozilla/5.0 (Linux; Android 14) Überall"), out var agentHit);
        var fresh = pool.Get(Utf8("10.0.1.13:8080"), out var freshHit);

        Assert.Same(backend, reused);
        Assert.Same(agent, reusedAgent);
        Assert.True(reusedHit);
        Assert.True(agentHit);
        Assert.Equal("10.0.1.13:8080", fresh);
        Assert.False(freshHit);
        Assert.Same(fresh, pool.Get(Utf8("10.0.1.13:8080")));
        Assert.Equal(2, seed.Count);
    }

    [Fact]
    public void Values_that_share_length_head_and_tail_are_told_apart()
    {
        // Same length, first eight and last eight bytes: the same slot of the recent-values table.
        string[] values = ["listener_A_12345678", "listener_B_12345678", "listener_C_12345678"];
        var pool = new StringPool();
        for (var round = 0; round < 4; round++)
            foreach (var value in values)
                Assert.Equal(value, pool.Get(Utf8(value)));
    }

    [Fact]
    public void Short_non_ascii_and_empty_values_come_back_exactly()
    {
        var pool = new StringPool();
        string[] values = ["GET", "a", "", "Mozilla/5.0 (Ünïcødé)", "名前", "GET", "Mozilla/5.0 (Ünïcødé)", "a"];
        foreach (var value in values) Assert.Equal(value, pool.Get(Utf8(value)));
        Assert.Same(pool.Get(Utf8("名前")), pool.Get(Utf8("名前")));
    }

    [Fact]
    public void A_full_pool_still_answers_with_fresh_strings()
    {
        var pool = new StringPool(capacity: 2);
        foreach (var value in new[] { "one", "two", "three", "four", "three" })
            Assert.Equal(value, pool.Get(Utf8(value)));
        Assert.Equal(2, pool.Count);
    }
}
