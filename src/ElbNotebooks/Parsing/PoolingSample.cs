using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// Whether a string column's values are worth pooling. Columns whose values often do not repeat (client addresses,
/// URIs with ids) stop being pooled once more than one lookup in four missed in a sample: a lookup that misses costs
/// more than a fresh string, and the pool grows with every miss. Measured with URIs of which a third are new, a
/// 500,000-line load took 5% less processor time with them unpooled.
/// </summary>
/// <remarks>
/// A load shares one sample among its blocks' columns of a name: with a sample each, the 16-20 parse targets of a
/// 500,000-line load pooled 8,192 URIs each before deciding, a third of the log. Workers count into it without
/// locking: a count lost to a race only makes the sample a little longer.
/// </remarks>
internal sealed class PoolingSample
{
    private const int Size = 8192;

    private int _lookups;
    private int _misses;

    public bool WorthPooling
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _lookups < Size || _misses < _lookups / 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(bool hit)
    {
        if (_lookups >= Size) return;
        _lookups++;
        if (!hit) _misses++;
    }
}
