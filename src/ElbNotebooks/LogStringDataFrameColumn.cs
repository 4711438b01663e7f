using System.Collections;
using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ElbNotebooks;

/// <summary>
/// A string column of <see cref="Loading.AccessLog.Requests"/> or <see cref="Loading.AccessLog.Attempts"/>: it reads the loaded
/// log's values in place, so building a frame copies nothing, and it copies them once before its first change, so a
/// value set through a frame does not change the log the analysis reads. It answers what a
/// <see cref="StringDataFrameColumn"/> answers (indexing, filtering, sorting, grouping, value counts, joins, comparing
/// with a string); it is not one, so <c>DataFrame.Columns.GetStringColumn</c> does not return it:
/// <see cref="ToStringDataFrameColumn"/> makes that copy when an API needs it.
/// </summary>
/// <remarks>
/// Microsoft.Data.Analysis's own string column keeps its values in a list of its own, which its public API can only
/// fill value by value: for the 32 string columns of a 500,000-line log that took about a fifth of the processor time
/// of loading it and 130 MB (docs/big-data.md).
/// </remarks>
public sealed class LogStringDataFrameColumn : DataFrameColumn, IEnumerable<string?>
{
    private string?[] _values;
    private bool _shared;
    private long _nullCount;

    /// <summary>A column of <paramref name="values"/> (copied).</summary>
    public LogStringDataFrameColumn(string name, IEnumerable<string?> values) : this(name, values.ToArray(), shared: false) { }

    private LogStringDataFrameColumn(string name, string?[] values, bool shared) : this(name, values, values.Length, shared, -1) { }

    /// <summary>
    /// A column of the first <paramref name="length"/> of <paramref name="values"/>, read in place; while
    /// <paramref name="shared"/> they are copied before a change. <paramref name="nullCount"/> is the nulls among them
    /// when known, else -1 (they are counted).
    /// </summary>
    internal LogStringDataFrameColumn(string name, string?[] values, int length, bool shared, long nullCount)
        : base(name, length, typeof(string))
    {
        _values = values;
        _shared = shared;
        _nullCount = nullCount >= 0 ? nullCount : Nulls(values.AsSpan(0, length));
    }

    /// <inheritdoc/>
    public override long NullCount => _nullCount;

    /// <summary>The value at <paramref name="rowIndex"/>; null where the log had none.</summary>
    public new string? this[long rowIndex]
    {
        get => _values[Row(rowIndex)];
        set => Set(rowIndex, value);
    }

    /// <summary>A copy as Microsoft.Data.Analysis's own <see cref="StringDataFrameColumn"/>, for APIs that need that type.</summary>
    public StringDataFrameColumn ToStringDataFrameColumn()
    {
        var copy = new StringDataFrameColumn(Name, Length);
        for (var i = 0; i < Length; i++)
            if (_values[i] is { } value) copy[i] = value;
        return copy;
    }

    /// <summary>Every value, in row order.</summary>
    public IEnumerator<string?> GetEnumerator()
    {
        for (var i = 0; i < Length; i++) yield return _values[i];
    }

    /// <inheritdoc/>
    protected override IEnumerator GetEnumeratorCore() => GetEnumerator();

    /// <inheritdoc/>
    protected override object? GetValue(long rowIndex) => this[rowIndex];

    /// <inheritdoc/>
    protected override IReadOnlyList<object?> GetValues(long startIndex, int length)
    {
        var start = Row(startIndex);
        return _values.AsSpan(start, (int)Math.Min(length, Length - start)).ToArray();
    }

    /// <inheritdoc/>
    protected override void SetValue(long rowIndex, object? value) => Set(rowIndex, value switch
    {
        null => null,
        string text => text,
        _ => throw new ArgumentException($"A value of type {value.GetType()} in a column of strings.", nameof(value)),
    });

    private void Set(long rowIndex, string? value)
    {
        var row = Row(rowIndex);
        Writable((int)Length);
        var old = _values[row];
        _values[row] = value;
        _nullCount += (value is null ? 1 : 0) - (old is null ? 1 : 0);
    }

    /// <inheritdoc/>
    protected override void Resize(long length)
    {
        if (length < Length) throw new ArgumentException("A column cannot be resized down.", nameof(length));
        var added = length - Length;
        Writable(checked((int)length));
        Length = length;
        _nullCount += added;
    }

    /// <summary>
    /// Makes the values this column's own, with room for <paramref name="rows"/>: rows appended one at a time (a
    /// frame's <c>Append</c>) grow the array by doubling, not by one.
    /// </summary>
    private void Writable(int rows)
    {
        if (!_shared && rows <= _values.Length) return;
        var capacity = rows <= Length ? (int)Length : (int)Math.Min(Array.MaxLength, Math.Max(rows, Math.Max(_values.Length, Length) * 2L));
        var copy = new string?[capacity];
        Values.CopyTo(copy);
        _values = copy;
        _shared = false;
    }

    private int Row(long rowIndex) =>
        (ulong)rowIndex < (ulong)Length ? (int)rowIndex : throw new ArgumentOutOfRangeException(nameof(rowIndex), rowIndex, $"The column has {Length} rows.");

    private ReadOnlySpan<string?> Values => _values.AsSpan(0, (int)Length);

    private static long Nulls(ReadOnlySpan<string?> values)
    {
        long nulls = 0;
        foreach (var value in values)
            if (value is null) nulls++;
        return nulls;
    }

    /// <summary>A copy, with <paramref name="numberOfNullsToAppend"/> nulls after the values.</summary>
    public new LogStringDataFrameColumn Clone(long numberOfNullsToAppend = 0) => (LogStringDataFrameColumn)CloneImplementation(numberOfNullsToAppend);

    /// <summary>
    /// The rows <paramref name="mapIndices"/> picks: row indexes (<see cref="long"/> or <see cref="int"/>; a null index
    /// gives a null), read from the end when <paramref name="invertMapIndices"/>, or a <see cref="bool"/> per row.
    /// </summary>
    public new LogStringDataFrameColumn Clone(DataFrameColumn mapIndices, bool invertMapIndices = false, long numberOfNullsToAppend = 0) =>
        (LogStringDataFrameColumn)CloneImplementation(mapIndices, invertMapIndices, numberOfNullsToAppend);

    /// <inheritdoc/>
    protected override DataFrameColumn CloneImplementation(long numberOfNullsToAppend = 0)
    {
        var copy = new string?[checked(Length + numberOfNullsToAppend)];
        Values.CopyTo(copy);
        return new LogStringDataFrameColumn(Name, copy, copy.Length, shared: false, NullCount + numberOfNullsToAppend);
    }

    /// <inheritdoc/>
    protected override DataFrameColumn CloneImplementation(DataFrameColumn mapIndices, bool invertMapIndices, long numberOfNullsToAppend)
    {
        if (mapIndices is null) return CloneImplementation(numberOfNullsToAppend);
        var picked = mapIndices switch
        {
            PrimitiveDataFrameColumn<bool> keep => Kept(keep),
            PrimitiveDataFrameColumn<long> rows => Picked(rows.Length, i => rows[i], invertMapIndices),
            PrimitiveDataFrameColumn<int> rows => Picked(rows.Length, i => rows[i], invertMapIndices),
            _ => throw new ArgumentException($"Rows are picked by a column of long, int or bool, not {mapIndices.DataType}.", nameof(mapIndices)),
        };
        if (numberOfNullsToAppend > 0) Array.Resize(ref picked, checked((int)(picked.Length + numberOfNullsToAppend)));
        return new LogStringDataFrameColumn(Name, picked, shared: false);
    }

    private string?[] Kept(PrimitiveDataFrameColumn<bool> keep)
    {
        if (keep.Length > Length) throw new ArgumentException("The filter has more rows than the column.", nameof(keep));
        var kept = new List<string?>();
        for (long i = 0; i < keep.Length; i++)
            if (keep[i] == true) kept.Add(_values[i]);
        return kept.ToArray();
    }

    private string?[] Picked(long count, Func<long, long?> row, bool fromTheEnd)
    {
        var picked = new string?[count];
        for (long i = 0; i < count; i++)
            picked[fromTheEnd ? count - 1 - i : i] = row(i) is { } index ? this[index] : null;
        return picked;
    }

    /// <summary>A sorted copy; the order of strings is <see cref="Comparer{T}.Default"/>'s, as for <see cref="StringDataFrameColumn"/>.</summary>
    public new LogStringDataFrameColumn Sort(bool ascending = true, bool putNullValuesLast = true) =>
        (LogStringDataFrameColumn)base.Sort(ascending, putNullValuesLast);

    /// <summary>Sorts the distinct values once, then places the rows by their value's rank (equal values keep their order).</summary>
    protected override PrimitiveDataFrameColumn<long> GetSortIndices(bool ascending, bool putNullValuesLast)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in Values)
            if (value is not null) rank.TryAdd(value, 0);
        var distinct = rank.Keys.ToArray();
        Array.Sort(distinct, Comparer<string>.Default);
        if (!ascending) Array.Reverse(distinct);
        var start = new long[distinct.Length + 1];
        for (var i = 0; i < distinct.Length; i++) rank[distinct[i]] = i;

        var values = Values;
        var nulls = 0L;
        foreach (var value in values)
            if (value is null) nulls++;
            else start[rank[value] + 1]++;
        var first = putNullValuesLast ? 0 : nulls;
        start[0] = first;
        for (var i = 1; i < start.Length; i++) start[i] += start[i - 1];

        var order = new long[values.Length];
        var nextNull = putNullValuesLast ? values.Length - nulls : 0;
        for (var row = 0; row < values.Length; row++)
            order[values[row] is { } value ? start[rank[value]]++ : nextNull++] = row;
        return new Int64DataFrameColumn("SortIndices", order);
    }

    /// <inheritdoc/>
    public override DataFrame ValueCounts()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var value in Values)
            if (value is not null) counts[value] = counts.GetValueOrDefault(value) + 1;
        return new DataFrame(new StringDataFrameColumn("Values", counts.Keys), new Int64DataFrameColumn("Counts", counts.Values));
    }

    /// <inheritdoc/>
    public override GroupBy GroupBy(int columnIndex, DataFrame parent) =>
        new GroupBy<string>(parent, columnIndex, GroupColumnValues<string>(out _));

    /// <inheritdoc/>
    public override Dictionary<TKey, ICollection<long>> GroupColumnValues<TKey>(out HashSet<long> nullIndices)
    {
        if (typeof(TKey) != typeof(string)) throw new NotImplementedException(nameof(TKey));
        var groups = new Dictionary<string, ICollection<long>>(StringComparer.Ordinal);
        nullIndices = [];
        var values = Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value) nullIndices.Add(i);
            else if (groups.TryGetValue(value, out var rows)) rows.Add(i);
            else groups.Add(value, new List<long> { i });
        }
        return (Dictionary<TKey, ICollection<long>>)(object)groups;
    }

    /// <inheritdoc/>
    public override Dictionary<long, ICollection<long>> GetGroupedOccurrences(DataFrameColumn other, out HashSet<long> otherColumnNullIndices) =>
        GetGroupedOccurrences<string>(other, out otherColumnNullIndices);

    /// <summary>A copy with <paramref name="value"/> for every null, or this column changed when <paramref name="inPlace"/>.</summary>
    public LogStringDataFrameColumn FillNulls(string value, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var column = inPlace ? this : Clone();
        for (var i = 0; i < column.Length; i++)
            if (column._values[i] is null) column.Set(i, value);
        return column;
    }

    /// <inheritdoc/>
    protected override DataFrameColumn FillNullsImplementation(object value, bool inPlace) =>
        value is string text ? FillNulls(text, inPlace) : throw new ArgumentException($"A column of strings is filled with a string, not {value?.GetType()}.", nameof(value));

    /// <summary>A copy without the nulls.</summary>
    public new LogStringDataFrameColumn DropNulls() => (LogStringDataFrameColumn)DropNullsImplementation();

    /// <inheritdoc/>
    protected override DataFrameColumn DropNullsImplementation()
    {
        var kept = new string?[Length - NullCount];
        var at = 0;
        foreach (var value in Values)
            if (value is not null) kept[at++] = value;
        return new LogStringDataFrameColumn(Name, kept, kept.Length, shared: false, 0);
    }

    /// <summary>Strings have no order to clamp to, as for <see cref="StringDataFrameColumn"/>.</summary>
    public override DataFrameColumn Clamp<U>(U min, U max, bool inPlace = false) => throw new NotSupportedException();

    /// <summary>Strings have no order to filter by, as for <see cref="StringDataFrameColumn"/>.</summary>
    public override DataFrameColumn Filter<U>(U min, U max) => throw new NotSupportedException();

    /// <summary>True where the value is <paramref name="value"/> (ordinal), or null when it is null.</summary>
    public PrimitiveDataFrameColumn<bool> ElementwiseEquals(string? value) => Where(v => string.Equals(v, value, StringComparison.Ordinal));

    /// <summary>True where the value is not <paramref name="value"/> (ordinal).</summary>
    public PrimitiveDataFrameColumn<bool> ElementwiseNotEquals(string? value) => Where(v => !string.Equals(v, value, StringComparison.Ordinal));

    /// <inheritdoc/>
    public override PrimitiveDataFrameColumn<bool> ElementwiseEquals<T>(T value) =>
        value is DataFrameColumn column ? ElementwiseEquals(column) : ElementwiseEquals(value?.ToString());

    /// <inheritdoc/>
    public override PrimitiveDataFrameColumn<bool> ElementwiseNotEquals<T>(T value) =>
        value is DataFrameColumn column ? ElementwiseNotEquals(column) : ElementwiseNotEquals(value?.ToString());

    /// <summary>Row by row, compared as strings (a null column compares with null).</summary>
    public override PrimitiveDataFrameColumn<bool> ElementwiseEquals(DataFrameColumn column) =>
        column is null ? ElementwiseIsNull() : Pairwise(column, equal: true);

    /// <inheritdoc cref="ElementwiseEquals(DataFrameColumn)"/>
    public override PrimitiveDataFrameColumn<bool> ElementwiseNotEquals(DataFrameColumn column) =>
        column is null ? ElementwiseIsNotNull() : Pairwise(column, equal: false);

    /// <inheritdoc/>
    public override PrimitiveDataFrameColumn<bool> ElementwiseIsNull() => Where(v => v is null);

    /// <inheritdoc/>
    public override PrimitiveDataFrameColumn<bool> ElementwiseIsNotNull() => Where(v => v is not null);

    private PrimitiveDataFrameColumn<bool> Pairwise(DataFrameColumn column, bool equal)
    {
        if (column.Length != Length) throw new ArgumentException("The columns differ in length.", nameof(column));
        var result = new bool[Length];
        for (var i = 0; i < result.Length; i++)
            result[i] = string.Equals(_values[i], column[i]?.ToString(), StringComparison.Ordinal) == equal;
        return new BooleanDataFrameColumn(Name, result);
    }

    private PrimitiveDataFrameColumn<bool> Where(Func<string?, bool> test)
    {
        var values = Values;
        var result = new bool[values.Length];
        for (var i = 0; i < result.Length; i++) result[i] = test(values[i]);
        return new BooleanDataFrameColumn(Name, result);
    }

    /// <inheritdoc/>
    protected override void AddDataViewColumn(DataViewSchema.Builder builder) => builder.AddColumn(Name, TextDataViewType.Instance);

    /// <inheritdoc/>
    protected override Delegate GetDataViewGetter(DataViewRowCursor cursor) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = this[cursor.Position].AsMemory());

    /// <inheritdoc/>
    protected override void AddValueUsingCursor(DataViewRowCursor cursor, Delegate getter)
    {
        ReadOnlyMemory<char> value = default;
        ((ValueGetter<ReadOnlyMemory<char>>)getter)(ref value);
        var row = cursor.Position;
        if (row > Length) throw new IndexOutOfRangeException(nameof(row));
        if (row == Length) Resize(Length + 1);
        Set(row, value.ToString());
    }

    /// <inheritdoc/>
    protected override Delegate GetValueGetterUsingCursor(DataViewRowCursor cursor, DataViewSchema.Column schemaColumn) =>
        cursor.GetGetter<ReadOnlyMemory<char>>(schemaColumn);
}
