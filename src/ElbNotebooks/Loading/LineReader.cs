namespace ElbNotebooks.Loading;

/// <summary>
/// Reads a stream as lines of UTF-8 bytes without decoding them. LF or CRLF endings; the last line may lack one.
/// A line longer than the limit is skipped in pieces and reported, so one giant line never fills memory.
/// </summary>
internal sealed class LineReader(Stream stream, int maxLineBytes)
{
    private byte[] _buffer = new byte[Math.Min(1 << 20, maxLineBytes + 1)];
    private int _start;
    private int _end;
    private int _scanFrom;
    private bool _eof;

    public long LineNumber { get; private set; }

    /// <summary>Bytes taken from the stream so far (decompressed bytes, for a .gz).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Length of the last line when <see cref="TryReadLine"/> reported it too long.</summary>
    public long SkippedLength { get; private set; }

    /// <summary>Next line; <paramref name="tooLong"/> means it was skipped (see <see cref="SkippedLength"/>).</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_scanFrom, _end - _scanFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanFrom + newline;
                line = TrimCarriageReturn(_buffer.AsSpan(_start, lineEnd - _start));
                _start = _scanFrom = lineEnd + 1;
                LineNumber++;
                return true;
            }

            _scanFrom = _end;
            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                _start = _scanFrom = _end;
                LineNumber++;
                return true;
            }

            if (_end - _start >= maxLineBytes)
            {
                SkippedLength = SkipRestOfLine(_end - _start);
                LineNumber++;
                tooLong = true;
                line = default;
                return true;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _scanFrom -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxLineBytes + 1L));
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        BytesRead += read;
        if (read == 0) _eof = true;
        _end += read;
    }

    /// <summary>Discards bytes up to and including the next newline; returns the line's whole length.</summary>
    private long SkipRestOfLine(long alreadyBuffered)
    {
        var length = alreadyBuffered;
        _start = _end = _scanFrom = 0;
        while (true)
        {
            var read = stream.Read(_buffer, 0, _buffer.Length);
            BytesRead += read;
            if (read == 0)
            {
                _eof = true;
                return length;
            }
            var newline = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                length += newline;
                _start = _scanFrom = newline + 1;
                _end = read;
                return length;
            }
            length += read;
        }
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
