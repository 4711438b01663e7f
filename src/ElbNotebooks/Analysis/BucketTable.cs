using ElbNotebooks.Parsing;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Analysis;

/// <summary>
/// What judging needs of the logs, without their rows: per time bucket, the requests by status and who made their
/// 5xx, the load balancer's own answers, and per backend the attempts, errors and latency histograms in
/// <see cref="LatencySketch"/>'s bins (docs/bucket-table.md). An engine next to the logs makes it with the SQL in
/// <c>sql/</c>; <c>log.Investigate()</c> makes the same table internally, and <see cref="InvestigationResult.FromBuckets(BucketTable, InvestigationOptions?)"/>
/// judges it as the library judges its own.
/// </summary>
public sealed class BucketTable
{
    internal BucketTable(IReadOnlyList<BucketRow> rows, string source)
    {
        _rows = rows;
        Source = source;
    }

    /// <summary>
    /// A table read from its file each time it is used, row by row into one reused <see cref="BucketRow"/>: judging
    /// a large table then keeps no row, which would otherwise cost more (in collections) than the judgement itself.
    /// </summary>
    private BucketTable(Func<IEnumerable<BucketRow>> stream, Func<IEnumerable<long>> sizes, string source)
    {
        _stream = stream;
        _sizes = sizes;
        Source = source;
    }

    private IReadOnlyList<BucketRow>? _rows;
    private readonly Func<IEnumerable<BucketRow>>? _stream;
    private readonly Func<IEnumerable<long>>? _sizes;

    internal IReadOnlyList<BucketRow> Rows => _rows ??= _stream!().Select(r => r.Copy()).ToList();

    /// <summary>A Parquet table to judge without holding its rows; a CSV one is read whole.</summary>
    internal static BucketTable ForJudging(string path) =>
        BucketTableFiles.IsParquet(path)
            ? new BucketTable(() => BucketTableFiles.StreamParquet(path), () => BucketTableFiles.ParquetBucketSizes(path), path)
            : Read(path);

    /// <summary>Where the table came from (its file, or <c>DataFrame</c>): the investigation names it as its input.</summary>
    public string Source { get; }

    /// <summary>Rows in the table (every kind of row counted).</summary>
    public int RowCount => Rows.Count;

    /// <summary>The kinds of row.</summary>
    public const string Requests = "requests", LbErrors = "lb_errors", ListenerAddress = "listener_address", Attempts = "attempts", Latency = "latency";

    /// <summary>The histograms of a latency row.</summary>
    public const string Header = "header", Connect = "connect", RetriedHeader = "retried_header", Response = "response";

    /// <summary>Reads a table from a <c>.parquet</c> or <c>.csv</c> file (by its extension).</summary>
    public static BucketTable Read(string path) => new(BucketTableFiles.Read(path), path);

    /// <summary>A table from a DataFrame with the documented columns (any order, case ignored; every column but listener_ip, listener_port and utc_offset_minutes).</summary>
    public static BucketTable From(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        BucketColumn.Require(frame.Columns.Select(c => c.Name), "DataFrame");
        var columns = new List<(BucketColumn Column, DataFrameColumn Values)>();
        foreach (var column in BucketColumn.All)
        {
            var found = frame.Columns.FirstOrDefault(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase));
            if (found is not null) columns.Add((column, found));
        }
        var rows = new List<BucketRow>((int)frame.Rows.Count);
        for (long i = 0; i < frame.Rows.Count; i++)
        {
            var row = new BucketRow { Line = i + 1 };
            foreach (var (column, values) in columns) column.Read(row, values[i], "DataFrame", "row", i + 1);
            rows.Add(row);
        }
        return new BucketTable(rows, "DataFrame");
    }

    /// <summary>Writes the table as Parquet or CSV, by the extension of <paramref name="path"/>.</summary>
    public void Save(string path) => BucketTableFiles.Write(Rows, path);

    /// <summary>The table as a DataFrame, one column per bucket-table column (docs/bucket-table.md); missing values are null.</summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn>();
        foreach (var column in BucketColumn.All)
        {
            columns.Add(column.Type switch
            {
                BucketColumnType.Text => new StringDataFrameColumn(column.Name, Rows.Select(r => (string?)column.Get(r))),
                BucketColumnType.Integer => new Int64DataFrameColumn(column.Name, Rows.Select(r => (long?)column.Get(r))),
                _ => new PrimitiveDataFrameColumn<DateTime>(column.Name, Rows.Select(r => (DateTime?)column.Get(r))),
            });
        }
        return new DataFrame(columns);
    }

    /// <summary>The table of what an aggregator counted (before judging: its counting buckets, every request).</summary>
    internal static BucketTable Of(InvestigationAggregator aggregator, TimeSpan utcOffset, string source)
    {
        var clock = aggregator.Clock;
        if (clock.Size.Ticks % TimeSpan.TicksPerSecond != 0)
            throw new NotSupportedException($"A bucket table counts in whole seconds; buckets of {clock.Size} cannot be written.");
        var seconds = (long)clock.Size.TotalSeconds;
        var offset = (long)utcOffset.TotalMinutes;
        var rows = new List<BucketRow>();
        foreach (var bucket in aggregator.StatusBuckets.Keys.Order())
        {
            var c = aggregator.StatusBuckets[bucket];
            rows.Add(new BucketRow
            {
                Kind = Requests, BucketStart = clock.Start(bucket), BucketSeconds = seconds, UtcOffsetMinutes = offset,
                Requests = c.Requests, Requests1xx = c.ByClass[1], Requests2xx = c.ByClass[2], Requests3xx = c.ByClass[3],
                Requests4xx = c.ByClass[4], Requests5xx = c.ByClass[5], Backend5xx = c.Backend5xx, Lb5xx = c.Lb5xx,
                NoBackend5xx = c.NoBackend5xx, FirstRequest = c.First, LastRequest = c.Last,
            });
        }
        foreach (var ((listener, status), errors) in aggregator.ListenerErrors.OrderBy(e => e.Key.Listener, StringComparer.Ordinal).ThenBy(e => e.Key.Status))
            foreach (var bucket in errors.Buckets.Keys.Order())
            {
                var b = errors.Buckets[bucket];
                rows.Add(new BucketRow
                {
                    Kind = LbErrors, BucketStart = clock.Start(bucket), BucketSeconds = seconds, Listener = listener, Status = status,
                    Requests = b.Requests, FirstRequest = b.First, LastRequest = b.Last,
                });
            }
        foreach (var ((listener, ip, port), requests) in aggregator.Addresses.Counts
                     .OrderBy(a => a.Key.Listener, StringComparer.Ordinal).ThenBy(a => a.Key.Ip, StringComparer.Ordinal).ThenBy(a => a.Key.Port))
            rows.Add(new BucketRow
            {
                Kind = ListenerAddress, Listener = listener, ListenerIp = ip, ListenerPort = port == Missing.Int ? null : port, Requests = requests,
            });
        var backends = aggregator.Backends
            .OrderBy(b => b.Key.Listener, StringComparer.Ordinal).ThenBy(b => b.Key.Pool, StringComparer.Ordinal)
            .ThenBy(b => b.Key.Backend, StringComparer.Ordinal);
        foreach (var backend in backends)
        {
            var (listener, pool, name) = backend.Key;
            foreach (var bucket in backend.Buckets.Keys.Order())
            {
                var c = backend.Buckets[bucket];
                var start = clock.Start(bucket);
                rows.Add(new BucketRow
                {
                    Kind = Attempts, BucketStart = start, BucketSeconds = seconds, Listener = listener, Pool = pool, Backend = name,
                    Attempts = c.Attempts, Backend5xx = c.Backend5xx, Lb5xx = c.Lb5xx, Status4xx = c.Status4xx,
                    ClientAborts = c.ClientAborts, HurtErrors = c.HurtErrors, RescuedErrors = c.RescuedErrors,
                    FirstError = c.Errors > 0 ? c.FirstError : null, LastError = c.Errors > 0 ? c.LastError : null,
                });
                foreach (var (timing, sketch) in new[] { (Header, c.Header), (Connect, c.Connect), (RetriedHeader, c.RetriedHeader) })
                    AddLatency(rows, sketch, timing, listener, pool, name, start, seconds);
            }
            // Response times are judged over the whole range only: one histogram per backend, no bucket.
            AddLatency(rows, backend.Response, Response, listener, pool, name, null, null);
        }
        return new BucketTable(rows, source);
    }

    /// <summary>
    /// A sketch's bins as rows. Each row but the zero bin's carries the sketch's smallest and largest value, bounds of
    /// its own bin's values, and whether all its values were whole milliseconds: the judge takes the least and the
    /// greatest over a sketch's rows, and whole milliseconds only if every row says so, as over an engine's rows that
    /// carry each bin's own.
    /// </summary>
    private static void AddLatency(List<BucketRow> rows, LatencySketch sketch, string timing, string listener, string pool, string backend,
        DateTime? start, long? seconds)
    {
        var (min, max) = (Microseconds(sketch.Min), Microseconds(sketch.Max));
        var whole = sketch.WholeMilliseconds ? 1 : 0;
        foreach (var (bin, count) in sketch.Bins())
            rows.Add(new BucketRow
            {
                Kind = Latency, BucketStart = start, BucketSeconds = seconds, Listener = listener, Pool = pool, Backend = backend,
                Timing = timing, Bin = bin == LatencySketch.ZeroBin ? null : bin, Samples = count,
                MinMicroseconds = bin == LatencySketch.ZeroBin ? null : min, MaxMicroseconds = bin == LatencySketch.ZeroBin ? null : max,
                WholeMilliseconds = bin == LatencySketch.ZeroBin ? null : whole,
            });
    }

    // Logs write times to the millisecond (CLB and some nginx fields to the microsecond), so a time survives the trip.
    private static long? Microseconds(double? seconds) => seconds is { } s ? (long)Math.Round(s * 1e6) : null;

    private static double? Seconds(long? microseconds) => microseconds is { } us ? us / 1e6 : null;

    /// <summary>Where a row is, to name it in an error: the table, and the row's line (CSV) or row number when it has one.</summary>
    private string At(BucketRow row) =>
        $"The bucket table {Source}" + (row.Line > 0 ? $", {(Source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "line" : "row")} {row.Line}" : "");

    /// <summary>
    /// The aggregator these rows describe, counted in the table's buckets (UTC-aligned), with the log's offset (the
    /// one most requests were written in) and its first and last request, and how many rows the table has.
    /// </summary>
    internal (InvestigationAggregator Aggregator, TimeSpan UtcOffset, long Rows) ToAggregator()
    {
        var sizes = (_sizes is { } read ? read() : Rows.Where(r => r.BucketSeconds is not null).Select(r => r.BucketSeconds!.Value)).Distinct().ToList();
        if (sizes.Count > 1)
            throw new InvalidInputException($"The bucket table {Source} mixes bucket sizes ({string.Join(", ", sizes.Order())} s): one table holds one size.");
        var seconds = sizes.Count == 1 ? sizes[0] : 60;
        if (seconds is <= 0 or > 366 * 86400)
            throw new InvalidInputException($"The bucket table {Source} has bucket_seconds {seconds}: a bucket lasts at least a second and at most a year.");
        var clock = new BucketClock(TimeSpan.FromSeconds(seconds), TimeSpan.Zero);
        // The table names no client and counts requests per bucket, not per listener or status.
        var aggregator = new InvestigationAggregator(clock, 0) { KnowsClients = false };
        var offsets = new Dictionary<long, long>();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string Name(string? text) => text is null ? InvestigationAggregator.Unknown : strings.TryGetValue(text, out var known) ? known : strings[text] = text;

        long Bucket(BucketRow row)
        {
            if (row.BucketStart is not { } start) throw new InvalidInputException($"{At(row)}: a row of kind {row.Kind} has no bucket_start.");
            var bucket = clock.Index(start);
            if (clock.Start(bucket) != start)
                throw new InvalidInputException($"{At(row)}: bucket_start {start:yyyy-MM-ddTHH:mm:ss.fffZ} is not the start of a {seconds} s bucket (UTC, from the Unix epoch).");
            return bucket;
        }

        BucketCounts CountsOf(BucketRow row)
        {
            var backend = aggregator.Find(Name(row.Listener), Name(row.Pool), Name(row.Backend));
            var bucket = Bucket(row);
            if (!backend.Buckets.TryGetValue(bucket, out var counts)) backend.Buckets[bucket] = counts = new BucketCounts();
            return counts;
        }

        long count = 0;
        foreach (var row in _rows ?? _stream!())
        {
            count++;
            switch (row.Kind)
            {
                case Requests:
                {
                    var c = aggregator.StatusBucket(Bucket(row));
                    var requests = row.Requests ?? 0;
                    offsets[row.UtcOffsetMinutes ?? 0] = offsets.GetValueOrDefault(row.UtcOffsetMinutes ?? 0) + requests;
                    c.Requests += requests;
                    c.ByClass[1] += row.Requests1xx ?? 0;
                    c.ByClass[2] += row.Requests2xx ?? 0;
                    c.ByClass[3] += row.Requests3xx ?? 0;
                    c.ByClass[4] += row.Requests4xx ?? 0;
                    c.ByClass[5] += row.Requests5xx ?? 0;
                    c.Backend5xx += row.Backend5xx ?? 0;
                    c.Lb5xx += row.Lb5xx ?? 0;
                    c.NoBackend5xx += row.NoBackend5xx ?? 0;
                    // Without its first and last request (null), a row's requests are placed at its bucket's start, as lb_errors rows are.
                    var (first, last) = (row.FirstRequest ?? row.BucketStart!.Value, row.LastRequest ?? row.BucketStart!.Value);
                    if (first < c.First) c.First = first;
                    if (last > c.Last) c.Last = last;
                    break;
                }
                case LbErrors:
                    aggregator.ListenerError(Name(row.Listener), (int)(row.Status ?? Missing.Int))
                        .Count(Bucket(row), row.Requests ?? 0, row.FirstRequest ?? row.BucketStart!.Value, row.LastRequest ?? row.BucketStart!.Value);
                    break;
                case ListenerAddress:
                    if (row.ListenerIp is { } ip)
                        aggregator.Addresses.Add(Name(row.Listener), ip, (int)(row.ListenerPort ?? Missing.Int), row.Requests ?? 0);
                    break;
                case Attempts:
                {
                    var c = CountsOf(row);
                    c.Attempts += row.Attempts ?? 0;
                    c.Backend5xx += row.Backend5xx ?? 0;
                    c.Lb5xx += row.Lb5xx ?? 0;
                    c.Status4xx += row.Status4xx ?? 0;
                    c.ClientAborts += row.ClientAborts ?? 0;
                    c.HurtErrors += row.HurtErrors ?? 0;
                    c.RescuedErrors += row.RescuedErrors ?? 0;
                    if (row.FirstError is { } first && first < c.FirstError) c.FirstError = first;
                    if (row.LastError is { } last && last > c.LastError) c.LastError = last;
                    break;
                }
                case Latency:
                {
                    var bin = row.Bin is { } b ? checked((int)b) : LatencySketch.ZeroBin;
                    var samples = row.Samples ?? 0;
                    if (row.Timing == Response)
                    {
                        aggregator.Find(Name(row.Listener), Name(row.Pool), Name(row.Backend)).Response
                            .AddBin(bin, samples, Seconds(row.MinMicroseconds), Seconds(row.MaxMicroseconds), row.WholeMilliseconds == 1);
                        break;
                    }
                    var c = CountsOf(row);
                    var sketch = row.Timing switch
                    {
                        Header => c.Header,
                        Connect => c.Connect,
                        RetriedHeader => c.RetriedHeader,
                        _ => throw new InvalidInputException($"{At(row)}: a latency row has timing '{row.Timing}': expected header, connect, retried_header or response."),
                    };
                    sketch.AddBin(bin, samples, Seconds(row.MinMicroseconds), Seconds(row.MaxMicroseconds), row.WholeMilliseconds == 1);
                    break;
                }
                default:
                    throw new InvalidInputException(
                        $"{At(row)}: a row has kind '{row.Kind}': expected {Requests}, {LbErrors}, {ListenerAddress}, {Attempts} or {Latency} (docs/bucket-table.md).");
            }
        }
        aggregator.Recount();
        var offset = offsets.Count == 0 ? 0 : offsets.MaxBy(kv => kv.Value).Key;
        return (aggregator, TimeSpan.FromMinutes(offset), count);
    }
}
