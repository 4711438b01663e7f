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
        Assert.Equal(-5, codes.GetOrAdd("/new", -5, out var addedNew));
        Assert.True(addedNew);
    }
}
