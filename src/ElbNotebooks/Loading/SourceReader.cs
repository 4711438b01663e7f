using System.IO.Compression;
using System.Text.Unicode;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>
/// Reads one input from start to end into its own columns: detects gzip and the format, parses every line, keeps
/// counts and the first examples of each rejection. A bad line is counted and skipped; a stream that breaks
/// (a truncated .gz) keeps what was read and says so.
/// </summary>
internal sealed class SourceReader(LogSource source, LoadOptions options, IReadOnlyList<ILogFormat> formats, Action<long, long> onProgress)
{
    private const int DetectionLines = 20;
    private const int ProgressEvery = 16_384;

    private readonly Dictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private long _lines, _parsed, _rejected, _blank, _outOfRange, _replaced;
    private ILogFormat? _format;
    private ReplayStream? _replay;
    private long _bytesReported;

    public ParseTarget Target { get; } = new();
    public List<RejectedLine> Examples { get; } = [];
    public SkippedFile? Skipped { get; private set; }
    public FileParseReport? Report { get; private set; }

    public void Read()
    {
        string? error = null;
        _format = options.Format is { } forced ? LogFormats.Find(forced, formats) : null;
        try
        {
            using var raw = source.Open();
            _replay = new ReplayStream(raw);
            var gzip = _replay.StartsWith([0x1f, 0x8b]);
            using var input = gzip ? new GZipStream(_replay, CompressionMode.Decompress) : (Stream)_replay;
            var reader = new LineReader(input, options.MaxLineBytes);
            ReadLines(reader);
            if (gzip && Skipped is null && !_replay.TrailerMatches(reader.BytesRead))
                error = $"compressed data is damaged or cut short after line {_lines:N0}: the gzip trailer does not match the {reader.BytesRead:N0} bytes it held";
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or UnauthorizedAccessException)
        {
            error = e switch
            {
                InvalidDataException or EndOfStreamException => $"compressed data is damaged or cut short after line {_lines:N0}: {e.Message}",
                UnauthorizedAccessException => $"cannot be read: {e.Message}",
                _ => $"reading stopped after line {_lines:N0}: {e.Message}",
            };
        }

        Report = new FileParseReport(source.Name, _format?.Name, _lines, _parsed, _rejected, _blank, _outOfRange, _replaced,
            new Dictionary<string, long>(_rejections), error);
    }

    private void ReportProgress(long lines)
    {
        var bytes = _replay?.BytesRead ?? 0;
        onProgress(lines, bytes - _bytesReported);
        _bytesReported = bytes;
    }

    private void ReadLines(LineReader reader)
    {
        List<(long Number, byte[] Bytes)>? pending = _format is null ? [] : null;
        var token = options.CancellationToken;
        while (reader.TryReadLine(out var line, out var tooLong))
        {
            if ((reader.LineNumber & (ProgressEvery - 1)) == 0)
            {
                token.ThrowIfCancellationRequested();
                ReportProgress(ProgressEvery);
            }

            if (pending is not null && !tooLong)
            {
                if (IsBlank(line))
                {
                    _lines++;
                    _blank++;
                    continue;
                }
                pending.Add((reader.LineNumber, line.ToArray()));
                if (pending.Count < DetectionLines) continue;
                if (!Detect(pending)) return;
                pending = null;
                continue;
            }

            _lines++;
            if (tooLong)
                Reject(reader.LineNumber, LineRejection.LineTooLong(reader.SkippedLength, options.MaxLineBytes), default);
            else
                ParseLine(line, reader.LineNumber);
        }
        ReportProgress(reader.LineNumber & (ProgressEvery - 1));

        if (pending is { Count: > 0 }) Detect(pending);
    }

    /// <summary>Picks the format from the first lines, then parses them; false when the file is skipped.</summary>
    private bool Detect(List<(long Number, byte[] Bytes)> pending)
    {
        _format = LogFormats.Detect(pending.Select(p => p.Bytes).ToArray(), formats);
        if (_format is null && source.FoundInFolder)
        {
            Skipped = new SkippedFile(source.Name, "no line of a known format (" + KnownNames() + ") in its first lines",
                LineRejection.Excerpt(pending[0].Bytes, 200));
            _lines = _blank = 0;
            return false;
        }

        foreach (var (number, bytes) in pending)
        {
            _lines++;
            if (_format is null)
                Reject(number, new LineRejection(RejectReason.UnknownFormat,
                    "not a line of a known format (" + KnownNames() + ")"), bytes);
            else
                ParseLine(bytes, number);
        }
        return true;
    }

    private string KnownNames() => string.Join(", ", formats.Select(f => f.Name).Distinct());

    private void ParseLine(ReadOnlySpan<byte> line, long number)
    {
        if (IsBlank(line))
        {
            _blank++;
            return;
        }
        if (_format is null)
        {
            Reject(number, new LineRejection(RejectReason.UnknownFormat, "not a line of a known format"), line);
            return;
        }

        var requests = Target.Requests;
        var attemptsBefore = Target.Attempts.Count;
        if (!_format.TryParse(line, Target, out var rejection))
        {
            requests.RollbackRow();
            Target.Attempts.RollbackTo(attemptsBefore);
            Reject(number, rejection, line);
            return;
        }

        _parsed++;
        var time = requests.Time[requests.Count];
        if ((options.From is { } from && time < from.UtcDateTime) || (options.To is { } to && time >= to.UtcDateTime))
        {
            _outOfRange++;
            requests.RollbackRow();
            Target.Attempts.RollbackTo(attemptsBefore);
            return;
        }

        if (!Utf8.IsValid(line)) _replaced++;
        requests.File.Add(Target.Strings.Get(source.Name.AsSpan()));
        requests.Line.Add(number);
        requests.CommitRow();
    }

    private void Reject(long number, LineRejection rejection, ReadOnlySpan<byte> line)
    {
        _rejected++;
        var code = rejection.Reason.Code();
        _rejections[code] = _rejections.GetValueOrDefault(code) + 1;
        if (_rejections[code] <= options.ExamplesPerReason)
            Examples.Add(new RejectedLine(source.Name, number, code, rejection.Detail, LineRejection.Excerpt(line, 200)));
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t"u8).IsEmpty;

    /// <summary>Lets the first bytes be sniffed (gzip magic) and then read again; counts the bytes read.</summary>
    private sealed class ReplayStream(Stream rest) : Stream
    {
        private readonly byte[] _tail = new byte[8];
        private byte[] _head = [];
        private int _position;

        public long BytesRead { get; private set; }

        public bool StartsWith(ReadOnlySpan<byte> magic)
        {
            var head = new byte[magic.Length];
            var n = rest.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            _head = head[..n];
            BytesRead += n;
            KeepTail(_head);
            return magic.SequenceEqual(_head);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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
            KeepTail(buffer[..read]);
            return read;
        }

        /// <summary>
        /// .NET's GZipStream ends quietly on a cut-short file, so check the gzip trailer: its last four bytes hold the
        /// (last member's) uncompressed size modulo 2^32, which a cut file's last bytes almost never match.
        /// </summary>
        public bool TrailerMatches(long decompressedBytes) =>
            BytesRead >= 18 && BitConverter.ToUInt32(_tail.AsSpan(4)) == (uint)decompressedBytes;

        private void KeepTail(ReadOnlySpan<byte> read)
        {
            if (read.Length >= 8)
            {
                read[^8..].CopyTo(_tail);
                return;
            }
            _tail.AsSpan(read.Length).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(8 - read.Length));
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
