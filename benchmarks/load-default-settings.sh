#!/usr/bin/env bash
# AccessLog.Load where notebook users run it: with the host's default runtime settings (tiered JIT with PGO), in a
# plain console program that references the packed ElbNotebooks package, and inside the real notebook kernel
# (dotnet-interactive, pinned in .config/dotnet-tools.json) through `jupyter nbconvert --execute`. Also the console
# program with DOTNET_TieredCompilation=0, for comparison. Issue 20's target: >= 1,000,000 lines/s in both.
# For reference, DuckDB's CSV reader (native, all cores) loading the same log into an in-memory table.
#   benchmarks/load-default-settings.sh                 # 500,000 lines, 3 runs each
#   LINES=100000 RUNS=5 benchmarks/load-default-settings.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-500000}
RUNS=${RUNS:-3}
WORK=${WORK:-$(mktemp -d)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "packing the library and building the programs into $WORK ..." >&2
dotnet pack src/ElbNotebooks -c Release -o "$WORK/lib-pkg" >/dev/null
LIB_VERSION=$(basename "$(ls -t "$WORK"/lib-pkg/ElbNotebooks.*.nupkg | head -1)" .nupkg | sed 's/^ElbNotebooks\.//')
cat > "$WORK/nuget.config" <<XML
<configuration>
  <packageSources>
    <add key="elbnotebooks-local" value="$WORK/lib-pkg" />
  </packageSources>
</configuration>
XML
mkdir -p "$WORK/load-console"
cp benchmarks/load-console/Program.cs "$WORK/load-console/" && cp "$WORK/nuget.config" "$WORK/load-console/"
cat > "$WORK/load-console/load-console.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ElbNotebooks" Version="$LIB_VERSION" />
  </ItemGroup>
</Project>
XML
dotnet build "$WORK/load-console" -c Release -o "$WORK/load-console/out" >/dev/null
dotnet build src/ElbNotebooks.Cli -c Release -o "$WORK/cli" >/dev/null
dotnet build benchmarks/ElbNotebooks.Benchmarks -c Release -o "$WORK/bench" >/dev/null

LOG="$WORK/elb-$LINES.log"
"$WORK/cli/elb-notebooks" generate --out "$WORK/full.log" --seed 1 --duration "$((LINES / 10 + LINES / 100))s" --rps 10 --scenario mixed 2>/dev/null
head -n "$LINES" "$WORK/full.log" > "$LOG" && rm "$WORK/full.log"
cat "$LOG" > /dev/null

seconds() { grep -o 'rows in [0-9.]* s' | awk '{ print $3 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
console=$(for _ in $(seq "$RUNS"); do "$WORK/load-console/out/load-console" "$LOG" | seconds; done | median)
console_t0=$(for _ in $(seq "$RUNS"); do DOTNET_TieredCompilation=0 "$WORK/load-console/out/load-console" "$LOG" | seconds; done | median)
# The reference is left out (shown as -) if DuckDB cannot split the log into the same fields on every line.
duckdb=""
if columns=$("$WORK/bench/ElbNotebooks.Benchmarks" duckdb-columns "$LOG" 2>/dev/null); then
  duckdb=$(for _ in $(seq "$RUNS"); do "$WORK/bench/ElbNotebooks.Benchmarks" duckdb-load "$LOG" "$columns" 2>/dev/null | seconds; done | median) || duckdb=""
fi

kernel_first="" kernel_later=""
if command -v jupyter >/dev/null; then
  echo "loading in the real notebook kernel ..." >&2
  mkdir -p "$WORK/kernel/.config" "$WORK/jupyter/kernels/.net-csharp"
  cp .config/dotnet-tools.json "$WORK/kernel/.config/" && cp "$WORK/nuget.config" "$WORK/kernel/"
  (cd "$WORK/kernel" && dotnet tool restore >/dev/null)
  cat > "$WORK/jupyter/kernels/.net-csharp/kernel.json" <<'JSON'
{ "argv": ["dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"],
  "display_name": ".NET (C#)", "language": "C#" }
JSON
  /usr/bin/python3 - "$WORK/kernel/load.ipynb" "$LIB_VERSION" "$LOG" "$RUNS" <<'PY'
import json, sys
path, version, log, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cell = lambda src: {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": src}
load = ('var clock = System.Diagnostics.Stopwatch.StartNew();\n'
        f'var log = ElbNotebooks.Loading.AccessLog.Load(new[] {{ {json.dumps(log)} }});\n'
        'Console.WriteLine($"kernel-load {log.Report.Lines} {clock.Elapsed.TotalSeconds:F3}");')
cells = [cell(f'#r "nuget: ElbNotebooks, {version}"')] + [cell(load) for _ in range(runs + 1)]
json.dump({"cells": cells, "metadata": {"kernelspec": {"name": ".net-csharp", "display_name": ".NET (C#)", "language": "C#"}},
           "nbformat": 4, "nbformat_minor": 5}, open(path, "w"))
PY
  (cd "$WORK/kernel" && JUPYTER_PATH="$WORK/jupyter" jupyter nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=900 --output executed.ipynb load.ipynb >/dev/null 2>&1) || true
  if [ -f "$WORK/kernel/executed.ipynb" ]; then
    mapfile -t loads < <(grep -o 'kernel-load [0-9]* [0-9.]*' "$WORK/kernel/executed.ipynb" | awk '{ print $3 }')
    if [ "${#loads[@]}" -ge 2 ]; then
      kernel_first=${loads[0]}
      kernel_later=$(printf '%s\n' "${loads[@]:1}" | median)
    fi
  fi
fi

rate() { awk -v n="$LINES" -v s="$1" 'BEGIN { if (s == "") print "-"; else printf "%d", n / s }'; }
echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(dotnet --version), $LINES lines, median of $RUNS, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| AccessLog.Load | seconds | lines/s |"
echo "|---|---:|---:|"
echo "| console program, default settings (tiered JIT) | $console | $(rate "$console") |"
echo "| console program, DOTNET_TieredCompilation=0 | $console_t0 | $(rate "$console_t0") |"
echo "| notebook kernel, first load | ${kernel_first:--} | $(rate "$kernel_first") |"
echo "| notebook kernel, later loads (median) | ${kernel_later:--} | $(rate "$kernel_later") |"
echo "| reference: DuckDB read_csv into a table (native, $(nproc) threads; fields as split at spaces, times as text) | ${duckdb:--} | $(rate "$duckdb") |"
