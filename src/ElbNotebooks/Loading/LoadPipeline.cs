using System.IO.Compression;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>
/// Reads every input in order on one thread (files, gzip, format detection) and cuts it into blocks of lines that
/// the thread pool parses in parallel; results are appended in input order, so rows keep the order of the logs.
/// I/O and decompression overlap with parsing. A bad line is counted and skipped; an input that breaks (a
/// truncated .gz, an unreadable file) keeps what was read and says so.
/// </summary>
internal sealed class LoadPipeline(LoadOptions options)
{
    private const int BlockSize = 1 << 20;
    private const int DetectionLines = 20;
    private const int StreamingPoolCapacity = 16_384;

    private readonly IReadOnlyList<ILogFormat> _formats = options.Candidates();
    private readonly int _maxInFlight = Math.Max(2, Environment.ProcessorCount * 2);
    private readonly System.Collections.Concurrent.ConcurrentBag<ParseTarget> _targets = [];
    private readonly Queue<(Task<BlockParser> Task, FileProgress File)> _inFlight = new();
    private long _totalBytes, _bytesDone, _linesDone, _expectedBytes;
    private bool _presized;
    private CollectionPause? _pause;
    private StringPool? _seed;

    /// <summary>
    /// When set, streaming: each parsed block is handed here, in input order, instead of being appended to
    /// <see cref="Requests"/> and <see cref="Attempts"/>, so memory stays bounded whatever the inputs' size. A block
    /// of the next input arrives only once the previous input has been read to its end. The last argument is what
    /// <see cref="Summarize"/> made of the block, if set. The target is emptied and reused for a later block once
    /// this returns: keep its values, not its buffers.
    /// </summary>
    public Action<LogSource, ParseTarget, object?>? OnBlock { get; init; }

    /// <summary>
    /// With <see cref="OnBlock"/>: runs on the worker right after it parsed a block, off the reading thread, so
    /// per-block work runs in parallel; its result reaches <see cref="OnBlock"/> in input order.
    /// </summary>
    public Func<ParseTarget, object>? Summarize { get; init; }

    /// <summary>Parse only what judging backends needs (<see cref="ParseTarget.Minimal"/>).</summary>
    public bool Minimal { get; init; }

    public RequestColumns Requests { get; } = new();
    public AttemptColumns Attempts { get; } = new();
    public List<FileParseReport> Files { get; } = [];
    public List<RejectedLine> Examples { get; } = [];
    public List<SkippedFile> Skipped { get; } = [];

    /// <summary>The inputs to read, at least one.</summary>
    public static LogSource[] Inputs(IEnumerable<LogSource> sources)
    {
        var list = sources.ToArray();
        return list.Length > 0 ? list : throw new LogLoadException("No input was given: name files, folders, globs or streams.");
    }

    /// <summary>What <see cref="Run"/> read; a load that parsed nothing is an error naming the inputs.</summary>
    public ParseReport Report(IReadOnlyList<LogSource> sources)
    {
        var report = new ParseReport(Files, Examples, Skipped) { Objects = ObjectReport.Of(sources) };
        return report.Parsed > 0 ? report : throw LogLoadException.NothingParsed(sources, report);
    }

    public void Run(IReadOnlyList<LogSource> sources)
    {
        _totalBytes = sources.Sum(s => s.Length ?? 0);
        _expectedBytes = sources.Sum(s => (s.Length ?? 0) * (s.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? 8 : 1));
        var files = new List<FileProgress>();
        var readAs = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var source in sources)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                var file = new FileProgress(source, options.ExamplesPerReason);
                files.Add(file);
                if (source.FilePath is { } path && !readAs.TryAdd(RealPath.Of(path), source.Name))
                {
                    file.Skipped = new SkippedFile(source.Name, $"the same file as {readAs[RealPath.Of(path)]}, read once", null);
                    continue;
                }
                Read(file);
            }
            while (_inFlight.Count > 0) AppendOldest();
        }
        finally
        {
            _pause?.Dispose();
        }

        foreach (var file in files)
        {
            if (file.Skipped is not null)
            {
                Skipped.Add(file.Skipped);
                continue;
            }
            var c = file.Counts;
            Files.Add(new FileParseReport(file.Source.Name, file.Format?.Name, c.Lines, c.Parsed, c.Rejected, c.Blank,
                c.OutOfRange, c.ReplacedEncoding, new Dictionary<string, long>(c.Rejections), file.Error) { Note = file.Note });
            Examples.AddRange(c.Examples);
        }
        options.Progress?.Report(new LoadProgress("", _totalBytes, _totalBytes, _linesDone));
    }

    private void Read(FileProgress file)
    {
        ReplayStream? replay = null;
        BlockReader? reader = null;
        var gzip = false;
        try
        {
            using var raw = file.Source.Open();
            replay = new ReplayStream(raw);
            gzip = replay.StartsWith([0x1f, 0x8b]);
            if (!gzip && file.Source.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                file.Note = "named .gz but not gzip-compressed: read as plain text";
            var bom = new Utf8BomSkipper(gzip ? new GZipStream(replay, CompressionMode.Decompress, leaveOpen: true) : replay);
            using var input = new CrOnlyLineEndings(bom);
            reader = new BlockReader(input, BlockSize, options.MaxLineBytes);
            file.Format = options.Format is { } forced ? LogFormats.Find(forced, _formats) : null;

            var first = true;
            while (reader.TryRead(out var block))
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                if (first && file.Format is null && !Detect(file, block))
                {
                    block.Release();
                    return;
                }
                if (first && OnBlock is null) Presize(file, block);
                first = false;
                Dispatch(file, block);
                Progress(file, replay.BytesRead, block.LineCount);
            }
            if (bom.Skipped)
                file.Note = (file.Note is null ? "" : file.Note + "; ") + "starts with a UTF-8 byte-order mark: skipped";
            if (input.Translated)
                file.Note = (file.Note is null ? "" : file.Note + "; ") + "lines end with CR alone: each CR read as a line ending";
            if (gzip && !replay.TrailerMatches(reader.BytesRead))
                file.Error = $"compressed data is damaged or cut short after line {reader.LinesRead:N0}: the gzip trailer does not match the {reader.BytesRead:N0} bytes it held";
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or UnauthorizedAccessException)
        {
            var after = reader?.LinesRead ?? 0;
            file.Error = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => $"cannot be opened: {e.Message}",
                InvalidDataException or EndOfStreamException => $"compressed data is damaged or cut short after line {after:N0}: {e.Message}",
                UnauthorizedAccessException => $"cannot be read: {e.Message}",
                _ => $"reading stopped after line {after:N0}: {e.Message}",
            };
        }
        finally
        {
            if (replay is not null) Progress(file, replay.BytesRead, 0);
        }
    }

    /// <summary>Picks the file's format from its first lines; false when a folder's file is not a log and is skipped.</summary>
    private bool Detect(FileProgress file, Block block)
    {
        var sample = new List<byte[]>();
        var rest = block.Bytes;
        while (!rest.IsEmpty && sample.Count < DetectionLines)
        {
            var newline = rest.IndexOf((byte)'\n');
            var line = (newline < 0 ? rest : rest[..newline]).TrimEnd((byte)'\r');
            rest = newline < 0 ? default : rest[(newline + 1)..];
            if (!line.Trim(" \t"u8).IsEmpty) sample.Add(line.ToArray());
        }

        file.Format = LogFormats.Detect(sample, _formats);
        if (file.Format is not null || !file.Source.FoundInFolder || sample.Count == 0) return true;
        file.Skipped = new SkippedFile(file.Source.Name,
            "no line of a known format (" + KnownNames + ") in its first lines",
            LineRejection.Excerpt(sample[0], 200));
        return false;
    }

    private string KnownNames => string.Join(", ", _formats.Select(f => f.Name).Distinct());

    /// <summary>
    /// Sizes the load's columns once from the first block's bytes per line and the inputs' total size, so a large
    /// load fills its arrays instead of growing them by copying (each copy of a large array is garbage the size of
    /// the array until the next full collection), and holds off collection for what it will allocate
    /// (<see cref="CollectionPause"/>). Compressed inputs count as 8 times their size. The first block's repeated
    /// values seed the workers' string pools, so they share one string per value, aged before the pause.
    /// </summary>
    private void Presize(FileProgress file, Block block)
    {
        if (_presized || block.LineCount == 0 || block.Bytes.Length == 0) return;
        _presized = true;
        var bytesPerLine = (double)block.Bytes.Length / block.LineCount;
        var rows = (long)(_expectedBytes / bytesPerLine * 1.02) + 1024;
        if (rows > 256 * 1024 && rows < int.MaxValue / 2)
        {
            var attempts = (long)(rows * 1.1);
            // A throwaway parse (the block is parsed again with the others) that only fills the seed: a few ms.
            _seed = new StringPool();
            new BlockParser(file.Format, options, file.Source.Name, new ParseTarget(_seed, Minimal)).Parse(block);
            // What the load will allocate: its column arrays, and strings at most the size of the text they come from.
            _pause = options.PauseCollection
                ? CollectionPause.TryStart(rows * Requests.BytesPerRow + attempts * Attempts.BytesPerRow + _expectedBytes, ageFirst: _seed)
                : null;
            Requests.EnsureCapacity((int)rows);
            Attempts.EnsureCapacity((int)attempts);
        }
    }

    private void Dispatch(FileProgress file, Block block)
    {
        while (_inFlight.Count >= _maxInFlight) AppendOldest();
        var format = file.Format;
        var name = file.Source.Name;
        var task = Task.Run(() =>
        {
            var parser = new BlockParser(format, options, name, RentTarget(block.LineCount));
            try
            {
                parser.Parse(block);
            }
            finally
            {
                block.Release();
            }
            if (Summarize is not null) parser.Summary = Summarize(parser.Target);
            return parser;
        }, options.CancellationToken);
        _inFlight.Enqueue((task, file));
    }

    private void AppendOldest()
    {
        var (task, file) = _inFlight.Dequeue();
        var parser = task.GetAwaiter().GetResult();
        if (OnBlock is not null)
        {
            OnBlock(file.Source, parser.Target, parser.Summary);
        }
        else
        {
            Attempts.AppendFrom(parser.Target.Attempts, Requests.Count);
            Requests.AppendFrom(parser.Target.Requests);
        }
        file.Counts.Add(parser.Counts);
        parser.Target.Clear();
        _targets.Add(parser.Target);
    }

    /// <summary>
    /// An empty target with room for a block of <paramref name="lines"/>. Targets go back to the pipeline once their
    /// block is appended, so a load allocates a few sets of block buffers, not one per block, and never grows them
    /// line by line. Streaming keeps no rows, so its string pools are small: they only spare repeated values a copy.
    /// </summary>
    private ParseTarget RentTarget(int lines)
    {
        if (!_targets.TryTake(out var target))
            target = new ParseTarget(new StringPool(OnBlock is null ? StringPool.DefaultCapacity : StreamingPoolCapacity, _seed), Minimal);
        target.EnsureCapacity(lines);
        return target;
    }

    private void Progress(FileProgress file, long bytesRead, long lines)
    {
        _bytesDone += bytesRead - file.BytesReported;
        file.BytesReported = bytesRead;
        _linesDone += lines;
        options.Progress?.Report(new LoadProgress(file.Source.Name, _bytesDone, _totalBytes, _linesDone));
    }

    private sealed class FileProgress(LogSource source, int examplesPerReason)
    {
        public LogSource Source { get; } = source;
        public ILogFormat? Format { get; set; }
        public LineCounts Counts { get; } = new(examplesPerReason);
        public SkippedFile? Skipped { get; set; }
        public string? Error { get; set; }
        public string? Note { get; set; }
        public long BytesReported { get; set; }
    }

    /// <summary>Lets the first bytes be sniffed (gzip magic) and then read again; counts the bytes read.</summary>
    private sealed class ReplayStream(Stream rest) : ForwardOnlyStream
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

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
