#!/usr/bin/env bash
# Writes <name>.json for every case in cases.txt with the given elb-notebooks binary (regenerated with issue 21,
# which added "incidents" and each suspect's "evidence" and "scope", nothing else; with issue 19, which added the
# parse report's keys at the end: parse_report, out_of_range, replaced_encoding, rejected_by_reason, formats, inputs,
# problems; with issue 23/25, which added "time_outliers" and "listener_address" and left the 2019 seed line out of
# sample-folder; and with issue 24, whose latency sketches moved percentile values, and the p95s quoted in reasons,
# each within 1%: every suspect, health, window, count and example row stayed as pinned; and with issue 26, which added
# each backend's "verdict" (the evidence behind its reason) and each incident's "spared" and "staggered" after the
# existing keys, every existing key and value unchanged: regenerated with that branch's own build; and when the JSON
# gained "filters" and each suspect's "slow_threshold_seconds", a slow verdict its window's attempts and errors (they
# were 0), a retry that failed on a peer too or whose client gave up (499) became hurt, not neither or rescued, and
# each listener error "upstream_recorded": only those keys and values changed, checked key by key; and when a log
# spanning several days made every time in the reasons name its date: only sample-folder's "reason" strings changed,
# each by dates put before its clock times, checked key by key). Regenerated when a
# pool the log does not record became null instead of "-" in backends, suspects and incidents: only the 12 "pool" values
# of refused-legacy and sample-seed-line (the legacy layout, which has no pool_name) changed. Regenerated when the JSON
# gained what the incident report states: each suspect's clients_hurt, listener_requests, share_of_listener_requests,
# error_statuses, peers and example_lines after its existing keys, and "traffic" and "thresholds" at the end: every
# existing key and value unchanged, checked key by key. Regenerated when a sketch's percentiles stopped leaving the
# smallest and largest time it counted: 125 percentile values moved, by at most 0.73% (5.022185 -> 5 for a
# 5 s connect timeout, 0.002013 -> 0.002, 18.927978 -> 19.028 for the seed line's one response), nothing else,
# checked key by key. Regenerated when each suspect gained endpoints_hurt and requests_hurt_elsewhere after
# share_of_listener_requests: only those keys were added, checked key by key; and when a slow suspect's became its
# endpoints (null before): only those two values of the 7 slow suspects changed, checked key by key.
# Regenerated when a sketch of whole milliseconds began to read a bin that holds one (every bin under about 50 ms) as
# that millisecond: 425 percentile values moved, by at most 0.84% (0.002013 -> 0.002, 0.020828 -> 0.021), nothing else,
# checked key by key. Regenerated when the parse report's keys gained "examples" (the first rejected lines of each
# reason, with file and line) after "problems": only that key was added, empty in every case, checked key by key.
# Regenerated when the reasons' counts gained thousands separators (1305 -> 1,305): 101 reason strings changed, each
# only by commas between digits, nothing else, checked key by key. Regenerated when suspects and incidents gained
# "ongoing" after "to_local" (71 keys, true for the 2 windows that reach the last bucket) and those 2 incidents'
# reasons their ", still failing when the logs end" / ", still slow when the range ends": nothing else, key by key.
# Regenerated when a backend's failures hours apart stopped reading as one window from the first to the last (the
# verdict is its latest; "earlier_windows" added at the end of every verdict, empty but for one backend): only
# sample-folder's answer moved (two days of samples: 10.0.1.12 from 2024-05-02 10:30, not 2024-05-01 10:20, and
# 10.0.2.22 part of its pool's outage on 2024-05-02, its refusals of 2024-05-01 named as earlier), checked key by key.
# Regenerated when each incident gained "upstream_recorded" after "staggered" (32 keys, all true: no case reads a log
# without upstreams): nothing else, key by key.
# Regenerated when "where to look" gained a backend's earlier failures as incidents of their own and a failure's
# own-history baseline left out the backend's other failures: only sample-folder moved (its incidents 5 -> 7: the
# 2024-05-01 failures of 10.0.2.22 and 10.0.1.12 each alone, as when that day is read by itself; 10.0.1.12's
# baseline 3.1% -> 0.19%), checked key by key.
# Run it with a build of the
# commit whose answers are to be pinned (these were made with 2d86d5c, the last commit before the speed work):
#   git worktree add /tmp/pinned 2d86d5c && dotnet build /tmp/pinned/src/ElbNotebooks.Cli -c Release -o /tmp/pinned-cli
#   tests/ElbNotebooks.Tests/Data/golden/make-golden.sh /tmp/pinned-cli/elb-notebooks
set -euo pipefail
cli=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
grep -v '^#' "$here/cases.txt" | while IFS='|' read -r name generate investigate; do
  name=$(echo "$name" | xargs)
  if [ -n "$(echo "$generate" | xargs)" ]; then
    # shellcheck disable=SC2086
    "$cli" generate --out "$work/$name.log" $generate 2>/dev/null
  fi
  # shellcheck disable=SC2086
  # Generated logs are named without their temporary folder (the test removes it as well).
  "$cli" investigate ${investigate//\{log\}/$work/$name.log} --json | sed "s|$work/||g" > "$here/$name.json"
  echo "$name: $(wc -c < "$here/$name.json") bytes"
done
