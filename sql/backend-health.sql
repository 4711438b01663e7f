-- Per-backend health over an ElbNotebooks Parquet export (docs/parquet-schema.md), with the definitions that
-- log.Investigate() uses (ElbNotebooks.Analysis, Investigation.Backends):
--   attempts     every attempt that reached a backend; attempts with no backend (the load balancer answered by
--                itself, upstream "-") are not counted
--   backend_5xx  the backend itself answered 5xx: status >= 500 and header_time is not null
--   lb_5xx       the load balancer wrote 502 or 504 for the attempt because the backend sent no response header:
--                status in (502, 504) and header_time is null
--   error_rate   (backend_5xx + lb_5xx) / attempts
--   p50/p99      of header_time in seconds (continuous/interpolated), over the attempts that have one
-- It reads a table or view named "attempts". In DuckDB, first:
--   CREATE VIEW attempts AS SELECT * FROM read_parquet('export/attempts/**/*.parquet', hive_partitioning = true);
-- Spark SQL, Trino and Athena need only the two quantile calls changed: see docs/big-data.md.
-- To look at a window, add e.g.  AND dt = '2024-05-01' AND hour BETWEEN '02' AND '03'  (partitions are read only if needed).
SELECT
    listener,
    pool,
    backend,
    count(*) AS attempts,
    count(CASE WHEN status >= 500 AND header_time IS NOT NULL THEN 1 END) AS backend_5xx,
    count(CASE WHEN status IN (502, 504) AND header_time IS NULL THEN 1 END) AS lb_5xx,
    CAST(count(CASE WHEN (status >= 500 AND header_time IS NOT NULL)
                      OR (status IN (502, 504) AND header_time IS NULL) THEN 1 END) AS DOUBLE) / count(*) AS error_rate,
    quantile_cont(header_time, 0.5) AS p50_header_time,
    quantile_cont(header_time, 0.99) AS p99_header_time
FROM attempts
WHERE backend IS NOT NULL
GROUP BY listener, pool, backend
ORDER BY error_rate DESC, attempts DESC, listener, pool, backend
