#!/usr/bin/env bash
# The engines aggregate, the library judges (issue 22): the library's own streaming `investigate` against DuckDB
# making the bucket table (sql/bucket-table.duckdb.sql) over a Parquet export plus the local judgement of that table,
# on one generated log. Time and peak memory of each step under /usr/bin/time -v, and whether the two answers agree.
#   benchmarks/bucket-table.sh                       # 2M lines (about 1.2 GB)
#   LINES=10000000 benchmarks/bucket-table.sh        # about 6 GB; WORK=/big/disk to choose where files go
# The export step parses the log once on this machine (what `export --parquet` costs when the logs are not yet in
# Parquet); where the logs already are in an engine, only the aggregation and the judgement are this machine's work.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-2000000}
RPS=${RPS:-100}
WORK=${WORK:-$(mktemp -d)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "building the CLI and the benchmark runner (Release) into $WORK ..." >&2
dotnet publish src/ElbNotebooks.Cli -c Release -o "$WORK/cli" >/dev/null
dotnet build benchmarks/ElbNotebooks.Benchmarks -c Release -o "$WORK/bench" >/dev/null
CLI="$WORK/cli/elb-notebooks"
BENCH="$WORK/bench/ElbNotebooks.Benchmarks"

LOG="$WORK/elb-$LINES.log"
[ -f "$LOG" ] || "$CLI" generate --out "$LOG" --seed 1 --duration "$((LINES / RPS))s" --rps "$RPS" --scenario mixed 2>/dev/null
cat "$LOG" > /dev/null # warm the page cache

# "wall-seconds kilobytes cpu-seconds" of one command line (through bash)
measure() {
  /usr/bin/time -v -o "$WORK/time.txt" bash -c "$1" > "$WORK/out.txt"
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
    /Maximum resident set size/ { kb = $2 } /User time|System time/ { cpu += $2 } END { print wall, kb, cpu }' "$WORK/time.txt"
}
row() { # label, seconds, kilobytes, cpu seconds
  awk -v label="$1" -v s="$2" -v kb="$3" -v cpu="$4" 'BEGIN { printf "| %s | %.2f | %.1f | %.2f |\n", label, s, kb / 1024, cpu }'
}

rm -rf "$WORK/export" "$WORK/buckets.parquet"
read -r ls lkb lcpu < <(measure "'$CLI' investigate '$LOG' --json > '$WORK/library.json'")
read -r es ekb ecpu < <(measure "'$CLI' export '$LOG' --parquet '$WORK/export'")
read -r ds dkb dcpu < <(measure "'$BENCH' duckdb-buckets '$WORK/export' sql/bucket-table.duckdb.sql '$WORK/buckets.parquet'")
TABLE_ROWS=$(grep -o '^[0-9]*' "$WORK/out.txt")
read -r js jkb jcpu < <(measure "'$CLI' investigate --buckets '$WORK/buckets.parquet' --json > '$WORK/table.json'")

echo "$(wc -l < "$LOG") lines, $(du -h "$LOG" | cut -f1) log, $(du -sh "$WORK/export" | cut -f1) export, bucket table $TABLE_ROWS rows / $(du -h "$WORK/buckets.parquet" | cut -f1)"
echo
echo "| step | wall (s) | peak RSS (MiB) | CPU (s) |"
echo "|---|---:|---:|---:|"
row "library: investigate (streaming)" "$ls" "$lkb" "$lcpu"
row "export --parquet (once, if the logs are not in Parquet yet)" "$es" "$ekb" "$ecpu"
row "DuckDB: bucket-table.duckdb.sql over the export" "$ds" "$dkb" "$dcpu"
row "library: investigate --buckets (judge the table)" "$js" "$jkb" "$jcpu"
echo
# Same judgement: the answers less the parse report and example rows (a table has no rows).
python3 - "$WORK/library.json" "$WORK/table.json" <<'PY'
import json, sys
keys = ["from", "to", "utc_offset", "bucket_minutes", "requests", "backends", "no_backend_errors", "listener_errors", "suspects", "incidents"]
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for doc in (a, b):
    for s in doc["suspects"]: s.pop("example_request_rows", None)
same = all(a[k] == b[k] for k in keys if k not in ("from", "to"))
print(f"same suspects, windows and backends: {'yes' if same else 'NO'} ({len(a['suspects'])} suspects)")
PY
