using Microsoft.Data.Analysis;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Makes a <see cref="StringDataFrameColumn"/> of a loaded string column through Microsoft.Data.Analysis's public
/// constructors only. The column keeps its strings in a list of its own, so this copies the references (not the
/// strings): 8 bytes a row, plus the list's spare capacity from growing by doubling. The frame is then a copy: a value
/// set through it does not change the loaded log that the analysis reads. (Until issue 26 the column was made to read
/// the loaded array in place by writing the column's and <see cref="List{T}"/>'s private fields; a patch release of
/// either could have turned that into memory corruption. The cost of the copy is measured in docs/big-data.md.)
/// </summary>
internal static class StringColumns
{
    /// <summary>
    /// A column of the first <paramref name="count"/> of <paramref name="items"/>, named <paramref name="name"/>. When
    /// <paramref name="allMissing"/> says they are all null, the array is not read: its pages may never have been touched.
    /// </summary>
    public static StringDataFrameColumn Create(string name, string?[] items, int count, bool allMissing = false)
    {
        // Sized once (the length constructor fills a list of exactly that capacity with nulls), then every value set
        // over its null: appending instead grows the list by doubling, which measured twice the garbage and a third
        // more time for the frames (docs/big-data.md).
        var column = new StringDataFrameColumn(name, count);
        if (allMissing) return column;
        for (var i = 0; i < count; i++)
            if (items[i] is { } value) column[i] = value;
        return column;
    }
}
