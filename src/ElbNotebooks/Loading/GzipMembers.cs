using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace ElbNotebooks.Loading;

/// <summary>
/// The text of gzip data, member after member (<c>cat a.gz b.gz</c> makes a file of two, as log rotation does), each
/// checked against its own trailer: the CRC-32 and size of its data. .NET's GZipStream cannot say where a member
/// ends, so a cut file ends as quietly as a whole one, and a bad checksum throws away the data of the read that found
/// it. Here each member's deflate data is decompressed raw and its trailer looked for right after it; the data is
/// handed on before the trailer is checked, so a bad trailer loses nothing that was decompressed. A failure is an
/// <see cref="EndOfStreamException"/> when the input ends inside the data (cut short), else an
/// <see cref="InvalidDataException"/>. The caller disposes <paramref name="compressed"/>.
/// </summary>
internal sealed class GzipMembers(Stream compressed) : ForwardOnlyStream
{
    private const byte FHcrc = 2, FExtra = 4, FName = 8, FComment = 16, FReserved = 0xE0;

    private readonly CompressedInput _input = new(compressed);
    private readonly Crc32 _crc = new();
    private DeflateStream? _deflate;
    private long _size;
    private bool _ended;

    /// <summary>The members started so far.</summary>
    public int Members { get; private set; }

    /// <summary>Bytes after the last member that do not start another one: ignored, once the data has been read to its end.</summary>
    public long TrailingBytes { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        while (!_ended && !buffer.IsEmpty)
        {
            if (_deflate is null && !StartMember())
            {
                _ended = true;
                break;
            }
            var read = Inflate(buffer);
            if (read > 0)
            {
                _crc.Append(buffer[..read]);
                _size += read;
                return read;
            }
            EndMember();
        }
        return 0;
    }

    /// <summary>" (gzip member 2)" when a later member fails: the first is the whole file as far as most know.</summary>
    private string Where => Members > 1 ? $" (gzip member {Members})" : "";

    private int Inflate(Span<byte> buffer)
    {
        try
        {
            return _deflate!.Read(buffer);
        }
        catch (InvalidDataException e) // .NET says "unsupported compression method" for any bad deflate data
        {
            throw new InvalidDataException("invalid deflate data" + Where, e);
        }
    }

    /// <summary>Reads a member's header; false at the end of the input, or when what follows is not gzip (counted as trailing bytes).</summary>
    private bool StartMember()
    {
        if (!_input.Has(1)) return false;
        if (Members > 0 && (!_input.Has(2) || _input.Unread[0] != 0x1f || _input.Unread[1] != 0x8b))
        {
            TrailingBytes = _input.SkipToEnd();
            return false;
        }
        Members++;
        Need(10);
        var header = _input.Unread;
        if (header[0] != 0x1f || header[1] != 0x8b) throw new InvalidDataException("not gzip data");
        if (header[2] != 8) throw new InvalidDataException($"compression method {header[2]} is not deflate" + Where);
        var flags = header[3];
        if ((flags & FReserved) != 0) throw new InvalidDataException($"the gzip header has reserved flags set ({flags:x2})" + Where);
        _input.Skip(10);
        if ((flags & FExtra) != 0)
        {
            Need(2);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(_input.Unread);
            _input.Skip(2);
            SkipHeader(length);
        }
        if ((flags & FName) != 0) SkipZeroTerminated();
        if ((flags & FComment) != 0) SkipZeroTerminated();
        if ((flags & FHcrc) != 0) SkipHeader(2);

        _deflate = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
        _crc.Reset();
        _size = 0;
        return true;
    }

    /// <summary>Once the deflate data has ended: the input must go on with the trailer of what it held.</summary>
    private void EndMember()
    {
        _deflate!.Dispose();
        _deflate = null;
        if (_input.Starved) throw new EndOfStreamException("the input ends inside the compressed data" + Where);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_size));
        if (!_input.SkipTrailer(trailer))
            throw new InvalidDataException("the gzip trailer (CRC-32 and size) does not match the data" + Where);
    }

    private void Need(int count)
    {
        if (!_input.Has(count)) throw new EndOfStreamException("the input ends inside a gzip header" + Where);
    }

    private void SkipHeader(int count)
    {
        while (count > 0)
        {
            Need(1);
            var n = Math.Min(count, _input.Unread.Length);
            _input.Skip(n);
            count -= n;
        }
    }

    private void SkipZeroTerminated()
    {
        while (true)
        {
            Need(1);
            var zero = _input.Unread.IndexOf((byte)0);
            _input.Skip(zero < 0 ? _input.Unread.Length : zero + 1);
            if (zero >= 0) return;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _deflate?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The compressed bytes: read in pieces by the member's <see cref="DeflateStream"/>, which takes a piece only when
    /// it has used up the last one. So once the deflate data ends, its trailer starts inside the last piece (or right
    /// after it), and the bytes after it are still here for the next member.
    /// </summary>
    private sealed class CompressedInput(Stream inner) : ForwardOnlyStream
    {
        private const int MaxPiece = 16 * 1024;

        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end; // the unread bytes
        private int _pieceStart; // where the last piece handed to the decompressor began, kept until its trailer is found

        /// <summary>The decompressor asked for more after the input had ended: its data is cut short.</summary>
        public bool Starved { get; private set; }

        public ReadOnlySpan<byte> Unread => _buffer.AsSpan(_start, _end - _start);

        public override int Read(Span<byte> buffer)
        {
            if (_start == _end && !Refill())
            {
                Starved = true;
                return 0;
            }
            var n = Math.Min(Math.Min(buffer.Length, MaxPiece), _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _pieceStart = _start;
            _start += n;
            return n;
        }

        /// <summary>True when <paramref name="count"/> unread bytes are here; false when the input ends before.</summary>
        public bool Has(int count)
        {
            while (_end - _start < count)
                if (!Refill()) return false;
            return true;
        }

        public void Skip(int count)
        {
            _start += count;
            _pieceStart = _start;
        }

        /// <summary>
        /// Moves past <paramref name="trailer"/> where it follows the deflate data: in the last piece or the 8 bytes after
        /// it. Any other match is 8 bytes of data equal to the CRC-32 and size by chance; but an empty member's trailer
        /// is 8 zeros, which a zero the data ended with (or zeros after it) would match as well, so the match taken is
        /// the first one followed by the end of the input or by another member, else the first.
        /// </summary>
        public bool SkipTrailer(ReadOnlySpan<byte> trailer)
        {
            var ended = !Has(8 + 2);
            var window = _buffer.AsSpan(_pieceStart, _end - _pieceStart);
            var last = _start - _pieceStart; // the deflate data ends in the piece, so the trailer starts by its end
            var first = -1;
            for (var from = 0; from <= last; from++)
            {
                var at = window[from..].IndexOf(trailer);
                if (at < 0 || from + at > last) break;
                at += from;
                if (first < 0) first = at;
                var after = window[(at + 8)..];
                if ((ended && after.IsEmpty) || after.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
                {
                    first = at;
                    break;
                }
                from = at;
            }
            if (first < 0) return false;
            _start = _pieceStart + first + 8;
            _pieceStart = _start;
            return true;
        }

        /// <summary>Reads the input to its end; the bytes that were left.</summary>
        public long SkipToEnd()
        {
            long skipped = _end - _start;
            _start = _end = _pieceStart = 0;
            int read;
            while ((read = inner.Read(_buffer)) > 0) skipped += read;
            return skipped;
        }

        /// <summary>Reads more after the unread bytes, first moving what is kept (the last piece on) to the front when full.</summary>
        private bool Refill()
        {
            if (_end == _buffer.Length)
            {
                _buffer.AsSpan(_pieceStart, _end - _pieceStart).CopyTo(_buffer);
                _start -= _pieceStart;
                _end -= _pieceStart;
                _pieceStart = 0;
            }
            var read = inner.Read(_buffer.AsSpan(_end));
            _end += read;
            return read > 0;
        }
    }
}
