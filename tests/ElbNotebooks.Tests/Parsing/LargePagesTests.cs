using System.Globalization;
using System.Runtime.InteropServices;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>
/// A large load's columns are backed with 2 MB pages before it writes them: what they hold must not change, and where
/// the system has huge pages (Linux 6.1 or later, transparent huge pages not turned off), they must sit on them.
/// They read the process's memory map (/proc/self/smaps), which other tests' loads change as they mark, collapse and
/// free their own columns: they run alone.
/// </summary>
[CollectionDefinition("Memory map", DisableParallelization = true)]
public sealed class MemoryMapCollection;

[Collection("Memory map")]
public class LargePagesTests
{
    private const long HugePage = 2 << 20;

    [Fact]
    public void Columns_keep_their_values_and_sit_on_2_MB_pages()
    {
        // A load's arrays lie side by side, and the runtime writes each one's header, a page in every 2 MB.
        var columns = Columns("c", 3);
        WriteEveryMegabyte(columns);

        LargePages.Back(columns);

        // Before anything reads the arrays: reading a page the system has not made yet may make it a huge one.
        if (SystemHasHugePages())
            foreach (var column in columns) Assert.True(OnHugePages(column), $"{column.Name} is not on 2 MB pages");
        AssertWrittenEveryMegabyte(columns);
    }

    [Fact]
    public void Columns_made_after_the_mark_are_on_2_MB_pages_from_their_first_write()
    {
        // A load's columns are made on memory never written: the system makes a marked 2 MB page huge only when it
        // faults in empty. Earlier tests' arrays leave written memory committed in the pinned heap, where arrays made
        // here may land (c0 failed "not on 2 MB pages" in a full run of the suite, never alone); an aggressive
        // collection gives it back to the system first, as a fresh process has it.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var first = Columns("first", 1)[0];
        var marked = LargePages.MarkAhead(first, 2 * 16_000_000);
        if (!SystemHasHugePages()) return;

        Assert.True(marked.End - marked.Start >= 4 * 16_000_000, $"marked {marked}");
        Assert.True(MarkedForHugePages(marked.Start, marked.End), "the range after the first column is not marked");
        var later = Columns("c", 2);
        var all = later.Prepend(first).ToArray();
        WriteEveryMegabyte(all);
        var inside = later.Where(column => Within(column, marked)).ToArray();
        // Arrays the runtime put elsewhere (a gap left by an earlier test's arrays) are the collapse's, tested above.
        foreach (var column in inside) Assert.True(OnHugePages(column), $"{column.Name} is not on 2 MB pages");

        // The collapse then keeps every value. Whether it makes the pages of the first array huge is the test above's:
        // made before the mark, that array may lie on memory earlier tests used, where the system refused a collapse in
        // one full run of the suite in four (never alone), and the collapse is only ever a hint.
        LargePages.Back(all);
        foreach (var column in inside) Assert.True(OnHugePages(column), $"{column.Name} is not on 2 MB pages after Back");
        AssertWrittenEveryMegabyte(all);
    }

    [Fact]
    public void Block_buffers_are_slots_of_one_array_on_2_MB_pages_the_last_returned_rented_first()
    {
        const int blockSize = 1 << 20;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var buffers = new ElbNotebooks.Loading.BlockBuffers(blockSize, slots: 4);
        var rented = Enumerable.Range(0, 4).Select(_ => buffers.Rent(blockSize)).ToList();

        var slab = rented[0].Array!;
        Assert.All(rented, r => Assert.Same(slab, r.Array));
        Assert.All(rented, r => Assert.Equal(blockSize, r.Count));
        Assert.Equal(rented.Select((r, i) => rented[0].Offset + i * blockSize), rented.Select(r => r.Offset));
        var handle = GCHandle.Alloc(slab, GCHandleType.Pinned);
        try
        {
            var first = (long)handle.AddrOfPinnedObject() + rented[0].Offset;
            Assert.Equal(0, first % HugePage);
            for (var i = 0; i < rented.Count; i++) rented[i].AsSpan().Fill((byte)(i + 1));
            if (SystemHasHugePages()) Assert.True(OnHugePages(first, first + 4 * blockSize), "the written slots are not on 2 MB pages");
        }
        finally
        {
            handle.Free();
        }

        // Beyond the slots, and longer than a block: arrays of their own, which go back nowhere.
        var extra = buffers.Rent(blockSize);
        Assert.NotSame(slab, extra.Array);
        Assert.Equal(2 * blockSize, buffers.Rent(2 * blockSize).Count);
        buffers.Return(extra);
        buffers.Return(rented[2]);
        buffers.Return(rented[1]);
        Assert.Equal(rented[1].Offset, buffers.Rent(blockSize).Offset);
        Assert.Equal(rented[2].Offset, buffers.Rent(blockSize).Offset);
        Assert.NotSame(slab, buffers.Rent(blockSize).Array);
        Assert.All(rented, r => Assert.True(r.AsSpan().IndexOfAnyExcept((byte)(rented.IndexOf(r) + 1)) < 0));
    }

    [Fact]
    public void Arrays_only_a_header_apart_are_backed_as_one()
    {
        // A load's int columns are a little under 2 MB each: alone, none holds a whole 2 MB page.
        var spans = new List<(nint Start, nint End)>
        {
            (0x4000_0000 + 4_000_024, 0x4000_0000 + 6_000_024),
            (0x4000_0000 + 24, 0x4000_0000 + 2_000_000),
            (0x4000_0000 + 2_000_024, 0x4000_0000 + 4_000_000),
            (0x5000_0000, 0x5000_0000 + 2_000_000),
        };

        Assert.Equal([(0x4000_0000 + 24, 0x4000_0000 + 6_000_024), (0x5000_0000, 0x5000_0000 + 2_000_000)], LargePages.Adjacent(spans));
    }

    /// <summary>A value every megabyte of each column, the rest zeros (see <see cref="AssertWrittenEveryMegabyte"/>).</summary>
    private const int Step = 1 << 17;

    /// <summary>
    /// Columns of 16 MB each, so that each holds whole 2 MB pages wherever the runtime puts it; their arrays are on the
    /// pinned heap (<see cref="ColumnBuffer.EnsureCapacity"/>), so their addresses hold.
    /// </summary>
    private static LongBuffer[] Columns(string name, int count)
    {
        var columns = Enumerable.Range(0, count).Select(i => new LongBuffer($"{name}{i}")).ToArray();
        foreach (var column in columns) column.EnsureCapacity(2_000_000);
        return columns;
    }

    private static void WriteEveryMegabyte(LongBuffer[] columns)
    {
        for (var c = 0; c < columns.Length; c++)
        {
            var items = (long[])columns[c].Storage.Items;
            for (var i = 0; i < items.Length; i += Step) items[i] = i + c + 1;
        }
    }

    private static void AssertWrittenEveryMegabyte(LongBuffer[] columns)
    {
        for (var c = 0; c < columns.Length; c++)
        {
            var items = (long[])columns[c].Storage.Items;
            for (var i = 0; i < items.Length; i++)
                if (items[i] != (i % Step == 0 ? i + c + 1 : 0)) Assert.Fail($"column {c}, row {i}: {items[i]}");
        }
    }

    /// <summary>Where the column's array lies: [start, end).</summary>
    private static (long Start, long End) AddressRange(ColumnBuffer column)
    {
        var handle = GCHandle.Alloc(column.Storage.Items, GCHandleType.Pinned);
        try
        {
            var start = (long)handle.AddrOfPinnedObject();
            return (start, start + column.Storage.Bytes);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// Every 2 MB page of the column's array that the system can make huge is one: those that lie wholly within one of
    /// the process's mappings. A process that has run for a while has its heap in many mappings, split where the runtime
    /// committed and gave back memory, and a page across two of them stays small whatever is asked.
    /// </summary>
    private static bool OnHugePages(ColumnBuffer column)
    {
        var (start, end) = AddressRange(column);
        return OnHugePages(start, end);
    }

    /// <inheritdoc cref="OnHugePages(ColumnBuffer)"/>
    private static bool OnHugePages(long start, long end)
    {
        long expected = 0, huge = 0, from = 0, to = 0;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (Mapping(line) is (var mapStart, var mapEnd))
            {
                (from, to) = (Math.Max(mapStart, start), Math.Min(mapEnd, end));
                if (to > from) expected += WholePages(from, to);
                continue;
            }
            // The mapping's count covers all of it: at most the whole pages of its part of the array are the array's.
            if (to > from && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                huge += Math.Min(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024, WholePages(from, to));
        }
        return expected > 0 && huge >= expected;
    }

    /// <summary>The bytes of the 2 MB-aligned pages wholly inside [from, to).</summary>
    private static long WholePages(long from, long to) =>
        Math.Max(0, (to & ~(HugePage - 1)) - ((from + HugePage - 1) & ~(HugePage - 1)));

    private static bool Within(ColumnBuffer column, (nint Start, nint End) range) =>
        AddressRange(column) is var (start, end) && start >= range.Start && end <= range.End;

    /// <summary>Every mapping of [start, end) that /proc/self/smaps lists has the huge-page mark (<c>hg</c>).</summary>
    private static bool MarkedForHugePages(long start, long end)
    {
        var overlapping = false;
        var seen = 0;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (Mapping(line) is (var mapStart, var mapEnd))
            {
                overlapping = mapStart < end && mapEnd > start;
                continue;
            }
            if (!overlapping || !line.StartsWith("VmFlags:", StringComparison.Ordinal)) continue;
            if (!line.Split(' ').Contains("hg")) return false;
            seen++;
        }
        return seen > 0;
    }

    private static (long Start, long End)? Mapping(string line)
    {
        var dash = line.IndexOf('-');
        var space = line.IndexOf(' ');
        return dash > 0 && space > dash &&
            long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, null, out var start) &&
            long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, null, out var end)
            ? (start, end)
            : null;
    }

    /// <summary>Transparent huge pages not turned off, and a kernel with <c>MADV_COLLAPSE</c>.</summary>
    private static bool SystemHasHugePages() =>
        OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(6, 1) &&
        File.Exists("/sys/kernel/mm/transparent_hugepage/enabled") &&
        !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]");
}
