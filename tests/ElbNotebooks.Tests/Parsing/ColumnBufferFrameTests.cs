using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>
/// Numeric frame columns read the buffer's array in place with a validity bitmap built from the missing sentinel:
/// every missing cell, and only those, must read as null, whatever the column's length (bitmaps end mid-byte).
/// </summary>
public class ColumnBufferFrameTests
{
    public static TheoryData<int> Lengths => [0, 1, 7, 8, 9, 15, 16, 17, 1000, 4099];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Missing_values_and_only_those_are_null_in_the_frame_column(int length)
    {
        var random = new Random(length);
        var ints = new IntBuffer("i");
        var longs = new LongBuffer("l");
        var doubles = new DoubleBuffer("d");
        var times = new DateTimeBuffer("t");
        var flags = new BoolBuffer("b");
        var missing = new bool[length];
        for (var row = 0; row < length; row++)
        {
            missing[row] = random.Next(3) == 0;
            ints.Add(missing[row] ? Missing.Int : random.Next(-5, 500));
            longs.Add(missing[row] ? Missing.Long : random.NextInt64(-5, 1L << 40));
            doubles.Add(missing[row] ? Missing.Double : random.NextDouble() * 10 - 1);
            times.Add(missing[row] ? DateTime.MinValue : new DateTime(2024, 5, 1).AddSeconds(row));
            flags.Add(random.Next(2) == 0);
        }

        foreach (var buffer in new ColumnBuffer[] { ints, longs, doubles, times })
        {
            var column = buffer.ToDataFrameColumn();
            Assert.Equal(length, column.Length);
            Assert.Equal(missing.Count(m => m), column.NullCount);
            for (var row = 0; row < length; row++)
                Assert.True(missing[row] == (column[row] is null), $"{buffer.Name} row {row}");
        }
        var intColumn = ints.ToDataFrameColumn();
        var timeColumn = times.ToDataFrameColumn();
        for (var row = 0; row < length; row++)
        {
            if (missing[row]) continue;
            Assert.Equal(ints[row], intColumn[row]);
            Assert.Equal(times[row], timeColumn[row]);
        }

        var bools = flags.ToDataFrameColumn();
        Assert.Equal(0, bools.NullCount);
        for (var row = 0; row < length; row++) Assert.Equal(flags[row], bools[row]);
    }

    [Fact]
    public void Present_values_read_back_unchanged()
    {
        var doubles = new DoubleBuffer("d");
        double[] values = [0.0, -0.0, 1e-9, Missing.Double, 12.5, double.MaxValue, Missing.Double, 3, 4, 5];
        foreach (var v in values) doubles.Add(v);
        var column = doubles.ToDataFrameColumn();
        for (var row = 0; row < values.Length; row++)
            Assert.Equal(double.IsNaN(values[row]) ? null : values[row], (double?)column[row]);
    }
}

/// <summary>
/// A string column appended only blocks of missing values skips writing them (its array is null already); a
/// value written before, even one dropped since, must never show through a block appended that way.
/// </summary>
public class StringBufferAppendTests
{
    private static StringBuffer Block(params string?[] values)
    {
        var block = new StringBuffer("s");
        foreach (var value in values) block.Add(value);
        return block;
    }

    private static StringBuffer Presized(int rows)
    {
        var column = new StringBuffer("s");
        column.EnsureCapacity(rows);
        return column;
    }

    [Fact]
    public void Blocks_of_missing_values_then_values_read_back_in_order_with_their_null_count()
    {
        var column = Presized(100);
        column.AppendFrom(Block(null, null, null));
        column.AppendFrom(Block(null, null));
        var allMissing = column.ToDataFrameColumn();
        Assert.Equal(5, allMissing.Length);
        Assert.Equal(5, allMissing.NullCount);

        column.AppendFrom(Block("a", null));
        column.AppendFrom(Block((string?)null));
        column.AppendFrom(Block("b"));

        var frame = column.ToDataFrameColumn();
        Assert.Equal([null, null, null, null, null, "a", null, null, "b"], Enumerable.Range(0, 9).Select(row => (string?)frame[row]));
        Assert.Equal(7, frame.NullCount);
    }

    [Fact]
    public void A_value_dropped_from_the_array_never_shows_through_a_block_of_missing_values()
    {
        var column = Presized(100);
        column.Add("dropped");
        column.Add("also dropped");
        column.TruncateTo(0);
        column.AppendFrom(Block(null, null, null));

        var frame = column.ToDataFrameColumn();
        Assert.Equal(3, frame.Length);
        Assert.Equal(3, frame.NullCount);
        Assert.All(Enumerable.Range(0, 3), row => Assert.Null(frame[row]));
    }

    [Fact]
    public void A_block_of_missing_values_past_the_arrays_capacity_grows_it()
    {
        var column = new StringBuffer("s");
        column.AppendFrom(Block(Enumerable.Repeat<string?>(null, 1000).ToArray()));
        column.AppendFrom(Block("last"));

        var frame = column.ToDataFrameColumn();
        Assert.Equal(1001, frame.Length);
        Assert.Equal(1000, frame.NullCount);
        Assert.Equal("last", frame[1000]);
    }
}
