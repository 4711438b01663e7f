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

    [Theory]
    [InlineData(3, false)] // one URI in three is new: pooling them costs more than it spares
    [InlineData(10, true)] // one in ten: pooled, so a repeated URI is one string
    public void A_column_is_pooled_only_while_at_least_three_lookups_in_four_find_their_value(int newEvery, bool pooled)
    {
        var target = new ParseTarget();
        for (var i = 0; i < 12_000; i++)
        {
            // Two URIs that repeat, never twice in a row (that would be the column's last value, not a lookup).
            var path = i % newEvery == 0 ? $"/orders/{i}" : (i % 2 == 0 ? "/cart" : "/basket");
            var line = TestLines.WithField(TestLines.FullWithRetry, 7, $"\"GET https://www.test.com{path} HTTP/1.1\"");
            Assert.True(HuaweiElbFormat.Instance.TryParse(Utf8(line), target, out _));
            target.Requests.File.Add("test.log");
            target.Requests.Line.Add(i + 1);
            target.Requests.CommitRow();
        }

        var uris = target.Requests.Uri.Values.ToArray();
        var carts = uris.Skip(10_000).Where(u => u == "/cart").ToList();
        Assert.True(carts.Count > 100);
        Assert.Equal(pooled ? 1 : carts.Count, carts.Distinct(ReferenceEqualityComparer.Instance).Count());
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
