using System.Runtime.CompilerServices;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Makes a <see cref="StringDataFrameColumn"/> that reads a loaded column's own array, as the numeric columns do
/// (<see cref="SharedColumn"/>): no copy, so a load's 35 string columns cost no memory twice. Its public constructors
/// can only append value by value into a list of their own. The column keeps its strings in a private list of lists
/// (more than one only past 2^28 rows); this puts in it one list over the loaded array. A change made through the
/// frame is seen by everything that reads the log, like an edit of the log itself; growing the column moves it to
/// an array of its own. If a Microsoft.Data.Analysis version lays the column out otherwise, the public constructor
/// copies instead (a test checks that the pinned version shares).
/// </summary>
internal static class StringColumns
{
    /// <summary>True when this version of Microsoft.Data.Analysis has the layout the shared path fills.</summary>
    public static bool CanShare { get; } = Probe();

    /// <summary>
    /// A column of the first <paramref name="count"/> of <paramref name="items"/>, named <paramref name="name"/>. When
    /// <paramref name="allMissing"/> says they are all null, the array is not read: its pages may never have been touched.
    /// </summary>
    public static StringDataFrameColumn Create(string name, string?[] items, int count, bool allMissing = false)
    {
        if (!CanShare || count >= StringDataFrameColumn.MaxCapacity)
            return new StringDataFrameColumn(name, new ArraySegment<string>(items!, 0, count));

        var list = new List<string?>();
        ListOf<string?>.Items(list) = items;
        ListOf<string?>.Size(list) = count;
        long nulls = allMissing ? count : 0;
        if (!allMissing)
            foreach (var value in items.AsSpan(0, count))
                if (value is null) nulls++;

        var column = new StringDataFrameColumn(name, 0);
        var buffers = Buffers(column);
        buffers.Clear();
        buffers.Add(list!);
        NullCount(column) = nulls;
        SetLength(column, count);
        return column;
    }

    private static bool Probe()
    {
        try
        {
            var column = new StringDataFrameColumn("probe", 0);
            var list = new List<string?>();
            return Buffers(column) is { Count: 1 } && NullCount(column) == 0 && ListOf<string?>.Items(list) is not null && ListOf<string?>.Size(list) == 0;
        }
        catch (Exception e) when (e is MissingMemberException or InvalidCastException)
        {
            return false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_stringBuffers")]
    private static extern ref List<List<string>> Buffers(StringDataFrameColumn column);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_nullCount")]
    private static extern ref long NullCount(StringDataFrameColumn column);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_Length")]
    private static extern void SetLength(DataFrameColumn column, long length);

    /// <summary>List's fields, reached the way the runtime allows for a generic type: from a class with its parameter.</summary>
    private static class ListOf<T>
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_items")]
        public static extern ref T[] Items(List<T> list);

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_size")]
        public static extern ref int Size(List<T> list);
    }
}
