namespace ElbNotebooks.Loading;

/// <summary>
/// Something wrong with one input, as a script reads it: the file, a <see cref="Kind"/> from
/// <see cref="ProblemKinds"/>, and the sentence the terminal shows.
/// </summary>
public sealed record InputProblem(string File, string Kind, string Message);

/// <summary>The kinds of <see cref="InputProblem"/>.</summary>
public static class ProblemKinds
{
    /// <summary>Compressed data damaged or cut short: the lines before the damage were read.</summary>
    public const string Damaged = "damaged";
    /// <summary>Bytes after the end of the compressed data, ignored: every line was read.</summary>
    public const string TrailingGarbage = "trailing-garbage";
    /// <summary>The file could not be opened or read to its end (missing, no permission, I/O error).</summary>
    public const string Unreadable = "unreadable";
    /// <summary>A file found in a folder that holds no line of a known format: skipped.</summary>
    public const string NotALog = "not-a-log";
    /// <summary>The same file named twice (by two paths, a link): read once.</summary>
    public const string Repeated = "repeated";
    /// <summary>A named pipe (FIFO), socket or device found in a folder: skipped unread (a FIFO would wait for a writer).</summary>
    public const string NotARegularFile = "not-a-regular-file";
}
