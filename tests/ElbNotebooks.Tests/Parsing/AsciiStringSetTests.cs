using System.Text;
using CsCheck;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>The string pool's table finds an ASCII value by its bytes exactly when a set of strings holds it.</summary>
public class AsciiStringSetTests
{
    [Fact]
    public void A_value_is_found_by_its_bytes_once_added_and_never_before() =>
        Gen.String[Gen.Char["ab/0 ~"], 0, 20].Array[0, 400].Sample(values =>
        {
            var set = new AsciiStringSet();
            var expected = new Dictionary<string, string>(StringComparer.Ordinal); // value -> the instance added
            foreach (var value in values)
            {
                var bytes = Encoding.ASCII.GetBytes(value);
                Assert.Equal(expected.ContainsKey(value), set.TryGet(bytes, out var found));
                if (!expected.ContainsKey(value))
                {
                    var instance = new string(value);
                    expected[value] = instance;
                    set.Add(bytes, instance);
                }
                Assert.True(set.TryGet(bytes, out found));
                Assert.Same(expected[value], found);
            }
            Assert.Equal(expected.Count, set.Count);
        }, iter: 1_000);

    [Fact]
    public void Values_that_keep_colliding_move_to_the_randomised_set_and_stay_found()
    {
        // Crafting collisions needs the per-process seed; what matters is that the move keeps every value.
        var set = new AsciiStringSet();
        var values = Enumerable.Range(0, 20_000).Select(i => $"Mozilla/5.0 agent {i}").ToArray();
        foreach (var value in values) set.Add(Encoding.ASCII.GetBytes(value), value);
        set.FallBack();
        foreach (var value in values)
        {
            Assert.True(set.TryGet(Encoding.ASCII.GetBytes(value), out var found));
            Assert.Same(value, found);
        }
        Assert.False(set.TryGet("Mozilla/5.0 agent -1"u8, out _));
        set.Add("new"u8, "new");
        Assert.True(set.TryGet("new"u8, out var added) && added == "new");
        Assert.Equal(values.Length + 1, set.Count);
    }
}
