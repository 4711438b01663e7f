using System.Text;
using CsCheck;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>
/// Values a load kept as bytes get their codes at once: each distinct string one code, the column's table's code where
/// it has the string, new ones numbered in order of first appearance, as adding them one by one would.
/// </summary>
public class PendingValuesTests
{
    // Bytes from a small alphabet so values repeat; 0xC3 0xA9 is é, 0xFF and 0xFE are invalid UTF-8 and both read as
    // U+FFFD: different bytes, one string, one code.
    private static readonly byte[][] Parts = [[(byte)'a'], [(byte)'b'], [(byte)'/'], [(byte)'0'], [0xC3, 0xA9], [0xFF], [0xFE]];

    private static readonly Gen<byte[]> Value = Gen.Int[0, Parts.Length - 1].Array[0, 6]
        .Select(parts => parts.SelectMany(p => Parts[p]).ToArray());

    /// <summary>ASCII only: the values the cores number chunk by chunk (others go through the table in order).</summary>
    private static readonly Gen<byte[]> AsciiValue = Gen.Int[0, 3].Array[0, 6]
        .Select(parts => parts.SelectMany(p => Parts[p]).ToArray());

    [Fact]
    public void Each_distinct_string_gets_one_code_in_order_of_first_appearance() =>
        Gen.Select(Gen.Bool.SelectMany(ascii => (ascii ? AsciiValue : Value).Array[0, 400]), Value.Array[0, 20], Gen.Bool, Gen.Bool,
            Gen.Bool, Gen.Int[0, 40]).Sample((values, known, keepTable, flooded, makeStrings, chunk) =>
        {
            var table = new StringCodes();
            var expected = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var value in known.Select(v => Utf8Bytes.String(v)))
                if (!expected.ContainsKey(value)) expected[value] = table.GetOrAdd(value, expected.Count + 1, out _);
            if (flooded) table.FallBack();
            var pending = new PendingValues();
            foreach (var value in values) pending.Add(value);
            var next = expected.Count + 1;

            // Chunks of a few values, as a large load's are of thousands (0: the size a load takes, one chunk here).
            var resolved = pending.Resolve(table, next, keepTable, makeStrings, chunk);

            // The column's list of values as ResolvePending leaves it: its own, then the new ones (some left to be made).
            var firstNew = next;
            var strings = new string?[firstNew + resolved.NewStrings.Length];
            resolved.NewStrings.CopyTo(strings, firstNew);
            var lazy = new LazyStrings(pending, firstNew, resolved.NewValues);
            if (makeStrings) Assert.All(resolved.NewStrings, Assert.NotNull);
            for (var i = 0; i < values.Length; i++)
            {
                var value = Utf8Bytes.String(values[i]);
                if (!expected.TryGetValue(value, out var code))
                {
                    code = expected[value] = next++;
                    Assert.Equal(value, LazyStrings.Of(strings, lazy, code));
                }
                Assert.Equal(code, resolved.Codes[i]);
            }
            Assert.Equal(next - firstNew, resolved.NewStrings.Length);
            Assert.Null(LazyStrings.Of(strings, lazy, 0));
        }, iter: 1_000);

    [Fact]
    public void A_value_keeps_its_bytes_whatever_came_before_it()
    {
        var pending = new PendingValues(bytes: 4, values: 2);
        var values = Enumerable.Range(0, 5_000).Select(i => Encoding.UTF8.GetBytes(new string('x', i % 37) + i)).ToArray();
        foreach (var value in values) pending.Add(value);

        Assert.Equal(values.Length, pending.Count);
        for (var i = 0; i < values.Length; i++) Assert.True(pending[i].SequenceEqual(values[i]), $"value {i}");
        Assert.Equal(values.Sum(v => v.Length), pending.ByteCount);
    }
}
