namespace ElbNotebooks.Loading;

/// <summary>Drops a UTF-8 byte-order mark (EF BB BF) at the start of a file, which would otherwise damage its first line.</summary>
internal sealed class Utf8BomSkipper(Stream inner) : ForwardOnlyStream
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private bool _checked;

    /// <summary>True when the file began with a byte-order mark.</summary>
    public bool Skipped { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        if (_checked || buffer.Length < 3) return inner.Read(buffer);
        _checked = true;
        // The first three bytes are read whole (a read may return fewer) to see whether they are the mark.
        var got = inner.ReadAtLeast(buffer[..3], 3, throwOnEndOfStream: false);
        if (got == 3 && buffer[..3].SequenceEqual(Bom))
        {
            Skipped = true;
            return inner.Read(buffer);
        }
        return got < 3 ? got : got + inner.Read(buffer[3..]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
