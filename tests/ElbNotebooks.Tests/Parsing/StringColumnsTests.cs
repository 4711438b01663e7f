using ElbNotebooks.Parsing;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>A string column over a loaded array must behave like one built with the public constructor, without a copy.</summary>
public class StringColumnsTests
{
    private static readonly string?[] Values = ["10.0.1.12:8080", null, "10.0.1.13:8080", "10.0.1.12:8080", null, "", "10.0.1.14:8080"];

    [Fact]
    public void The_pinned_Microsoft_Data_Analysis_takes_the_shared_path()
    {
        Assert.True(StringColumns.CanShare, "StringDataFrameColumn's layout changed: update StringColumns or accept the copying fallback");
    }

    [Fact]
    public void It_reads_counts_nulls_and_computes_like_a_public_one()
    {
        var fast = StringColumns.Create("backend", (string?[])Values.Clone(), Values.Length);
        var reference = new StringDataFrameColumn("backend", Values!);

        Assert.Equal(reference.Length, fast.Length);
        Assert.Equal(reference.NullCount, fast.NullCount);
        Assert.Equal(reference.ToArray(), fast.ToArray());
        Assert.Equal(reference.ElementwiseEquals("10.0.1.12:8080").ToArray(), fast.ElementwiseEquals("10.0.1.12:8080").ToArray());
        Assert.Equal(reference.Sort().ToArray(), ((StringDataFrameColumn)fast.Sort()).ToArray());
        Assert.Equal(reference.ValueCounts().ToString(), fast.ValueCounts().ToString());
        Assert.Equal(reference.Clone(reference.ElementwiseIsNotNull()).Cast<string>(), fast.Clone(fast.ElementwiseIsNotNull()).Cast<string>());
    }

    [Fact]
    public void An_edit_through_the_column_is_an_edit_of_the_loaded_values_and_growing_moves_it_out()
    {
        var loaded = new string?[Values.Length + 3];
        Values.CopyTo(loaded, 0);
        var fast = StringColumns.Create("backend", loaded, Values.Length);

        fast[1] = "set";
        fast[0] = null;
        Assert.Equal("set", loaded[1]);
        Assert.Null(loaded[0]);
        Assert.Equal(2, fast.NullCount);

        for (var i = 0; i < 10; i++) fast.Append("10.0.9.9:80");
        fast[2] = "after growing";
        Assert.Equal(Values.Length + 10, fast.Length);
        Assert.Equal("10.0.9.9:80", fast[Values.Length + 9]);
        Assert.Equal(Values[2], loaded[2]);
    }

    [Fact]
    public void Part_of_a_larger_array_is_only_its_count()
    {
        var loaded = new string?[] { "a", null, "b", "beyond", "beyond" };
        var fast = StringColumns.Create("c", loaded, 3);

        Assert.Equal(3, fast.Length);
        Assert.Equal(1, fast.NullCount);
        Assert.Equal(new[] { "a", null, "b" }, fast.ToArray());
    }

    [Fact]
    public void A_frame_of_them_filters_and_groups()
    {
        int[] statuses = [502, 200, 200, 502, 200, 200, 200];
        var frame = new DataFrame(StringColumns.Create("backend", (string?[])Values.Clone(), Values.Length), new Int32DataFrameColumn("status", statuses));
        var reference = new DataFrame(new StringDataFrameColumn("backend", Values!), new Int32DataFrameColumn("status", statuses));

        var failing = frame.Filter(frame["status"].ElementwiseEquals(502));
        Assert.Equal(["10.0.1.12:8080", "10.0.1.12:8080"], failing["backend"].Cast<string>());
        Assert.Equal(reference.GroupBy("backend").Count().ToString(), frame.GroupBy("backend").Count().ToString());
    }
}
