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

    /// <summary>
    /// URIs that rarely repeat are not pooled; a worker finds a repeat in the load's column instead, across blocks. The
    /// load's column must still hold each distinct value once, at the rows that have it.
    /// </summary>
    [Fact]
    public void Values_that_are_not_pooled_are_still_one_value_each_in_the_load_across_blocks()
    {
        const int distinct = 5_000, lines = 40_000; // about 16 MB: many blocks, and the URI column stops pooling early
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines; i++)
            text.Append(TestLines.WithField(TestLines.FullWithRetry, 7, $"\"GET https://www.test.com/items/{i * 7 % distinct} HTTP/1.1\"")).Append('\n');

        var log = TestLines.Load(text.ToString());

        var uris = Assert.IsType<LogStringDataFrameColumn>(log.Requests["router_request_uri"]);
        for (var i = 0; i < lines; i++) Assert.Equal($"/items/{i * 7 % distinct}", uris[i]);
        var counts = uris.ValueCounts();
        Assert.Equal(distinct, counts.Rows.Count);
        Assert.All(counts.Columns[1].Cast<long>(), count => Assert.Equal(lines / distinct, count));
    }

    [Theory]
    [InlineData(3, false)] // one URI in three is new: pooling them costs more than it spares
    [InlineData(10, true)] // one in ten: pooled, so a repeated URI is one string
    public void A_column_is_pooled_only_while_at_least_three_lookups_in_four_find_their_value(int newEvery, bool pooled)
    {
        var target = new ParseTarget();
        var pooledBefore = 0;
        for (var i = 0; i < 12_000; i++)
        {
            if (i == 10_000) pooledBefore = target.Strings.Count;
            // Two URIs that repeat, never twice in a row (that would be the column's last value, not a lookup).
            var path = i % newEvery == 0 ? $"/orders/{i}" : (i % 2 == 0 ? "/cart" : "/basket");
            var line = TestLines.WithField(TestLines.FullWithRetry, 7, $"\"GET https://www.test.com{path} HTTP/1.1\"");
            Assert.True(HuaweiElbFormat.Instance.TryParse(Utf8(line), target, out _));
            target.Requests.File.Add("test.log");
            target.Requests.Line.Add(i + 1);
            target.Requests.CommitRow();
        }

        // Past the sample, a new URI is pooled only while the column is worth pooling; the rows hold every URI either way.
        var newUris = Enumerable.Range(10_000, 2_000).Count(i => i % newEvery == 0);
        Assert.Equal(pooled ? pooledBefore + newUris : pooledBefore, target.Strings.Count);
        var uris = target.Requests.Uri.Values.ToArray();
        var cartRow = Enumerable.Range(11_990, 10).First(i => i % newEvery != 0 && i % 2 == 0);
        var orderRow = Enumerable.Range(11_990, 10).First(i => i % newEvery == 0);
        Assert.Equal("/cart", uris[cartRow]);
        Assert.Equal($"/orders/{orderRow}", uris[orderRow]);
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

    /// <summary>
    /// Values crafted so that a fixed hash (the FNV-1a this pool used before) gives every one the same code: a log of
    /// such user agents made each lookup walk one chain. The pool's hash is seeded per process (<see cref="SeededHash"/>),
    /// and a string hashes as its bytes, so they spread like any other values, and a log of them loads whole.
    /// </summary>
    [Fact]
    public void Values_crafted_to_collide_under_a_fixed_hash_do_not_collide_here()
    {
        var crafted = FixedHashCollisions(2_000);
        Assert.Single(crafted.Select(OldFixedHash).Distinct());

        var hashes = crafted.Select(v => SeededHash.Of(System.Text.Encoding.ASCII.GetBytes(v))).ToList();
        Assert.True(hashes.Distinct().Count() >= crafted.Count - 5, $"{crafted.Count - hashes.Distinct().Count()} collisions");
        Assert.All(crafted, v => Assert.Equal(SeededHash.OfAscii(v, out _), SeededHash.Of(System.Text.Encoding.ASCII.GetBytes(v))));

        var pool = new StringPool();
        foreach (var v in crafted) Assert.Equal(v, pool.Get(System.Text.Encoding.ASCII.GetBytes(v)));
        Assert.Equal(crafted.Count, pool.Count);
        var lines = crafted.Select(agent => TestLines.WithField(TestLines.Seed, 17, "\"" + agent + "\""));
        Assert.Equal(crafted.Count, TestLines.Load(string.Join("\n", lines) + "\n").Report.Parsed);
    }

    private const ulong FnvOffset = 14695981039346656037UL, FnvPrime = 1099511628211UL;

    /// <summary>FNV-1a over 8-byte words, folded to 32 bits: the pool's hash before it was seeded.</summary>
    private static int OldFixedHash(string value)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(value);
        var hash = FnvOffset;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var word in words) hash = (hash ^ word) * FnvPrime;
        foreach (var b in bytes.AsSpan(words.Length * 8)) hash = (hash ^ b) * FnvPrime;
        return (int)(hash ^ (hash >> 32));
    }

    /// <summary>
    /// 16-character printable values with one fixed-hash code: any first word, then a second word solved from a state
    /// whose fold is the target (the multiply by an odd prime is invertible), kept when its bytes are printable.
    /// </summary>
    private static List<string> FixedHashCollisions(int count)
    {
        const uint target = 0x5EED5EED;
        var inverse = FnvPrime;
        for (var i = 0; i < 6; i++) inverse *= 2 - FnvPrime * inverse; // Newton: the prime's inverse mod 2^64
        var values = new List<string>();
        var bytes = new byte[16];
        for (uint first = 0, high = 0; values.Count < count; first++)
        {
            System.Text.Encoding.ASCII.GetBytes(first.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), bytes);
            var afterFirst = (FnvOffset ^ BitConverter.ToUInt64(bytes, 0)) * FnvPrime;
            for (var tries = 0; tries < 100_000; tries++, high++)
            {
                var state = ((ulong)high << 32) | (high ^ target);
                var second = (state * inverse) ^ afterFirst;
                if (!Printable(second)) continue;
                BitConverter.TryWriteBytes(bytes.AsSpan(8), second);
                values.Add(System.Text.Encoding.ASCII.GetString(bytes));
                high++;
                break;
            }
        }
        return values;

        static bool Printable(ulong word)
        {
            for (var i = 0; i < 8; i++, word >>= 8)
                if ((byte)word is < 0x21 or > 0x7E or (byte)'"' or (byte)'\\') return false;
            return true;
        }
    }
}
