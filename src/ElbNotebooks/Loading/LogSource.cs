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

    /// <summary>A file; <paramref name="foundInFolder"/>: a folder walk or glob found it (see <see cref="FoundInFolder"/>).</summary>
    internal static LogSource FromFile(string path, bool foundInFolder) =>
        new(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16),
            LengthOf(path), foundInFolder) { FilePath = path };

    /// <summary>The file's path when it is a file (null for a stream): a run reads each real file once.</summary>
    internal string? FilePath { get; private init; }

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

    /// <summary>The same input, read through <paramref name="wrap"/> (e.g. to hash its bytes on the way).</summary>
    internal LogSource Through(Func<Stream, Stream> wrap) => new(Name, () => wrap(_open()), Length, FoundInFolder, CanReadAgain) { Object = Object, FilePath = FilePath };

    /// <summary>The <see cref="Name"/>.</summary>
    public override string ToString() => Name;

    /// <summary>Reads the caller's stream without closing it: the caller owns it.</summary>
    private sealed class NonClosingStream(Stream inner) : ForwardOnlyStream
    {
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
    }
}
