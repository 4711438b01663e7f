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

    private AccessLog(RequestColumns requests, AttemptColumns attempts, InputSummary inputs)
    {
        RequestColumns = requests;
        AttemptColumns = attempts;
        Inputs = inputs;
    }

    /// <summary>What was read, without the rows: the part of the log an investigation of it also has.</summary>
    public InputSummary Inputs { get; }

    /// <summary>
    /// One row per request: every log field, typed, plus <c>file</c> and <c>line</c>. Built on first use. Numeric
    /// columns read the loaded values in place (and copy themselves before a change); string columns hold a copy of
    /// the references. Either way a value set through a frame does not change the log the analysis reads.
    /// </summary>
    public LogFrame Requests => _requests ??= Build(RequestColumns.All);

    /// <summary>One row per upstream attempt; <c>request</c> is the row in <see cref="Requests"/>.</summary>
    public LogFrame Attempts => _attempts ??= Build(AttemptColumns.All);

    /// <summary>What was read, parsed and rejected, per input.</summary>
    public ParseReport Report => Inputs.Report;

    /// <summary>The format of most parsed lines, e.g. <c>huawei-elb</c>.</summary>
    public string Format => Inputs.Format;

    /// <summary>Parsed lines per format, most first: a folder may mix formats (<c>aws-alb</c> 1200, <c>nginx</c> 40).</summary>
    public IReadOnlyDictionary<string, long> Formats => Inputs.Formats;

    /// <summary>
    /// The UTC offset most lines were written in: the log's local time, the one every view shows. It counts every parsed
    /// line, those outside <see cref="LoadOptions.From"/>/<see cref="LoadOptions.To"/> too, so a range does not change it.
    /// </summary>
    public TimeSpan UtcOffset => Inputs.UtcOffset;

    /// <summary>First request, UTC.</summary>
    public DateTime? From => Inputs.From;

    /// <summary>Last request, UTC.</summary>
    public DateTime? To => Inputs.To;

    /// <summary>Requests loaded: the rows of <see cref="Requests"/>.</summary>
    public long RequestCount => RequestColumns.Count;

    /// <summary>Upstream attempts loaded: the rows of <see cref="Attempts"/>.</summary>
    public long AttemptCount => AttemptColumns.Count;

    /// <summary>The input names that were read.</summary>
    public IReadOnlyList<string> Sources => Inputs.Sources;

    internal RequestColumns RequestColumns { get; }
    internal AttemptColumns AttemptColumns { get; }

    /// <summary>Loads files, folders (recursive) and globs with the default options.</summary>
    public static AccessLog Load(params string[] paths) => Load(paths, null);

    /// <summary>Loads files, folders (recursive) and globs.</summary>
    public static AccessLog Load(IEnumerable<string> paths, LoadOptions? options)
    {
        // Before the folders are walked, so the compiling overlaps that too; the overload below starting it again is a no-op.
        HotPathWarmUp.Start();
        return Load(LogSource.FromPaths(paths, options), options);
    }

    /// <summary>Loads one stream (plain or gzip text), named <paramref name="name"/> in reports.</summary>
    public static AccessLog Load(Stream stream, string name, LoadOptions? options = null) =>
        Load([LogSource.FromStream(stream, name)], options);

    /// <summary>Any mix of files, folders, globs and streams; inputs are read in parallel and kept in order.</summary>
    public static AccessLog Load(IEnumerable<LogSource> sources, LoadOptions? options = null)
    {
        HotPathWarmUp.Start();
        options ??= LoadOptions.Default;
        options.Validate();
        var list = LoadPipeline.Inputs(sources);
        var rows = new RowSink();
        var pipeline = new LoadPipeline<NoSummary>(options, rows);
        pipeline.Run(list);
        rows.Finish();
        var report = pipeline.Report(list);
        var span = new RowSpan();
        span.Add(rows.Requests);
        span.AddOutOfRange(pipeline.OutOfRangeOffsets);
        return new AccessLog(rows.Requests, rows.Attempts, span.Summary(report, list.Select(s => s.Name).ToArray(), options));
    }

    /// <summary>
    /// Reads the inputs like <see cref="Load(IEnumerable{LogSource}, LoadOptions?)"/> but keeps no rows: each parsed
    /// block goes to <paramref name="sink"/> (summarised on the worker that parsed it, then handed over in input order)
    /// and is dropped, so memory stays bounded whatever the inputs' size. <paramref name="minimal"/> parses only what
    /// judging backends needs, with the client of final responses at least <paramref name="clientsFromHeader"/> slow
    /// (<see cref="Parsing.ParseTarget.ClientsFromHeader"/>). Returns what was read: there are no rows to return.
    /// </summary>
    internal static InputSummary Stream<T>(IEnumerable<LogSource> sources, LoadOptions? options, bool minimal, IBlockSink<T> sink,
        double clientsFromHeader = double.PositiveInfinity)
    {
        HotPathWarmUp.Start();
        options ??= LoadOptions.Default;
        options.Validate();
        var list = LoadPipeline.Inputs(sources);
        var spanned = new SpanningSink<T>(sink);
        var pipeline = new LoadPipeline<T>(options, spanned) { Minimal = minimal, ClientsFromHeader = clientsFromHeader };
        pipeline.Run(list);
        var report = pipeline.Report(list);
        spanned.Span.AddOutOfRange(pipeline.OutOfRangeOffsets);
        return spanned.Span.Summary(report, list.Select(s => s.Name).ToArray(), options);
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

    /// <summary>Columns are independent: each core builds its share.</summary>
    private static LogFrame Build(IReadOnlyList<ColumnBuffer> columns)
    {
        var built = new Microsoft.Data.Analysis.DataFrameColumn[columns.Count];
        Parallel.For(0, columns.Count, i => built[i] = columns[i].ToDataFrameColumn());
        return new LogFrame(built);
    }

    /// <summary>One line: rows, format, span and the parse report's summary.</summary>
    public override string ToString() =>
        $"{RequestCount:N0} requests, {AttemptCount:N0} attempts ({Inputs.FormatNames}) from {From:yyyy-MM-dd HH:mm:ss}Z to {To:yyyy-MM-dd HH:mm:ss}Z; {Report.Summary}";
}
