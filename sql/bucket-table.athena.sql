-- The bucket table (docs/bucket-table.md) in Athena or Trino: what `elb-notebooks investigate --buckets <table>` and
-- Investigation.FromBuckets(...) judge. A careful translation of sql/bucket-table.duckdb.sql, which the parity tests
-- run; this one is run here only by DuckDB with Athena's functions as macros, step 1b over a stand-in for
-- alb_access_logs (the differences are listed in docs/big-data.md, "Engines").
--
-- Athena runs one statement at a time: run step 1 (the views for your source), then step 2.
--
-- ============================================================================================================
-- Step 1a. Source: an ElbNotebooks Parquet export on S3 (tables elb_requests and elb_attempts as docs/big-data.md
-- creates them):
--
--   CREATE OR REPLACE VIEW requests AS SELECT * FROM elb_requests;
--   CREATE OR REPLACE VIEW attempts AS SELECT * FROM elb_attempts;
--
-- Step 1b. Source: AWS ALB logs where they are, through the table AWS documents ("Querying Application Load
-- Balancer logs": alb_access_logs, RegexSerDe, partition projection). The two views map it onto the library's model
-- (docs/formats.md, aws-alb): listener = the load balancer's name, pool = the target group's name, backend =
-- target ip:port; a line with a target is one attempt whose status is the target's status with header time =
-- target_processing_time, or, when the target wrote no status, the load balancer's status with no header time (it
-- refused, reset or timed out); a line without a target (503: no healthy target) has no attempt, unless the target is
-- a Lambda function, which AWS writes without an address: a target status, or an error_reason starting 'Lambda', makes
-- it one attempt of the backend 'lambda:' || the target group's name. AWS writes one target per line today, so
-- retries are not seen (the library reads target:port_list the same way).
--
--   CREATE OR REPLACE VIEW requests AS
--   SELECT
--       from_iso8601_timestamp("time") AS "time",
--       0 AS offset_minutes,
--       split_part(elb, '/', 2) AS listener_name,
--       elb_status_code AS status,
--       CASE WHEN coalesce(target_ip, '') NOT IN ('', '-') OR target_status_code <> '-' OR error_reason LIKE 'Lambda%'
--            THEN 1 ELSE 0 END AS upstream_attempts,
--       CASE WHEN target_status_code <> '-' AND target_processing_time >= 0 THEN target_processing_time END AS upstream_header_time,
--       CAST(NULL AS varchar) AS eip_address,
--       CAST(NULL AS integer) AS eip_port
--   FROM alb_access_logs
--   WHERE day BETWEEN '2024/05/01' AND '2024/05/01';      -- the partitions of the incident (partition projection)
--
--   CREATE OR REPLACE VIEW attempts AS
--   SELECT
--       from_iso8601_timestamp("time") AS "time",
--       split_part(elb, '/', 2) AS listener,
--       nullif(split_part(split_part(target_group_arn, ':', 6), '/', 2), '') AS pool,
--       CASE WHEN coalesce(target_ip, '') NOT IN ('', '-') THEN target_ip || ':' || CAST(target_port AS varchar)
--            ELSE 'lambda' || coalesce(':' || nullif(split_part(split_part(target_group_arn, ':', 6), '/', 2), ''), '') END AS backend,
--       true AS is_final,
--       elb_status_code AS client_status,
--       CASE WHEN target_status_code <> '-' THEN try_cast(target_status_code AS integer) ELSE elb_status_code END AS status,
--       CAST(NULL AS double) AS connect_time,
--       CASE WHEN target_status_code <> '-' AND target_processing_time >= 0 THEN target_processing_time END AS header_time,
--       CAST(NULL AS double) AS response_time
--   FROM alb_access_logs
--   WHERE day BETWEEN '2024/05/01' AND '2024/05/01'
--     AND (coalesce(target_ip, '') NOT IN ('', '-') OR target_status_code <> '-' OR error_reason LIKE 'Lambda%');
--
-- Step 1c. Source: Huawei ELB access logs where LTS transferred them to OBS (S3-compatible: Trino's Hive connector
-- reads it with the OBS endpoint). One raw table of lines, a view that takes the judged fields from each line by
-- regular expression (two patterns, so none needs more than nine groups, as DuckDB, which tests these views, allows;
-- the older 22-field layout has no eip, which stays null), and the two views of the library's model (docs/formats.md,
-- huawei-elb): one attempt per item of upstream_addr, matched by position with the other upstream lists (a list that is
-- a lone '-' matches any), the last one final; the request's header time is its final attempt's.
--
--   CREATE EXTERNAL TABLE huawei_elb_logs (line string)
--   ROW FORMAT DELIMITED LINES TERMINATED BY '\n' STORED AS TEXTFILE
--   LOCATION 's3://my-obs-bucket/LogTanks/cn-north-4/2024/05/01/';       -- gzip files are read as they are
--
--   CREATE OR REPLACE VIEW huawei_elb_fields AS
--   SELECT
--       regexp_extract(line, '^\S+ \S+ \[([^\]]+)\] \S+ \S+ (\d+) "[^"]*" \S+ \S+ \S+ \S+ "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"', 1) AS time_local,
--       regexp_extract(line, '^\S+ \S+ \[([^\]]+)\] \S+ \S+ (\d+) "[^"]*" \S+ \S+ \S+ \S+ "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"', 2) AS status,
--       regexp_extract(line, '^\S+ \S+ \[([^\]]+)\] \S+ \S+ (\d+) "[^"]*" \S+ \S+ \S+ \S+ "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"', 3) AS upstream_status,
--       regexp_extract(line, '^\S+ \S+ \[([^\]]+)\] \S+ \S+ (\d+) "[^"]*" \S+ \S+ \S+ \S+ "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"', 4) AS upstream_connect_time,
--       regexp_extract(line, '^\S+ \S+ \[([^\]]+)\] \S+ \S+ (\d+) "[^"]*" \S+ \S+ \S+ \S+ "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"', 5) AS upstream_header_time,
--       regexp_extract(line, '^\S+ \S+ \[([^\]]+)\] \S+ \S+ (\d+) "[^"]*" \S+ \S+ \S+ \S+ "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"', 6) AS upstream_response_time,
--       regexp_extract(line, '^\S+ \S+ \[([^\]]+)\] \S+ \S+ (\d+) "[^"]*" \S+ \S+ \S+ \S+ "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"', 7) AS upstream_addr,
--       regexp_extract(line, '^(?:\S+ \S+ \[[^\]]+\] \S+ \S+ \d+ "[^"]*" \S+ \S+ \S+ \S+(?: "[^"]*"){8}) \S+ (\S+) \S+ (\S+)(?: "[^"]*" \S+ (\S+))?', 1) AS listener_name,
--       regexp_extract(line, '^(?:\S+ \S+ \[[^\]]+\] \S+ \S+ \d+ "[^"]*" \S+ \S+ \S+ \S+(?: "[^"]*"){8}) \S+ (\S+) \S+ (\S+)(?: "[^"]*" \S+ (\S+))?', 2) AS pool_name,
--       regexp_extract(line, '^(?:\S+ \S+ \[[^\]]+\] \S+ \S+ \d+ "[^"]*" \S+ \S+ \S+ \S+(?: "[^"]*"){8}) \S+ (\S+) \S+ (\S+)(?: "[^"]*" \S+ (\S+))?', 3) AS eip
--   FROM huawei_elb_logs;
--
--   CREATE OR REPLACE VIEW requests AS
--   SELECT
--       from_iso8601_timestamp(time_local) AS "time",
--       (CASE substr(time_local, 20, 1) WHEN '-' THEN -1 ELSE 1 END)
--           * (CAST(substr(time_local, 21, 2) AS integer) * 60 + CAST(substr(time_local, 24, 2) AS integer)) AS offset_minutes,
--       listener_name,
--       CAST(status AS integer) AS status,
--       CASE WHEN upstream_addr = '-' THEN 0 ELSE cardinality(split(upstream_addr, ', ')) END AS upstream_attempts,
--       try_cast(element_at(split(upstream_header_time, ', '), -1) AS double) AS upstream_header_time,
--       nullif(regexp_extract(eip, '^(.*):[0-9]+$', 1), '') AS eip_address,
--       try_cast(regexp_extract(eip, ':([0-9]+)$', 1) AS integer) AS eip_port
--   FROM huawei_elb_fields;
--   CREATE OR REPLACE VIEW attempts AS
--   SELECT
--       from_iso8601_timestamp(f.time_local) AS "time",
--       f.listener_name AS listener,
--       f.pool_name AS pool,
--       element_at(split(f.upstream_addr, ', '), u.n) AS backend,
--       u.n = cardinality(split(f.upstream_addr, ', ')) AS is_final,
--       CAST(f.status AS integer) AS client_status,
--       try_cast(element_at(split(f.upstream_status, ', '), u.n) AS integer) AS status,
--       try_cast(element_at(split(f.upstream_connect_time, ', '), u.n) AS double) AS connect_time,
--       try_cast(element_at(split(f.upstream_header_time, ', '), u.n) AS double) AS header_time,
--       try_cast(element_at(split(f.upstream_response_time, ', '), u.n) AS double) AS response_time
--   FROM huawei_elb_fields f
--   CROSS JOIN UNNEST(sequence(1, cardinality(split(f.upstream_addr, ', ')))) AS u(n)
--   WHERE f.upstream_addr <> '-';
--
-- ============================================================================================================
-- Step 2. The table. Download the result as CSV (the query's result file) or UNLOAD it as Parquet:
--   UNLOAD (<this query>) TO 's3://my-bucket/elb-buckets/' WITH (format = 'PARQUET')
-- then: elb-notebooks investigate --buckets buckets.csv
--
-- Buckets are bucket_seconds long from the Unix epoch, UTC (60: judge at any whole number of minutes).
-- Differences from the DuckDB query: "time" is quoted (a reserved word); buckets with to_unixtime/from_unixtime;
-- no UNION ALL BY NAME, so every branch lists every column with typed NULLs; timestamps are cast to timestamp
-- (UTC, the session zone Athena uses) so a CSV result carries no zone name.
WITH
params AS (SELECT 60 AS bucket_seconds),
req AS (
    SELECT
        r."time" AS t,
        CAST(from_unixtime(floor(to_unixtime(r."time") / p.bucket_seconds) * p.bucket_seconds) AS timestamp) AS bucket_start,
        p.bucket_seconds,
        coalesce(r.listener_name, '-') AS listener,
        r.status,
        coalesce(r.upstream_attempts, 0) AS tried,
        r.upstream_header_time,
        coalesce(r.offset_minutes, 0) AS utc_offset_minutes,
        r.eip_address,
        r.eip_port
    FROM requests r CROSS JOIN params p
    WHERE r."time" IS NOT NULL
),
att AS (
    SELECT
        a."time" AS t,
        CAST(from_unixtime(floor(to_unixtime(a."time") / p.bucket_seconds) * p.bucket_seconds) AS timestamp) AS bucket_start,
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
    WHERE a."time" IS NOT NULL
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
    SELECT listener, pool, backend, CAST(NULL AS timestamp), CAST(NULL AS integer), 'response', response_time
    FROM att WHERE response_time IS NOT NULL
),
bins AS (
    -- LatencySketch.Bin; 1.0E-4 and 1.02E0 are DOUBLE literals in Trino (0.0001 would be a DECIMAL)
    SELECT listener, pool, backend, bucket_start, bucket_seconds, timing,
        CASE WHEN seconds >= 1.0E-4
            THEN CAST(ceil(ln(seconds) / ln(1.02E0)) AS integer)
        END AS bin,
        seconds
    FROM timings
)
SELECT 'requests' AS kind, bucket_start, bucket_seconds,
    CAST(NULL AS varchar) AS listener, CAST(NULL AS varchar) AS pool, CAST(NULL AS varchar) AS backend, CAST(NULL AS integer) AS status,
    CAST(NULL AS varchar) AS listener_ip, CAST(NULL AS integer) AS listener_port, utc_offset_minutes,
    count(*) AS requests,
    count(CASE WHEN status >= 100 AND status < 200 THEN 1 END) AS requests_1xx,
    count(CASE WHEN status >= 200 AND status < 300 THEN 1 END) AS requests_2xx,
    count(CASE WHEN status >= 300 AND status < 400 THEN 1 END) AS requests_3xx,
    count(CASE WHEN status >= 400 AND status < 500 THEN 1 END) AS requests_4xx,
    count(CASE WHEN status >= 500 AND status < 600 THEN 1 END) AS requests_5xx,
    count(CASE WHEN tried <= 0 AND status >= 500 THEN 1 END) AS no_backend_5xx,
    CAST(NULL AS bigint) AS attempts,
    count(CASE WHEN tried > 0 AND status >= 500 AND upstream_header_time IS NOT NULL THEN 1 END) AS backend_5xx,
    count(CASE WHEN tried > 0 AND status >= 500 AND upstream_header_time IS NULL THEN 1 END) AS lb_5xx,
    CAST(NULL AS bigint) AS status_4xx, CAST(NULL AS bigint) AS client_aborts, CAST(NULL AS bigint) AS hurt_errors, CAST(NULL AS bigint) AS rescued_errors,
    CAST(min(t) AS timestamp) AS first_request, CAST(max(t) AS timestamp) AS last_request,
    CAST(NULL AS timestamp) AS first_error, CAST(NULL AS timestamp) AS last_error,
    CAST(NULL AS varchar) AS timing, CAST(NULL AS integer) AS bin, CAST(NULL AS bigint) AS samples,
    CAST(NULL AS bigint) AS min_microseconds, CAST(NULL AS bigint) AS max_microseconds, CAST(NULL AS bigint) AS whole_milliseconds
FROM req
GROUP BY bucket_start, bucket_seconds, utc_offset_minutes

UNION ALL
SELECT 'lb_errors', bucket_start, bucket_seconds, listener, NULL, NULL, status, NULL, NULL, NULL,
    count(*), NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    CAST(min(t) AS timestamp), CAST(max(t) AS timestamp), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
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
    CAST(min(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') THEN t END) AS timestamp),
    CAST(max(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') THEN t END) AS timestamp),
    NULL, NULL, NULL, NULL, NULL, NULL
FROM att
GROUP BY bucket_start, bucket_seconds, listener, pool, backend

UNION ALL
SELECT 'latency', bucket_start, bucket_seconds, listener, pool, backend, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, timing, bin, count(*),
    -- the bin's smallest and largest value, to the microsecond: no percentile is read outside them
    CAST(round(min(seconds) * 1000000) AS bigint), CAST(round(max(seconds) * 1000000) AS bigint),
    -- 1 when every value is a whole millisecond, as most logs write them: a bin under about 50 ms then stands for its one value
    min(CASE WHEN round(seconds * 1000) / 1000 = seconds THEN 1 ELSE 0 END)
FROM bins
GROUP BY bucket_start, bucket_seconds, listener, pool, backend, timing, bin
