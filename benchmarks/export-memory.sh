#!/usr/bin/env bash
# Shows that `export` streams: max RSS for 1x and 4x the input stays flat, while `load` (everything in memory) grows.
#   benchmarks/export-memory.sh [FILES_PER_X] [RPS]      defaults: 2 files per x, 100 requests/s (one hour each)
# Each file is one hour of `generate` output (gzip), at a distinct hour; 1x exports FILES_PER_X files, 4x four times
# as many. Needs GNU time (/usr/bin/time -v). Builds the CLI in Release first.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-2}
rps=${2:-100}
work=$(mktemp -d "${TMPDIR:-/tmp}/elb-export-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT

dotnet build src/ElbNotebooks.Cli -c Release -v quiet -nologo >/dev/null
cli=src/ElbNotebooks.Cli/bin/Release/net10.0/elb-notebooks

total=$((files * 4))
echo "generating $total hourly files at $rps requests/s ..."
for i in $(seq 0 $((total - 1))); do
  start=$(date -u -d "2024-05-01T00:00:00Z + $i hour" +%Y-%m-%dT%H:00:00+00:00)
  "$cli" generate --out "$work/in/elb-$(printf %03d "$i").log.gz" --start "$start" --duration 1h --rps "$rps" --seed $((i + 1)) \
    --scenario backend-500 >/dev/null 2>&1
done
mkdir -p "$work/1x" "$work/4x"
for f in $(ls "$work/in" | head -n "$files"); do ln -s "$work/in/$f" "$work/1x/$f"; done
for f in $(ls "$work/in"); do ln -s "$work/in/$f" "$work/4x/$f"; done

measure() { # name command...
  local name=$1; shift
  /usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.time" || { cat "$work/$name.time"; exit 1; }
  local rss secs
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/$name.time")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$name.time")
  printf '%-12s %8d MiB max RSS  %10s wall  %s\n' "$name" $((rss / 1024)) "$secs" "$(grep -m1 'lines in' "$work/$name.out" | cut -c1-60)"
}

for x in 1x 4x; do
  printf '%s input: %s compressed, %s lines\n' "$x" "$(du -shL "$work/$x" | cut -f1)" \
    "$(for f in "$work/$x"/*; do gzip -dc "$f"; done | wc -l)"
done
measure export-1x "$cli" export "$work/1x" --parquet "$work/out-1x"
measure export-4x "$cli" export "$work/4x" --parquet "$work/out-4x"
measure export-4x-16k "$cli" export "$work/4x" --parquet "$work/out-4x-16k" --chunk-rows 16384
measure load-1x "$cli" load "$work/1x"
measure load-4x "$cli" load "$work/4x"
echo "parquet written: 1x $(du -sh "$work/out-1x" | cut -f1), 4x $(du -sh "$work/out-4x" | cut -f1)"
