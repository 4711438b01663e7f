using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using ElbNotebooks.Parsing;
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
/// fill value by value: for the 37 string columns of a 500,000-line log's two frames that took about a fifth of the
/// processor time of loading it and 130 MB (docs/big-data.md).
/// </remarks>
public sealed class LogStringDataFrameColumn : DataFrameColumn, IEnumerable<string?>
{
    // A code per row into a list of distinct values, as the load keeps them: code 0 is null.
    private int[] _codes;
    private string?[] _strings;
    private int _stringCount;
    private readonly LazyStrings? _lazy;
    private bool _shared;
    private long _nullCount;
    private Dictionary<string, int>? _lookup;

    /// <summary>A column of <paramref name="values"/> (copied).</summary>
    public LogStringDataFrameColumn(string name, IEnumerable<string?> values) : this(name, values.ToArray()) { }

    private LogStringDataFrameColumn(string name, string?[] values) : this(name, [], 0, [null], 1, lazy: null, shared: false, 0)
    {
        _codes = new int[values.Length];
        for (var i = 0; i < values.Length; i++) _codes[i] = CodeOf(values[i]);
        Length = values.Length;
        _nullCount = Nulls(_codes);
    }

    /// <summary>
    /// A column of the first <paramref name="length"/> of <paramref name="codes"/>, each the index of its value in
    /// <paramref name="strings"/> (of which the first <paramref name="stringCount"/> are used; the first is null), read in
    /// place; while <paramref name="shared"/> both are copied before a change. <paramref name="nullCount"/> is the
    /// nulls among them when known, else -1 (they are counted). A value <paramref name="strings"/> lacks is made by
    /// <paramref name="lazy"/> when read.
    /// </summary>
    internal LogStringDataFrameColumn(string name, int[] codes, int length, string?[] strings, int stringCount, LazyStrings? lazy, bool shared, long nullCount)
        : base(name, length, typeof(string))
    {
        _codes = codes;
        _strings = strings;
        _stringCount = stringCount;
        _lazy = lazy;
        _shared = shared;
        _nullCount = nullCount >= 0 ? nullCount : Nulls(codes.AsSpan(0, length));
    }

    /// <inheritdoc/>
    public override long NullCount => _nullCount;

    /// <summary>The value at <paramref name="rowIndex"/>; null where the log had none.</summary>
    public new string? this[long rowIndex]
    {
        get => Value(_codes[Row(rowIndex)]);
        set => Set(rowIndex, value);
    }

    /// <summary>A copy as Microsoft.Data.Analysis's own <see cref="StringDataFrameColumn"/>, for APIs that need that type.</summary>
    public StringDataFrameColumn ToStringDataFrameColumn()
    {
        var copy = new StringDataFrameColumn(Name, Length);
        for (var i = 0; i < Length; i++)
            if (Value(_codes[i]) is { } value) copy[i] = value;
        return copy;
    }

    /// <summary>Every value, in row order.</summary>
    public IEnumerator<string?> GetEnumerator()
    {
        for (var i = 0; i < Length; i++) yield return Value(_codes[i]);
    }

    /// <inheritdoc/>
    protected override IEnumerator GetEnumeratorCore() => GetEnumerator();

    /// <inheritdoc/>
    protected override object? GetValue(long rowIndex) => this[rowIndex];

    /// <inheritdoc/>
    protected override IReadOnlyList<object?> GetValues(long startIndex, int length)
    {
        var start = Row(startIndex);
        var values = new object?[(int)Math.Min(length, Length - start)];
        for (var i = 0; i < values.Length; i++) values[i] = Value(_codes[start + i]);
        return values;
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
        var wasNull = _codes[row] == 0;
        _codes[row] = CodeOf(value);
        _nullCount += (value is null ? 1 : 0) - (wasNull ? 1 : 0);
    }

    /// <summary>The code of <paramref name="value"/>, added to the values when new (the column is writable).</summary>
    private int CodeOf(string? value)
    {
        if (value is null) return 0;
        if (_lookup is null)
        {
            _lookup = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var code = 1; code < _stringCount; code++) _lookup.TryAdd(Value(code)!, code);
        }
        if (_lookup.TryGetValue(value, out var known)) return known;
        if (_stringCount == _strings.Length) Array.Resize(ref _strings, Math.Max(4, _stringCount * 2));
        _strings[_stringCount] = value;
        _lookup.Add(value, _stringCount);
        return _stringCount++;
    }

    /// <summary>The code of <paramref name="value"/> if the column holds it, else -1; 0 for null.</summary>
    private int ExistingCode(string? value)
    {
        if (value is null) return 0;
        if (_lookup is not null) return _lookup.TryGetValue(value, out var code) ? code : -1;
        for (var code = 1; code < _stringCount; code++)
            if (string.Equals(Value(code), value, StringComparison.Ordinal)) return code;
        return -1;
    }

    /// <inheritdoc/>
    protected override void Resize(long length)
    {
        if (length < Length) throw new ArgumentException("A column cannot be resized down.", nameof(length));
        var added = length - Length;
        Writable(checked((int)length));
        _codes.AsSpan((int)Length, (int)added).Clear();
        Length = length;
        _nullCount += added;
    }

    /// <summary>
    /// Makes the codes and values this column's own, with room for <paramref name="rows"/>: rows appended one at a
    /// time (a frame's <c>Append</c>) grow the array by doubling, not by one.
    /// </summary>
    private void Writable(int rows)
    {
        if (!_shared && rows <= _codes.Length) return;
        var capacity = rows <= Length ? (int)Length : (int)Math.Min(Array.MaxLength, Math.Max(rows, Math.Max(_codes.Length, Length) * 2L));
        var codes = new int[capacity];
        Codes.CopyTo(codes);
        _codes = codes;
        if (_shared) _strings = _strings.AsSpan(0, _stringCount).ToArray();
        _shared = false;
    }

    /// <summary>The value of <paramref name="code"/>; null for 0.</summary>
    private string? Value(int code) => LazyStrings.Of(_strings, _lazy, code);

    private int Row(long rowIndex) =>
        (ulong)rowIndex < (ulong)Length ? (int)rowIndex : throw new ArgumentOutOfRangeException(nameof(rowIndex), rowIndex, $"The column has {Length} rows.");

    private ReadOnlySpan<int> Codes => _codes.AsSpan(0, (int)Length);

    // A loop of our own: the base library's Count would run as counted (instrumented) code under default settings.
    // Vectorised: building a 500,000-row frame counts the missing codes of 40 columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Nulls(ReadOnlySpan<int> codes)
    {
        long nulls = 0;
        var i = 0;
        // Each lane counts down by one per missing code (a vector compare's true is -1); lanes are summed every
        // 2^20 vectors at most, far from overflowing an int.
        while (codes.Length - i >= Vector<int>.Count)
        {
            var counts = Vector<int>.Zero;
            var end = i + Math.Min(codes.Length - i, Vector<int>.Count << 20) / Vector<int>.Count * Vector<int>.Count;
            for (; i < end; i += Vector<int>.Count)
                counts += Vector.Equals(new Vector<int>(codes[i..]), Vector<int>.Zero);
            nulls -= Vector.Sum(counts);
        }
        for (; i < codes.Length; i++)
            if (codes[i] == 0) nulls++;
        return nulls;
    }

    /// <summary>A column of these codes over this column's values (shared: neither is written while shared).</summary>
    private LogStringDataFrameColumn WithCodes(int[] codes, long nullCount = -1) =>
        new(Name, codes, codes.Length, _strings, _stringCount, _lazy, shared: true, nullCount);

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
        var codes = new int[checked(Length + numberOfNullsToAppend)];
        Codes.CopyTo(codes);
        return WithCodes(codes, NullCount + numberOfNullsToAppend);
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
        return WithCodes(picked);
    }

    private int[] Kept(PrimitiveDataFrameColumn<bool> keep)
    {
        if (keep.Length > Length) throw new ArgumentException("The filter has more rows than the column.", nameof(keep));
        var kept = new List<int>();
        for (long i = 0; i < keep.Length; i++)
            if (keep[i] == true) kept.Add(_codes[i]);
        return kept.ToArray();
    }

    private int[] Picked(long count, Func<long, long?> row, bool fromTheEnd)
    {
        var picked = new int[count];
        for (long i = 0; i < count; i++)
            picked[fromTheEnd ? count - 1 - i : i] = row(i) is { } index ? _codes[Row(index)] : 0;
        return picked;
    }

    /// <summary>A sorted copy; the order of strings is <see cref="Comparer{T}.Default"/>'s, as for <see cref="StringDataFrameColumn"/>.</summary>
    public new LogStringDataFrameColumn Sort(bool ascending = true, bool putNullValuesLast = true) =>
        (LogStringDataFrameColumn)base.Sort(ascending, putNullValuesLast);

    /// <summary>Sorts the values present once, then places the rows by their value's rank (equal values keep their order).</summary>
    protected override PrimitiveDataFrameColumn<long> GetSortIndices(bool ascending, bool putNullValuesLast)
    {
        var codes = Codes;
        var rows = new long[_stringCount + 1]; // rows per code, then where each code's rows start
        foreach (var code in codes) rows[code + 1]++;
        var present = Enumerable.Range(1, _stringCount - 1).Where(code => rows[code + 1] > 0).ToArray();
        Array.Sort(present, (a, b) => Comparer<string>.Default.Compare(Value(a), Value(b)));
        if (!ascending) Array.Reverse(present);

        var start = new long[_stringCount];
        var next = putNullValuesLast ? 0L : rows[1];
        foreach (var code in present)
        {
            start[code] = next;
            next += rows[code + 1];
        }
        start[0] = putNullValuesLast ? next : 0;

        var order = new long[codes.Length];
        for (var row = 0; row < codes.Length; row++) order[start[codes[row]]++] = row;
        return new Int64DataFrameColumn("SortIndices", order);
    }

    /// <inheritdoc/>
    public override DataFrame ValueCounts()
    {
        var counts = new long[_stringCount];
        var firstSeen = new List<int>();
        foreach (var code in Codes)
            if (code != 0 && counts[code]++ == 0) firstSeen.Add(code);
        return new DataFrame(new StringDataFrameColumn("Values", firstSeen.Select(Value)),
            new Int64DataFrameColumn("Counts", firstSeen.Select(code => counts[code])));
    }

    /// <inheritdoc/>
    public override GroupBy GroupBy(int columnIndex, DataFrame parent) =>
        new GroupBy<string>(parent, columnIndex, GroupColumnValues<string>(out _));

    /// <inheritdoc/>
    public override Dictionary<TKey, ICollection<long>> GroupColumnValues<TKey>(out HashSet<long> nullIndices)
    {
        if (typeof(TKey) != typeof(string)) throw new NotImplementedException(nameof(TKey));
        var rows = new List<long>?[_stringCount];
        var groups = new Dictionary<string, ICollection<long>>(StringComparer.Ordinal);
        nullIndices = [];
        var codes = Codes;
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            if (code == 0) nullIndices.Add(i);
            else if (rows[code] is { } group) group.Add(i);
            else groups.Add(Value(code)!, rows[code] = [i]);
        }
        return (Dictionary<TKey, ICollection<long>>)(object)groups;
    }

    /// <inheritdoc/>
    public override Dictionary<long, ICollection<long>> GetGroupedOccurrences(DataFrameColumn other, out HashSet<long> otherColumnNullIndices) =>
        GetGroupedOccurrences<string>(other, out otherColumnNullIndices);

    /// <summary>
    /// A copy with <paramref name="func"/> applied to every value that is not null (or this column changed, when
    /// <paramref name="inPlace"/>), as <see cref="StringDataFrameColumn.Apply"/> does; <paramref name="func"/> is called
    /// once per distinct value, not once per row (<c>backends.Apply(b => b.Split(':')[0])</c> over 500,000 rows of 7
    /// backends makes 7 calls).
    /// </summary>
    public LogStringDataFrameColumn Apply(Func<string, string?> func, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(func);
        var column = inPlace ? this : Clone();
        column.Writable((int)column.Length);
        var mapped = new int[column._stringCount];
        var before = column._stringCount;
        for (var code = 1; code < before; code++) mapped[code] = column.CodeOf(func(column.Value(code)!));
        var nulls = 0L;
        for (var i = 0; i < column.Length; i++)
            if ((column._codes[i] = mapped[column._codes[i]]) == 0) nulls++;
        column._nullCount = nulls;
        return column;
    }

    /// <summary>A copy with <paramref name="value"/> for every null, or this column changed when <paramref name="inPlace"/>.</summary>
    public LogStringDataFrameColumn FillNulls(string value, bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var column = inPlace ? this : Clone();
        if (column.NullCount == 0) return column;
        column.Writable((int)column.Length);
        var code = column.CodeOf(value);
        for (var i = 0; i < column.Length; i++)
            if (column._codes[i] == 0) column._codes[i] = code;
        column._nullCount = 0;
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
        var kept = new int[Length - NullCount];
        var at = 0;
        foreach (var code in Codes)
            if (code != 0) kept[at++] = code;
        return WithCodes(kept, 0);
    }

    /// <summary>Strings have no order to clamp to, as for <see cref="StringDataFrameColumn"/>.</summary>
    public override DataFrameColumn Clamp<U>(U min, U max, bool inPlace = false) => throw new NotSupportedException();

    /// <summary>Strings have no order to filter by, as for <see cref="StringDataFrameColumn"/>.</summary>
    public override DataFrameColumn Filter<U>(U min, U max) => throw new NotSupportedException();

    /// <summary>True where the value is <paramref name="value"/> (ordinal), or null when it is null.</summary>
    public PrimitiveDataFrameColumn<bool> ElementwiseEquals(string? value) => CodeIs(ExistingCode(value), equal: true);

    /// <summary>True where the value is not <paramref name="value"/> (ordinal).</summary>
    public PrimitiveDataFrameColumn<bool> ElementwiseNotEquals(string? value) => CodeIs(ExistingCode(value), equal: false);

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
    public override PrimitiveDataFrameColumn<bool> ElementwiseIsNull() => CodeIs(0, equal: true);

    /// <inheritdoc/>
    public override PrimitiveDataFrameColumn<bool> ElementwiseIsNotNull() => CodeIs(0, equal: false);

    private PrimitiveDataFrameColumn<bool> Pairwise(DataFrameColumn column, bool equal)
    {
        if (column.Length != Length) throw new ArgumentException("The columns differ in length.", nameof(column));
        var result = new bool[Length];
        for (var i = 0; i < result.Length; i++)
            result[i] = string.Equals(Value(_codes[i]), column[i]?.ToString(), StringComparison.Ordinal) == equal;
        return new BooleanDataFrameColumn(Name, result);
    }

    /// <summary>Where each row's code is (or is not) <paramref name="code"/>; -1 matches no row.</summary>
    private PrimitiveDataFrameColumn<bool> CodeIs(int code, bool equal)
    {
        var codes = Codes;
        var result = new bool[codes.Length];
        for (var i = 0; i < result.Length; i++) result[i] = codes[i] == code == equal;
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
