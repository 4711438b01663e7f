#!/usr/bin/env bash
# End-to-end speed and memory of ElbNotebooks as users install it, against GoAccess 1.7 and `wc -l`, on one large
# Huawei ELB log made by the project's own `generate` (full layout, mixed incidents), warm in the page cache:
#   - the tool as installed: `dotnet pack src/ElbNotebooks.Cli` (Native AOT for linux-x64: needs clang and lld) into a
#     folder and `dotnet tool install` from it into a temporary tool path (pack time, package sizes and install time printed), `investigate --json` on the log and
#     on a one-line log; beside it the portable IL build (what the `any` fallback package holds);
#   - the installed tool on the same traffic as an ALB, a CLB and nginx write it (`generate --format`);
#   - the installed tool again on a log of a pool-wide outage (the same traffic with every backend answering 90% of its
#     requests 5xx, `generate --error-rate 0.9`), where nearly every line's client is counted, against GoAccess too;
#   - AccessLog.Load in the benchmark program's own build (composite ReadyToRun, tiering off): the library's ceiling.
# Load with a host's default runtime settings (a console program, the notebook kernel) is load-default-settings.sh.
# Every figure is the median of $RUNS runs (GoAccess and the installed tool in alternate rounds). Prints Markdown.
#   benchmarks/run.sh                 # 500,000 lines, median of 3
#   LINES=100000 RUNS=5 benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-500000}
RUNS=${RUNS:-3}
WORK=${WORK:-$(mktemp -d)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v goaccess >/dev/null; then
  [ "$(id -u)" = 0 ] && { apt-get update -qq && apt-get install -y -qq goaccess >/dev/null; } ||
    { echo "install goaccess (Debian package goaccess) first" >&2; exit 1; }
fi

# RID-specific outputs left by a differently configured publish (e.g. not composite) would be packed or linked as
# they are, so the builds start clean.
rm -rf src/*/obj/Release/net10.0/*-* src/*/obj/Release/net10.0/any src/*/bin/Release/net10.0/*-* src/*/bin/Release/net10.0/any
rm -rf benchmarks/*/obj/Release/net10.0/linux-x64
seconds_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }'; }

echo "packing the tool (all RID packages) into $WORK/tool-pkg ..." >&2
# A WORK folder used before holds an older pack and install: the sizes and install time below are this run's only.
rm -rf "$WORK/tool-pkg" "$WORK/tool"
start=$(date +%s.%N)
dotnet pack src/ElbNotebooks.Cli -c Release -o "$WORK/tool-pkg" >/dev/null
pack_s=$(seconds_since "$start")
echo "installing it with dotnet tool install into $WORK/tool ..." >&2
start=$(date +%s.%N)
NUGET_PACKAGES="$WORK/nuget" dotnet tool install --tool-path "$WORK/tool" --add-source "$WORK/tool-pkg" --prerelease ElbNotebooks.Cli >/dev/null
install_s=$(seconds_since "$start")
TOOL="$WORK/tool/elb-notebooks"
INSTALLED_RID=$(readlink "$TOOL" | sed -n 's#.*/\([^/]*\)/elb-notebooks$#\1#p')
# What the installed package holds: a native executable alone (Native AOT), or one beside its IL (ReadyToRun).
if [ -f "$(dirname "$(readlink -f "$TOOL")")/elb-notebooks.dll" ]; then INSTALLED_KIND="ReadyToRun"; else INSTALLED_KIND="Native AOT"; fi
PORTABLE="$PWD/src/ElbNotebooks.Cli/bin/Release/net10.0/any/elb-notebooks.dll"

echo "building the benchmark program (self-contained, composite ReadyToRun) ..." >&2
dotnet publish benchmarks/ElbNotebooks.Benchmarks -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
  -p:PublishReadyToRunComposite=true -p:PublishReadyToRunCrossgen2ExtraArgs=--instruction-set:x86-64-v3 -o "$WORK/bench" >/dev/null
rm -rf benchmarks/*/obj/Release/net10.0/linux-x64

LOG="$WORK/elb-$LINES.log"
if [ ! -f "$LOG" ]; then
  "$TOOL" generate --out "$WORK/full.log" --seed 1 --duration "$((LINES / 10 + LINES / 100))s" --rps 10 --scenario mixed 2>/dev/null
  head -n "$LINES" "$WORK/full.log" > "$LOG" && rm "$WORK/full.log"
fi
OUTAGE="$WORK/elb-$LINES-outage.log"
if [ ! -f "$OUTAGE" ]; then
  "$TOOL" generate --out "$WORK/full.log" --seed 1 --duration "$((LINES / 10 + LINES / 100))s" --rps 10 --scenario mixed --error-rate 0.9 2>/dev/null
  head -n "$LINES" "$WORK/full.log" > "$OUTAGE" && rm "$WORK/full.log"
fi
# The same traffic as an AWS ALB, an AWS CLB and nginx write it: each format's parser at the benchmark's pace.
declare -A OTHER
for format in aws-alb aws-clb nginx; do
  OTHER[$format]="$WORK/$format-$LINES.log"
  if [ ! -f "${OTHER[$format]}" ]; then
    "$TOOL" generate --out "$WORK/full.log" --seed 1 --duration "$((LINES / 10 + LINES / 100))s" --rps 10 --scenario mixed \
      --format "$format" --key-out "$WORK/$format.key.json" 2>/dev/null
    head -n "$LINES" "$WORK/full.log" > "${OTHER[$format]}" && rm "$WORK/full.log"
  fi
done
NGINX_LOG_FORMAT=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["nginxLogFormat"])' "$WORK/nginx.key.json")
ONE="$WORK/elb-1.log"
head -n 1 "$LOG" > "$ONE"
BYTES=$(stat -c %s "$LOG")
cat "$LOG" "$OUTAGE" "${OTHER[@]}" > /dev/null # warm the page cache: every tool reads the same cached files

# median wall time of $RUNS runs and the max RSS of that run: "seconds kilobytes"
measure() {
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -o "$WORK/time.txt" -f "%e %M" "$@" >/dev/null 2>&1
    cat "$WORK/time.txt"
  done | sort -n | awk -v n="$RUNS" '{ w[NR] = $1; r[NR] = $2 } END { m = int((n + 1) / 2); print w[m], r[m] }'
}

GOACCESS=(goaccess --no-global-config --no-progress
  "--log-format=%^ %^ [%x] %^ %h:%^ %s \"%r\" %^ %b %^ %T \"%^\" \"%^\" \"%^\" \"%^\" \"%v\" \"%u\" \"%R\" %^"
  "--datetime-format=%Y-%m-%dT%H:%M:%S%z" -o "$WORK/goaccess.json")

# GoAccess and the installed tool in alternate runs, so that both meet the same spells of this shared machine (its
# speed moves by a fifth from one minute to the next); the ratio printed is the median of each round's own ratio.
# Prints "goaccess_seconds goaccess_kb tool_seconds tool_kb ratio" for the log given.
measure_against_goaccess() {
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -o "$WORK/time-ga.txt" -f "%e %M" "${GOACCESS[@]}" "$1" >/dev/null 2>&1
    /usr/bin/time -o "$WORK/time-inv.txt" -f "%e %M" "$TOOL" investigate "$1" --json >/dev/null 2>&1
    echo "$(cat "$WORK/time-ga.txt") $(cat "$WORK/time-inv.txt")"
  done | awk -v n="$RUNS" '{ g[NR] = $1; gk[NR] = $2; t[NR] = $3; tk[NR] = $4; r[NR] = $3 / ($1 > 0 ? $1 : 0.001) }
    function median(a,   i, j, x, b) { for (i = 1; i <= n; i++) b[i] = a[i]; for (i = 2; i <= n; i++) { x = b[i]; for (j = i - 1; j >= 1 && b[j] > x; j--) b[j + 1] = b[j]; b[j + 1] = x } return b[int((n + 1) / 2)] }
    END { printf "%s %s %s %s %.4f\n", median(g), median(gk), median(t), median(tk), median(r) }'
}

read -r wc_s wc_kb < <(measure wc -l "$LOG")
read -r ga_s ga_kb inv_s inv_kb inv_ratio < <(measure_against_goaccess "$LOG")
read -r gao_s gao_kb invo_s invo_kb invo_ratio < <(measure_against_goaccess "$OUTAGE")
read -r invp_s invp_kb < <(measure dotnet "$PORTABLE" investigate "$LOG" --json)
read -r alb_s alb_kb < <(measure "$TOOL" investigate "${OTHER[aws-alb]}" --json)
read -r clb_s clb_kb < <(measure "$TOOL" investigate "${OTHER[aws-clb]}" --json)
read -r ngx_s ngx_kb < <(measure "$TOOL" investigate "${OTHER[nginx]}" --json --nginx-log-format "$NGINX_LOG_FORMAT")
read -r one_s one_kb < <(measure "$TOOL" investigate "$ONE" --json)
read -r onep_s onep_kb < <(measure dotnet "$PORTABLE" investigate "$ONE" --json)
read -r load_s load_kb < <(measure "$WORK/bench/ElbNotebooks.Benchmarks" load-frames "$LOG")
# The same load with LoadOptions.PauseCollection off: the runtime collects as it likes while the load runs.
read -r loadg_s loadg_kb < <(measure env ELB_PAUSE_COLLECTION=0 "$WORK/bench/ElbNotebooks.Benchmarks" load-frames "$LOG")

echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/model name/{$1=$2=$3="";print;exit}' /proc/cpuinfo | sed 's/^ *//'), $(dotnet --version), $LINES lines, $((BYTES / 1000000)) MB, median of $RUNS, load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | wall (s) | lines/s | MB/s | max RSS (MB) | RSS / file | wall / GoAccess | wall / wc -l |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row() {
  awk -v n="$1" -v s="$2" -v kb="$3" -v lines="$LINES" -v bytes="$BYTES" -v ga="$ga_s" -v wc="$wc_s" 'BEGIN {
    s2 = (s > 0 ? s : 0.001);
    printf "| %s | %.2f | %\047.0f | %.0f | %.0f | %.2f | %.3f | %.1f |\n", n, s, lines / s2, bytes / 1e6 / s2, kb / 1024, kb * 1024 / bytes, s / ga, s / (wc > 0 ? wc : 0.001) }'
}
row "wc -l (floor)" "$wc_s" "$wc_kb"
row "GoAccess 1.7 JSON report" "$ga_s" "$ga_kb"
row "investigate --json, installed tool (${INSTALLED_RID:-?} package, $INSTALLED_KIND)" "$inv_s" "$inv_kb"
row "investigate --json, portable IL build (the any package)" "$invp_s" "$invp_kb"
row "AccessLog.Load, benchmark build (composite ReadyToRun, tiering off)" "$load_s" "$load_kb"
row "AccessLog.Load, benchmark build, PauseCollection = false" "$loadg_s" "$loadg_kb"
echo
echo
echo "| one-line log | wall (s) | max RSS (MB) |"
echo "|---|---:|---:|"
echo "| investigate --json, installed tool (${INSTALLED_RID:-?} package, $INSTALLED_KIND) | $one_s | $((one_kb / 1024)) |"
echo "| investigate --json, portable IL build | $onep_s | $((onep_kb / 1024)) |"
echo
echo "\`dotnet pack src/ElbNotebooks.Cli\` took ${pack_s} s; \`dotnet tool install\` from the folder ${install_s} s; packages:"
for package in "$WORK"/tool-pkg/*.nupkg; do
  echo "- $(basename "$package"): $(awk -v b="$(stat -c %s "$package")" 'BEGIN { printf "%.1f MB", b / 1e6 }')"
done
echo "- installed: $(du -sm "$WORK/tool" | cut -f1) MB"
echo
echo "investigate --json, installed tool, against GoAccess run by run (median of the $RUNS rounds' ratios): $inv_ratio"
echo
echo "The pool-wide outage log ($(stat -c %s "$OUTAGE" | awk '{ printf "%.0f", $1 / 1e6 }') MB, every backend answering 90% 5xx): GoAccess ${gao_s} s ($((gao_kb / 1024)) MB), investigate --json, installed tool ${invo_s} s ($((invo_kb / 1024)) MB); median of the rounds' ratios: $invo_ratio"
echo
echo "The same traffic in other formats ($LINES lines each, \`generate --format\`), investigate --json, installed tool:"
echo
echo "| format | file (MB) | wall (s) | max RSS (MB) |"
echo "|---|---:|---:|---:|"
echo "| huawei-elb (above) | $((BYTES / 1000000)) | $inv_s | $((inv_kb / 1024)) |"
echo "| aws-alb | $(($(stat -c %s "${OTHER[aws-alb]}") / 1000000)) | $alb_s | $((alb_kb / 1024)) |"
echo "| aws-clb | $(($(stat -c %s "${OTHER[aws-clb]}") / 1000000)) | $clb_s | $((clb_kb / 1024)) |"
echo "| nginx | $(($(stat -c %s "${OTHER[nginx]}") / 1000000)) | $ngx_s | $((ngx_kb / 1024)) |"
echo
echo "targets: investigate <= 0.06 x GoAccess and RSS <= file; one-line log <= 0.15 s (Load with default settings: load-default-settings.sh)"
