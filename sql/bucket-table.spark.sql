-- The bucket table (docs/bucket-table.md) in Spark SQL (3.1 or later): what `elb-notebooks investigate --buckets
-- <table>` and Investigation.FromBuckets(...) judge. A careful translation of sql/bucket-table.duckdb.sql, which the
-- parity tests run; this one is run here only by DuckDB with Spark's functions as macros (the differences are
-- listed in docs/big-data.md, "Engines").
--
-- It reads views named requests and attempts; over an ElbNotebooks Parquet export:
--   CREATE OR REPLACE TEMPORARY VIEW requests USING parquet OPTIONS (path 'export/requests');   -- or s3a://...
--   CREATE OR REPLACE TEMPORARY VIEW attempts USING parquet OPTIONS (path 'export/attempts');
-- (over raw ALB logs, map a RegexSerDe table onto these two views as sql/bucket-table.athena.sql, step 1b, does).
-- Then write the answer, e.g. in PySpark:
--   spark.sql(open("sql/bucket-table.spark.sql").read()).coalesce(1).write.parquet("buckets")
-- and judge the part file: elb-notebooks investigate --buckets buckets/part-00000-....parquet
--
-- Buckets are bucket_seconds long from the Unix epoch, UTC (60: judge at any whole number of minutes).
-- Differences from the DuckDB query: buckets with unix_micros/timestamp_seconds; ceil returns BIGINT (cast to INT
-- as the others); no UNION ALL BY NAME, so every branch lists every column with typed NULLs. Spark's timestamps are
-- instants, written to Parquet in UTC whatever spark.sql.session.timeZone is.
WITH
params AS (SELECT 60 AS bucket_seconds),
req AS (
    SELECT
        r.time AS t,
        timestamp_seconds(CAST(floor(unix_micros(r.time) / (1000000.0 * p.bucket_seconds)) AS BIGINT) * p.bucket_seconds) AS bucket_start,
        p.bucket_seconds,
        coalesce(r.listener_name, '-') AS listener,
        r.status,
        coalesce(r.upstream_attempts, 0) AS tried,
        r.upstream_header_time,
        coalesce(r.offset_minutes, 0) AS utc_offset_minutes,
        r.eip_address,
        r.eip_port
    FROM requests r CROSS JOIN params p
    WHERE r.time IS NOT NULL
),
att AS (
    SELECT
        a.time AS t,
        timestamp_seconds(CAST(floor(unix_micros(a.time) / (1000000.0 * p.bucket_seconds)) AS BIGINT) * p.bucket_seconds) AS bucket_start,
        p.bucket_seconds,
        coalesce(a.listener, '-') AS listener,
        coalesce(a.pool, '-') AS pool,
        coalesce(a.backend, '-') AS backend,
        a.is_final,
        a.client_status,
        a.connect_time,
        a.header_time,
        a.response_time,
        CASE
            WHEN a.status IN (499, 460) OR (a.is_final AND a.client_status IN (499, 460)) THEN 'client_abort'
            WHEN a.status >= 500 AND a.header_time IS NULL THEN 'lb_5xx'
            WHEN a.status >= 500 THEN 'backend_5xx'
            WHEN a.status >= 400 THEN 'status_4xx'
            ELSE 'ok'
        END AS outcome
    FROM attempts a CROSS JOIN params p
    WHERE a.time IS NOT NULL
),
timings AS (
    SELECT listener, pool, backend, bucket_start, bucket_seconds, 'header' AS timing, header_time AS seconds
    FROM att WHERE header_time IS NOT NULL
    UNION ALL
    SELECT listener, pool, backend, bucket_start, bucket_seconds, 'retried_header', header_time
    FROM att WHERE header_time IS NOT NULL AND NOT is_final
    UNION ALL
    SELECT listener, pool, backend, bucket_start, bucket_seconds, 'connect', connect_time
    FROM att WHERE connect_time IS NOT NULL
    UNION ALL
    SELECT listener, pool, backend, CAST(NULL AS TIMESTAMP), CAST(NULL AS INT), 'response', response_time
    FROM att WHERE response_time IS NOT NULL
),
bins AS (
    -- LatencySketch.Bin; 1.0E-4 and 1.02E0 are DOUBLE literals in Spark (0.0001 would be a DECIMAL); ln is the
    -- natural log (log(x) with one argument too)
    SELECT listener, pool, backend, bucket_start, bucket_seconds, timing,
        CASE WHEN seconds >= 1.0E-4
            THEN CAST(ceil(ln(seconds) / ln(1.02E0)) AS INT)
        END AS bin,
        seconds
    FROM timings
)
SELECT 'requests' AS kind, bucket_start, bucket_seconds,
    CAST(NULL AS STRING) AS listener, CAST(NULL AS STRING) AS pool, CAST(NULL AS STRING) AS backend, CAST(NULL AS INT) AS status,
    CAST(NULL AS STRING) AS listener_ip, CAST(NULL AS INT) AS listener_port, utc_offset_minutes,
    count(*) AS requests,
    count(CASE WHEN status >= 100 AND status < 200 THEN 1 END) AS requests_1xx,
    count(CASE WHEN status >= 200 AND status < 300 THEN 1 END) AS requests_2xx,
    count(CASE WHEN status >= 300 AND status < 400 THEN 1 END) AS requests_3xx,
    count(CASE WHEN status >= 400 AND status < 500 THEN 1 END) AS requests_4xx,
    count(CASE WHEN status >= 500 AND status < 600 THEN 1 END) AS requests_5xx,
    count(CASE WHEN tried <= 0 AND status >= 500 THEN 1 END) AS no_backend_5xx,
    CAST(NULL AS BIGINT) AS attempts,
    count(CASE WHEN tried > 0 AND status >= 500 AND upstream_header_time IS NOT NULL THEN 1 END) AS backend_5xx,
    count(CASE WHEN tried > 0 AND status >= 500 AND upstream_header_time IS NULL THEN 1 END) AS lb_5xx,
    CAST(NULL AS BIGINT) AS status_4xx, CAST(NULL AS BIGINT) AS client_aborts, CAST(NULL AS BIGINT) AS hurt_errors, CAST(NULL AS BIGINT) AS rescued_errors,
    min(t) AS first_request, max(t) AS last_request,
    CAST(NULL AS TIMESTAMP) AS first_error, CAST(NULL AS TIMESTAMP) AS last_error,
    CAST(NULL AS STRING) AS timing, CAST(NULL AS INT) AS bin, CAST(NULL AS BIGINT) AS samples,
    CAST(NULL AS BIGINT) AS min_microseconds, CAST(NULL AS BIGINT) AS max_microseconds, CAST(NULL AS BIGINT) AS whole_milliseconds
FROM req
GROUP BY bucket_start, bucket_seconds, utc_offset_minutes

UNION ALL
SELECT 'lb_errors', bucket_start, bucket_seconds, listener, NULL, NULL, status, NULL, NULL, NULL,
    count(*), NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    min(t), max(t), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM req
WHERE tried <= 0 AND status >= 400
GROUP BY bucket_start, bucket_seconds, listener, status

UNION ALL
SELECT 'listener_address', NULL, NULL, listener, NULL, NULL, NULL, eip_address, eip_port, NULL,
    count(*), NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM req
WHERE eip_address IS NOT NULL
GROUP BY listener, eip_address, eip_port

UNION ALL
SELECT 'attempts', bucket_start, bucket_seconds, listener, pool, backend, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    count(*),
    count(CASE WHEN outcome = 'backend_5xx' THEN 1 END),
    count(CASE WHEN outcome = 'lb_5xx' THEN 1 END),
    count(CASE WHEN outcome = 'status_4xx' THEN 1 END),
    count(CASE WHEN outcome = 'client_abort' THEN 1 END),
    count(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') AND NOT (NOT is_final AND coalesce(client_status, 0) > 0 AND client_status < 500 AND client_status NOT IN (499, 460)) THEN 1 END),
    count(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') AND NOT is_final AND coalesce(client_status, 0) > 0 AND client_status < 500 AND client_status NOT IN (499, 460) THEN 1 END),
    NULL, NULL,
    min(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') THEN t END),
    max(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') THEN t END),
    NULL, NULL, NULL, NULL, NULL, NULL
FROM att
GROUP BY bucket_start, bucket_seconds, listener, pool, backend

UNION ALL
SELECT 'latency', bucket_start, bucket_seconds, listener, pool, backend, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, timing, bin, count(*),
    -- the bin's smallest and largest value, to the microsecond: no percentile is read outside them
    CAST(round(min(seconds) * 1000000) AS BIGINT), CAST(round(max(seconds) * 1000000) AS BIGINT),
    -- 1 when every value is a whole millisecond, as most logs write them: a bin under about 50 ms then stands for its one value
    min(CASE WHEN round(seconds * 1000) / 1000 = seconds THEN 1 ELSE 0 END)
FROM bins
GROUP BY bucket_start, bucket_seconds, listener, pool, backend, timing, bin
