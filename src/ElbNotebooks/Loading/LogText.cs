namespace ElbNotebooks.Loading;

/// <summary>
/// An input's text as the load reads it, from its raw bytes: gzip recognised by its magic bytes and read member after
/// member (<see cref="GzipMembers"/>), UTF-16 and UTF-32 decoded to UTF-8 (<see cref="WideTextDecoder"/>), a UTF-8
/// byte-order mark dropped (<see cref="Utf8BomSkipper"/>), every lone CR made a line ending
/// (<see cref="CrOnlyLineEndings"/>). The load cuts this text into lines, and whatever re-reads a line by its number
/// (<see cref="LogLines"/>: a report's evidence, <c>RawLine</c>) reads this same text, so line N is the same line for
/// both. The head is read on first use (<see cref="Gzip"/> or the first read), so a failure there is thrown by
/// that use, with <see cref="BytesRead"/> counting what was read. Disposing it disposes <paramref name="raw"/>.
/// </summary>
internal sealed class LogText(Stream raw) : ForwardOnlyStream
{
    private readonly ReplayStream _raw = new(raw);
    private bool? _gzip;
    private GzipMembers? _members;
    private WideTextDecoder? _wide;
    private Utf8BomSkipper? _bom;
    private CrOnlyLineEndings? _text;
    private bool _started;

    /// <summary>Bytes taken from the raw input (compressed bytes, for a .gz): for progress.</summary>
    public long BytesRead => _raw.BytesRead;

    /// <summary>Whether the input starts with the gzip magic bytes; reads them the first time it is asked.</summary>
    public bool Gzip => _gzip ??= _raw.StartsWith([0x1f, 0x8b]);

    /// <summary>What the input was when it was decoded to UTF-8, e.g. "UTF-16 LE with a byte-order mark"; null when it was UTF-8.</summary>
    public string? Decoded => _wide?.Decoded;

    /// <summary>True when the text began with a UTF-8 byte-order mark, which was dropped.</summary>
    public bool BomSkipped => _bom?.Skipped ?? false;

    /// <summary>True once a lone CR was read as a line ending.</summary>
    public bool CrTranslated => _text?.Translated ?? false;

    /// <summary>Bytes after the end of the gzip data that start no member, ignored (0 for plain text).</summary>
    public long TrailingBytes => _members?.TrailingBytes ?? 0;

    public override int Read(Span<byte> buffer)
    {
        if (_text is null)
        {
            // A head that failed to read (a damaged gzip header) is not read again from wherever it stopped.
            if (_started) throw new InvalidOperationException("The input's head could not be read.");
            _started = true;
            _text = Start();
        }
        return _text.Read(buffer);
    }

    private CrOnlyLineEndings Start()
    {
        _members = Gzip ? new GzipMembers(_raw) : null;
        _wide = new WideTextDecoder(_members ?? (Stream)_raw);
        _bom = new Utf8BomSkipper(_wide);
        return new CrOnlyLineEndings(_bom);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _text?.Dispose(); // and the decoders under it, down to the raw input
            _members?.Dispose(); // which leaves the raw input open
            _raw.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Lets the first bytes be sniffed (gzip magic) and then read again; counts the bytes read.</summary>
    private sealed class ReplayStream(Stream rest) : ForwardOnlyStream
    {
        private byte[] _head = [];
        private int _position;

        public long BytesRead { get; private set; }

        public bool StartsWith(ReadOnlySpan<byte> magic)
        {
            var head = new byte[magic.Length];
            var n = rest.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            _head = head[..n];
            BytesRead += n;
            return magic.SequenceEqual(_head);
        }

        public override int Read(Span<byte> buffer)
        {
            if (_position < _head.Length)
            {
                var n = Math.Min(buffer.Length, _head.Length - _position);
                _head.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            var read = rest.Read(buffer);
            BytesRead += read;
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
