using System.Globalization;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;
using Parquet;
using Parquet.Schema;

namespace ElbNotebooks.Export;

/// <summary>
/// Exports one input: gathers its parsed blocks into chunks, writes each chunk's rows as one row group into the part file of
/// each <c>dt=/hour=</c> partition they fall in, and at the end gives the part files their content-derived names.
/// Files are written under a temporary dot-name (which Hive readers, DuckDB's <c>*.parquet</c> glob and Spark skip)
/// and renamed once complete; an existing file of the final name is never touched.
/// </summary>
internal sealed class SourceExporter
{
    private readonly string _root;
    private readonly int _chunkRows;
    private readonly Dictionary<long, TableFile> _requests = [];
    private readonly Dictionary<long, TableFile> _attempts = [];
    // The chunk being gathered: made on the first block and dropped at Finish, so an input that is done holds no rows
    // while the next ones are read.
    private RequestColumns? _chunkRequests;
    private AttemptColumns? _chunkAttempts;
    private readonly string _baseName;
    private readonly string _settings;
    private readonly ExportLedger _ledger;
    private readonly bool _canReadAgain;
    private readonly bool _timeRange;
    private ContentHash? _hash;
    private TextHash? _text;
    // Found on the first block, not before: an earlier input of this export may be the same content.
    private bool _lookedUp;
    private LineRanges _exportedBefore = new();
    private string? _knownSourceKey;
    private readonly LineRanges _written = new();

    public SourceExporter(LogSource source, string root, ExportOptions options, ExportLedger ledger)
    {
        _root = root;
        _chunkRows = options.ChunkRows;
        _ledger = ledger;
        _canReadAgain = source.CanReadAgain;
        _baseName = Path.GetFileName(source.Name);
        _settings = string.Create(CultureInfo.InvariantCulture,
            $"from={options.Load.From:O};to={options.Load.To:O};format={options.Load.Format}");
        _timeRange = options.Load.From is not null || options.Load.To is not null;
        _original = source;
        Source = source.Through(stream => _hash = new ContentHash(stream, _baseName, _settings), text => _text = new TextHash(text));
    }

    private readonly LogSource _original;

    /// <summary>The input as the load pipeline reads it: through the content hash, and its text through the text hash.</summary>
    public LogSource Source { get; }

    /// <summary>Requests skipped because an earlier export into the folder wrote them.</summary>
    public long SkippedRequests { get; private set; }

    /// <summary>Attempts of <see cref="SkippedRequests"/>.</summary>
    public long SkippedAttempts { get; private set; }

    /// <summary>The names the earlier exports of this input's content had (by which its skipped rows were written).</summary>
    public IReadOnlyList<string> ExportedAs { get; private set; } = [];

    /// <summary>Takes a parsed block of this input; writes a row group once a chunk's worth of requests is in.</summary>
    public void Add(ParseTarget block)
    {
        if (!_lookedUp)
        {
            _lookedUp = true;
            var before = _ledger.ExportedBefore(_original, _baseName)
                .Select(e => (Entry: e, Lines: e.Written(_settings)))
                .Where(e => e.Lines is not null).ToList();
            _exportedBefore = LineRanges.Union(before.Select(e => e.Lines!));
            // New rows of a grown or renamed input keep the ids' prefix its rows had, whatever its name and first 64 KiB are now.
            _knownSourceKey = before.OrderByDescending(e => e.Entry.Size).Select(e => e.Entry.SourceKey).FirstOrDefault();
            ExportedAs = before.Select(e => e.Entry.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }
        _chunkRequests ??= new RequestColumns();
        _chunkAttempts ??= new AttemptColumns();
        _chunkAttempts.AppendFrom(block.Attempts, _chunkRequests.Count);
        _chunkRequests.AppendFrom(block.Requests);
        if (_chunkRequests.Count >= _chunkRows) Flush();
    }

    /// <summary>After the whole input was read: writes the last chunk, closes the files and publishes them.</summary>
    public IReadOnlyList<ExportedFile> Finish()
    {
        Flush();
        _chunkRequests = null;
        _chunkAttempts = null;
        foreach (var file in All) file.Close();
        if (_hash is null) return [];
        var name = _hash.PartName();
        var published = All.Select(file => file.Publish(name)).ToArray();
        if (_canReadAgain && published.Length > 0)
        {
            // A plain UTF-8 file's text is its bytes (hashed already); only one with lone CRs is read again for it.
            var text = _text?.Identity(_hash) ?? TextIdentity.Read(_original);
            _ledger.Record(name, new ExportLedger.Entry(_baseName, _settings, _hash.Bytes, _hash.ContentSha256, _written.Last,
                _knownSourceKey ?? _hash.SourceKey)
            {
                HeadSha256 = _hash.HeadSha256, Lines = _written.ToList(),
                TextBytes = text?.Bytes, TextSha256 = text?.Sha256, TextHeadSha256 = text?.HeadSha256,
            });
        }
        return published;
    }

    /// <summary>Deletes whatever temporary file was not published (after an error or cancellation).</summary>
    public void Discard()
    {
        foreach (var file in All) file.Discard();
    }

    private IEnumerable<TableFile> All => _requests.Values.Concat(_attempts.Values);

    private void Flush()
    {
        if (_chunkRequests is null || _chunkAttempts is null || _chunkRequests.Count == 0) return;
        WriteChunk(_chunkRequests, _chunkAttempts);
        _chunkRequests.Clear();
        _chunkAttempts.Clear();
    }

    private void WriteChunk(RequestColumns requests, AttemptColumns attempts)
    {
        var key = _knownSourceKey ?? _hash!.SourceKey;

        var hours = new long[requests.Count];
        var requestRows = new Dictionary<long, List<int>>();
        var times = requests.Time.Values;
        var lines = requests.Line.Values;
        var skip = new bool[requests.Count];
        for (var row = 0; row < hours.Length; row++)
        {
            hours[row] = times[row].Ticks / TimeSpan.TicksPerHour;
            if (!_exportedBefore.IsEmpty && _exportedBefore.Contains(lines[row]))
            {
                skip[row] = true;
                SkippedRequests++;
                continue;
            }
            RowsOf(requestRows, hours[row]).Add(row);
            // Without a time range, the lines between two written ones were no requests (rejected, blank): one range.
            _written.Append(lines[row], joinGap: !_timeRange);
        }
        var attemptRows = new Dictionary<long, List<int>>();
        var owners = attempts.Request.Values;
        for (var row = 0; row < owners.Length; row++)
        {
            if (skip[owners[row]]) SkippedAttempts++;
            else RowsOf(attemptRows, hours[owners[row]]).Add(row);
        }

        foreach (var (hour, rows) in requestRows)
        {
            var ids = new string[rows.Count];
            for (var i = 0; i < ids.Length; i++) ids[i] = RequestId(key, lines[rows[i]]);
            FileFor(_requests, ExportSchema.Requests, hour).Append(requests.All, rows, ids);
        }
        foreach (var (hour, rows) in attemptRows)
        {
            var ids = new string[rows.Count];
            for (var i = 0; i < ids.Length; i++) ids[i] = RequestId(key, lines[(int)owners[rows[i]]]);
            FileFor(_attempts, ExportSchema.Attempts, hour).Append(attempts.All, rows, ids);
        }
    }

    /// <summary><c>request_id</c>: the input's source key and the request's line number, e.g. <c>3f2a9c0e1b7d4a55:1042</c>.</summary>
    internal static string RequestId(string sourceKey, long line) => string.Create(CultureInfo.InvariantCulture, $"{sourceKey}:{line}");

    private static List<int> RowsOf(Dictionary<long, List<int>> map, long hour)
    {
        if (!map.TryGetValue(hour, out var rows)) map[hour] = rows = [];
        return rows;
    }

    private TableFile FileFor(Dictionary<long, TableFile> files, ExportSchema schema, long hour)
    {
        if (!files.TryGetValue(hour, out var file))
            files[hour] = file = new TableFile(_root, schema, ParquetExport.PartitionOf(hour), _baseName);
        return file;
    }

    /// <summary>One part file being written: a temporary file until <see cref="Publish"/>.</summary>
    private sealed class TableFile
    {
        private readonly ExportSchema _schema;
        private readonly string _folder;
        private readonly string _temp;
        private readonly List<IReadOnlyDictionary<string, StringStatistics.MinMax>> _stringStatistics = [];
        private FileStream? _stream;
        private ParquetWriter? _writer;
        private bool _published;

        public TableFile(string root, ExportSchema schema, string partition, string sourceName)
        {
            _schema = schema;
            Partition = partition;
            _folder = Path.Combine(root, schema.Table, partition);
            Directory.CreateDirectory(_folder);
            _temp = Path.Combine(_folder, $".writing-{Guid.NewGuid():N}.tmp");
            _stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            _writer = ParquetWriter.CreateAsync(schema.Schema, _stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy })
                .GetAwaiter().GetResult();
            _writer.CustomMetadata = new Dictionary<string, string>
            {
                ["elb_notebooks.schema_version"] = ExportSchema.Version,
                ["elb_notebooks.table"] = schema.Table,
                ["elb_notebooks.source"] = sourceName,
            };
        }

        public string Partition { get; }
        public long Rows { get; private set; }

        public void Append(IReadOnlyList<ColumnBuffer> columns, List<int> rows, string[] requestIds)
        {
            using var group = _writer!.CreateRowGroup();
            var stringStatistics = new Dictionary<string, StringStatistics.MinMax>(StringComparer.Ordinal)
            {
                [_schema.RequestId.Name] = StringStatistics.Of(requestIds),
            };
            Wait(group.WriteAsync(_schema.RequestId, requestIds));
            foreach (var (index, field) in _schema.Columns)
            {
                if (columns[index] is StringBuffer strings)
                {
                    var values = Strings(strings.Values, rows);
                    stringStatistics[field.Name] = StringStatistics.Of(values);
                    Wait(group.WriteAsync(field, values!));
                }
                else Wait(Write(group, field, columns[index], rows));
            }
            group.CompleteValidate();
            _stringStatistics.Add(stringStatistics);
            Rows += rows.Count;
        }

        private static Task Write(ParquetRowGroupWriter group, DataField field, ColumnBuffer column, List<int> rows) => column switch
        {
            IntBuffer b => group.WriteAsync<int>(field, Nullable(b.Values, rows, Missing.Int)),
            LongBuffer b => group.WriteAsync<long>(field, Nullable(b.Values, rows, Missing.Long)),
            DoubleBuffer b => group.WriteAsync<double>(field, Doubles(b.Values, rows)),
            DateTimeBuffer b => group.WriteAsync<DateTime>(field, Times(b.Values, rows)),
            BoolBuffer b => group.WriteAsync<bool>(field, (ReadOnlyMemory<bool>)Gather(b.Values, rows)),
            _ => throw new NotSupportedException(column.GetType().Name),
        };

        private static T[] Gather<T>(ReadOnlySpan<T> values, List<int> rows)
        {
            var result = new T[rows.Count];
            for (var i = 0; i < result.Length; i++) result[i] = values[rows[i]];
            return result;
        }

        private static string?[] Strings(StringValues values, List<int> rows)
        {
            var result = new string?[rows.Count];
            for (var i = 0; i < result.Length; i++) result[i] = values[rows[i]];
            return result;
        }

        private static T?[] Nullable<T>(ReadOnlySpan<T> values, List<int> rows, T missing) where T : struct, IEquatable<T>
        {
            var result = new T?[rows.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var v = values[rows[i]];
                result[i] = v.Equals(missing) ? null : v;
            }
            return result;
        }

        private static double?[] Doubles(ReadOnlySpan<double> values, List<int> rows)
        {
            var result = new double?[rows.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var v = values[rows[i]];
                result[i] = double.IsNaN(v) ? null : v;
            }
            return result;
        }

        private static DateTime?[] Times(ReadOnlySpan<DateTime> values, List<int> rows)
        {
            var result = new DateTime?[rows.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var v = values[rows[i]];
                result[i] = v == DateTime.MinValue ? null : DateTime.SpecifyKind(v, DateTimeKind.Utc);
            }
            return result;
        }

        private static void Wait(Task task) => task.GetAwaiter().GetResult();

        /// <summary>
        /// Writes the footer, puts the string columns' min/max in UTF-8 byte order (<see cref="StringStatistics"/>)
        /// and closes the temporary file.
        /// </summary>
        public void Close()
        {
            if (_writer is null) return;
            _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _writer = null;
            var fixedTemp = Path.Combine(_folder, $".writing-{Guid.NewGuid():N}.tmp");
            try
            {
                using (var output = new FileStream(fixedTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                    StringStatistics.Rewrite(_stream!, output, _stringStatistics);
                _stream!.Dispose();
                _stream = null;
                File.Move(fixedTemp, _temp, overwrite: true);
            }
            finally
            {
                if (File.Exists(fixedTemp)) File.Delete(fixedTemp);
            }
        }

        /// <summary>Renames the finished file to <paramref name="name"/>, unless a file of that name is there already.</summary>
        public ExportedFile Publish(string name)
        {
            var path = Path.Combine(_folder, name);
            var present = File.Exists(path);
            if (!present)
            {
                try
                {
                    File.Move(_temp, path, overwrite: false);
                    _published = true;
                }
                catch (IOException) when (File.Exists(path))
                {
                    present = true; // the same input, exported at the same time by another worker
                }
            }
            return new ExportedFile(path, _schema.Table, Partition.Replace('\\', '/'), Rows, present);
        }

        /// <summary>Removes the temporary file unless it was published (ours, never a partition file).</summary>
        public void Discard()
        {
            try
            {
                Close();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException)
            {
                // the writer broke half-way: the file is deleted below anyway
            }
            _stream?.Dispose();
            _stream = null;
            if (!_published && File.Exists(_temp)) File.Delete(_temp);
        }
    }
}
