using CsCheck;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>A column's table of codes gives each distinct value one code, as a dictionary would.</summary>
public class StringCodesTests
{
    [Fact]
    public void Each_distinct_value_keeps_the_code_it_was_given_first() =>
        Gen.String[Gen.Char["ab/é0"], 0, 12].Array[0, 300].Sample(values =>
        {
            var codes = new StringCodes();
            var expected = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var value in values)
            {
                // A fresh instance of the same characters: found by value, not by reference.
                var code = codes.GetOrAdd(new string(value), expected.Count + 1, out var added);
                Assert.Equal(!expected.ContainsKey(value), added);
                if (added) expected[value] = code;
                Assert.Equal(expected[value], code);
            }
            Assert.Equal(expected.Count, codes.Count);
            codes.Clear();
            Assert.Equal(0, codes.Count);
            if (values.Length > 0) Assert.True(codes.GetOrAdd(values[0], 7, out var again) == 7 && again);
        }, iter: 1_000);

    [Fact]
    public void Values_that_keep_colliding_move_the_table_to_the_randomised_dictionary()
    {
        // Crafting collisions needs the per-process seed; what matters is that the move keeps every code, so fill a
        // table, force the move, and read every value back.
        var codes = new StringCodes();
        var values = Enumerable.Range(0, 50_000).Select(i => $"/orders/{i}").ToArray();
        for (var i = 0; i < values.Length; i++) Assert.Equal(i, codes.GetOrAdd(values[i], i, out _));
        codes.FallBack();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(i, codes.GetOrAdd(new string(values[i]), -1, out var added));
            Assert.False(added);
        }
        Assert.Equal(values.Length, codes.Count);
        // Lookups by bytes find nothing once moved: other threads may read while the dictionary is written.
        Assert.False(codes.TryGet(System.Text.Encoding.ASCII.GetBytes(values[0]), out _, out _));
        Assert.Equal(-5, codes.GetOrAdd("/new", -5, out var addedNew));
        Assert.True(addedNew);
    }

    [Fact]
    public void An_ascii_value_is_found_by_its_bytes_with_its_code_and_string() =>
        Gen.String[Gen.Char["ab/é0 "], 0, 20].Array[0, 200].Sample(values =>
        {
            var codes = new StringCodes();
            var first = new Dictionary<string, (int Code, string Instance)>(StringComparer.Ordinal);
            foreach (var value in values)
            {
                var instance = new string(value);
                var code = codes.GetOrAdd(instance, first.Count + 1, out var added);
                if (added) first[value] = (code, instance);
            }
            foreach (var value in values.Where(v => v.All(char.IsAscii)))
            {
                Assert.True(codes.TryGet(System.Text.Encoding.ASCII.GetBytes(value), out var code, out var found));
                Assert.Equal(first[value].Code, code);
                Assert.Same(first[value].Instance, found);
            }
            Assert.False(codes.TryGet("never added"u8, out _, out _));
        }, iter: 1_000);

    /// <summary>A parsing worker looks values up while the load's thread adds: a value is found whole or not at all.</summary>
    [Fact]
    public async Task Readers_on_other_threads_find_a_value_with_its_own_code_or_not_at_all()
    {
        var codes = new StringCodes();
        var values = Enumerable.Range(0, 200_000).Select(i => $"/orders/{i * 7919 % 200_000}").ToArray();
        var bytes = values.Select(System.Text.Encoding.ASCII.GetBytes).ToArray();
        var added = 0;
        var hits = 0L;
        var readers = Enumerable.Range(0, 2).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            while (Volatile.Read(ref added) < values.Length)
            {
                var i = random.Next(values.Length);
                if (!codes.TryGet(bytes[i], out var code, out var found)) continue;
                Assert.Equal(i + 1, code);
                Assert.Same(values[i], found);
                Interlocked.Increment(ref hits);
            }
        })).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            codes.GetOrAdd(values[i], i + 1, out _);
            Volatile.Write(ref added, i + 1);
            // Half-way, let the readers find some before adding (and growing the table) on.
            if (i == values.Length / 2) SpinWait.SpinUntil(() => Interlocked.Read(ref hits) > 1_000, TimeSpan.FromSeconds(30));
        }
        await Task.WhenAll(readers);
        Assert.True(hits > 1_000);
        for (var i = 0; i < values.Length; i++) Assert.True(codes.TryGet(bytes[i], out var code, out _) && code == i + 1);
    }

    [Fact]
    public void An_ascii_string_hashes_as_its_bytes() =>
        Gen.String[Gen.Char["ab/0 ~é"], 0, 40].Sample(value =>
        {
            var hash = SeededHash.OfAscii(value, out var ascii);
            Assert.Equal(value.All(char.IsAscii), ascii);
            if (ascii) Assert.Equal(SeededHash.Of(System.Text.Encoding.ASCII.GetBytes(value)), hash);
        }, iter: 2_000);
}
