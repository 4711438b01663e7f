using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Parsing;

/// <summary>A growable typed column that parsers append to; it becomes a DataFrame column once, at the end.</summary>
internal abstract class ColumnBuffer
{
    protected ColumnBuffer(string name) => Name = name;

    public string Name { get; }
    public int Count { get; protected set; }

    /// <summary>Pads with missing values up to <paramref name="rows"/> (fields a shorter layout lacks).</summary>
    [MethodImpl(HotPath.Optimized)]
    public void PadTo(int rows)
    {
        if (Count < rows) Pad(rows);
    }

    protected abstract void Pad(int rows);

    /// <summary>Drops every row and keeps the array: a parse target is reused block after block.</summary>
    public virtual void Clear() => TruncateTo(0);

    /// <summary>Drops rows past <paramref name="rows"/>: undoes a line that was rejected half-way.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void TruncateTo(int rows)
    {
        if (rows >= Count) return;
        WrittenEnd = Math.Max(WrittenEnd, Count);
        Count = rows;
    }

    /// <summary>
    /// Where the array may hold values past <see cref="Count"/> (rows dropped by <see cref="TruncateTo"/>): from
    /// <c>Math.Max(Count, WrittenEnd)</c> on, it holds the default value the runtime made it with.
    /// </summary>
    protected int WrittenEnd { get; private set; }

    public abstract void AppendFrom(ColumnBuffer other);

    /// <summary>Makes room for <paramref name="rows"/> rows at once, so a large load does not grow by copying.</summary>
    public abstract void EnsureCapacity(int rows);

    /// <summary>
    /// A load's column: makes room for <paramref name="rows"/> rows, as <paramref name="sample"/> (the same column of the
    /// load's first block) suggests they will be needed.
    /// </summary>
    public virtual void Reserve(int rows, ColumnBuffer sample) => EnsureCapacity(rows);

    /// <summary>Bytes a row takes in the column's array (a string column's references, not its strings).</summary>
    public abstract int BytesPerRow { get; }

    /// <summary>The array behind the column's rows (its length is the column's capacity) and its size in bytes.</summary>
    internal abstract (Array Items, long Bytes) Storage { get; }

    /// <summary>True when <paramref name="row"/> exists and holds a value, not the missing sentinel.</summary>
    public abstract bool HasValue(int row);
    public abstract DataFrameColumn ToDataFrameColumn();
}

internal abstract class ColumnBuffer<T> : ColumnBuffer
{
    private T[] _items = new T[256];

    protected ColumnBuffer(string name) : base(name) { }

    protected abstract T MissingValue { get; }

    public T this[int row]
    {
        // Inlined: the parsers read back the row's listener, pool and method for its attempts, three times a line.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)row >= (uint)Count) ThrowRowOutOfRange(row);
            return _items[row];
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowRowOutOfRange(int row) => throw new ArgumentOutOfRangeException(nameof(row), row, "past the column's last row");

    public ReadOnlySpan<T> Values => _items.AsSpan(0, Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T value)
    {
        if (Count == _items.Length) Grow();
        // In bounds by the check above; writing through the reference also spares string columns the covariant
        // array store check, once per cell on the parser's hot path.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_items), Count++) = value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow() => Array.Resize(ref _items, _items.Length * 2);

    internal void Set(int row, T value) => _items[row] = value;

    public override int BytesPerRow => Unsafe.SizeOf<T>();

    public override void EnsureCapacity(int rows)
    {
        if (rows <= _items.Length) return;
        if ((long)rows * Unsafe.SizeOf<T>() < LargePages.MinimumBytes || RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Resize(ref _items, rows);
            return;
        }
        // A large load's arrays go on the pinned heap, where nothing else of a load is made (the workers' blocks go on
        // the large object heap), so they usually lie side by side for LargePages to back with 2 MB pages.
        var items = GC.AllocateArray<T>(rows, pinned: true);
        Values.CopyTo(items);
        _items = items;
    }

    /// <summary>The array behind <see cref="Values"/>, for a DataFrame column that shares it.</summary>
    protected T[] Items => _items;

    internal override (Array Items, long Bytes) Storage => (_items, (long)_items.Length * Unsafe.SizeOf<T>());

    /// <summary>Puts <paramref name="items"/> behind the column: its first <see cref="ColumnBuffer.Count"/> are the rows.</summary>
    protected void Share(T[] items) => _items = items;

    /// <summary>True when <paramref name="row"/> exists and holds a value, not the missing sentinel.</summary>
    public override bool HasValue(int row) =>
        (uint)row < (uint)Count && !EqualityComparer<T>.Default.Equals(_items[row], MissingValue);

    /// <summary>
    /// The Arrow validity bitmap of <see cref="Values"/> (bit set = value present) and the number of missing values.
    /// <see cref="MissingValue"/> compares equal to itself here, NaN included.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    protected (ReadOnlyMemory<byte> Bitmap, int Nulls) ValidityBitmap()
    {
        var values = Values;
        var missing = MissingValue;
        var bitmap = new byte[(values.Length + 7) / 8];
        var present = 0;
        for (var start = 0; start < values.Length; start += 8)
        {
            var bits = 0;
            var end = Math.Min(start + 8, values.Length);
            for (var i = start; i < end; i++)
                if (!EqualityComparer<T>.Default.Equals(values[i], missing)) bits |= 1 << (i - start);
            bitmap[start >> 3] = (byte)bits;
            present += System.Numerics.BitOperations.PopCount((uint)bits);
        }
        return (bitmap, values.Length - present);
    }

    [MethodImpl(HotPath.Optimized)]
    protected override void Pad(int rows)
    {
        var missing = MissingValue;
        while (Count < rows) Add(missing);
    }

    [MethodImpl(HotPath.Optimized)]
    public override void AppendFrom(ColumnBuffer other) => ((ColumnBuffer<T>)other).Values.CopyTo(Append(other.Count));

    /// <summary>Adds <paramref name="rows"/> rows and returns them, to be written.</summary>
    protected Span<T> Append(int rows)
    {
        var needed = Count + rows;
        if (needed > _items.Length) Array.Resize(ref _items, Math.Max(needed, _items.Length < 1 << 20 ? _items.Length * 2 : _items.Length + _items.Length / 2));
        var added = _items.AsSpan(Count, rows);
        Count = needed;
        return added;
    }
}

internal sealed class IntBuffer(string name) : ColumnBuffer<int>(name)
{
    protected override int MissingValue
    {
        [MethodImpl(HotPath.Optimized)]
        get => Missing.Int;
    }

    public override DataFrameColumn ToDataFrameColumn()
    {
        var (bitmap, nulls) = ValidityBitmap();
        return new Int32DataFrameColumn(Name, SharedColumn.Bytes(Items, Count), bitmap, Count, nulls);
    }
}

internal sealed class LongBuffer(string name) : ColumnBuffer<long>(name)
{
    protected override long MissingValue
    {
        [MethodImpl(HotPath.Optimized)]
        get => Missing.Long;
    }

    public override DataFrameColumn ToDataFrameColumn()
    {
        var (bitmap, nulls) = ValidityBitmap();
        return new Int64DataFrameColumn(Name, SharedColumn.Bytes(Items, Count), bitmap, Count, nulls);
    }
}

internal sealed class DoubleBuffer(string name) : ColumnBuffer<double>(name)
{
    protected override double MissingValue
    {
        [MethodImpl(HotPath.Optimized)]
        get => Missing.Double;
    }

    public override DataFrameColumn ToDataFrameColumn()
    {
        var (bitmap, nulls) = ValidityBitmap();
        return new DoubleDataFrameColumn(Name, SharedColumn.Bytes(Items, Count), bitmap, Count, nulls);
    }
}

internal sealed class BoolBuffer(string name) : ColumnBuffer<bool>(name)
{
    protected override bool MissingValue
    {
        [MethodImpl(HotPath.Optimized)]
        get => false;
    }

    public override DataFrameColumn ToDataFrameColumn()
    {
        var (bitmap, nulls) = SharedColumn.AllValid(Count);
        return new BooleanDataFrameColumn(Name, SharedColumn.Bytes(Items, Count), bitmap, Count, nulls);
    }
}

/// <summary>UTC instants; <see cref="DateTime.MinValue"/> marks a missing one.</summary>
internal sealed class DateTimeBuffer(string name) : ColumnBuffer<DateTime>(name)
{
    protected override DateTime MissingValue
    {
        [MethodImpl(HotPath.Optimized)]
        get => DateTime.MinValue;
    }

    public override DataFrameColumn ToDataFrameColumn()
    {
        var (bitmap, nulls) = ValidityBitmap();
        return new DateTimeDataFrameColumn(Name, SharedColumn.Bytes(Items, Count), bitmap, Count, nulls);
    }
}

/// <summary>
/// A string column kept as a code per row into the column's own list of distinct values (code 0: missing), not as a
/// reference per row. Most columns hold a handful of values (backends, listeners, methods, user agents), so a row
/// costs 4 bytes, the rows' array holds no references for the collector to trace (a 500,000-line load's background
/// collections spent a fifth of its processor time tracing 37 such arrays), and a never-written array of zeros is
/// already all missing. A parse target's column starts its list again with each block; the load's column maps each
/// block's codes onto its own.
/// </summary>
internal sealed class StringBuffer(string name) : ColumnBuffer<int>(name)
{
    private const int MissingCode = 0;

    protected override int MissingValue
    {
        [MethodImpl(HotPath.Optimized)]
        get => MissingCode;
    }

    /// <summary>The value of each code; index 0 (missing) is null.</summary>
    private string?[] _strings = new string?[16];
    private int _stringCount = 1;
    private readonly StringCodes _codes = new();

    /// <summary>
    /// The codes of values added recently, found by the string's identity (a slot by <see cref="RecentSlot"/>): pooled
    /// values are the same string every time, so a repeat costs no hashing of its characters.
    /// </summary>
    private readonly (string? Value, int Code)[] _recent = new (string?, int)[RecentSlots];

    private string? _lastValue;
    private int _lastCode;

    private const int RecentBits = 8;
    private const int RecentSlots = 1 << RecentBits;

    /// <summary>
    /// A slot by the string's identity hash (the runtime's, kept in the object's header): a slot chosen from a few of its
    /// characters sent backends such as 10.0.1.12:8080 and 10.0.1.13:8080 to one slot, so alternating backends missed
    /// it on most rows (measured: 2,000,000 table lookups in a 500,000-line load, 170,000 by identity).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RecentSlot(string value) =>
        (int)((uint)RuntimeHelpers.GetHashCode(value) * 0x9E3779B1u >> (32 - RecentBits));

    /// <summary>The bytes and string of the value this column last made: most columns repeat line after line.</summary>
    internal LastValue<string> Last { get; } = new();

    /// <summary>The value at <paramref name="row"/>, null where missing.</summary>
    public new string? this[int row]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var code = base[row];
            return code >= 0 ? LazyStrings.Of(_strings, _lazy, code) : Materialize(row, code);
        }
    }

    /// <summary>
    /// The value at <paramref name="row"/>, or null where the column holds none for it: a column is padded only as
    /// later rows fill it (and a minimal parse never pads the columns it does not keep), so it may be shorter.
    /// </summary>
    public string? At(int row) => row < Count ? this[row] : null;

    /// <summary>The rows' values; a load's column once it has given its pending values codes.</summary>
    public new StringValues Values => _pending is not { Count: > 0 }
        ? new(base.Values, _strings, _lazy)
        : throw new InvalidOperationException($"'{Name}' holds values without codes yet");

    /// <summary>
    /// Adds a row of <paramref name="value"/>. In a column whose values rarely repeat (see <see cref="WorthPooling"/>)
    /// a value gets a new code unless it repeats the previous row's: looking it up would mostly miss, and the load's
    /// column, which maps every block's values onto its own, finds the repeats anyway.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(string? value) => Add(value is null ? MissingCode : WorthPooling ? CodeOf(value) : NewCode(value));

    [MethodImpl(HotPath.Optimized)]
    private int NewCode(string value)
    {
        if (ReferenceEquals(value, _lastValue)) return _lastCode;
        _lastValue = value;
        return _lastCode = Store(value);
    }

    [MethodImpl(HotPath.Optimized)]
    private int CodeOf(string value)
    {
        if (ReferenceEquals(value, _lastValue)) return _lastCode;
        _lastValue = value;
        ref var recent = ref _recent[RecentSlot(value)];
        if (ReferenceEquals(recent.Value, value)) return _lastCode = recent.Code;
        var code = _codes.GetOrAdd(value, _stringCount, out var added);
        if (added) Store(value);
        recent = (value, code);
        return _lastCode = code;
    }

    /// <summary>Gives <paramref name="value"/> the next code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Store(string? value)
    {
        if (_stringCount == _strings.Length) Array.Resize(ref _strings, _stringCount * 2);
        _strings[_stringCount] = value;
        return _stringCount++;
    }

    /// <summary>
    /// Set on a block's column by a load that keeps its rows: values that rarely repeat are kept as bytes
    /// (<see cref="AddUnpooled"/>) for the load's column to give codes.
    /// </summary>
    internal bool ForLoad { get; set; }

    /// <summary>
    /// Values kept as bytes (see <see cref="AddUnpooled"/>): a row holding one has its index, complemented, as its
    /// code, until the load's column gives them codes (<see cref="ResolvePending"/>).
    /// </summary>
    private PendingValues? _pending;

    /// <summary>In the load's column, the first row that may hold a pending value.</summary>
    private int _firstPendingRow;

    /// <summary>
    /// Adds a row of a value that is not pooled (see <see cref="WorthPooling"/>); returns its string, or null when the
    /// value is kept as bytes. A block parsed for a load that keeps its rows (<see cref="ForLoad"/>) keeps it as bytes,
    /// and the load gives them all codes at its end, on every core, and a string per distinct value when it is first
    /// read (<see cref="ResolvePending"/>): no string is made and no table looked up per row while blocks are parsed and
    /// appended. Measured against workers looking each URI up in the load's table (500,000 URIs, 154,000 distinct):
    /// the load 0.84 -> 0.77 s, processor time 1.54 -> 1.43 s.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public string? AddUnpooled(ReadOnlySpan<byte> utf8)
    {
        if (ForLoad)
        {
            Add(~(_pending ??= new()).Add(utf8));
            return null;
        }
        var value = StringPool.Create(utf8);
        Add(NewCode(value));
        return value;
    }

    /// <summary>A pending value read before the load ends (a block's listener for its attempts): its string and a code now.</summary>
    private string Materialize(int row, int code)
    {
        var value = StringPool.Create(_pending![~code]);
        Set(row, CodeOf(value));
        return value;
    }

    /// <summary>
    /// The load's column gives its pending values codes once they hold this many bytes (32 MB), so a large load's bytes
    /// do not pile up (a test lowers it).
    /// </summary>
    internal int PendingBytesLimit { get; set; } = 32 << 20;

    /// <summary>
    /// Gives every pending value of the load's column its code (see <see cref="AddUnpooled"/>); <paramref name="last"/>
    /// once every block is appended, when the column takes no more values.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    internal void ResolvePending(bool last)
    {
        if (_pending is not { Count: > 0 } pending) return;
        // The last values' strings are made when read: their bytes are not needed for anything else.
        var resolved = pending.Resolve(_codes, _stringCount, keepTable: !last, makeStrings: !last);
        var firstNew = _stringCount;
        if (_stringCount + resolved.NewStrings.Length > _strings.Length) Array.Resize(ref _strings, _stringCount + resolved.NewStrings.Length);
        foreach (var value in resolved.NewStrings) Store(value);
        var codes = resolved.Codes;
        foreach (ref var code in Items.AsSpan(_firstPendingRow, Count - _firstPendingRow))
            if (code < 0) code = codes[~code];
        if (!last)
        {
            pending.Clear();
            return;
        }
        _lazy = new LazyStrings(pending, firstNew, resolved.NewValues);
        _pending = null;
    }

    /// <summary>The strings of the last pending values, made when read (see <see cref="ResolvePending"/>).</summary>
    private LazyStrings? _lazy;

    /// <summary>Empties the column and its list of values: a parse target starts each block afresh.</summary>
    public override void Clear()
    {
        base.Clear();
        Array.Clear(_strings, 1, _stringCount - 1);
        _pending?.Clear();
        _lazy = null;
        _stringCount = 1;
        _codes.Clear();
        Array.Clear(_recent);
        _lastValue = null;
    }

    /// <summary>The sample that tells whether this column's values are worth pooling; a load shares one per column name.</summary>
    internal PoolingSample Pooling { get; set; } = new();

    internal bool WorthPooling
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Pooling.WorthPooling;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CountLookup(bool hit) => Pooling.Count(hit);

    /// <summary>
    /// Appends the other column's rows, each code mapped onto this column's list (looked up once per value of the
    /// block). While every row so far came in blocks of missing values only, such a block writes nothing: the
    /// column's array is still as the runtime made it, zeros, which are missing. Columns a format never fills (10 of
    /// the 37 for a Huawei log) then never touch their pages, which a large load would otherwise fault in to write
    /// zeros over zeros; a load's column its first block left empty is not even made (<see cref="Reserve"/>).
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public override void AppendFrom(ColumnBuffer other)
    {
        var source = (StringBuffer)other;
        var codes = source.Codes;
        var room = Math.Max(Items.Length, _reservedRows);
        if (NeverWritten && Count + source.Count <= room && codes.IndexOfAnyExcept(MissingCode) < 0)
        {
            Count += source.Count;
            _unwrittenRows = Count;
            return;
        }
        if (Count + source.Count > Items.Length && _reservedRows > Items.Length) EnsureCapacity(Math.Max(_reservedRows, Count + source.Count));

        Span<int> mapped = source._stringCount <= 256 ? stackalloc int[source._stringCount] : new int[source._stringCount];
        mapped.Fill(-1);
        mapped[MissingCode] = MissingCode;
        var first = Count;
        var target = Append(codes.Length);
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            if (code < 0)
            {
                target[i] = Pend(source, ~code, first + i);
                continue;
            }
            var mine = mapped[code];
            if (mine < 0) mine = mapped[code] = CodeOf(source._strings[code]!);
            target[i] = mine;
        }
        if (_pending is { } pending && pending.ByteCount > PendingBytesLimit) ResolvePending(last: false);
    }

    /// <summary>
    /// Value <paramref name="index"/> of the block's pending values, kept by the load's column for
    /// <see cref="ResolvePending"/>; returns its row's code. The load's store of them is made with room for the rows it
    /// expects at the first block's bytes per value, rather than grown by doubling, which copies what it holds each time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Pend(StringBuffer block, int index, int row)
    {
        var values = block._pending!;
        _pending ??= new(
            (int)Math.Min(PendingBytesLimit + (1 << 20), 1.25 * values.ByteCount / Math.Max(1, values.Count) * (Items.Length - row)),
            Items.Length - row);
        if (_pending.Count == 0) _firstPendingRow = row;
        return ~_pending.Add(values[index]);
    }

    /// <summary>Each row's code, pending values included.</summary>
    private ReadOnlySpan<int> Codes => base.Values;

    /// <summary>
    /// Makes the array at once only if the load's first block (<paramref name="sample"/>) had a value in this column;
    /// else at its first value, if one ever comes. A 2 MB array is zeroed by the system as soon as it is made (its first
    /// page is written, and transparent huge pages are 2 MB), so the 10 columns a Huawei log never fills cost 20 MB of
    /// a 500,000-line load, most of it memory the process touched for the first time.
    /// </summary>
    public override void Reserve(int rows, ColumnBuffer sample)
    {
        if (((StringBuffer)sample).Codes.IndexOfAnyExcept(MissingCode) >= 0) EnsureCapacity(rows);
        else _reservedRows = rows;
    }

    /// <summary>Room a load's column makes at its first value (<see cref="Reserve"/>); until then its rows are counted only.</summary>
    private int _reservedRows;

    /// <summary>
    /// Once the load is appended: a column whose rows outgrew its array without a value (<see cref="Reserve"/>) reads
    /// them from <paramref name="zeros"/>, all missing, which every such column of the load shares. Nothing writes to a
    /// load's column after this (a frame copies it before a change).
    /// </summary>
    internal void FinishUnwritten(ref int[]? zeros, int length)
    {
        _reservedRows = 0;
        if (Count <= Items.Length) return;
        zeros ??= new int[length];
        Share(zeros);
    }

    /// <summary>Rows appended without writing them (see <see cref="AppendFrom"/>).</summary>
    private int _unwrittenRows;

    /// <summary>True while every row is missing and no value was ever written to the array, not even one dropped since.</summary>
    private bool NeverWritten => Count == _unwrittenRows && WrittenEnd == 0;

    /// <summary>
    /// A frame column that reads this column's codes and values in place (and copies them before a change): the
    /// load's columns are final once it returns. All missing, the array is not read, so its pages stay untouched.
    /// </summary>
    public override DataFrameColumn ToDataFrameColumn() =>
        new LogStringDataFrameColumn(Name, Items, Count, _strings, _stringCount, _lazy, shared: true, nullCount: NeverWritten ? Count : -1);
}

/// <summary>A string column's rows: each row's code, and the value each code stands for.</summary>
internal readonly ref struct StringValues
{
    private readonly ReadOnlySpan<int> _codes;
    private readonly string?[] _strings;
    private readonly LazyStrings? _lazy;

    public StringValues(ReadOnlySpan<int> codes, string?[] strings, LazyStrings? lazy)
    {
        _codes = codes;
        _strings = strings;
        _lazy = lazy;
    }

    public int Length => _codes.Length;

    public string? this[int row]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => LazyStrings.Of(_strings, _lazy, _codes[row]);
    }

    /// <summary>Each row's code: equal codes are equal values, 0 is missing.</summary>
    public ReadOnlySpan<int> Codes => _codes;

    public string?[] ToArray()
    {
        var values = new string?[_codes.Length];
        for (var i = 0; i < values.Length; i++) values[i] = LazyStrings.Of(_strings, _lazy, _codes[i]);
        return values;
    }
}

/// <summary>
/// The previous field's bytes and what they were read as (a column's string, a timestamp), so a field equal to it
/// costs one vectorised compare.
/// </summary>
internal sealed class LastValue<T>
{
    private byte[] _bytes = new byte[64];
    private int _length = -1;
    private T _value = default!;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(ReadOnlySpan<byte> utf8, out T value)
    {
        value = _value;
        return utf8.Length == _length && Utf8Bytes.Equal(utf8, _bytes.AsSpan(0, _length));
    }

    [MethodImpl(HotPath.Optimized)]
    public void Set(ReadOnlySpan<byte> utf8, T value)
    {
        if (utf8.Length > 256) return;
        if (_bytes.Length < utf8.Length) _bytes = new byte[Math.Max(utf8.Length, _bytes.Length * 2)];
        Utf8Bytes.Copy(utf8, _bytes);
        _length = utf8.Length;
        _value = value;
    }
}

/// <summary>
/// DataFrame columns that share a buffer's array instead of copying it: Microsoft.Data.Analysis reads Arrow-style
/// memory (values plus a validity bitmap) in place and copies only if the column is later changed. A load's
/// buffers are final once it returns, so the frame and the analysis read the same memory.
/// </summary>
internal static class SharedColumn
{
    public static ReadOnlyMemory<byte> Bytes<T>(T[] items, int count) where T : unmanaged =>
        count == 0 ? ReadOnlyMemory<byte>.Empty : new ArrayBytes<T>(items, count).Memory;

    /// <summary>A validity bitmap for a column without missing values.</summary>
    public static (ReadOnlyMemory<byte> Bitmap, int Nulls) AllValid(int count)
    {
        var bitmap = new byte[(count + 7) / 8];
        bitmap.AsSpan().Fill(0xFF);
        return (bitmap, 0);
    }

    private sealed class ArrayBytes<T>(T[] items, int count) : MemoryManager<byte> where T : unmanaged
    {
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(items.AsSpan(0, count));

        public override unsafe MemoryHandle Pin(int elementIndex = 0)
        {
            var handle = GCHandle.Alloc(items, GCHandleType.Pinned);
            return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle);
        }

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
