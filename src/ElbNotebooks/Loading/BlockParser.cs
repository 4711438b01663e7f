using System.Runtime.CompilerServices;
using System.Text.Unicode;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>
/// Parses one block's lines into its own columns, with its own counts and first examples. Runs on any thread;
/// the block's results are appended to the load in input order. <paramref name="layoutFields"/> is the file's layout
/// (<see cref="ParseTarget.LayoutFields"/>), found by the reader from its first lines, so every worker judges a line
/// against the same one. A file of no known format has <paramref name="near"/>, the one format that alone might read its
/// first lines: each line's rejection then gives that format's reason too.
/// </summary>
internal sealed class BlockParser(ILogFormat? format, LoadOptions options, string file, ParseTarget target, int layoutFields = 0,
    ILogFormat? near = null)
{
    private readonly DateTime _from = options.From?.UtcDateTime ?? DateTime.MinValue;
    private readonly DateTime _to = options.To?.UtcDateTime ?? DateTime.MaxValue;

    /// <summary>Empty when parsing starts; a pipeline reuses targets block after block, so their buffers stay grown.</summary>
    public ParseTarget Target { get; } = target;
    public LineCounts Counts { get; } = new(options.ExamplesPerReason);

    [MethodImpl(HotPath.Optimized)]
    public void Parse(Block block)
    {
        Target.LayoutFields = layoutFields;
        if (block.TooLongBytes > 0)
        {
            Counts.Lines++;
            Counts.Reject(file, block.FirstLine, LineRejection.LineTooLong(block.TooLongBytes, options.MaxLineBytes), default);
            return;
        }

        var rest = block.Bytes;
        var number = block.FirstLine;
        while (!rest.IsEmpty)
        {
            // The search for the line's end also tells whether it is ASCII: then its encoding needs no check.
            var newline = Utf8Bytes.IndexOfLineFeed(rest, out var ascii);
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? default : rest[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            ParseLine(line, number++, ascii);
        }
    }

    private LineRejection NearMiss(ILogFormat near, ReadOnlySpan<byte> line) =>
        Refusal(near, line, Target) is { } refused ? LineRejection.UnknownFormat(near.Name, refused) : LineRejection.UnknownFormat();

    /// <summary>
    /// <paramref name="near"/>'s reason for refusing the first of <paramref name="lines"/> it refuses (<c>code: detail</c>);
    /// null when none. Parses on <paramref name="target"/>, rolled back line by line.
    /// </summary>
    public static string? FirstNearMiss(ILogFormat near, IEnumerable<byte[]> lines, ParseTarget target)
    {
        foreach (var line in lines)
            if (Refusal(near, line, target) is { } refused)
                return refused.Text;
        return null;
    }

    /// <summary>
    /// Why <paramref name="near"/> refuses <paramref name="line"/>; null when it would not even try, reads it, or finds
    /// it is no line of its format after all (an application log's line passes the CLB's first checks).
    /// </summary>
    private static LineRejection? Refusal(ILogFormat near, ReadOnlySpan<byte> line, ParseTarget target)
    {
        if (!near.MightRead(line)) return null;
        return target.Reads(near, line, out var refused) || refused.Reason == RejectReason.FormatMismatch ? null : refused;
    }

    [MethodImpl(HotPath.Optimized)]
    public void ParseLine(ReadOnlySpan<byte> line, long number, bool knownValidUtf8 = false)
    {
        Counts.Lines++;
        if (line.Length > options.MaxLineBytes)
        {
            Counts.Reject(file, number, LineRejection.LineTooLong(line.Length, options.MaxLineBytes), default);
            return;
        }
        if (line.IsEmpty || line[0] is (byte)' ' or (byte)'\t' && line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
        {
            Counts.Blank++;
            return;
        }
        if (format is null)
        {
            Counts.Reject(file, number, near is null ? LineRejection.UnknownFormat() : NearMiss(near, line), line);
            return;
        }

        var requests = Target.Requests;
        var attemptsBefore = Target.Attempts.Count;
        if (!format.TryParse(line, Target, out var rejection))
        {
            requests.RollbackRow();
            Target.Attempts.RollbackTo(attemptsBefore);
            Counts.Reject(file, number, rejection, line);
            return;
        }

        Counts.Parsed++;
        var time = requests.Time[requests.Count];
        if (time < _from || time >= _to)
        {
            Counts.OutOfRange++;
            // Still written in the log's offset: the offset the views show is the whole input's, whatever the range.
            Counts.OutOfRangeAt(requests.OffsetMinutes[requests.Count]);
            requests.RollbackRow();
            Target.Attempts.RollbackTo(attemptsBefore);
            return;
        }

        if (!knownValidUtf8 && !Utf8.IsValid(line)) Counts.ReplacedEncoding++;
        requests.File.Add(file);
        requests.Line.Add(number);
        requests.CommitRow();
    }
}

/// <summary>Lines read, parsed, rejected and blank, with rejections by reason and their first examples.</summary>
internal sealed class LineCounts(int examplesPerReason)
{
    public long Lines, Parsed, Rejected, Blank, OutOfRange, ReplacedEncoding;
    public Dictionary<string, long> Rejections { get; } = new(StringComparer.Ordinal);
    public List<RejectedLine> Examples { get; } = [];

    /// <summary>Lines outside the time range per offset they are written in (minutes); null when there were none.</summary>
    public Dictionary<int, long>? OutOfRangeOffsets { get; private set; }

    public void OutOfRangeAt(int offsetMinutes) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(OutOfRangeOffsets ??= [], offsetMinutes, out _)++;

    public void Reject(string file, long number, LineRejection rejection, ReadOnlySpan<byte> line)
    {
        Rejected++;
        var code = rejection.Reason.Code();
        var seen = Rejections[code] = Rejections.GetValueOrDefault(code) + 1;
        if (seen <= examplesPerReason)
            Examples.Add(new RejectedLine(file, number, code, rejection.Detail, LineRejection.Excerpt(line, 200)));
    }

    /// <summary>Adds a later block's counts; examples stay the first ones per reason, in line order.</summary>
    public void Add(LineCounts other)
    {
        Lines += other.Lines;
        Parsed += other.Parsed;
        Rejected += other.Rejected;
        Blank += other.Blank;
        OutOfRange += other.OutOfRange;
        ReplacedEncoding += other.ReplacedEncoding;
        if (other.OutOfRangeOffsets is { } offsets)
            foreach (var (offset, count) in offsets)
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(OutOfRangeOffsets ??= [], offset, out _) += count;
        foreach (var example in other.Examples)
            if (Examples.Count(e => e.Reason == example.Reason) < examplesPerReason)
                Examples.Add(example);
        foreach (var (code, count) in other.Rejections)
            Rejections[code] = Rejections.GetValueOrDefault(code) + count;
    }
}
