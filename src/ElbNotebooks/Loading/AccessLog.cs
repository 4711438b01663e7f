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

    private AccessLog(RequestColumns requests, AttemptColumns attempts, ParseReport report, IReadOnlyList<string> sources, RowSpan span)
    {
        RequestColumns = requests;
        AttemptColumns = attempts;
        Report = report;
        Sources = sources;
        var parsed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in report.Files)
            if (file.Format is { } format && file.Parsed > 0) parsed[format] = parsed.GetValueOrDefault(format) + file.Parsed;
        Formats = ParseReport.MostFirst(parsed);
        Format = Formats.Keys.FirstOrDefault() ?? "unknown";
        UtcOffset = span.Offset;
        From = span.From;
        To = span.To;
        RowsKept = requests.Count > 0 || span.Requests == 0;
    }

    /// <summary>
    /// False for a log that was streamed rather than loaded (an investigation of inputs too large to hold keeps no
    /// rows): it has the parse report, span and offset of the inputs, but its <see cref="Requests"/> and
    /// <see cref="Attempts"/> are empty.
    /// </summary>
    public bool RowsKept { get; }

    /// <summary>
    /// One row per request: every log field, typed, plus <c>file</c> and <c>line</c>. Built on first use. Numeric
    /// columns read the loaded values in place (and copy themselves before a change); string columns hold a copy of
    /// the references. Either way a value set through a frame does not change the log the analysis reads.
    /// </summary>
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
        Load(LogSource.FromPaths(paths, options), options);

    public static AccessLog Load(Stream stream, string name, LoadOptions? options = null) =>
        Load([LogSource.FromStream(stream, name)], options);

    /// <summary>Any mix of files, folders, globs and streams; inputs are read in parallel and kept in order.</summary>
    public static AccessLog Load(IEnumerable<LogSource> sources, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        options.Validate();
        var list = LoadPipeline.Inputs(sources);
        var rows = new RowSink();
        var pipeline = new LoadPipeline<NoSummary>(options, rows);
        pipeline.Run(list);
        var report = pipeline.Report(list);
        var span = new RowSpan();
        span.Add(rows.Requests);
        return new AccessLog(rows.Requests, rows.Attempts, report, list.Select(s => s.Name).ToArray(), span);
    }

    /// <summary>
    /// Reads the inputs like <see cref="Load(IEnumerable{LogSource}, LoadOptions?)"/> but keeps no rows: each parsed
    /// block goes to <paramref name="sink"/> (summarised on the worker that parsed it, then handed over in input order)
    /// and is dropped, so memory stays bounded whatever the inputs' size. <paramref name="minimal"/> parses only what
    /// judging backends needs. Returns a log with the report and span but no rows.
    /// </summary>
    internal static AccessLog Stream<T>(IEnumerable<LogSource> sources, LoadOptions? options, bool minimal, IBlockSink<T> sink)
    {
        options ??= LoadOptions.Default;
        options.Validate();
        var list = LoadPipeline.Inputs(sources);
        var spanned = new SpanningSink<T>(sink);
        var pipeline = new LoadPipeline<T>(options, spanned) { Minimal = minimal };
        pipeline.Run(list);
        var report = pipeline.Report(list);
        return new AccessLog(new RequestColumns(), new AttemptColumns(), report, list.Select(s => s.Name).ToArray(), spanned.Span);
    }

    /// <summary>Hands each block on to a streaming sink, then counts its rows into the span of the inputs.</summary>
    private sealed class SpanningSink<T>(IBlockSink<T> inner) : IBlockSink<T>
    {
        public RowSpan Span { get; } = new();

        public T Summarize(ParseTarget block) => inner.Summarize(block);

        public void Accept(LogSource source, ParseTarget block, T summary)
        {
            inner.Accept(source, block, summary);
            Span.Add(block.Requests);
        }
    }

    /// <summary>
    /// A log known only by its summary (a bucket table an engine made from the logs): no rows, no parse report but
    /// the one input named as <paramref name="format"/>, with its offset and span.
    /// </summary>
    internal static AccessLog Summary(string source, string format, TimeSpan offset, DateTime? from, DateTime? to, long requests)
    {
        var file = new FileParseReport(source, format, requests, requests, 0, 0, 0, 0, new Dictionary<string, long>(), null);
        var span = new RowSpan { Fixed = (offset, from, to, requests) };
        return new AccessLog(new RequestColumns(), new AttemptColumns(), new ParseReport([file], [], []), [source], span);
    }

    /// <summary>First and last request, row count and the most common offset, accumulated block by block.</summary>
    private sealed class RowSpan
    {
        private readonly Dictionary<int, long> _offsets = [];

        public long Requests { get; private set; }
        public DateTime? From { get; private set; }
        public DateTime? To { get; private set; }
        public TimeSpan Offset => _offsets.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(_offsets.MaxBy(kv => kv.Value).Key);

        /// <summary>Sets the span at once, for a log known only by its summary.</summary>
        public (TimeSpan Offset, DateTime? From, DateTime? To, long Requests) Fixed
        {
            init
            {
                _offsets[(int)value.Offset.TotalMinutes] = Math.Max(1, value.Requests);
                (From, To, Requests) = (value.From, value.To, value.Requests);
            }
        }

        public void Add(RequestColumns rows)
        {
            Requests += rows.Count;
            foreach (var t in rows.Time.Values)
            {
                if (From is null || t < From) From = t;
                if (To is null || t > To) To = t;
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
    }

    /// <summary>Columns are independent: each core builds its share.</summary>
    private static LogFrame Build(IReadOnlyList<ColumnBuffer> columns)
    {
        var built = new Microsoft.Data.Analysis.DataFrameColumn[columns.Count];
        Parallel.For(0, columns.Count, i => built[i] = columns[i].ToDataFrameColumn());
        return new LogFrame(built);
    }


    public override string ToString() =>
        $"{RequestCount:N0} requests, {AttemptCount:N0} attempts ({Format}) from {From:yyyy-MM-dd HH:mm:ss}Z to {To:yyyy-MM-dd HH:mm:ss}Z; {Report.Summary}";
}
