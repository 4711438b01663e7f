using System.Diagnostics;
using BenchmarkDotNet.Running;
using ElbNotebooks.Analysis;
using ElbNotebooks.Benchmarks;
using ElbNotebooks.Loading;

// `load-frames <file>`: AccessLog.Load into the DataFrames once, for the end-to-end script (run under /usr/bin/time);
// ELB_PAUSE_COLLECTION=0 loads with LoadOptions.PauseCollection off; ELB_GC_AFTER=1 then times a collection of
// each generation, the cost the load leaves to whatever runs next.
// `investigate <file>`: the streamed investigation once, likewise. Both print GC and JIT figures (ELB_GC_DETAIL=1:
// the last collection of each kind too).
// `parse-loop <minimal|full> <rounds>`: the benchmark lines parsed on one thread, block-sized, for a profiler.
// `duckdb-buckets <export dir> <query.sql> <table.parquet>`: DuckDB (in-process, all cores) runs the bucket-table
// query over a Parquet export and writes the table; `judge-buckets <table>`: Investigation.FromBuckets once.
// `duckdb-columns <file>` and `duckdb-load <file> <columns>`: a reference for AccessLog.Load, DuckDB's CSV reader (all
// cores) loading the same log into an in-memory table, the log's fields split at spaces outside quotes; the first
// finds each field's type over the whole file, so that the second, timed in a fresh process, reads each line once.
// Anything else goes to BenchmarkDotNet.

// An access log read as DuckDB reads delimited text: fields split at spaces outside double quotes, no header.
const string LogAsCsv = "delim = ' ', quote = '\"', escape = '\"', header = false";

if (args is ["load-frames", var path])
{
    var clock = Stopwatch.StartNew();
    var log = AccessLog.Load([path], LoadOptions.Default with { PauseCollection = Environment.GetEnvironmentVariable("ELB_PAUSE_COLLECTION") != "0" });
    var parsed = clock.Elapsed;
    var parsePause = GC.GetTotalPauseDuration();
    var rows = log.Requests.Rows.Count + log.Attempts.Rows.Count;
    Console.WriteLine($"{log.Report.Lines} lines, {rows} rows in {clock.Elapsed.TotalSeconds:F3} s (parse {parsed.TotalSeconds:F3} s, GC paused {parsePause.TotalSeconds:F3} s during it, frames {(clock.Elapsed - parsed).TotalSeconds:F3} s){GcFigures()}");
    if (Environment.GetEnvironmentVariable("ELB_GC_DETAIL") is not null) Console.WriteLine(GcKinds());
    if (Environment.GetEnvironmentVariable("ELB_GC_AFTER") is not null) Console.WriteLine(CollectionsAfter());
    return 0;
}
if (args is ["investigate", var file])
{
    var clock = Stopwatch.StartNew();
    var investigation = AccessLogInvestigation.Investigate(LogSource.FromPaths([file]));
    Console.WriteLine($"{investigation.Inputs.Report.Lines} lines, {investigation.Suspects.Count} suspects in {clock.Elapsed.TotalSeconds:F3} s{GcFigures()}");
    return 0;
}

if (args is ["duckdb-buckets", var export, var query, var output])
{
    var clock = Stopwatch.StartNew();
    using var db = DuckDb();
    foreach (var table in new[] { "requests", "attempts" })
    {
        using var view = db.CreateCommand();
        view.CommandText = $"CREATE VIEW {table} AS SELECT * FROM read_parquet('{Path.Combine(export, table).Replace('\\', '/')}/**/*.parquet', hive_partitioning = true)";
        view.ExecuteNonQuery();
    }
    using var copy = db.CreateCommand();
    copy.CommandText = $"COPY ({File.ReadAllText(query).Trim().TrimEnd(';')}\n) TO '{output.Replace('\\', '/')}' (FORMAT parquet)";
    var rows = copy.ExecuteNonQuery();
    Console.WriteLine($"{rows} table rows in {clock.Elapsed.TotalSeconds:F3} s");
    return 0;
}
if (args is ["duckdb-columns", var csv])
{
    using var db = DuckDb();
    using var describe = db.CreateCommand();
    describe.CommandText = $"DESCRIBE SELECT * FROM read_csv({SqlText(csv)}, {LogAsCsv}, sample_size = -1)";
    using var reader = describe.ExecuteReader();
    var columns = new List<string>();
    while (reader.Read()) columns.Add($"{SqlText(reader.GetString(0))}: {SqlText(reader.GetString(1))}");
    Console.WriteLine("{" + string.Join(", ", columns) + "}");
    return 0;
}
if (args is ["duckdb-load", var csvLog, var columnTypes])
{
    var clock = Stopwatch.StartNew();
    using var db = DuckDb();
    using var load = db.CreateCommand();
    load.CommandText = $"CREATE TABLE log AS SELECT * FROM read_csv({SqlText(csvLog)}, {LogAsCsv}, auto_detect = false, columns = {columnTypes})";
    load.ExecuteNonQuery();
    var seconds = clock.Elapsed.TotalSeconds;
    using var count = db.CreateCommand();
    count.CommandText = "SELECT count(*), current_setting('threads') FROM log";
    using var result = count.ExecuteReader();
    result.Read();
    Console.WriteLine($"{result.GetValue(0)} rows in {seconds:F3} s ({result.GetValue(1)} threads)");
    return 0;
}
if (args is ["judge-buckets", var bucketTable])
{
    var clock = Stopwatch.StartNew();
    var investigation = Investigation.FromBuckets(bucketTable);
    Console.WriteLine($"{investigation.Requests} requests, {investigation.Suspects.Count} suspects in {clock.Elapsed.TotalSeconds:F3} s{GcFigures()}");
    return 0;
}

if (args is ["parse-loop", var mode, var rounds])
{
    var clock = Stopwatch.StartNew();
    var n = 0;
    var target = new ElbNotebooks.Parsing.ParseTarget(minimal: mode == "minimal");
    target.EnsureCapacity(2000);
    for (var i = 0; i < int.Parse(rounds); i++)
    {
        foreach (var line in BenchmarkData.LineBytes)
        {
            if (target.Requests.Count == 2000) target.Clear();
            if (!ElbNotebooks.Parsing.HuaweiElbFormat.Instance.TryParse(line, target, out _)) continue;
            target.Requests.File.Add("bench.log");
            target.Requests.Line.Add(0);
            target.Requests.CommitRow();
            n++;
        }
    }
    Console.WriteLine($"{clock.Elapsed.TotalNanoseconds / n:F0} ns/line");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args);
return 0;

static DuckDB.NET.Data.DuckDBConnection DuckDb()
{
    var db = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
    db.Open();
    return db;
}

static string SqlText(string text) => "'" + text.Replace("'", "''") + "'";

static string GcKinds() => string.Join("; ", new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background }.Select(k =>
{
    var info = GC.GetGCMemoryInfo(k);
    return $"{k}: #{info.Index} gen{info.Generation} compacted={info.Compacted} concurrent={info.Concurrent} pause={string.Join("+", info.PauseDurations.ToArray().Select(p => p.TotalMilliseconds.ToString("F0")))}ms heap={info.HeapSizeBytes / 1e6:F0}MB";
}));

static string CollectionsAfter() => string.Join("; ", Enumerable.Range(0, GC.MaxGeneration + 1).Select(generation =>
{
    var clock = Stopwatch.StartNew();
    GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
    return $"gen{generation} collection after the load: {clock.Elapsed.TotalMilliseconds:F0} ms";
}));

static string GcFigures() =>
    $"; JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods in {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F3} s; GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen0/1/2), paused {GC.GetTotalPauseDuration().TotalSeconds:F3} s, allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB";
