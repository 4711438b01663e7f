using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Makes a <see cref="StringDataFrameColumn"/> from a column's strings with one block copy. Its public constructors
/// append value by value into a list that grows by doubling: for a load's 35 string columns that is several times
/// the work, and twice the memory at the peak, of copying the references once into a list of the exact size. The
/// column keeps its strings in a private list of lists (more than one only past 2^28 rows); this fills that list,
/// and falls back to the public constructor if a Microsoft.Data.Analysis version lays the column out otherwise
/// (a test checks that the fast path is taken with the pinned version).
/// </summary>
internal static class StringColumns
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
    private static readonly FieldInfo? Buffers = typeof(StringDataFrameColumn).GetField("_stringBuffers", Private);
    private static readonly FieldInfo? Nulls = typeof(StringDataFrameColumn).GetField("_nullCount", Private);
    private static readonly MethodInfo? SetLength = typeof(DataFrameColumn).GetProperty(nameof(DataFrameColumn.Length))?.GetSetMethod(nonPublic: true);

    /// <summary>True when this version of Microsoft.Data.Analysis has the layout the fast path fills.</summary>
    public static bool CanAdopt { get; } =
        Buffers?.FieldType == typeof(List<List<string>>) && Nulls?.FieldType == typeof(long) && SetLength is not null;

    public static StringDataFrameColumn Create(string name, ReadOnlySpan<string?> values)
    {
        if (!CanAdopt || values.Length >= StringDataFrameColumn.MaxCapacity)
            return new StringDataFrameColumn(name, values.ToArray()!);

        var list = new List<string>(values.Length);
        CollectionsMarshal.SetCount(list, values.Length);
        values.CopyTo(CollectionsMarshal.AsSpan(list)!);
        long nulls = 0;
        foreach (var value in values)
            if (value is null) nulls++;

        var column = new StringDataFrameColumn(name, 0);
        var buffers = (List<List<string>>)Buffers!.GetValue(column)!;
        buffers.Clear();
        buffers.Add(list);
        Nulls!.SetValue(column, nulls);
        SetLength!.Invoke(column, [(long)values.Length]);
        return column;
    }
}
