using System.Text;

namespace ElbNotebooks.Loading;

/// <summary>
/// Reads UTF-16 and UTF-32 text (either byte order, with or without a byte-order mark) as UTF-8, so such a file (a
/// log saved by a Windows editor or PowerShell's <c>&gt;</c>) parses like any other instead of failing line by line.
/// Without a mark the encoding is told by its NULs: every log line starts with ASCII, which is one byte and three or
/// one NULs in these encodings, while UTF-8 text never holds a NUL. Other input passes through untouched. A mark
/// comes out as a UTF-8 one, which <see cref="Utf8BomSkipper"/> then drops.
/// </summary>
internal sealed class WideTextDecoder : ForwardOnlyStream
{
    private readonly HeadThenRest _source;
    private readonly Stream _output;

    public WideTextDecoder(Stream inner)
    {
        var head = new byte[4];
        var n = inner.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        _source = new HeadThenRest(head[..n], inner);
        (var encoding, Decoded) = Sniff(head.AsSpan(0, n));
        _output = encoding is null ? _source : Encoding.CreateTranscodingStream(_source, encoding, Encoding.UTF8);
    }

    /// <summary>What the input was, e.g. "UTF-16 LE with a byte-order mark"; null when it passes through.</summary>
    public string? Decoded { get; }

    public override int Read(Span<byte> buffer) => _output.Read(buffer);

    private static (Encoding?, string?) Sniff(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF])) return (new UTF32Encoding(bigEndian: true, byteOrderMark: false), "UTF-32 BE with a byte-order mark");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00])) return (new UTF32Encoding(bigEndian: false, byteOrderMark: false), "UTF-32 LE with a byte-order mark");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (Encoding.BigEndianUnicode, "UTF-16 BE with a byte-order mark");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (Encoding.Unicode, "UTF-16 LE with a byte-order mark");
        if (b.Length < 4) return (null, null);
        return (b[0] != 0, b[1] != 0, b[2] != 0, b[3] != 0) switch
        {
            (true, false, false, false) => (new UTF32Encoding(bigEndian: false, byteOrderMark: false), "UTF-32 LE without a byte-order mark"),
            (false, false, false, true) => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), "UTF-32 BE without a byte-order mark"),
            (true, false, true, false) => (Encoding.Unicode, "UTF-16 LE without a byte-order mark"),
            (false, true, false, true) => (Encoding.BigEndianUnicode, "UTF-16 BE without a byte-order mark"),
            _ => (null, null),
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _output.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The sniffed bytes, then the rest of the input.</summary>
    private sealed class HeadThenRest(byte[] head, Stream rest) : ForwardOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            int n;
            if (_position < head.Length)
            {
                n = Math.Min(buffer.Length, head.Length - _position);
                head.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
            }
            else
            {
                n = rest.Read(buffer);
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
