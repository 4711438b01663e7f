#!/usr/bin/env python3
"""Writes the guided notebooks (notebooks/0*.ipynb) from the cells below, without outputs.

The cells live here so that prose and code are reviewed as text; the .ipynb files are what readers open.
After editing, regenerate and write the executed outputs back (from the repository root):

    python3 notebooks/make-notebooks.py
    ELB_WRITE_NOTEBOOK_OUTPUTS=1 dotnet test tests/ElbNotebooks.Notebooks.Tests -c Release --filter Every_shipped_notebook_runs

Then run `dotnet test tests/ElbNotebooks.Notebooks.Tests -c Release`: it checks what each notebook shows and that the
committed outputs are what the notebooks produce. The JSON shape is the one VS Code Polyglot Notebooks writes
(`NotebookFile.CreatePolyglot()` in tests/ElbNotebooks.Notebooks.Tests).

Rule for the prose: every finding must match sample-logs/README.md (the answer key), and every number in the prose must
be one a cell displays.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

NUGET = '#r "nuget: ElbNotebooks, 0.1.0"'

# A helper several notebooks define: a few columns of a frame, shown with this project's view.
PICK = '''// A few columns of a frame, shown with ElbNotebooks' table view (LogFrame wraps the columns, no copy).
LogFrame Pick(DataFrame frame, params string[] columns) => new(columns.Select(c => frame.Columns[c]));'''

# Reads one raw line back from a log (plain or .gz), by the file and line columns every request row carries.
RAW_LINE = '''// The raw text of line `line` of `file` (plain or gzip), as the `file` and `line` columns point to it.
string RawLine(string file, long line)
{
    using var stream = File.OpenRead(file);
    var gzip = stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
    stream.Position = 0;
    using var reader = new StreamReader(gzip ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress) : stream);
    for (var n = 1L; reader.ReadLine() is { } text; n++)
        if (n == line) return text;
    throw new ArgumentOutOfRangeException(nameof(line), $"{file} has fewer than {line} lines");
}'''

# Who made each 5xx, from the request row alone (Huawei FAQ elb_faq_0081).
MADE_BY = '''// Who made the 5xx of each request, read from the row the way the Huawei FAQ (elb_faq_0081) says:
//  - upstream_addr "-": no backend was tried, the load balancer answered by itself;
//  - no upstream_header_time: the backend never answered, the load balancer wrote 502/504 for it;
//  - otherwise the backend answered and its code was passed on (status == upstream_status).
string MadeBy(DataFrame requests, long row) =>
    requests["upstream_addr"][row] is null ? "load balancer, no backend tried"
    : requests["upstream_header_time"][row] is null ? "load balancer, backend unreachable or timed out"
    : "backend (passed through)";

LogFrame WhoMade5xx(DataFrame requests)
{
    var status = (Int32DataFrameColumn)requests["status"];
    var groups = Enumerable.Range(0, (int)requests.Rows.Count)
        .Where(i => status[i] >= 500)
        .GroupBy(i => (MadeBy: MadeBy(requests, i), Status: status[i]!.Value))
        .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Status)
        .ToList();
    return new LogFrame(new DataFrameColumn[]
    {
        new StringDataFrameColumn("made by", groups.Select(g => g.Key.MadeBy)),
        new Int32DataFrameColumn("status", groups.Select(g => g.Key.Status)),
        new Int64DataFrameColumn("requests", groups.Select(g => (long)g.Count())),
    });
}'''


def notebook_01():
    return [
        md('''# 1 · Getting started: access logs as DataFrames

**You will learn to**

- load the ElbNotebooks package into a Polyglot notebook;
- load access logs and check what was read (the load summary and the parse report);
- explore `log.Requests` (one row per request) and `log.Attempts` (one row per backend tried) with
  Microsoft.Data.Analysis: filter, group, sort;
- draw the first charts.

The sample is `../sample-logs/elb-web-incident.log`: one hour of a Huawei Cloud ELB (layer 7) with two listeners
(`web`, `api`) and seven backends. Run the cells from the top (VS Code: **Run All**).'''),
        md('''## Load the package

`#r "nuget: ..."` restores the package and runs its extension, which registers the views used below (tables, charts,
summaries).

**Package not on your feed yet?** Build it from a clone of the repository:

```sh
dotnet pack src/ElbNotebooks -c Release -o artifacts
```

and add this line above the `#r` line, with the absolute path of that folder:

```
#i "nuget: /abs/path/to/ElbNotebooks/artifacts"
```

After rebuilding with the same version, restart the kernel and delete `~/.nuget/packages/elbnotebooks` so the new
build is used.'''),
        code(NUGET + '''
using System.IO;
using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;'''),
        md('''## Load the logs

`AccessLog.Load` takes files, folders (read recursively), globs (`logs/**/*.gz`) and `.gz` exports, in any mix. Paths
are relative to this notebook. The summary says what was read: every line is **parsed**, **rejected** with a reason, or
**blank**; nothing is dropped silently.'''),
        code('''var log = AccessLog.Load("../sample-logs/elb-web-incident.log");
log'''),
        md('''All 9,067 lines parsed, none rejected. Times in the summary are in the log's own offset (+08:00); the `time`
column of the frames is UTC.

Check `rejected` before trusting any number: a rejected line is a request you cannot see. To see what a rejection
looks like, load two pasted lines: the example line of the Huawei guide, and the same line cut short after
`request_time`.'''),
        code('''var seedLine = File.ReadAllText("../sample-logs/seed-line.log").Trim();
var cutShort = seedLine[..seedLine.IndexOf(" \\"500\\"")];   // stops after request_time: 11 fields
var pasted = seedLine + "\\n" + cutShort + "\\n";
var small = AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(pasted)), "pasted.log");
small.Report'''),
        md('''The report names the reason (`too-few-fields`) and where the line is (`pasted.log:2`), with its first characters.
For many files, `log.Report.Files` has the same counts per file and `log.Report.Examples` the first rejected lines of
each reason.

## One row per request: `log.Requests`

Columns are named after the log's variables (`status`, `upstream_status`, `upstream_connect_time`,
`upstream_header_time`, `upstream_addr`, ...), typed, with `-` as null. The upstream columns hold the **last** backend
tried, the one whose answer the client got. `file` and `line` lead back to the raw line.'''),
        code(PICK + '''

string[] reading = ["time", "status", "upstream_status", "upstream_connect_time", "upstream_header_time",
                    "upstream_addr", "request_method", "router_request_uri", "file", "line"];
Pick(log.Requests.Head(5), reading)'''),
        md('''## Filter, group, sort

`Filter` takes a column of booleans; `ElementwiseGreaterThanOrEqual` and friends make one. The requests that got a
5xx:'''),
        code('''var requests = log.Requests;
var errors = requests.Filter(requests["status"].ElementwiseGreaterThanOrEqual(500));
Pick(errors, reading)'''),
        md('''Which backend answered them: group by `upstream_addr`, count, sort.'''),
        code('''var errorsByBackend = errors.GroupBy("upstream_addr").Count("status");
errorsByBackend.Columns["status"].SetName("5xx requests");
LogFrame.From(errorsByBackend.OrderByDescending("5xx requests"))'''),
        md('''One backend stands out: **10.0.1.12:8080**. A count is not yet a rate, though: compare with how many requests
each backend served.'''),
        code('''var servedByBackend = requests.GroupBy("upstream_addr").Count("status");
servedByBackend.Columns["status"].SetName("requests");
LogFrame.From(servedByBackend.OrderBy("upstream_addr"))'''),
        md('''10.0.1.12:8080 served about as many requests as the other three `web` backends (10.0.1.x:8080), so its many 5xx
are not explained by more traffic.
Notebook 02 turns this into error rates compared with peers, over time.

## One row per backend attempt: `log.Attempts`

When the load balancer cannot reach a backend it retries on another member and appends each attempt to the upstream
lists (`"502, 200"`). `log.Attempts` has one row per attempt: `request` is the row in `log.Requests`, `attempt` its
position, `is_final` marks the one the client got. Per-backend numbers are computed from this frame, so a failed first
attempt is charged to the backend that failed, not to the peer that answered.'''),
        code('''log.Attempts.Head(5)'''),
        code('''var attempts = log.Attempts;
var retried = attempts.Filter(attempts["is_final"].ElementwiseEquals(false));
$"{attempts.Rows.Count:N0} attempts for {requests.Rows.Count:N0} requests; {retried.Rows.Count:N0} attempts failed and were retried on another backend"'''),
        md('''No request in this file was retried: one attempt per request. Notebook 02 has a log where retries hide most of an
outage.

## First charts

`log.Charts` draws the whole log, with the time axis in the log's offset. `StatusOverTime()` stacks responses per time
bucket by status class and splits the 5xx by who made them: the backend, the load balancer for an unreachable backend,
or the load balancer with no backend at all. Hover for numbers; click a legend entry to hide it.'''),
        code('''log.Charts.StatusOverTime()'''),
        md('''`ErrorHeatmap()`: the share of each backend's attempts that failed with 5xx, per time bucket; most failing backend on
top.'''),
        code('''log.Charts.ErrorHeatmap()'''),
        md('''## What you found

- The file loaded whole: 9,067 lines, all parsed, none rejected.
- Nearly all 5xx were answered by one backend, **10.0.1.12:8080** (top of the group-by), though it served no more
  requests than its peers.
- In the charts its 5xx are backend-made (status passed through from the backend) and sit in one block, between
  **10:20 and 10:35 +08:00** (02:20–02:35 UTC).

Next: **02-locate-unhealthy-backend.ipynb** does this properly: who made the errors, rates against peers, the exact
window, and the requests that were hurt.'''),
    ]


def notebook_02():
    return [
        md('''# 2 · Locate the unhealthy backend

Huawei's guide *Locating an Unhealthy Backend Server Using Access Logs* reads one log line and names the backend at
fault. That is right for one line. In an incident you have thousands, and the questions are: **which backend, since
when, who made the errors, and whom did it hurt?**

**You will learn to**

1. read one line the way the guide does, and what each field says;
2. look at the status mix over time;
3. tell backend-made 5xx from load-balancer-made 5xx;
4. expand retries, so a failure is charged to the backend that failed;
5. compare each backend's error rate with its peers';
6. name the failing backend, its window and the requests it hurt;
7. do it again on an outage the load balancer reported and retries mostly hid.

Samples: `../sample-logs/seed-line.log`, `../sample-logs/elb-web-incident.log` and
`../sample-logs/elb-refused-and-slow.log.gz`. Notebook 01 explains the setup.'''),
        code(NUGET + '''
using System.IO;
using ElbNotebooks.Loading;
using ElbNotebooks.Analysis;
using Microsoft.Data.Analysis;'''),
        code(PICK + '\n\n' + RAW_LINE),
        md('''## 1. One line, read as the guide does

`seed-line.log` is the guide's example line with its addresses intact (the older 22-field layout).'''),
        code('''var seed = AccessLog.Load("../sample-logs/seed-line.log");
RawLine("../sample-logs/seed-line.log", 1)'''),
        code('''string[] timing = ["status", "upstream_status", "upstream_connect_time", "upstream_header_time",
                   "upstream_response_time", "request_time", "upstream_addr"];
Pick(seed.Requests, timing)'''),
        md('''How to read it (Huawei ELB FAQ *elb_faq_0081*):

| you see | it means |
|---|---|
| `status` equal to `upstream_status`, header time present | the backend answered that code; the load balancer passed it on |
| `upstream_status` 502 or 504, no header time (`-`) | the load balancer could not connect to the backend or timed out, and wrote the code itself |
| upstream fields all `-` | no backend was tried: the load balancer (listener) answered by itself |
| small `upstream_connect_time` | the backend was reachable; a large one points at the network or a host that is down or overloaded |
| large `upstream_header_time` with a normal connect time | the application is slow |

The same reading as code, used again below:'''),
        code('''string Explain(DataFrame requests, long row)
{
    var status = (int?)requests["status"][row];
    var upstream = (int?)requests["upstream_status"][row];
    var connect = (double?)requests["upstream_connect_time"][row];
    var header = (double?)requests["upstream_header_time"][row];
    var backend = (string?)requests["upstream_addr"][row];
    if (backend is null)
        return $"No backend was tried: the load balancer answered {status} by itself (listener or client side).";
    if (header is null)
        return $"{backend} never answered (connect {connect:0.000} s, no header time): the load balancer wrote {upstream} for it and the client got {status}.";
    return status == upstream
        ? $"{backend} answered {upstream} after {header:0.000} s (connect {connect:0.000} s): the backend's application produced the {upstream}, and the load balancer passed it on."
        : $"The last backend tried, {backend}, answered {upstream} after {header:0.000} s; the client got {status}.";
}

Explain(seed.Requests, 0)'''),
        md('''The guide's conclusion, from the fields: **172.17.0.82:3000 answered 500 after 19 s, connecting took 0.009 s**. The
network was fine and the application on that backend failed; the load balancer only passed the 500 on.

One line cannot say whether that backend fails often, since when, or whether its peers fail too. The rest of this
notebook answers that for a whole hour.

## 2. The status mix over time

`elb-web-incident.log`: one hour, two listeners, seven backends.'''),
        code('''var log = AccessLog.Load("../sample-logs/elb-web-incident.log");
log'''),
        code('''log.Charts.StatusOverTime()'''),
        md('''Outside a block of 5xx in the middle of the hour there are only scattered ones. The block is red: **backend-made**
5xx.

## 3. Who made the 5xx

The same reading as the table in step 1, applied to every request that got a 5xx:'''),
        code(MADE_BY + '''

WhoMade5xx(log.Requests)'''),
        md('''Every 5xx here was made by a backend and passed through: backends were reachable (a connect time, a header time)
and answered 500 or 503 themselves. The load balancer and the network are not the problem in this log.

## 4. Expand retries

A request retried on a peer carries several attempts in its upstream lists; its row in `log.Requests` shows only the
last. Count the requests with more than one attempt:'''),
        code('''var retriedRequests = log.Requests.Filter(log.Requests["upstream_attempts"].ElementwiseGreaterThan(1));
$"{retriedRequests.Rows.Count:N0} of {log.RequestCount:N0} requests were retried"'''),
        md('''None: each request has one attempt, so the attempts frame and the requests frame agree here. Step 7 shows a log
where they do not.

## 5. Each backend against its peers

Error rate = 5xx attempts / attempts, per backend, from `log.Attempts`. Compare a backend only with the other members
of its pool (same listener, same application).'''),
        code('''LogFrame ErrorRates(AccessLog log)
{
    var a = log.Attempts;
    var pool = (StringDataFrameColumn)a["pool"];
    var backend = (StringDataFrameColumn)a["backend"];
    var status = (Int32DataFrameColumn)a["status"];
    var rows = Enumerable.Range(0, (int)a.Rows.Count)
        .GroupBy(i => (Pool: pool[i], Backend: backend[i]))
        .Select(g => (g.Key.Pool, g.Key.Backend, Attempts: (long)g.Count(), Errors: (long)g.Count(i => status[i] >= 500)))
        .OrderBy(r => r.Pool).ThenByDescending(r => (double)r.Errors / r.Attempts)
        .ToList();
    return new LogFrame(new DataFrameColumn[]
    {
        new StringDataFrameColumn("pool", rows.Select(r => r.Pool)),
        new StringDataFrameColumn("backend", rows.Select(r => r.Backend)),
        new Int64DataFrameColumn("attempts", rows.Select(r => r.Attempts)),
        new Int64DataFrameColumn("5xx", rows.Select(r => r.Errors)),
        new DoubleDataFrameColumn("error rate", rows.Select(r => Math.Round((double)r.Errors / r.Attempts, 4))),
    });
}

ErrorRates(log)'''),
        md('''Over the hour, 10.0.1.12:8080 failed far more often than the three other members of its pool, whose rates are at
the background level of every backend. An hour's average dilutes an incident, though: the heatmap shows the rate per
minute.'''),
        code('''var investigation = log.Investigate();
investigation.Charts.ErrorHeatmap()'''),
        md('''## 6. The failing backend, its window, and whom it hurt

`log.Investigate()` does steps 3–5 per time bucket: each backend against its pool's peers, 5xx split by who made them,
and a statistical test so that background noise does not make a suspect. Suspects come first.'''),
        code('''investigation'''),
        code('''var suspect = investigation.Suspects[0];
suspect'''),
        code('''$"{suspect.Backend.Backend} failed during {suspect.Window.Describe()}, that is {suspect.Window.StartUtc:HH:mm}–{suspect.Window.EndUtc:HH:mm} UTC"'''),
        md('''The requests it hurt: those whose client got a 5xx from it inside the window. Each row has `file` and `line`.'''),
        code('''var r = log.Requests;
var hurtMask = (PrimitiveDataFrameColumn<bool>)r["upstream_addr"].ElementwiseEquals(suspect.Backend.Backend)
    .And(r["status"].ElementwiseGreaterThanOrEqual(500))
    .And(r["time"].ElementwiseGreaterThanOrEqual(suspect.Window.StartUtc))
    .And(r["time"].ElementwiseLessThan(suspect.Window.EndUtc));
var hurt = r.Filter(hurtMask);
display($"{hurt.Rows.Count:N0} requests got a 5xx from {suspect.Backend.Backend} during {suspect.Window.Describe()} (suspect.RequestsHurt = {suspect.RequestsHurt:N0})");
Pick(hurt, "time", "status", "upstream_status", "upstream_header_time", "remote_addr", "request_method", "router_request_uri", "file", "line")'''),
        md('''One of them, raw and explained:'''),
        code('''display(RawLine((string)hurt["file"][0], (long)hurt["line"][0]!));
Explain(hurt, 0)'''),
        md('''Which endpoints failed (all backends, the investigated range):'''),
        code('''investigation.Charts.TopFailingPaths()'''),
        md('''## 7. A second outage: refused connections, hidden by retries

`elb-refused-and-slow.log.gz` is a gzip export (36,260 lines) with two problems on different backends. This notebook
follows the failing one; notebook 03 follows the slow one.'''),
        code('''var gz = AccessLog.Load("../sample-logs/elb-refused-and-slow.log.gz");
var gzInvestigation = gz.Investigate();
gzInvestigation'''),
        code('''gzInvestigation.Charts.StatusOverTime()'''),
        code('''WhoMade5xx(gz.Requests)'''),
        md('''This time most 5xx are **made by the load balancer**: 502 (and some 504) with no header time, because it could not
connect to the backend. The 503s answered with no backend at all come from the `web` listener late in the hour; no
backend is charged for them (see the last table of the investigation above).

Which backend the load balancer could not reach, and what the clients got. Expand the attempts: the failed attempts
on the suspect in its window, by method, retried or not, and the status the client finally received:'''),
        code('''var refused = gzInvestigation.Suspects.Single(s => s.Health == Health.Failing);
var ga = gz.Attempts;
var onRefused = ga.Filter((PrimitiveDataFrameColumn<bool>)ga["backend"].ElementwiseEquals(refused.Backend.Backend)
    .And(ga["status"].ElementwiseGreaterThanOrEqual(500))
    .And(ga["time"].ElementwiseGreaterThanOrEqual(refused.Window.StartUtc))
    .And(ga["time"].ElementwiseLessThan(refused.Window.EndUtc)));
var outcome = Enumerable.Range(0, (int)onRefused.Rows.Count)
    .GroupBy(i => (Method: (string)onRefused["request_method"][i], Retried: !(bool)onRefused["is_final"][i], Client: (int)onRefused["client_status"][i]))
    .OrderByDescending(g => g.Count())
    .ToList();
display($"failed attempts on {refused.Backend.Backend} during {refused.Window.Describe()}: {onRefused.Rows.Count:N0}");
new LogFrame(new DataFrameColumn[]
{
    new StringDataFrameColumn("method", outcome.Select(g => g.Key.Method)),
    new StringDataFrameColumn("retried on a peer", outcome.Select(g => g.Key.Retried ? "yes" : "no")),
    new Int32DataFrameColumn("client got", outcome.Select(g => g.Key.Client)),
    new Int64DataFrameColumn("attempts", outcome.Select(g => (long)g.Count())),
})'''),
        md('''GET and HEAD were retried on a peer and the client mostly got 200: those users never saw the outage. POST, PUT,
PATCH and DELETE are not retried once forwarded, so those clients got the 502 or 504 (a few clients gave up first:
499). Counting only what clients got
(`log.Requests`) would understate the outage, and charge the rescued requests to the peers that served them.

One retried request, raw: the upstream lists hold both attempts, in order.'''),
        code('''var rescued = onRefused.Filter(onRefused["is_final"].ElementwiseEquals(false));
var rescuedRow = (long)rescued["request"][0]!;
display(RawLine((string)gz.Requests["file"][rescuedRow], (long)gz.Requests["line"][rescuedRow]!));
Pick(ga.Filter(ga["request"].ElementwiseEquals(rescuedRow)), "request", "attempt", "is_final", "backend", "status", "connect_time", "header_time", "client_status")'''),
        code('''gzInvestigation.Charts.Retries()'''),
        code('''refused'''),
        md('''## What was found

- **Seed line:** 172.17.0.82:3000 answered 500 after 19 s (connect 0.009 s): its application failed; the load balancer
  passed the 500 on.
- **elb-web-incident.log:** **10.0.1.12:8080** (pool_web, listener `web`) failed with **backend-made 500s**
  (status equal to upstream_status, normal connect and header times) **between 10:20 and 10:35 +08:00
  (02:20–02:35 UTC)**, on about 60% of its requests in that window. Its three peers stayed at the background rate;
  nothing on the `api` listener is a suspect. The requests it hurt are listed above with file and line.
- **elb-refused-and-slow.log.gz:** **10.0.2.22:9000** (pool_api, listener `api`) refused connections **between 14:05
  and 14:25 +08:00 (06:05–06:25 UTC)**. The 502s (and the 504 connect timeouts) were **made by the load balancer**.
  GET/HEAD requests were retried on its peers 10.0.2.21:9000 and 10.0.2.23:9000 and mostly got 200; POST/PUT/DELETE
  clients got the 502 or 504. The 503s of the `web` listener at 14:53–14:58 +08:00 were answered by the load balancer
  itself: not a backend problem.

Next: **03-slow-backend.ipynb** for the backend in that log that did not fail but was slow.'''),
    ]


def notebook_03():
    return [
        md('''# 3 · A slow backend: where the time goes

A backend can hurt users without a single error: it answers 200, only late. Error rates miss it; latency does not.

**You will learn to**

- split a request's time into connect, backend processing, body transfer and client side;
- compare percentiles per backend with its peers;
- find the slow member and its window, with `investigation.Charts.LatencyOverTime()` and `LatencyBreakdown()`;
- list the requests it slowed down.

Sample: `../sample-logs/elb-refused-and-slow.log.gz` (notebook 02 covers its other problem, refused connections).'''),
        code(NUGET + '''
using System.IO;
using ElbNotebooks.Loading;
using ElbNotebooks.Analysis;
using Microsoft.Data.Analysis;'''),
        code(PICK),
        code('''var log = AccessLog.Load("../sample-logs/elb-refused-and-slow.log.gz");
var investigation = log.Investigate();
log'''),
        md('''## The four times of a request

| time | measures | when it is high |
|---|---|---|
| `upstream_connect_time` | the TCP connection to the backend | network trouble, or a host that is down or overloaded |
| `upstream_header_time` − connect | the backend working until its first response byte | a slow application |
| `upstream_response_time` − header | sending the body | a large or slowly produced body |
| `request_time` − `upstream_response_time` | time on the client side of the load balancer | slow clients or uploads |

## Percentiles per backend, against peers

`investigation.Backends` has p50/p95/p99 of connect, header and response time for each backend over the hour:'''),
        code('''double? R(double? seconds) => seconds is { } s ? Math.Round(s, 3) : null;   // milliseconds are enough

LogFrame Latencies(Investigation inv) => new(new DataFrameColumn[]
{
    new StringDataFrameColumn("health", inv.Backends.Select(b => b.Health.ToString())),
    new StringDataFrameColumn("backend", inv.Backends.Select(b => b.Backend)),
    new StringDataFrameColumn("pool", inv.Backends.Select(b => b.Pool)),
    new DoubleDataFrameColumn("connect p95", inv.Backends.Select(b => R(b.Connect.P95))),
    new DoubleDataFrameColumn("header p50", inv.Backends.Select(b => R(b.Header.P50))),
    new DoubleDataFrameColumn("header p95", inv.Backends.Select(b => R(b.Header.P95))),
    new DoubleDataFrameColumn("header p99", inv.Backends.Select(b => R(b.Header.P99))),
    new DoubleDataFrameColumn("response p95", inv.Backends.Select(b => R(b.Response.P95))),
});

Latencies(investigation)'''),
        md('''Over the hour one member of the `web` pool, **10.0.1.14:8080**, has a header-time p95 many times its peers', while
its connect time is like theirs. Its median moves much less than its p95: the slowness covers only part of the hour.
Over time:'''),
        code('''investigation.Charts.LatencyOverTime()'''),
        md('''Its p95 header time jumps for a block of the hour and comes back.'''),
        md('''## The slow member and its window'''),
        code('''var slow = investigation.Suspects.Single(s => s.Health == Health.Slow);
slow'''),
        md('''Inside the window the difference is plain. Investigate that window only (`InvestigationOptions.From`/`To`, instants
with their offset):'''),
        code('''var inWindow = log.Investigate(new InvestigationOptions { From = slow.Window.StartLocal, To = slow.Window.EndLocal });
Latencies(inWindow)'''),
        md('''Box plots of the three times per backend of its pool (listener) in the window show where the time went: header
time, not connect time.'''),
        code('''var poolInWindow = log.Investigate(new InvestigationOptions
{
    Listener = slow.Backend.Listener, From = slow.Window.StartLocal, To = slow.Window.EndLocal,
});
poolInWindow.Charts.LatencyBreakdown()'''),
        md('''Split each request's time into its parts, median per backend of the pool, in the window:'''),
        code('''LogFrame TimeSplit(AccessLog log, string pool, DateTime fromUtc, DateTime toUtc)
{
    var r = log.Requests;
    var inPool = (PrimitiveDataFrameColumn<bool>)r["pool_name"].ElementwiseEquals(pool)
        .And(r["time"].ElementwiseGreaterThanOrEqual(fromUtc))
        .And(r["time"].ElementwiseLessThan(toUtc))
        .And(r["upstream_header_time"].ElementwiseIsNotNull());
    var w = r.Filter(inPool);
    double Median(IEnumerable<double> values) { var v = values.Order().ToArray(); return v.Length == 0 ? double.NaN : Math.Round(v[v.Length / 2], 3); }
    var groups = Enumerable.Range(0, (int)w.Rows.Count).GroupBy(i => (string)w["upstream_addr"][i]).OrderBy(g => g.Key).ToList();
    double D(long i, string c) => (double)w[c][i]!;
    return new LogFrame(new DataFrameColumn[]
    {
        new StringDataFrameColumn("backend", groups.Select(g => g.Key)),
        new Int64DataFrameColumn("requests", groups.Select(g => (long)g.Count())),
        new DoubleDataFrameColumn("connect", groups.Select(g => Median(g.Select(i => D(i, "upstream_connect_time"))))),
        new DoubleDataFrameColumn("backend processing", groups.Select(g => Median(g.Select(i => D(i, "upstream_header_time") - D(i, "upstream_connect_time"))))),
        new DoubleDataFrameColumn("body", groups.Select(g => Median(g.Select(i => D(i, "upstream_response_time") - D(i, "upstream_header_time"))))),
        new DoubleDataFrameColumn("client side", groups.Select(g => Median(g.Select(i => D(i, "request_time") - D(i, "upstream_response_time"))))),
    });
}

TimeSplit(log, slow.Backend.Pool, slow.Window.StartUtc, slow.Window.EndUtc)'''),
        md('''Medians in seconds, in the window. Connect, body and client side are alike on every backend; only **backend
processing** on 10.0.1.14:8080 is seconds instead of milliseconds. The network and the clients are fine: the
application on that backend is slow.

## The requests it slowed down

The slowest of them, with file and line (`slow.ExampleRequestRows` are rows of `log.Requests`):'''),
        code('''var examples = log.Requests.Filter(new Int64DataFrameColumn("rows", slow.ExampleRequestRows));
Pick(examples, "time", "status", "upstream_status", "upstream_connect_time", "upstream_header_time", "request_time", "upstream_addr", "router_request_uri", "file", "line")'''),
        md('''They were answered normally (2xx and 3xx, no errors): no error rate would have flagged them.'''),
        md('''## What was found

**10.0.1.14:8080** (pool_web, listener `web`) was **slow between 14:30 and 14:50 +08:00 (06:30–06:50 UTC)**: its
header time rose by about 2.5 s while its connect time stayed normal and its answers stayed normal (status 200
and other 2xx/3xx, no errors). The time went into
backend processing, so the application on that host is the place to look (CPU, garbage collection, a slow
dependency), not the network or the load balancer. Its peers 10.0.1.11, 10.0.1.12 and 10.0.1.13:8080 were normal.

Next: **04-incident-write-up.ipynb** turns an investigation into a report to share.'''),
    ]


def notebook_04():
    return [
        md('''# 4 · The incident write-up

The investigation is done; now others need it: the ticket, the chat channel, the postmortem.

**You will learn to**

- turn an investigation into an `IncidentReport` with `investigation.Report()`;
- read its preview: which backend, how it failed, from when to when, whom it hurt;
- save the full report as one HTML page that opens offline (`SaveHtml`), for the postmortem;
- get the same story as Markdown (`ToMarkdown`, `SaveMarkdown`) for a ticket or a chat.

Samples: `../sample-logs/elb-web-incident.log` (notebook 02) and `../sample-logs/elb-refused-and-slow.log.gz`
(notebooks 02 and 03). Files are written to `out/` next to this notebook.'''),
        code(NUGET + '''
using System.IO;
using ElbNotebooks.Loading;
using ElbNotebooks.Analysis;
using ElbNotebooks.Reports;'''),
        code('''var log = AccessLog.Load("../sample-logs/elb-web-incident.log");
var investigation = log.Investigate();
investigation'''),
        md('''## The report

`investigation.Report()` takes the investigation as it is: the suspects, their windows, the peers they are compared
with, and the raw log lines behind them. `ReportOptions` sets the title (by default it names the suspects) and how many
evidence lines to quote.

A report says when it was generated. This notebook pins that time so its saved outputs stay the same from run to run;
for a real incident leave `Clock` out.'''),
        code('''// Only for a reproducible notebook: "generated at" fixed at the end of the sample hour. Leave it out for real use.
sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
var pinned = new FixedClock(new DateTimeOffset(2024, 5, 1, 3, 0, 0, TimeSpan.Zero));

var report = investigation.Report(new ReportOptions { Clock = pinned });
report'''),
        md('''The preview is the answer in a few lines and the impact table: read it before you send anything. It should name
the backend, say who made the errors and give the window in the log's offset and in UTC.

`report.Impacts` has the same numbers for use in code:'''),
        code('''var impact = report.Impacts[0];
$"{impact.Suspect.Backend.Backend}: {impact.RequestsHurt:N0} requests hurt from {impact.ClientsHurt:N0} clients, {impact.ShareOfTraffic:P1} of its listener's requests in the window"'''),
        md('''## The HTML page, for the postmortem

One self-contained file: the answer, whom it hurt, the evidence against the peers with raw log lines, the charts, the
backend table, how the verdict was reached and which files were read. CSS and plotly.js are inline, so it opens
without a network and prints; it is a few MB because of plotly.js.'''),
        code('''Directory.CreateDirectory("out");
report.SaveHtml("out/incident-web.html");
var html = File.ReadAllText("out/incident-web.html");
$"wrote out/incident-web.html: {new FileInfo("out/incident-web.html").Length / 1_000_000.0:0.0} MB, names 10.0.1.12:8080: {html.Contains("10.0.1.12:8080")}"'''),
        md('''## The Markdown summary, for the ticket

The same story as text and tables (no images), with values escaped so a user agent or a path cannot break the
formatting. Shown raw below, ready to paste into the ticket; or attach the file:'''),
        code('''report.SaveMarkdown("out/incident-web.md");
report.ToMarkdown()'''),
        md('''## Two suspects and a listener problem

The same on the export with two problems. The report lists both suspects, most severe first, and says that the 503s
the load balancer answered by itself are not a backend's fault.'''),
        code('''var gz = AccessLog.Load("../sample-logs/elb-refused-and-slow.log.gz");
var gzReport = gz.Investigate().Report(new ReportOptions { Title = "INC-2: api 502s and slow web responses", Clock = pinned });
gzReport.SaveHtml("out/incident-api-web.html");
gzReport.SaveMarkdown("out/incident-api-web.md");
gzReport'''),
        md('''## What was found

- **elb-web-incident.log:** the report names **10.0.1.12:8080** failing with backend-made 500s from **10:20 to 10:35
  +08:00 (02:20–02:35 UTC)** and the requests it hurt; `out/incident-web.html` is the page to attach,
  `out/incident-web.md` the text for the ticket.
- **elb-refused-and-slow.log.gz:** **10.0.2.22:9000** failing (connections refused, 502/504 written by the load
  balancer) from **14:05 to 14:25 +08:00**, and **10.0.1.14:8080** slow from **14:30 to 14:50 +08:00**; the `web`
  listener's 503s at 14:53–14:58 +08:00 were answered by the load balancer itself, not by a backend.

Check the preview before sharing: the backend, who made the errors, the window in both time zones, and the number of
requests hurt.'''),
    ]


def notebook_05():
    return [
        md('''# 5 · Your own logs

Point this notebook at your access logs and run it top to bottom. It runs as shipped on the sample export.

**You will learn** the knobs that matter: which files, which time range, which listener, which format, and the bucket
size of the time series.

**Getting the logs.** On Huawei Cloud, access logs go to LTS (Log Tank Service). Download them from the log stream
(LTS console → the log stream → download, or a transfer to OBS) as plain text or `.gz` files, one request per line.
Put them in one folder.'''),
        code('''// ← Your logs: files, folders (read recursively) or globs; gzip is recognised by content, whatever the name.
//   e.g. ["/data/elb/2024-05-01/"] or ["/data/elb/**/*.gz", "/data/elb/extra.log"]
string[] inputs = ["../sample-logs/elb-refused-and-slow.log.gz"];'''),
        code(NUGET + '''
using System.IO;
using ElbNotebooks.Loading;
using ElbNotebooks.Analysis;
using ElbNotebooks.Parsing;
using Microsoft.Data.Analysis;'''),
        md('''## Load and check what was read

With a folder, every file below it is read; files that are not access logs (a README, a JSON export) are listed as
skipped. Look at `rejected` and the examples: rejected lines are requests the analysis cannot see.'''),
        code('''var log = AccessLog.Load(inputs, LoadOptions.Default);
log'''),
        code('''log.Report'''),
        md('''## Time range

A big export loads faster when cut to the hours that matter: `LoadOptions.From` / `To` are instants with their offset
(`To` is exclusive). Lines outside are parsed but not kept, and the report counts them. Here: the last 30 minutes of
what was loaded; for your logs write the instants, e.g.
`From = DateTimeOffset.Parse("2024-05-01T14:00:00+08:00")`.'''),
        code('''var end = new DateTimeOffset(log.To!.Value, TimeSpan.Zero).ToOffset(log.UtcOffset);
var lastHalfHour = LoadOptions.Default with { From = end.AddMinutes(-30), To = end.AddSeconds(1) };
var recent = AccessLog.Load(inputs, lastHalfHour);
recent'''),
        md('''## Format

`LoadOptions.Format = null` (the default) detects the format of each file from its first lines. To force one, name it;
the names this version knows:'''),
        code('''string.Join(", ", LogFormats.Names)'''),
        code('''var forced = AccessLog.Load(inputs, LoadOptions.Default with { Format = "huawei-elb" });
forced.Report.Summary'''),
        md('''## Listener

Backends are compared with the other members of their pool, so listeners never mix; still, one listener at a time is
easier to read when a load balancer has many. The listeners in the log, busiest first:'''),
        code('''var byListener = log.Requests.GroupBy("listener_name").Count("status");
byListener.Columns["status"].SetName("requests");
LogFrame.From(byListener.OrderByDescending("requests"))'''),
        code('''var busiest = (string)byListener.OrderByDescending("requests")["listener_name"][0];
var oneListener = log.Investigate(new InvestigationOptions { Listener = busiest });
oneListener'''),
        md('''## Bucket size

The time series and the window detection use buckets of 1, 2, 5, 10, 15, 30 or 60 minutes, chosen for 60–120
buckets over the range. Set `BucketSize` for a coarser or finer view; `log.Charts.WithBucket(...)` does the same for
the charts of the whole log.'''),
        code('''var investigation = log.Investigate(new InvestigationOptions { BucketSize = TimeSpan.FromMinutes(5) });
investigation.Charts.ErrorHeatmap()'''),
        code('''log.Charts.WithBucket(TimeSpan.FromMinutes(5)).StatusOverTime()'''),
        md('''## Thresholds

What makes a suspect is in `InvestigationOptions`, each with its default: `MinErrorRate` (5%), `MinErrorRatio` (3×
the peers), `MinErrors` (10), `SlowRatio` (3× the peers' p95), `SlowMinExcessSeconds` (0.5 s), and more. Change one
with `with`:'''),
        code('''var strict = log.Investigate(InvestigationOptions.Default with { MinErrorRate = 0.5 });
strict'''),
        md('''With a 50% floor the refused-connections backend (100% of its attempts failed in its window) is still a suspect,
and so is the slow one, which is judged on latency, not errors.

## Keep the result

`investigation.ToJson()` is the same document as the CLI's `elb-notebooks investigate --json`, for a ticket or a
script:'''),
        code('''var json = investigation.ToJson();
string.Join("\\n", json.Split('\\n').Take(12)) + "\\n..."'''),
        md('''## Other load balancers

Besides Huawei ELB, `AccessLog.Load` reads AWS Application and Classic Load Balancer logs and nginx logs, and detects
the format of each file. For nginx with your own `log_format`, give the directive:
`LoadOptions.Default with { NginxLogFormat = "log_format main '...';" }` (see `docs/formats.md`). Every format fills the
same columns, so everything above works unchanged. The shipped AWS ALB sample, named as AWS delivers it:'''),
        code('''var alb = AccessLog.Load("../sample-logs/123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T1015Z_10.0.0.1_abc123.log.gz");
display(alb);
alb.Investigate()'''),
        md('''ALB logs are in UTC and ALB does not retry, so each request is one attempt.

## Exports too big for memory: Parquet and DuckDB

For days of logs, export them once to Parquet (streamed, so memory stays flat; re-running adds only new inputs) and
query the export with DuckDB, Spark, Trino or Athena. `docs/big-data.md` has the details; `sql/backend-health.sql`
computes per-backend health with the same definitions as `log.Investigate()`.'''),
        code('''using ElbNotebooks.Export;

var export = ParquetExport.Write(inputs, "out/export");
$"{export.Requests:N0} requests and {export.Attempts:N0} attempts in {export.Partitions} hourly partition(s) under out/export"'''),
        code('''#r "nuget: DuckDB.NET.Data.Full, 1.5.6.1"
using DuckDB.NET.Data;

// Runs SQL on DuckDB, in-process, over the export's attempts; the result as a table.
LogFrame Query(string sql)
{
    using var db = new DuckDBConnection("Data Source=:memory:");
    db.Open();
    using (var view = db.CreateCommand())
    {
        view.CommandText = "CREATE VIEW attempts AS SELECT * FROM read_parquet('out/export/attempts/**/*.parquet', hive_partitioning = true)";
        view.ExecuteNonQuery();
    }
    using var command = db.CreateCommand();
    command.CommandText = sql;
    using var reader = command.ExecuteReader();
    var values = Enumerable.Range(0, reader.FieldCount).Select(_ => new List<object?>()).ToArray();
    while (reader.Read())
        for (var i = 0; i < reader.FieldCount; i++)
            values[i].Add(reader.IsDBNull(i) ? null : reader.GetValue(i));
    return new LogFrame(values.Select((column, i) => reader.GetFieldType(i) switch
    {
        var t when t == typeof(double) => (DataFrameColumn)new DoubleDataFrameColumn(reader.GetName(i), column.Select(v => v is double d ? Math.Round(d, 4) : (double?)null)),
        var t when t == typeof(long) => new Int64DataFrameColumn(reader.GetName(i), column.Select(v => (long?)v)),
        _ => new StringDataFrameColumn(reader.GetName(i), column.Select(v => v?.ToString())),
    }));
}

Query(File.ReadAllText("../sql/backend-health.sql"))'''),
        md('''The most failing backend comes first, with the same attempts, 5xx counts and error rates as the investigation
above; for the window, add a condition on the `dt` and `hour` partitions (see the comments in the SQL).'''),
        md('''## What you found

Run on the shipped sample, the investigation names **10.0.2.22:9000** (refused connections, 14:05–14:25 +08:00) and
**10.0.1.14:8080** (slow, 14:30–14:50 +08:00), as notebooks 02 and 03 explain; the DuckDB query over the Parquet
export puts 10.0.2.22:9000 first too. On the AWS ALB sample it names **10.0.1.22:8080**, failing with 500s it
answered itself, between 10:11 and 10:14 UTC. On your logs, read the suspects table
first, then the heatmap, then the rows each suspect points to.'''),
    ]


def md(source):
    return ("markdown", source)


def code(source):
    return ("code", source)


def lines(text):
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def build(prefix, cells):
    out = []
    for number, (kind, source) in enumerate(cells, 1):
        cell_id = f"{prefix}-{number:02d}"
        if kind == "markdown":
            out.append({"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": lines(source)})
        else:
            out.append({
                "cell_type": "code",
                "execution_count": None,
                "id": cell_id,
                "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}},
                "outputs": [],
                "source": lines(source),
            })
    return {
        "cells": out,
        "metadata": {
            "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
            "language_info": {"name": "polyglot-notebook"},
            "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


NOTEBOOKS = {
    "01-getting-started.ipynb": ("nb01", notebook_01),
    "02-locate-unhealthy-backend.ipynb": ("nb02", notebook_02),
    "03-slow-backend.ipynb": ("nb03", notebook_03),
    "04-incident-write-up.ipynb": ("nb04", notebook_04),
    "05-your-own-logs.ipynb": ("nb05", notebook_05),
}


def main(names):
    for name, (prefix, cells) in NOTEBOOKS.items():
        if names and name not in names:
            continue
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps(build(prefix, cells()), indent=1, ensure_ascii=False) + "\n")
        print("wrote", name)


if __name__ == "__main__":
    main(sys.argv[1:])
