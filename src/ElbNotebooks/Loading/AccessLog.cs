using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>
/// Access logs loaded into memory: <see cref="Requests"/> (one row per request), <see cref="Attempts"/> (one row per
/// backend tried) and the <see cref="Report"/> of what was read and rejected.
/// </summary>
public sealed partial class AccessLog
{
    private LogFrame? _requests;
    private LogFrame? _attempts;

    private AccessLog(RequestColumns requests, AttemptColumns attempts, ParseReport report, IReadOnlyList<string> sources)
    {
        RequestColumns = requests;
        AttemptColumns = attempts;
        Report = report;
        Sources = sources;
        var formats = report.Files.Where(f => f.Format is not null && f.Parsed > 0)
            .GroupBy(f => f.Format!)
            .Select(g => (Format: g.Key, Parsed: g.Sum(f => f.Parsed)))
            .OrderByDescending(g => g.Parsed).ThenBy(g => g.Format, StringComparer.Ordinal)
            .ToArray();
        Formats = formats.ToDictionary(g => g.Format, g => g.Parsed);
        Format = formats.Length > 0 ? formats[0].Format : "unknown";
        UtcOffset = TimeSpan.FromMinutes(MostCommon(requests.OffsetMinutes.Values));
        var times = requests.Time.Values;
        if (times.Length > 0)
        {
            var min = DateTime.MaxValue;
            var max = DateTime.MinValue;
            foreach (var t in times)
            {
                if (t < min) min = t;
                if (t > max) max = t;
            }
            From = min;
            To = max;
        }
    }

    /// <summary>One row per request: every log field, typed, plus <c>file</c> and <c>line</c>.</summary>
    public LogFrame Requests => _requests ??= Build(RequestColumns.All);

    /// <summary>One row per upstream attempt; <c>request</c> is the row in <see cref="Requests"/>.</summary>
    public LogFrame Attempts => _attempts ??= Build(AttemptColumns.All);

    public ParseReport Report { get; }

    /// <summary>The format of most parsed lines, e.g. <c>huawei-elb</c>.</summary>
    public string Format { get; }

    /// <summary>Parsed lines per format, most first: a folder may mix formats (<c>aws-alb</c> 1200, <c>nginx</c> 40).</summary>
    public IReadOnlyDictionary<string, long> Formats { get; }

    /// <summary>The UTC offset most lines were written in: the log's local time.</summary>
    public TimeSpan UtcOffset { get; }

    /// <summary>First request, UTC.</summary>
    public DateTime? From { get; }

    /// <summary>Last request, UTC.</summary>
    public DateTime? To { get; }

    public long RequestCount => RequestColumns.Count;
    public long AttemptCount => AttemptColumns.Count;

    /// <summary>The input names that were read.</summary>
    public IReadOnlyList<string> Sources { get; }

    internal RequestColumns RequestColumns { get; }
    internal AttemptColumns AttemptColumns { get; }

    public static AccessLog Load(params string[] paths) => Load(paths, null);

    public static AccessLog Load(IEnumerable<string> paths, LoadOptions? options) =>
        Load(LogSource.FromPaths(paths), options);

    public static AccessLog Load(Stream stream, string name, LoadOptions? options = null) =>
        Load([LogSource.FromStream(stream, name)], options);

    /// <summary>Any mix of files, folders, globs and streams; inputs are read in parallel and kept in order.</summary>
    public static AccessLog Load(IEnumerable<LogSource> sources, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        options.Validate();
        var list = sources.ToArray();
        if (list.Length == 0) throw new LogLoadException("No input was given: name files, folders, globs or streams.");

        var pipeline = new LoadPipeline(options);
        pipeline.Run(list);
        var report = new ParseReport(pipeline.Files, pipeline.Examples, pipeline.Skipped);
        if (report.Parsed == 0) throw LogLoadException.NothingParsed(list, report);
        return new AccessLog(pipeline.Requests, pipeline.Attempts, report, list.Select(s => s.Name).ToArray());
    }

    private static LogFrame Build(IReadOnlyList<ColumnBuffer> columns) => new(columns.Select(c => c.ToDataFrameColumn()));

    private static int MostCommon(ReadOnlySpan<int> values)
    {
        var counts = new Dictionary<int, int>();
        foreach (var v in values) counts[v] = counts.GetValueOrDefault(v) + 1;
        return counts.Count == 0 ? 0 : counts.MaxBy(kv => kv.Value).Key;
    }

    public override string ToString() =>
        $"{RequestCount:N0} requests, {AttemptCount:N0} attempts ({Format}) from {From:yyyy-MM-dd HH:mm:ss}Z to {To:yyyy-MM-dd HH:mm:ss}Z; {Report.Summary}";
}
