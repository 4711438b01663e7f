using System.Buffers;
using System.Collections.Concurrent;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>Where a reader's block buffers come from and go back to (rented on the reading thread, returned anywhere).</summary>
internal interface IBlockBuffers
{
    ArraySegment<byte> Rent(int minimumLength);

    void Return(ArraySegment<byte> buffer);
}

/// <summary>Block buffers from an array pool: the shared one for a reader that reads a few blocks (<see cref="LogLines"/>).</summary>
internal sealed class PooledBlockBuffers(ArrayPool<byte> pool) : IBlockBuffers
{
    public static PooledBlockBuffers Shared { get; } = new(ArrayPool<byte>.Shared);

    public ArraySegment<byte> Rent(int minimumLength) => pool.Rent(minimumLength);

    public void Return(ArraySegment<byte> buffer) => pool.Return(buffer.Array!);
}

/// <summary>
/// The block buffers of one load: <paramref name="slots"/> of <paramref name="blockSize"/> bytes in one pinned array on
/// 2 MB pages (<see cref="LargePages.MarkWhole"/>), the slot given back last rented first, so that a streamed
/// investigation, which has a few blocks in flight, keeps writing the same few megabytes. The reading thread writes each
/// buffer first, and in 4 KB pages that was 256 page faults a megabyte (1,560 of a 500,000-line streamed
/// investigation's 8,300), which kept it from feeding both workers in the first blocks. Not the shared array pool
/// either: it keeps the first buffer a thread returns in that thread's own slot, out of the reading thread's reach, so
/// each worker held one and the reader made as many anew. The buffers go with the load, so nothing is held once it
/// ends; a buffer for a line longer than a block, or beyond the slots, is an ordinary array.
/// </summary>
internal sealed class BlockBuffers(int blockSize, int slots) : IBlockBuffers
{
    private readonly ConcurrentStack<int> _free = new();
    private byte[]? _slab;
    private int _first;
    private int _made;

    /// <summary>The bytes of each buffer, the length of a block.</summary>
    public int BlockSize => blockSize;

    public ArraySegment<byte> Rent(int minimumLength)
    {
        if (minimumLength > blockSize) return GC.AllocateUninitializedArray<byte>(minimumLength);
        if (_free.TryPop(out var slot)) return Slot(slot);
        if (_made == slots) return GC.AllocateUninitializedArray<byte>(blockSize);
        if (_slab is null)
        {
            // Room to start the slots on a 2 MB boundary. Not written here: the system maps the slots as they are read into.
            _slab = GC.AllocateUninitializedArray<byte>(slots * blockSize + LargePages.HugePageBytes, pinned: true);
            _first = LargePages.MarkWhole(_slab);
        }
        return Slot(_made++);
    }

    public void Return(ArraySegment<byte> buffer)
    {
        if (buffer.Array is { } array && array == _slab) _free.Push((buffer.Offset - _first) / blockSize);
    }

    private ArraySegment<byte> Slot(int slot) => new(_slab!, _first + slot * blockSize, blockSize);
}
