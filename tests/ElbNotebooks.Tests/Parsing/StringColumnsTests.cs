using ElbNotebooks.Parsing;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>The one-copy string column must be indistinguishable from one built with the public constructor.</summary>
public class StringColumnsTests
{
    private static readonly string?[] Values = ["10.0.1.12:8080", null, "10.0.1.13:8080", "10.0.1.12:8080", null, "", "10.0.1.14:8080"];

    [Fact]
    public void The_pinned_Microsoft_Data_Analysis_takes_the_one_copy_path()
    {
        Assert.True(StringColumns.CanAdopt, "StringDataFrameColumn's layout changed: update StringColumns or accept the slower fallback");
    }

    [Fact]
    public void It_reads_counts_nulls_and_computes_like_a_public_one()
    {
        var fast = StringColumns.Create("backend", Values);
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
    public void It_grows_and_changes_like_a_public_one_without_touching_the_loaded_values()
    {
        var loaded = (string?[])Values.Clone();
        var fast = StringColumns.Create("backend", loaded);

        fast.Append("10.0.9.9:80");
        fast[1] = "set";
        fast[0] = null;

        Assert.Equal(Values.Length + 1, fast.Length);
        Assert.Equal(2, fast.NullCount);
        Assert.Equal("set", fast[1]);
        Assert.Equal("10.0.9.9:80", fast[Values.Length]);
        Assert.Equal(Values, loaded);
    }

    [Fact]
    public void A_frame_of_them_filters_and_groups()
    {
        int[] statuses = [502, 200, 200, 502, 200, 200, 200];
        var frame = new DataFrame(StringColumns.Create("backend", Values), new Int32DataFrameColumn("status", statuses));
        var reference = new DataFrame(new StringDataFrameColumn("backend", Values!), new Int32DataFrameColumn("status", statuses));

        var failing = frame.Filter(frame["status"].ElementwiseEquals(502));
        Assert.Equal(["10.0.1.12:8080", "10.0.1.12:8080"], failing["backend"].Cast<string>());
        Assert.Equal(reference.GroupBy("backend").Count().ToString(), frame.GroupBy("backend").Count().ToString());
    }
}
