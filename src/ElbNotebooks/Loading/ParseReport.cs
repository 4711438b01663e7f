using System.Globalization;
using System.Text;

namespace ElbNotebooks.Loading;

/// <summary>
/// What a load read, per file and in total. <c>Parsed + Rejected + Blank == Lines</c> always holds; lines outside a
/// requested time range are parsed and counted in <see cref="OutOfRange"/> but not kept.
/// </summary>
public sealed partial class ParseReport
{
    internal ParseReport(IReadOnlyList<FileParseReport> files, IReadOnlyList<RejectedLine> examples, IReadOnlyList<SkippedFile> skipped)
    {
        Files = files;
        Examples = examples;
        SkippedFiles = skipped;
        Lines = files.Sum(f => f.Lines);
        Parsed = files.Sum(f => f.Parsed);
        Rejected = files.Sum(f => f.Rejected);
        Blank = files.Sum(f => f.Blank);
        OutOfRange = files.Sum(f => f.OutOfRange);
        ReplacedEncoding = files.Sum(f => f.ReplacedEncoding);
        var rejections = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in files)
            foreach (var (reason, count) in file.RejectionsByReason)
                rejections[reason] = rejections.GetValueOrDefault(reason) + count;
        RejectionsByReason = MostFirst(rejections);
    }

    /// <summary>
    /// The same counts, most first and then by name (a dictionary enumerates in the order it was filled). Loops, not
    /// LINQ over key-value pairs, whose generic code would be compiled at run time for a report made once.
    /// </summary>
    internal static Dictionary<string, long> MostFirst(Dictionary<string, long> counts)
    {
        var names = new List<string>(counts.Keys);
        names.Sort((a, b) => counts[b].CompareTo(counts[a]) is var byCount and not 0 ? byCount : string.CompareOrdinal(a, b));
        var ordered = new Dictionary<string, long>(names.Count, StringComparer.Ordinal);
        foreach (var name in names) ordered[name] = counts[name];
        return ordered;
    }

    /// <summary>Lines read, over every input: parsed + rejected + blank.</summary>
    public long Lines { get; }

    /// <summary>Lines read as requests (including those then dropped by the time range, <see cref="OutOfRange"/>).</summary>
    public long Parsed { get; }

    /// <summary>Non-blank lines no format could read: the analysis cannot see them (<see cref="RejectionsByReason"/>, <see cref="Examples"/>).</summary>
    public long Rejected { get; }

    /// <summary>Empty or whitespace-only lines; they are not requests and not errors.</summary>
    public long Blank { get; }

    /// <summary>Parsed lines dropped by the time range.</summary>
    public long OutOfRange { get; }

    /// <summary>Parsed lines that held bytes that are not UTF-8 (shown as U+FFFD).</summary>
    public long ReplacedEncoding { get; }

    /// <summary>One report per input read, in the order read.</summary>
    public IReadOnlyList<FileParseReport> Files { get; }

    /// <summary>Rejections by reason code (<c>too-few-fields</c>, <c>bad-timestamp</c>, ...), most frequent first.</summary>
    public IReadOnlyDictionary<string, long> RejectionsByReason { get; }

    /// <summary>The first few rejected lines of each reason, with file and line number.</summary>
    public IReadOnlyList<RejectedLine> Examples { get; }

    /// <summary>The first rejected line of each reason: where the terminal and the reports point when lines were rejected.</summary>
    internal IEnumerable<RejectedLine> FirstOfEachReason => Examples.DistinctBy(e => e.Reason);

    /// <summary>
    /// What <c>investigate</c> says under the parse report's line, in the terminal and the notebook views alike, a line
    /// each: every damaged or skipped input (<c>Problem</c>), how a file was read when that was not the plain way (its
    /// note: decoded, a byte-order mark skipped, read as another format than the one given), and the first rejected
    /// line of each reason.
    /// </summary>
    internal IEnumerable<(string Line, bool Problem)> Details =>
        Problems.Select(p => ($"{p.Kind} {p.File}: {p.Message}", true))
            .Concat(Files.Where(f => f.Note is not null).Select(f => ($"note {f.File}: {f.Note}", false)))
            .Concat(FirstOfEachReason.Select(e => ($"rejected {e}", false)));

    /// <summary>Files not read: found in folders and not access logs of a known format, or not regular files (a FIFO), or repeats; they count no lines.</summary>
    public IReadOnlyList<SkippedFile> SkippedFiles { get; }

    /// <summary>Files that could not be read to the end (a truncated <c>.gz</c>, an I/O error), with the reason.</summary>
    public IEnumerable<FileParseReport> Damaged => Files.Where(f => f.Error is not null);

    /// <summary>Each format read, with its files, lines and parsed lines, most lines first: a folder may mix formats.</summary>
    public IEnumerable<FormatReport> ByFormat =>
        Files.Where(f => f.Format is not null)
            .GroupBy(f => f.Format!, StringComparer.Ordinal)
            .Select(g => new FormatReport(g.Key, g.Count(), g.Sum(f => f.Lines), g.Sum(f => f.Parsed)))
            .OrderByDescending(f => f.Lines).ThenBy(f => f.Format, StringComparer.Ordinal);

    /// <summary>Every input with a problem, damaged ones first, then the skipped ones: what the terminal names.</summary>
    public IEnumerable<InputProblem> Problems =>
        Damaged.Select(f => new InputProblem(f.File, f.ErrorKind ?? ProblemKinds.Unreadable, f.Error!))
            .Concat(SkippedFiles.Select(s => new InputProblem(s.File, s.Kind, s.Reason)));

    /// <summary>One line: <c>1,204 lines: 1,200 parsed, 3 rejected (too-few-fields 2, bad-timestamp 1), 1 blank</c>.</summary>
    public string Summary
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.Append(c, $"{Lines:N0} line{(Lines == 1 ? "" : "s")} in {Files.Count:N0} file{(Files.Count == 1 ? "" : "s")}: {Parsed:N0} parsed, {Rejected:N0} rejected");
            if (RejectionsByReason.Count > 0)
                text.Append(" (").AppendJoin(", ", RejectionsByReason.Select(kv => string.Create(c, $"{kv.Key} {kv.Value:N0}"))).Append(')');
            text.Append(c, $", {Blank:N0} blank");
            if (OutOfRange > 0) text.Append(c, $"; {OutOfRange:N0} outside the time range");
            if (ReplacedEncoding > 0) text.Append(c, $"; {ReplacedEncoding:N0} with non-UTF-8 bytes");
            // Inputs that stopped early, named by their kind as Problems (and --json's problems) name them: a broken
            // link or a file without permission is unreadable, not damaged.
            foreach (var (kind, words) in ProblemWords)
            {
                var count = Damaged.Count(f => (f.ErrorKind ?? ProblemKinds.Unreadable) == kind);
                if (count > 0) text.Append(c, $"; {string.Format(c, words, count, count == 1 ? "" : "s")}");
            }
            if (SkippedFiles.Count > 0) text.Append(c, $"; {SkippedFiles.Count:N0} file(s) skipped");
            if (Objects is { } objects) text.Append("; ").Append(objects.Summary);
            return text.ToString();
        }
    }

    /// <summary>How <see cref="Summary"/> counts the inputs of each kind of error: {0} the count, {1} the plural's s.</summary>
    private static readonly (string Kind, string Words)[] ProblemWords =
    [
        (ProblemKinds.Damaged, "{0:N0} damaged file{1}"),
        (ProblemKinds.Unreadable, "{0:N0} unreadable file{1}"),
        (ProblemKinds.TrailingGarbage, "{0:N0} file{1} with trailing garbage"),
    ];

    /// <summary>The <see cref="Summary"/> line.</summary>
    public override string ToString() => Summary;
}

/// <summary>
/// One input's counts. <see cref="Error"/> says why reading stopped early, if it did (its kind in
/// <see cref="ErrorKind"/>, one of <see cref="ProblemKinds"/>); <see cref="Note"/> says something the reader should
/// know that lost nothing (a <c>.gz</c> name on a plain file, UTF-16 decoded).
/// </summary>
public sealed record FileParseReport(
    string File,
    string? Format,
    long Lines,
    long Parsed,
    long Rejected,
    long Blank,
    long OutOfRange,
    long ReplacedEncoding,
    IReadOnlyDictionary<string, long> RejectionsByReason,
    string? Error)
{
    /// <summary>Something worth knowing that lost no line (a <c>.gz</c> name on a plain file, UTF-16 decoded); null when none.</summary>
    public string? Note { get; init; }

    /// <summary>The kind of <see cref="Error"/>, one of <see cref="ProblemKinds"/>; null when the file was read to the end.</summary>
    public string? ErrorKind { get; init; }

    /// <summary>
    /// Read with an nginx <c>log_format</c> that has no upstream, its lines carry more fields that hold an address and
    /// port, perhaps the upstream variables; its <see cref="Note"/> says so.
    /// </summary>
    internal bool UpstreamFieldsUnread { get; init; }
}

/// <summary>What was read of one format.</summary>
public sealed record FormatReport(string Format, int Files, long Lines, long Parsed);

/// <summary>A rejected line: where it is, why, and its first characters.</summary>
public sealed record RejectedLine(string File, long Line, string Reason, string Detail, string Text)
{
    /// <summary><c>file:line: reason: detail</c>.</summary>
    public override string ToString() => $"{File}:{Line}: {Reason}: {Detail}";
}

/// <summary>A file not read: met while walking a folder and holding no line of a known format or not a regular file, or a repeat.</summary>
public sealed record SkippedFile(string File, string Reason, string? FirstLine)
{
    /// <summary><see cref="ProblemKinds.NotALog"/>, <see cref="ProblemKinds.Repeated"/> or <see cref="ProblemKinds.NotARegularFile"/>.</summary>
    public string Kind { get; init; } = ProblemKinds.NotALog;
}
