using System.Runtime.CompilerServices;

namespace ElbNotebooks.Loading;

/// <summary>
/// What was read, without the rows: the parse report, the format(s), the UTC offset most lines were written in, the
/// first and last request and how many requests there were, and the input names. A loaded <see cref="AccessLog"/> has
/// one (<see cref="AccessLog.Inputs"/>), and so does every investigation, including one that was streamed or judged
/// from a bucket table and so has no rows.
/// </summary>
public sealed class InputSummary
{
    internal InputSummary(ParseReport report, IReadOnlyList<string> sources, TimeSpan utcOffset, DateTime? from, DateTime? to, long requests,
        LoadOptions? load = null)
    {
        RangeFrom = load?.From;
        RangeTo = load?.To;
        Report = report;
        Sources = sources;
        var parsed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in report.Files)
            if (file.Format is { } format && file.Parsed > 0) parsed[format] = parsed.GetValueOrDefault(format) + file.Parsed;
        Formats = ParseReport.MostFirst(parsed);
        Format = Formats.Keys.FirstOrDefault() ?? "unknown";
        UtcOffset = utcOffset;
        From = from;
        To = to;
        Requests = requests;
    }

    /// <summary>What was read, parsed and rejected, per input.</summary>
    public ParseReport Report { get; }

    /// <summary>The format of most parsed lines, e.g. <c>huawei-elb</c>.</summary>
    public string Format { get; }

    /// <summary>Parsed lines per format, most first: a folder may mix formats (<c>aws-alb</c> 1200, <c>nginx</c> 40).</summary>
    public IReadOnlyDictionary<string, long> Formats { get; }

    /// <summary>Every format read, most lines first (<c>aws-alb, nginx</c>): what a header names, so a mix is not named by its largest part.</summary>
    internal string FormatNames => Formats.Count > 1 ? string.Join(", ", Formats.Keys) : Format;

    /// <summary>
    /// The UTC offset most lines were written in: the log's local time, the one every view shows. It counts every parsed
    /// line, those outside <see cref="LoadOptions.From"/>/<see cref="LoadOptions.To"/> too, so a range does not change it.
    /// </summary>
    public TimeSpan UtcOffset { get; }

    /// <summary>First request, UTC.</summary>
    public DateTime? From { get; }

    /// <summary>Last request, UTC.</summary>
    public DateTime? To { get; }

    /// <summary>
    /// The start of the time range the load kept (<see cref="LoadOptions.From"/>): lines before it were counted as
    /// out of range and not kept. Null when the load kept every time.
    /// </summary>
    public DateTimeOffset? RangeFrom { get; }

    /// <summary>The end (excluded) of the time range the load kept (<see cref="LoadOptions.To"/>); null when unbounded.</summary>
    public DateTimeOffset? RangeTo { get; }

    /// <summary>Requests read (kept by the load's time range).</summary>
    public long Requests { get; }

    /// <summary>The input names that were read.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>
    /// Inputs known only by their summary (a bucket table an engine made from the logs): no parse report but the one
    /// input named as <paramref name="format"/>, with its offset and span.
    /// </summary>
    internal static InputSummary OfTable(string source, string format, TimeSpan offset, DateTime? from, DateTime? to, long requests)
    {
        var file = new FileParseReport(source, format, requests, requests, 0, 0, 0, 0, new Dictionary<string, long>(), null);
        return new InputSummary(new ParseReport([file], [], []), [source], offset, from, to, requests);
    }

    /// <summary>One line: requests, format, span and the parse report's summary.</summary>
    public override string ToString() =>
        $"{Requests:N0} requests ({FormatNames}) from {From:yyyy-MM-dd HH:mm:ss}Z to {To:yyyy-MM-dd HH:mm:ss}Z; {Report.Summary}";
}

/// <summary>
/// First and last request, row count and the most common offset, accumulated block by block. The offset counts every
/// parsed line, those a time range left out too (<see cref="AddOutOfRange"/>): it is the offset of the inputs, the one
/// every view shows, whatever range was asked for, so a time typed without an offset is read in it
/// (the CLI's <c>--from</c>/<c>--to</c>) and the range is shown in the offset it was typed in.
/// </summary>
internal sealed class RowSpan
{
    private readonly Dictionary<int, long> _offsets = [];

    public long Requests { get; private set; }
    public DateTime? From { get; private set; }
    public DateTime? To { get; private set; }
    public TimeSpan Offset => _offsets.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(_offsets.MaxBy(kv => kv.Value).Key);

    /// <summary>
    /// Counts a block's rows, or a whole load's once it is read (then on the load's one thread, after the parse:
    /// compiled optimised at once, its loop over every row would otherwise start as unoptimised code).
    /// </summary>
    [MethodImpl(Parsing.HotPath.Optimized)]
    public void Add(Parsing.RequestColumns rows)
    {
        Requests += rows.Count;
        var times = rows.Time.Values;
        if (!times.IsEmpty)
        {
            DateTime from = times[0], to = times[0];
            foreach (var t in times)
            {
                if (t < from) from = t;
                if (t > to) to = t;
            }
            if (From is null || from < From) From = from;
            if (To is null || to > To) To = to;
        }
        var offsets = rows.OffsetMinutes.Values;
        var i = 0;
        while (i < offsets.Length)
        {
            var run = offsets[i..].IndexOfAnyExcept(offsets[i]);
            var length = run < 0 ? offsets.Length - i : run;
            _offsets[offsets[i]] = _offsets.GetValueOrDefault(offsets[i]) + length;
            i += length;
        }
    }

    /// <summary>Counts the offsets of lines parsed but left out by the time range (after the rows', which win a tie).</summary>
    public void AddOutOfRange(IReadOnlyDictionary<int, long> offsets)
    {
        foreach (var (offset, count) in offsets) _offsets[offset] = _offsets.GetValueOrDefault(offset) + count;
    }

    /// <summary>The summary of inputs whose rows this span counted.</summary>
    public InputSummary Summary(ParseReport report, IReadOnlyList<string> sources, LoadOptions load) =>
        new(report, sources, Offset, From, To, Requests, load);
}
