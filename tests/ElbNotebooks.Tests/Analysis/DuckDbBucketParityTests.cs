using ElbNotebooks.Tests.Support;
using ElbNotebooks;
using System.Text;
using DuckDB.NET.Data;
using ElbNotebooks.Analysis;
using ElbNotebooks.Export;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// The engines aggregate, the library judges: sql/bucket-table.duckdb.sql run by DuckDB over the Parquet export of
/// the sample logs and of generated incidents makes a table whose judgement equals the library's own investigation
/// of the same logs, backend for backend and window for window (the whole JSON but for what needs rows).
/// </summary>
public sealed class DuckDbBucketParityTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_sample_logs_judged_from_duckdb_equal_the_library()
    {
        string[] paths = [TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")];

        var (library, table) = Both(paths, null);

        Assert.Equal(3, table.Suspects.Count);
        AssertSameJudgement(library, table);
    }

    [Fact]
    public void The_sample_alb_log_judged_from_duckdb_equals_the_library()
    {
        var alb = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "sample-logs"), "*elasticloadbalancing*.log.gz").Single();

        var (library, table) = Both([alb], null);

        AssertSameJudgement(library, table);
    }

    [Theory]
    [InlineData("bucket-table.duckdb.sql")]
    [InlineData("bucket-table.athena.sql")]
    [InlineData("bucket-table.spark.sql")]
    public void An_albs_460s_are_client_aborts_in_the_engines_as_in_the_library(string file)
    {
        // The ALB example (log-formats.md §2), and with the 460 an ALB writes when the client closed the connection:
        // before the target answered (target status "-"), and after it answered 200.
        var waiting = TestLines.WithField(TestLines.Alb, 9, "460");
        var late = TestLines.WithField(TestLines.WithField(waiting, 10, "200"), 7, "0.500");
        var log = _dir.Write("alb-460.log", Encoding.UTF8.GetBytes(string.Join("\n", waiting, late, TestLines.Alb) + "\n"));

        var (library, table) = Both([log], null, file, file.Contains("duckdb") ? null : EngineMacros);

        Assert.Equal((2L, 0L, 1L), Assert.Single(table.Backends) is var b ? (b.ClientAborts, b.Status4xx, b.Lb5xx) : default);
        AssertSameJudgement(library, table);
    }

    public static TheoryData<string, int, string?> Scenarios => new()
    {
        { "mixed", 1, null }, { "refused", 2, null }, { "slow", 3, "5m" }, { "listener-only", 4, null }, { "client-aborts", 6, null },
        { "mixed-scopes", 11, null }, { "pool-outage", 10, null },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void A_generated_incident_judged_from_duckdb_equals_the_library(string scenario, int seed, string? bucket)
    {
        var options = ElbNotebooks.Generation.Scenarios.Apply(scenario, new GeneratorOptions { Seed = seed, RequestsPerSecond = 4 });
        var log = _dir.Write(scenario + ".log", Encoding.UTF8.GetBytes(string.Join("\n", LogGenerator.Lines(options)) + "\n"));
        var size = bucket is null ? (TimeSpan?)null : Specs.TryParseDuration(bucket, out var s) ? s : throw new ArgumentException(bucket);

        var (library, table) = Both([log], new InvestigationOptions { BucketSize = size });

        Assert.NotEmpty(library.Backends);
        AssertSameJudgement(library, table);
    }

    [Fact]
    public void A_table_of_five_minute_buckets_judges_at_five_minutes_as_the_library_does()
    {
        string[] paths = [TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")];
        var library = AccessLogInvestigation.Investigate(LogSource.FromPaths(paths), null, new InvestigationOptions { BucketSize = TimeSpan.FromMinutes(5) });

        var (_, automatic) = Both(paths, null, sql: sql => sql.Replace("SELECT 60 AS bucket_seconds", "SELECT 300 AS bucket_seconds"));
        var (_, asked) = Both(paths, new InvestigationOptions { BucketSize = TimeSpan.FromMinutes(10) },
            sql: sql => sql.Replace("SELECT 60 AS bucket_seconds", "SELECT 300 AS bucket_seconds"));

        Assert.Equal(TimeSpan.FromMinutes(5), automatic.BucketSize);
        Assert.Equal(TimeSpan.FromMinutes(10), asked.BucketSize);
        // Errors per minute are the bucket's then (worst_minute): the verdicts and windows are the library's.
        Assert.Equal(library.Suspects.Select(s => (s.Backend.Backend, s.Health, s.Window.StartUtc, s.Window.EndUtc, s.FailedAttempts)),
            automatic.Suspects.Select(s => (s.Backend.Backend, s.Health, s.Window.StartUtc, s.Window.EndUtc, s.FailedAttempts)));
        Assert.Throws<InvalidInputException>(() => Both(paths, new InvestigationOptions { BucketSize = TimeSpan.FromMinutes(2) },
            sql: sql => sql.Replace("SELECT 60 AS bucket_seconds", "SELECT 300 AS bucket_seconds")));
    }

    /// <summary>
    /// The Athena and Spark translations cannot run here, but their logic can: DuckDB runs them with the few engine
    /// functions they use defined as macros (bucketing), and their table must judge as the library does.
    /// </summary>
    [Theory]
    [InlineData("bucket-table.athena.sql")]
    [InlineData("bucket-table.spark.sql")]
    public void The_athena_and_spark_translations_judge_as_the_library_when_duckdb_runs_their_logic(string file)
    {
        string[] paths = [TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")];

        var (library, table) = Both(paths, null, file, EngineMacros);

        AssertSameJudgement(library, table);
    }

    /// <summary>The engine functions the Athena and Spark translations use, as DuckDB macros.</summary>
    private static readonly string[] EngineMacros =
    [
        "SET TimeZone = 'UTC'",
        "CREATE MACRO to_unixtime(t) AS epoch_ms(t) / 1000.0",
        "CREATE MACRO from_unixtime(s) AS to_timestamp(s)",
        "CREATE MACRO unix_micros(t) AS epoch_us(t)",
        "CREATE MACRO timestamp_seconds(s) AS to_timestamp(s)",
    ];

    /// <summary>
    /// Athena's step 1b maps AWS's documented alb_access_logs table onto requests and attempts. Here DuckDB stands in
    /// for that table (the raw ALB log read as space-separated quoted fields, target and client split as the documented
    /// regex splits them: an absent target is an empty target_ip), runs the step's two views as shipped and the Athena
    /// query's logic: the judgement must be the library's on the raw file.
    /// </summary>
    [Fact]
    public void Athenas_alb_views_over_the_raw_sample_alb_log_judge_as_the_library()
    {
        var alb = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "sample-logs"), "*elasticloadbalancing*.log.gz").Single();

        var library = AthenaAlbViewsJudgeAsTheLibrary(alb);

        Assert.NotEmpty(library.Suspects);
    }

    /// <summary>A Lambda function target has no address in the log: the views must find it as the library does.</summary>
    [Fact]
    public void Athenas_alb_views_find_a_failing_lambda_function_as_the_library_does()
    {
        var alb = Path.Combine(_dir.Path, "lambda.log");
        File.WriteAllText(alb, TestLines.AlbWithFailingLambda());

        var library = AthenaAlbViewsJudgeAsTheLibrary(alb);

        Assert.Equal("lambda:orders-fn", Assert.Single(library.Suspects).Backend.Backend);
    }

    private StreamedInvestigation AthenaAlbViewsJudgeAsTheLibrary(string alb)
    {
        var library = AccessLogInvestigation.Investigate(LogSource.FromPaths([alb]));
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sql", "bucket-table.athena.sql"));
        var step1b = string.Join("\n", shipped.Split('\n')
            .SkipWhile(line => !line.StartsWith("-- Step 1b.")).Skip(1)
            .TakeWhile(line => !line.StartsWith("-- =====") && !line.StartsWith("-- Step 1c."))
            .Where(line => line.StartsWith("--   "))
            .Select(line => line[5..]));
        string[] names =
        [
            "type", "time", "elb", "client", "target", "request_processing_time", "target_processing_time", "response_processing_time",
            "elb_status_code", "target_status_code", "received_bytes", "sent_bytes", "request", "user_agent", "ssl_cipher", "ssl_protocol",
            "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn", "matched_rule_priority", "request_creation_time",
            "actions_executed", "redirect_url", "error_reason", "target_port_list", "target_status_code_list", "classification",
            "classification_reason", "conn_trace_id",
        ];
        var columns = string.Join(", ", names.Select(n => $"'{n}': 'VARCHAR'"));
        var table = Path.Combine(_dir.Path, "alb-buckets.parquet");
        using (var db = Open())
        {
            db.Execute("SET TimeZone = 'UTC'");
            db.Execute("CREATE MACRO to_unixtime(t) AS epoch_ms(t) / 1000.0");
            db.Execute("CREATE MACRO from_unixtime(s) AS to_timestamp(s)");
            db.Execute("CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)");
            db.Execute($$"""
                CREATE VIEW alb_access_logs AS
                SELECT "time", elb,
                    CASE WHEN target = '-' THEN '' ELSE regexp_extract(target, '^(.*):([0-9]*)$', 1) END AS target_ip,
                    CASE WHEN target = '-' THEN NULL ELSE TRY_CAST(regexp_extract(target, '^(.*):([0-9]*)$', 2) AS INTEGER) END AS target_port,
                    CAST(target_processing_time AS DOUBLE) AS target_processing_time,
                    TRY_CAST(elb_status_code AS INTEGER) AS elb_status_code,
                    target_status_code, target_group_arn, error_reason,
                    strftime(CAST("time" AS TIMESTAMPTZ), '%Y/%m/%d') AS day
                FROM read_csv('{{alb.Replace('\\', '/')}}', delim = ' ', quote = '"', escape = '"', header = false, auto_detect = false,
                    null_padding = true, columns = {{{columns}}})
                """);
            foreach (var statement in step1b.Split(';').Where(s => s.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--"))))
                db.Execute(statement.Replace("'2024/05/01' AND '2024/05/01'", "'2024/05/01' AND '2024/05/02'"));
            var query = shipped.Trim().TrimEnd(';');
            db.Execute($"COPY ({query}\n) TO '{table.Replace('\\', '/')}' (FORMAT parquet)");
        }

        var judged = Investigation.FromBuckets(table);

        AssertSameJudgement(library, judged);
        return library;
    }

    /// <summary>
    /// Athena's step 1c reads raw Huawei lines from OBS into a one-column table and maps them onto requests and attempts
    /// by regular expression and the upstream lists by position. DuckDB stands in for the table (the raw sample logs,
    /// line by line) and for Trino's array functions; the views run as shipped, then the Athena query: the judgement
    /// must be the library's on the raw files.
    /// </summary>
    [Fact]
    public void Athenas_huawei_views_over_the_raw_sample_logs_judge_as_the_library()
    {
        string[] paths = [TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")];
        var library = AccessLogInvestigation.Investigate(LogSource.FromPaths(paths));
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sql", "bucket-table.athena.sql"));
        var step1c = string.Join("\n", shipped.Split('\n')
            .SkipWhile(line => !line.StartsWith("-- Step 1c.")).Skip(1)
            .TakeWhile(line => !line.StartsWith("-- ====="))
            .Where(line => line.StartsWith("--   "))
            .Select(line => line[5..]));
        var table = Path.Combine(_dir.Path, "huawei-buckets.parquet");
        using (var db = Open())
        {
            db.Execute("SET TimeZone = 'UTC'");
            db.Execute("CREATE MACRO to_unixtime(t) AS epoch_ms(t) / 1000.0");
            db.Execute("CREATE MACRO from_unixtime(s) AS to_timestamp(s)");
            db.Execute("CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)");
            db.Execute("CREATE MACRO sequence(a, b) AS generate_series(a, b)");
            db.Execute("CREATE MACRO element_at(l, i) AS l[i]");
            var files = string.Join(", ", paths.Select(p => $"'{p.Replace('\\', '/')}'"));
            db.Execute($$"""
                CREATE VIEW huawei_elb_logs AS SELECT line FROM read_csv([{{files}}], columns = {'line': 'VARCHAR'},
                    delim = '\x01', quote = '', escape = '', header = false, auto_detect = false)
                """);
            foreach (var statement in step1c.Split(';').Where(s => s.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--"))))
            {
                if (statement.TrimStart().StartsWith("CREATE EXTERNAL TABLE", StringComparison.Ordinal)) continue; // DuckDB's view above stands in
                db.Execute(statement.Replace("cardinality(", "len(")); // Trino's array length
            }
            var query = shipped.Trim().TrimEnd(';');
            db.Execute($"COPY ({query}\n) TO '{table.Replace('\\', '/')}' (FORMAT parquet)");
        }

        var judged = Investigation.FromBuckets(table);

        Assert.Equal(3, library.Suspects.Count);
        AssertSameJudgement(library, judged);
    }

    [Fact]
    public void Duckdb_bins_are_the_sketch_bins_value_for_value()
    {
        // Edges: the zero threshold, exact powers of 1.02, values a hair either side of a bin edge.
        var values = new List<double> { 0, 1e-5, 0.0001, 0.00010000000000000002, 0.001, 0.002, 0.05, 1, 1.02, 1.0404, 29.9, 60, 3600 };
        for (var k = -400; k <= 420; k += 7)
        {
            var edge = Math.Pow(LatencySketch.Gamma, k);
            values.AddRange([edge, Math.BitDecrement(edge), Math.BitIncrement(edge)]);
        }
        values.AddRange(Enumerable.Range(1, 2000).Select(i => i * 0.001));
        using var db = Open();
        // In exponent form a literal is a DOUBLE, bit for bit; with a point alone DuckDB reads it as a DECIMAL first.
        var literal = string.Join(", ", values.Select(v => "(" + v.ToString("E17", System.Globalization.CultureInfo.InvariantCulture) + ")"));
        // The shipped query's own bin expression, not a copy of it.
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sql", "bucket-table.duckdb.sql"));
        var bin = System.Text.RegularExpressions.Regex.Match(shipped, @"CASE WHEN seconds >= .*?END", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.NotEmpty(bin);
        var bins = db.Rows($"SELECT {bin} FROM (VALUES {literal}) t(seconds)");

        for (var i = 0; i < values.Count; i++)
        {
            var expected = LatencySketch.Bin(values[i]);
            Assert.True(bins[i][0] is null or DBNull || expected == Convert.ToInt32(bins[i][0]), $"{values[i]:R}: {expected} vs {bins[i][0]}");
            Assert.Equal(expected == LatencySketch.ZeroBin ? (int?)null : expected, bins[i][0] is null or DBNull ? (int?)null : Convert.ToInt32(bins[i][0]));
        }
    }

    /// <summary>The library's streamed investigation, and the judgement of the table DuckDB makes from the export.</summary>
    private (StreamedInvestigation Library, StreamedInvestigation Table) Both(string[] paths, InvestigationOptions? options,
        string file = "bucket-table.duckdb.sql", string[]? engine = null, Func<string, string>? sql = null)
    {
        var library = AccessLogInvestigation.Investigate(LogSource.FromPaths(paths), null, options);
        var export = Path.Combine(_dir.Path, "export-" + Guid.NewGuid().ToString("N"));
        ParquetExport.Write(paths, export);
        var table = Path.Combine(_dir.Path, "buckets-" + Guid.NewGuid().ToString("N") + ".parquet");
        using (var db = Open())
        {
            foreach (var name in new[] { "requests", "attempts" })
            {
                var glob = Path.Combine(export, name).Replace('\\', '/') + "/**/*.parquet";
                db.Execute($"CREATE VIEW {name} AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true)");
            }
            foreach (var statement in engine ?? []) db.Execute(statement);
            var query = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sql", file)).Trim().TrimEnd(';');
            db.Execute($"COPY ({(sql ?? (q => q))(query)}\n) TO '{table.Replace('\\', '/')}' (FORMAT parquet)");
        }
        return (library, Investigation.FromBuckets(table, options));
    }

    private static void AssertSameJudgement(InvestigationResult library, InvestigationResult table)
    {
        Assert.Equal(library.Suspects.Select(s => (s.Backend.Backend, s.Health, s.Window.StartUtc, s.Window.EndUtc)),
            table.Suspects.Select(s => (s.Backend.Backend, s.Health, s.Window.StartUtc, s.Window.EndUtc)));
        Assert.Equal(JudgementJson.Of(library.ToJson()), JudgementJson.Of(table.ToJson()));
    }

    private static DuckDBConnection Open() => DuckDb.OpenInMemory();
}
