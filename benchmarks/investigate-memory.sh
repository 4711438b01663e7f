#!/usr/bin/env bash
# Peak memory and speed of `investigate --json` as the log grows (issue 24: bounded memory while streaming).
# Builds the CLI (Release), generates the mixed scenario with `generate`, and measures with /usr/bin/time -v the
# investigation's peak RSS, wall time and lines per second: at 2M lines read from a file, and at 20M lines streamed
# from `generate` through standard input (a 20M-line file would be about 12 GB). Prints a Markdown table.
#   benchmarks/investigate-memory.sh
#   SIZES="2000000 5000000" BIG=5000000 CLI=/tmp/other-build/elb-notebooks benchmarks/investigate-memory.sh
# RPS sets the generated request rate: the span (and so the number of one-minute buckets counted while streaming)
# is lines / RPS seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-2000000}
BIG=${BIG:-20000000}
RPS=${RPS:-100}
WORK=${WORK:-$(mktemp -d)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ -z "${CLI:-}" ]; then
  echo "building the CLI (Release) into $WORK/cli ..." >&2
  dotnet publish src/ElbNotebooks.Cli -c Release -o "$WORK/cli" >/dev/null
  CLI="$WORK/cli/elb-notebooks"
fi

generate() { # lines, output path ("/dev/stdout" streams)
  "$CLI" generate --out "$2" --seed 1 --duration "$(($1 / RPS))s" --rps "$RPS" --scenario mixed 2>/dev/null
}

# "wall-seconds kilobytes cpu-seconds" from a /usr/bin/time -v report
figures() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
    /Maximum resident set size/ { kb = $2 } /User time|System time/ { cpu += $2 } END { print wall, kb, cpu }' "$1"
}

# figures of one run of the command line in $1 (through bash, so it may be a pipeline)
measure() {
  /usr/bin/time -v -o "$WORK/time.txt" bash -c "$1" >/dev/null
  figures "$WORK/time.txt"
}

row() { # label, lines, seconds, kilobytes, cpu seconds
  awk -v label="$1" -v lines="$2" -v s="$3" -v kb="$4" -v cpu="$5" \
    'BEGIN { printf "| %s | %\047d | %.1f | %.2f | %.0f | %.2f | %.2f |\n", label, lines, kb / 1024, s, lines / s, cpu, cpu / s }'
}

LOG="$WORK/elb-$SMALL.log"
[ -f "$LOG" ] || generate "$SMALL" "$LOG"
LINES=$(wc -l < "$LOG")
cat "$LOG" > /dev/null # warm the page cache
read -r s kb cpu < <(measure "'$CLI' investigate '$LOG' --json")

echo "| run | lines | peak RSS (MiB) | wall (s) | lines/s | CPU (s) | CPU / wall |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row "file" "$LINES" "$s" "$kb" "$cpu"
if [ "$BIG" -gt 0 ]; then
  # The pipeline's peak is the larger of the two processes: generate's own is measured alone first.
  read -r gs gkb gcpu < <(measure "'$CLI' generate --out /dev/stdout --seed 1 --duration $((BIG / RPS))s --rps $RPS --scenario mixed 2>/dev/null | wc -l > '$WORK/big-lines'")
  BIG_LINES=$(cat "$WORK/big-lines")
  /usr/bin/time -v -o "$WORK/inv.txt" bash -c "'$CLI' generate --out /dev/stdout --seed 1 --duration $((BIG / RPS))s --rps $RPS --scenario mixed 2>/dev/null | /usr/bin/time -v -o '$WORK/inv-only.txt' '$CLI' investigate - --json > /dev/null"
  read -r wall kb cpu < <(figures "$WORK/inv-only.txt")
  row "stdin (generate \| investigate -)" "$BIG_LINES" "$wall" "$kb" "$cpu"
  echo
  echo "generate alone: $(awk -v s="$gs" 'BEGIN { printf "%.1f", s }') s for $BIG_LINES lines, so the stdin run's wall time is bounded by generation."
fi
echo
echo "RPS $RPS: $SMALL lines span $((SMALL / RPS)) s of log; investigate counts in one-minute buckets while streaming."
