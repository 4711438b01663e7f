namespace ElbNotebooks.Loading;

/// <summary>One input to load: a file, or a stream the caller owns. Gzip is recognised by its magic bytes.</summary>
public sealed partial class LogSource
{
    private readonly Func<Stream> _open;

    private LogSource(string name, Func<Stream> open, long? length, bool foundInFolder, bool canReadAgain = true)
    {
        Name = name;
        _open = open;
        Length = length;
        FoundInFolder = foundInFolder;
        CanReadAgain = canReadAgain;
    }

    /// <summary>False for a stream, which is read once: a second pass over it (a <see cref="LogCensus"/>) is not possible.</summary>
    internal bool CanReadAgain { get; }

    /// <summary>The name reports and rows use: the path as given, or the stream's name.</summary>
    public string Name { get; }

    /// <summary>Bytes to read, when known (for progress).</summary>
    public long? Length { get; }

    /// <summary>True when a folder walk or glob found it: such a file of an unknown format is skipped, not an error.</summary>
    internal bool FoundInFolder { get; }

    /// <summary>
    /// A file, opened when the load reads it (shared for reading, so a log still being written can be read); an
    /// unreadable or missing file is reported for that file alone. Gzip is recognised by content, whatever the name.
    /// </summary>
    public static LogSource FromFile(string path) => FromFile(path, foundInFolder: false);

    /// <summary>
    /// A file; <paramref name="foundInFolder"/>: a folder walk or glob found it (see <see cref="FoundInFolder"/>). A
    /// named pipe, socket or device (<see cref="Special"/>) has no length, and named on its own is read once, as
    /// standard input is (found in a folder, it is skipped).
    /// </summary>
    internal static LogSource FromFile(string path, bool foundInFolder)
    {
        var (special, identity) = FileTypes.Describe(path);
        return new(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16),
            special is null ? LengthOf(path) : null, foundInFolder, canReadAgain: special is null || foundInFolder)
        {
            FilePath = path, Special = special, Identity = identity,
        };
    }

    /// <summary>
    /// What the file is when it is not a regular file (<see cref="FileTypes.Describe"/>: "a named pipe (FIFO)", a
    /// socket, a device); null for a regular file. One found in a folder is skipped unread: opening a FIFO waits for
    /// a writer, forever if none comes. One named on its own is read, as standard input is.
    /// </summary>
    internal string? Special { get; private init; }

    /// <summary>The file's path when it is a file (null for a stream): a run reads each real file once.</summary>
    internal string? FilePath { get; private init; }

    /// <summary>
    /// The file as its device and inode (<see cref="FileTypes.Describe"/>), when the system tells them (Linux): a run
    /// reads each file once, also when two hard links name it. Taken when the source is made, with its type and its
    /// length, from the same call; null for a stream, or where it cannot be told (the run then knows a file by its real
    /// path).
    /// </summary>
    internal string? Identity { get; private init; }

    /// <summary>
    /// The length of the file, or of the file a symbolic link leads to (<see cref="FileInfo"/> describes the link
    /// itself: its length is that of the target's path, so a load would size its columns for a few lines and grow
    /// them by copying). A broken link or a file that vanished has no length; opening it reports the error for that
    /// file alone.
    /// </summary>
    private static long? LengthOf(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (file.LinkTarget is not null) file = (FileInfo?)file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
            return file.Length;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// About how many bytes of text this input holds, to size a load's columns before it reads them: its length, and
    /// for a gzip file the uncompressed size its trailer records. The trailer holds the last member's size modulo
    /// 4 GiB, so the value taken is the one consistent with it nearest to 8 times the compressed size; a file without
    /// a credible trailer (no text compresses to more than itself, so a smaller size means several members) counts as
    /// 8 times its size. Measured: a 500,000-line log compressed 11.4 to 1 was sized for 350,000 lines, and its
    /// columns grew by copying.
    /// </summary>
    internal long ExpectedTextBytes()
    {
        if (Length is not { } length) return 0;
        if (!Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return length;
        var guess = length * 8;
        // A trailer that claims more than deflate can expand is not one: the file was cut, and its last bytes are data.
        if (FilePath is null || length < 20 || GzipTrailerSize(FilePath, length) is not { } recorded || recorded < length ||
            recorded > length * MaxDeflateRatio)
            return guess;
        var wraps = Math.Max(0, (long)Math.Round((guess - (double)recorded) / (1L << 32)));
        return recorded + wraps * (1L << 32);
    }

    /// <summary>The most text deflate can make of a byte: a 258-byte match takes at least two bits.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>The ISIZE field of the gzip file at <paramref name="path"/> (its last 4 bytes), if it starts as gzip does.</summary>
    private static long? GzipTrailerSize(string path, long length)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> magic = stackalloc byte[2];
            Span<byte> size = stackalloc byte[4];
            if (RandomAccess.Read(file, magic, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b) return null;
            return RandomAccess.Read(file, size, length - 4) == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(size) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A stream read once, from its current position; the caller disposes it.</summary>
    public static LogSource FromStream(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new(name, () => new NonClosingStream(stream), stream.CanSeek ? stream.Length - stream.Position : null, false, canReadAgain: false);
    }

    /// <summary>Files, folders (recursive) and globs (<c>logs/**/*.gz</c>), expanded and sorted.</summary>
    public static IReadOnlyList<LogSource> FromPaths(IEnumerable<string> paths) => FromPaths(paths, null);

    /// <summary>A file path as a source (<see cref="FromFile(string)"/>); an <c>s3://</c> path throws: pass it to <see cref="FromPaths(IEnumerable{string})"/>.</summary>
    public static implicit operator LogSource(string path) =>
        BucketPath.IsBucketPath(path)
            ? throw new ArgumentException($"'{path}' is a bucket path, not a file: pass it as a string path (AccessLog.Load(paths, options)) or through LogSource.FromPaths.")
            : FromFile(path);

    internal Stream Open() => _open();

    /// <summary>
    /// The same input, read through <paramref name="wrap"/> (e.g. to hash its bytes on the way), and its text (what
    /// <see cref="LogText"/> makes of them, which the load cuts into lines) through <paramref name="readText"/>.
    /// </summary>
    internal LogSource Through(Func<Stream, Stream> wrap, Func<LogText, Stream>? readText = null) =>
        new(Name, () => wrap(_open()), Length, FoundInFolder, CanReadAgain)
        {
            Object = Object, FilePath = FilePath, Special = Special, Identity = Identity, ReadText = readText ?? ReadText,
        };

    /// <summary>
    /// What the load reads the input's text through (the export hashes it on the way); null: the text itself. It does
    /// not own the <see cref="LogText"/>: the load disposes that.
    /// </summary>
    internal Func<LogText, Stream>? ReadText { get; private init; }

    /// <summary>The <see cref="Name"/>.</summary>
    public override string ToString() => Name;

    /// <summary>Reads the caller's stream without closing it: the caller owns it.</summary>
    private sealed class NonClosingStream(Stream inner) : ForwardOnlyStream
    {
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
    }
}
