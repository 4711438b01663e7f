using System.Text;

namespace ElbNotebooks.Loading;

/// <summary>
/// Lines of a log file re-read by their numbers, as the load numbered them: its text read as the load reads it
/// (<see cref="LogText"/>: gzip members, UTF-16 and UTF-32, a byte-order mark, lone CRs) and cut into lines by the
/// load's own <see cref="BlockReader"/>, so line N here is the line the load parsed as line N. For the few lines a
/// report shows as evidence or a notebook asks for (<c>RawLine</c>), not for loading: it reads no further than the
/// last line wanted, in small blocks.
/// </summary>
internal static class LogLines
{
    private const int BlockSize = 1 << 16;

    /// <summary>
    /// The <paramref name="wanted"/> lines (1-based) of the file the load read as <paramref name="path"/> (a row's
    /// <c>file</c>), in line order, as text: invalid UTF-8 replaced, without the CR the parser drops from a line's end,
    /// at most <paramref name="maxBytes"/> bytes of each. A line the file no longer holds is not returned, nor one
    /// longer than a default load holds (<see cref="LoadOptions.MaxLineBytes"/>: such a load rejected it; a load told to
    /// hold longer lines is the only source of a row from one), though it still counts as one line. Throws what
    /// opening and reading throw (a missing file, damaged gzip data once the lines before the damage are returned),
    /// and an <see cref="IOException"/> for a named pipe, socket or device: the load took its only reading, and
    /// opening a FIFO again would wait for a writer.
    /// </summary>
    public static IEnumerable<(long Line, string Text)> Read(string path, IReadOnlyCollection<long> wanted, int maxBytes = int.MaxValue)
    {
        var lines = wanted.Where(n => n > 0).Distinct().Order().ToArray();
        if (lines.Length == 0) yield break;
        var source = LogSource.FromFile(path);
        if (source.Special is { } what) throw new IOException($"{path} is {what}: it was read once and cannot be read again.");
        using var text = new LogText(source.Open());
        using var reader = new BlockReader(text, BlockSize, LoadOptions.Default.MaxLineBytes);
        var next = 0;
        while (next < lines.Length && reader.TryRead(out var block))
        {
            try
            {
                var last = block.FirstLine + block.LineCount - 1;
                if (block.TooLongBytes > 0)
                {
                    if (lines[next] == block.FirstLine) next++; // one line too long to hold: the load rejected it
                    continue;
                }
                var (at, number) = (0, block.FirstLine);
                while (next < lines.Length && lines[next] <= last)
                {
                    (var line, at) = LineAfter(block.Bytes, at, lines[next] - number, maxBytes);
                    number = lines[next] + 1;
                    yield return (lines[next++], line);
                }
            }
            finally
            {
                block.Release();
            }
        }
    }

    /// <summary>The line that starts <paramref name="skip"/> lines after <paramref name="at"/>, and where the line after it starts.</summary>
    private static (string Text, int Next) LineAfter(ReadOnlySpan<byte> bytes, int at, long skip, int maxBytes)
    {
        for (; skip > 0; skip--) at += bytes[at..].IndexOf((byte)'\n') + 1;
        var newline = bytes[at..].IndexOf((byte)'\n');
        var line = newline < 0 ? bytes[at..] : bytes.Slice(at, newline);
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1]; // as BlockParser drops it
        return (Encoding.UTF8.GetString(line[..Math.Min(line.Length, maxBytes)]), newline < 0 ? bytes.Length : at + newline + 1);
    }
}
