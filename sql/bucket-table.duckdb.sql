-- The bucket table (docs/bucket-table.md) from an ElbNotebooks Parquet export (docs/parquet-schema.md), in DuckDB:
-- what `elb-notebooks investigate --buckets <table>` and Investigation.FromBuckets(...) judge, with the library's
-- own definitions, so the verdicts are the library's (tests/ElbNotebooks.Tests/Analysis/DuckDbBucketParityTests.cs).
--
-- It reads views named requests and attempts. First:
--   CREATE VIEW requests AS SELECT * FROM read_parquet('export/requests/**/*.parquet', hive_partitioning = true);
--   CREATE VIEW attempts AS SELECT * FROM read_parquet('export/attempts/**/*.parquet', hive_partitioning = true);
-- then write the answer where the judge can read it:
--   COPY (<this query>) TO 'buckets.parquet' (FORMAT parquet);
-- To judge a window or one listener, filter here (e.g. WHERE time >= TIMESTAMPTZ '2024-05-01 02:00:00+00' in req
-- and att, or on dt/hour to read fewer partitions): a table is judged whole.
--
-- Buckets are bucket_seconds long from the Unix epoch, UTC; 60 (the library's own counting bucket) judges at any
-- whole number of minutes. A larger bucket makes a smaller table for long ranges, judged at multiples of it only.
WITH
params AS (SELECT 60 AS bucket_seconds),
req AS (
    SELECT
        r.time,
        to_timestamp(floor(epoch_ms(r.time) / (1000.0 * p.bucket_seconds)) * p.bucket_seconds) AS bucket_start,
        p.bucket_seconds,
        coalesce(r.listener_name, '-') AS listener,
        r.status,
        -- no attempt written (upstream "-") counts as answered by the load balancer itself
        coalesce(r.upstream_attempts, 0) AS tried,
        r.upstream_header_time,
        coalesce(r.offset_minutes, 0) AS utc_offset_minutes,
        r.eip_address,
        r.eip_port
    FROM requests r, params p
    WHERE r.time IS NOT NULL
),
att AS (
    SELECT
        a.time,
        to_timestamp(floor(epoch_ms(a.time) / (1000.0 * p.bucket_seconds)) * p.bucket_seconds) AS bucket_start,
        p.bucket_seconds,
        coalesce(a.listener, '-') AS listener,
        coalesce(a.pool, '-') AS pool,
        coalesce(a.backend, '-') AS backend,
        a.is_final,
        a.client_status,
        a.connect_time,
        a.header_time,
        a.response_time,
        -- who made the attempt's status (InvestigationAggregator.Classify): a client abort is never an error; a 5xx
        -- without a response header was written by the load balancer
        CASE
            WHEN a.status IN (499, 460) OR (a.is_final AND a.client_status IN (499, 460)) THEN 'client_abort'
            WHEN a.status >= 500 AND a.header_time IS NULL THEN 'lb_5xx'
            WHEN a.status >= 500 THEN 'backend_5xx'
            WHEN a.status >= 400 THEN 'status_4xx'
            ELSE 'ok'
        END AS outcome
    FROM attempts a, params p
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
    -- response times are judged over the whole range only: no bucket
    SELECT listener, pool, backend, NULL, NULL, 'response', response_time
    FROM att WHERE response_time IS NOT NULL
),
bins AS (
    -- LatencySketch.Bin: ceil(ln(v) / ln(1.02)); under 0.1 ms (0 and negatives too) is the zero bin, null here.
    -- Both constants in exponent form, so DOUBLE literals: 0.0001 or 1.02 would be DECIMALs first.
    SELECT listener, pool, backend, bucket_start, bucket_seconds, timing,
        CASE WHEN seconds >= 1.0E-4
            THEN CAST(ceil(ln(seconds) / ln(1.02E0)) AS INTEGER)
        END AS bin,
        seconds
    FROM timings
),
buckets AS (
    SELECT 'requests' AS kind, bucket_start, bucket_seconds, utc_offset_minutes,
        count(*) AS requests,
        count(CASE WHEN status >= 100 AND status < 200 THEN 1 END) AS requests_1xx,
        count(CASE WHEN status >= 200 AND status < 300 THEN 1 END) AS requests_2xx,
        count(CASE WHEN status >= 300 AND status < 400 THEN 1 END) AS requests_3xx,
        count(CASE WHEN status >= 400 AND status < 500 THEN 1 END) AS requests_4xx,
        count(CASE WHEN status >= 500 AND status < 600 THEN 1 END) AS requests_5xx,
        count(CASE WHEN tried <= 0 AND status >= 500 THEN 1 END) AS no_backend_5xx,
        count(CASE WHEN tried > 0 AND status >= 500 AND upstream_header_time IS NOT NULL THEN 1 END) AS backend_5xx,
        count(CASE WHEN tried > 0 AND status >= 500 AND upstream_header_time IS NULL THEN 1 END) AS lb_5xx,
        min(time) AS first_request,
        max(time) AS last_request
    FROM req
    GROUP BY bucket_start, bucket_seconds, utc_offset_minutes

    UNION ALL BY NAME
    SELECT 'lb_errors' AS kind, bucket_start, bucket_seconds, listener, status,
        count(*) AS requests, min(time) AS first_request, max(time) AS last_request
    FROM req
    WHERE tried <= 0 AND status >= 400
    GROUP BY bucket_start, bucket_seconds, listener, status

    UNION ALL BY NAME
    SELECT 'listener_address' AS kind, listener, eip_address AS listener_ip, eip_port AS listener_port, count(*) AS requests
    FROM req
    WHERE eip_address IS NOT NULL
    GROUP BY listener, eip_address, eip_port

    UNION ALL BY NAME
    SELECT 'attempts' AS kind, bucket_start, bucket_seconds, listener, pool, backend,
        count(*) AS attempts,
        count(CASE WHEN outcome = 'backend_5xx' THEN 1 END) AS backend_5xx,
        count(CASE WHEN outcome = 'lb_5xx' THEN 1 END) AS lb_5xx,
        count(CASE WHEN outcome = 'status_4xx' THEN 1 END) AS status_4xx,
        count(CASE WHEN outcome = 'client_abort' THEN 1 END) AS client_aborts,
        -- a retry on a peer rescued this 5xx (the client got a status under 500, not 499 or 460) / else it hurt the client
        count(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') AND NOT (NOT is_final AND coalesce(client_status, 0) > 0 AND client_status < 500 AND client_status NOT IN (499, 460)) THEN 1 END) AS hurt_errors,
        count(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') AND NOT is_final AND coalesce(client_status, 0) > 0 AND client_status < 500 AND client_status NOT IN (499, 460) THEN 1 END) AS rescued_errors,
        min(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') THEN time END) AS first_error,
        max(CASE WHEN outcome IN ('backend_5xx', 'lb_5xx') THEN time END) AS last_error
    FROM att
    GROUP BY bucket_start, bucket_seconds, listener, pool, backend

    UNION ALL BY NAME
    SELECT 'latency' AS kind, bucket_start, bucket_seconds, listener, pool, backend, timing, bin, count(*) AS samples,
        -- the bin's smallest and largest value, to the microsecond: no percentile is read outside them
        CAST(round(min(seconds) * 1000000) AS BIGINT) AS min_microseconds,
        CAST(round(max(seconds) * 1000000) AS BIGINT) AS max_microseconds,
        -- 1 when every value is a whole millisecond, as most logs write them: a bin under about 50 ms then stands for its one value
        min(CASE WHEN round(seconds * 1000) / 1000 = seconds THEN 1 ELSE 0 END) AS whole_milliseconds
    FROM bins
    GROUP BY bucket_start, bucket_seconds, listener, pool, backend, timing, bin
)
SELECT kind, bucket_start, bucket_seconds, listener, pool, backend, status, listener_ip, listener_port, utc_offset_minutes,
    requests, requests_1xx, requests_2xx, requests_3xx, requests_4xx, requests_5xx, no_backend_5xx,
    attempts, backend_5xx, lb_5xx, status_4xx, client_aborts, hurt_errors, rescued_errors,
    first_request, last_request, first_error, last_error, timing, bin, samples, min_microseconds, max_microseconds, whole_milliseconds
FROM buckets
