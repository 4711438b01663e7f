using ElbNotebooks.Analysis;
using DuckDB.NET.Data;
using ElbNotebooks.Export;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;

using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Export;

/// <summary>
/// The export read by DuckDB (in-process) gives the same numbers as the in-memory load of the same logs: row counts,
/// joins, and the per-backend error aggregate with the investigation's definitions (sql/backend-health.sql).
/// </summary>
public sealed class DuckDbRoundTripTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly AccessLog _log;
    private readonly ExportResult _export;
    private readonly DuckDBConnection _db;

    public DuckDbRoundTripTests()
    {
        var inputs = ExportData.WriteDays(_dir, 1, 2, 3);
        _log = AccessLog.Load(inputs);
        var output = Path.Combine(_dir.Path, "export");
        // two exports into one folder, as days arrive: the reader must see one table
        ParquetExport.Write(inputs[..2], output, ExportOptions.Default with { ChunkRows = 7 });
        _export = ParquetExport.Write(inputs, output, ExportOptions.Default with { ChunkRows = 7 });

        _db = DuckDb.OpenInMemory();
        foreach (var table in new[] { "requests", "attempts" })
        {
            var glob = Path.Combine(output, table).Replace('\\', '/') + "/**/*.parquet";
            Execute($"CREATE VIEW {table} AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true)");
        }
    }

    [Fact]
    public void Row_counts_equal_the_loaded_log()
    {
        Assert.Equal(_log.RequestCount, Scalar("SELECT count(*) FROM requests"));
        Assert.Equal(_log.AttemptCount, Scalar("SELECT count(*) FROM attempts"));
        Assert.Equal(_log.RequestCount, Scalar("SELECT count(DISTINCT request_id) FROM requests"));
        Assert.Equal(_log.RequestColumns.Time.Values.ToArray().Min().Ticks / TimeSpan.TicksPerMillisecond - 62_135_596_800_000L,
            Scalar("SELECT epoch_ms(min(time)) FROM requests"));
    }

    [Fact]
    public void Every_attempt_joins_its_request_in_the_same_partition()
    {
        Assert.Equal(_log.AttemptCount, Scalar(
            "SELECT count(*) FROM attempts a JOIN requests r ON a.request_id = r.request_id AND a.dt = r.dt AND a.hour = r.hour"));
        Assert.Equal(0, Scalar("SELECT count(*) FROM attempts a ANTI JOIN requests r ON a.request_id = r.request_id"));
        Assert.Equal(Scalar("SELECT count(*) FROM requests WHERE upstream_attempts > 0"),
            Scalar("SELECT count(*) FROM attempts WHERE is_final"));
    }

    [Fact]
    public void Partition_columns_and_types_read_as_documented()
    {
        var types = Rows("SELECT column_name, column_type FROM (DESCRIBE attempts)")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("VARCHAR", types["request_id"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["time"]);
        Assert.Equal("INTEGER", types["status"]);
        Assert.Equal("DOUBLE", types["header_time"]);
        Assert.Equal("BOOLEAN", types["is_final"]);
        Assert.Contains("dt", types.Keys);
        Assert.Contains("hour", types.Keys);
    }

    [Fact]
    public void Per_backend_attempts_and_5xx_equal_the_loaded_log()
    {
        var expected = Reference().GroupBy(b => b.Backend)
            .ToDictionary(g => g.Key, g => (g.Sum(b => b.Attempts), g.Sum(b => b.Status5xx)));
        var actual = Rows(
                "SELECT backend, count(*), count(CASE WHEN status >= 500 THEN 1 END) FROM attempts WHERE backend IS NOT NULL GROUP BY backend")
            .ToDictionary(r => (string)r[0]!, r => (Convert.ToInt64(r[1]), Convert.ToInt64(r[2])));
        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
        Assert.Equal(4, actual.Count);
    }

    [Fact]
    public void The_backend_health_sql_runs_unchanged_on_duckdb_and_matches_the_loaded_log()
    {
        var sql = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sql", "backend-health.sql"));
        var rows = Rows(sql);

        var expected = Reference().ToDictionary(b => (b.Listener, b.Pool, b.Backend));
        Assert.Equal(expected.Count, rows.Count);
        foreach (var row in rows)
        {
            var want = expected[((string?)row[0], (string?)row[1], (string)row[2]!)];
            Assert.Equal(want.Attempts, Convert.ToInt64(row[3]));
            Assert.Equal(want.Backend5xx, Convert.ToInt64(row[4]));
            Assert.Equal(want.Lb5xx, Convert.ToInt64(row[5]));
            Assert.Equal(want.ErrorRate, Convert.ToDouble(row[6]), 12);
            Assert.Equal(want.P50 is null, row[7] is null or DBNull);
            // DuckDB's quantile_cont is exact; the investigation's percentiles come from a sketch, within 1% of it.
            if (want.P50 is { } p50) SketchAssert.WithinError(Convert.ToDouble(row[7]), p50);
            if (want.P99 is { } p99) SketchAssert.WithinError(Convert.ToDouble(row[8]), p99);
        }
        // the failing backends come first, and both kinds of 5xx were exercised
        Assert.True(Convert.ToDouble(rows[0][6]) > 0.5);
        Assert.Contains(expected.Values, b => b.Backend5xx > 0);
        Assert.Contains(expected.Values, b => b.Lb5xx > 0);
    }

    private sealed record BackendReference(string? Listener, string? Pool, string Backend, long Attempts, long Status5xx,
        long Backend5xx, long Lb5xx, double ErrorRate, double? P50, double? P99);

    /// <summary>The investigation's own per-backend figures: the SQL must agree with them.</summary>
    private IEnumerable<BackendReference> Reference() =>
        _log.Investigate().Backends.Select(b => new BackendReference(b.Listener, b.Pool, b.Backend, b.Attempts,
            b.Backend5xx + b.Lb5xx, b.Backend5xx, b.Lb5xx, b.ErrorRate, b.Header.P50, b.Header.P99));

    private void Execute(string sql) => _db.Execute(sql);

    private long Scalar(string sql) => _db.Scalar(sql);

    private List<object?[]> Rows(string sql) => _db.Rows(sql);

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }
}
