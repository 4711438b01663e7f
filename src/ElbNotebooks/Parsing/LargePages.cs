using System.Runtime.InteropServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Has Linux back a large load's column arrays with 2 MB pages, so that writing their 150 MB (a 500,000-line load)
/// takes 75 page faults instead of 37,000: on a virtual machine each fault is a trip through the host, and writing 150 MB
/// of fresh arrays took 0.40 s in 4 KB pages, 0.28 s with 2 MB ones. Ubuntu's default ("madvise") gives huge pages only
/// where a program asked for them (<c>MADV_HUGEPAGE</c>) before the memory was first written, and the runtime writes
/// each array's header as it makes it. So the address space where the arrays are about to be made is marked first
/// (<see cref="MarkAhead"/>): each 2 MB page is then made huge at its first write, the header's, on the thread that
/// makes the columns. Arrays the runtime put elsewhere get their whole 2 MB pages made afterwards (<see cref="Back"/>,
/// <c>MADV_COLLAPSE</c>, Linux 6.1), which keeps what they hold but stops every other thread's mapping while it zeroes
/// them. Nothing else changes: the arrays stay the runtime's, and where the system cannot (not Linux, an older kernel,
/// huge pages turned off) the calls fail or do nothing and the load runs as before.
/// </summary>
internal static partial class LargePages
{
    /// <summary>The size of a huge page (x64 and Arm64 Linux with 4 KB base pages).</summary>
    internal const int HugePageBytes = 2 << 20;
    private const int MadviseHugePage = 14;
    private const int MadviseCollapse = 25;

    /// <summary>
    /// The smallest column array worth backing: a column makes arrays this large on the pinned heap, beside the others
    /// (<see cref="ColumnBuffer.EnsureCapacity"/>), and smaller ones where the runtime likes.
    /// </summary>
    internal const int MinimumBytes = 1 << 20;

    /// <summary>What lies between two arrays made one after the other: the second one's header.</summary>
    private const int HeaderGap = 64;

    /// <summary>False where the calls cannot be made (not Linux on x64 or Arm64), or once one failed.</summary>
    private static bool s_available = OperatingSystem.IsLinux() &&
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Marks for huge pages the address space after <paramref name="first"/>'s array, where the runtime makes the next
    /// arrays of the pinned heap when it has no gap for them before: room for twice the <paramref name="bytes"/> about
    /// to be made there (the pinned heap leaves gaps between arrays of about 2 MB; a 500,000-line load's 150 MB of arrays
    /// spanned 190-270 MB). Returns the range marked, empty if none. What else the runtime later makes there also gets
    /// 2 MB pages at its first write.
    /// </summary>
    public static (nint Start, nint End) MarkAhead(ColumnBuffer first, long bytes)
    {
        var (items, size) = first.Storage;
        if (!s_available || size < MinimumBytes) return default;
        var pin = GCHandle.Alloc(items, GCHandleType.Pinned);
        try
        {
            var start = AlignUp(pin.AddrOfPinnedObject() + (nint)size);
            var end = AlignUp(start + (nint)(2 * bytes));
            // Past the end of the runtime's reservation the call fails for the unmapped part but marks the rest.
            madvise(start, (nuint)(end - start), MadviseHugePage);
            return (start, end);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
            return default;
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>
    /// Marks for huge pages the whole 2 MB pages of <paramref name="slab"/> (a pinned array nothing has written yet but
    /// for its header) and returns where the first starts, as an index into it: what is then written from there gets 2 MB
    /// pages at its first write. Without the mark, or where the system cannot, the first 2 MB boundary is returned all
    /// the same, and the memory is mapped 4 KB at a time.
    /// </summary>
    public static int MarkWhole(byte[] slab)
    {
        var pin = GCHandle.Alloc(slab, GCHandleType.Pinned);
        try
        {
            var start = pin.AddrOfPinnedObject();
            var first = AlignUp(start);
            var last = (start + slab.Length) & ~(nint)(HugePageBytes - 1);
            if (s_available && last > first) madvise(first, (nuint)(last - first), MadviseHugePage);
            return (int)(first - start);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
            return (int)(AlignUp(pin.AddrOfPinnedObject()) - pin.AddrOfPinnedObject());
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>
    /// Backs the 2 MB pages that lie wholly within <paramref name="columns"/>' arrays (taken together where they are
    /// adjacent) with huge pages. Those that became huge at their first write (<see cref="MarkAhead"/>) cost the system
    /// a look each (a 500,000-line load: 11-17 ms in all against 6-9 ms skipping them, which would miss pages of the
    /// marked range already holding small ones). Blocks while the system makes them: the load appends only once they
    /// are made (measured: appending meanwhile, 0.95 s against 0.85 s).
    /// </summary>
    public static void Back(IEnumerable<ColumnBuffer> columns)
    {
        if (!s_available) return;
        var pins = new List<GCHandle>();
        try
        {
            var spans = new List<(nint Start, nint End)>();
            foreach (var column in columns)
            {
                var (items, bytes) = column.Storage;
                if (bytes < MinimumBytes) continue;
                var pin = GCHandle.Alloc(items, GCHandleType.Pinned);
                pins.Add(pin);
                var start = pin.AddrOfPinnedObject();
                spans.Add((start, start + (nint)bytes));
            }
            foreach (var (start, end) in Adjacent(spans)) Collapse(start, end);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or ArgumentException)
        {
            // No libc to call, or an array the runtime will not pin: a hint to the system is never worth failing a load.
            s_available = false;
        }
        finally
        {
            foreach (var pin in pins) pin.Free();
        }
    }

    /// <summary>The spans in address order, those only a header apart taken as one.</summary>
    internal static List<(nint Start, nint End)> Adjacent(List<(nint Start, nint End)> spans)
    {
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<(nint Start, nint End)>();
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.Start - merged[^1].End is >= 0 and <= HeaderGap) merged[^1] = (merged[^1].Start, span.End);
            else merged.Add(span);
        }
        return merged;
    }

    /// <summary>
    /// Marks the whole 2 MB pages in [start, end) for huge pages and makes those already holding a written page huge,
    /// one call each: the system refuses to make a page nothing has written yet (about a quarter of a 500,000-line
    /// load's), which the mark makes huge at its first write anyway, and a refusal must not cost the others.
    /// </summary>
    private static void Collapse(nint start, nint end)
    {
        var first = AlignUp(start);
        var last = end & ~(nint)(HugePageBytes - 1);
        if (last <= first || madvise(first, (nuint)(last - first), MadviseHugePage) != 0) return;
        for (var page = first; page < last; page += HugePageBytes) CollapsePage(page);
    }

    /// <summary>
    /// Makes one 2 MB page huge. The system says when its refusal is only for the moment (EAGAIN: something else held
    /// one of the page's small pages, another thread or the kernel's own memory scanning), and then a later try may
    /// take: up to three. Any other refusal stands.
    /// </summary>
    private static void CollapsePage(nint page)
    {
        for (var attempt = 0; attempt < 3; attempt++)
            if (madvise(page, HugePageBytes, MadviseCollapse) == 0 || Marshal.GetLastPInvokeError() != TryAgain) return;
    }

    /// <summary>EAGAIN on Linux (x64 and Arm64).</summary>
    private const int TryAgain = 11;

    private static nint AlignUp(nint address) => (address + HugePageBytes - 1) & ~(nint)(HugePageBytes - 1);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);
}
