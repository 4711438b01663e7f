using System.Globalization;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The small tables and readings a notebook asks for again and again, one call each: who made the 5xx, each backend's
/// error rate, latencies per backend, a request's raw line and what it says. Each is a few lines of DataFrame code
/// (notebook 02 shows one done by hand); here they read the loaded buffers directly.
/// </summary>
public static class LogTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    extension(AccessLog log)
    {
        /// <summary>The 5xx the clients got, by who made them (the backend, the load balancer for a backend, the load balancer alone) and status, most first.</summary>
        public LogFrame WhoMade5xx()
        {
            var r = log.RequestColumns;
            var counts = new Dictionary<(FiveXxSource, int), long>();
            var status = r.Status.Values;
            var attempts = r.UpstreamAttempts.Values;
            var header = r.UpstreamHeaderTime.Values;
            for (var i = 0; i < status.Length; i++)
            {
                if (status[i] is < 500 or > 599) continue;
                var key = (FiveXx.Source(attempts[i], header[i]), status[i]);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            var rows = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item2).ToList();
            return new LogFrame(
            [
                new StringDataFrameColumn("made by", rows.Select(kv => FiveXx.Describe(kv.Key.Item1))),
                new Int32DataFrameColumn("status", rows.Select(kv => kv.Key.Item2)),
                new Int64DataFrameColumn("requests", rows.Select(kv => kv.Value)),
            ]);
        }

        /// <summary>Per pool and backend over the whole log: attempts (retries expanded), 5xx attempts and their share, worst first in each pool; the pool is null where the log records none.</summary>
        public LogFrame ErrorRates()
        {
            var a = log.AttemptColumns;
            var counts = new Dictionary<(string Pool, string Backend), (long Attempts, long Errors)>();
            var pools = a.Pool.Values;
            var backends = a.Backend.Values;
            var status = a.Status.Values;
            for (var i = 0; i < pools.Length; i++)
            {
                var key = (pools[i] ?? InvestigationAggregator.Unknown, backends[i] ?? "-");
                var (n, e) = counts.GetValueOrDefault(key);
                counts[key] = (n + 1, e + (status[i] is >= 500 and <= 599 ? 1 : 0));
            }
            var rows = counts.OrderBy(kv => kv.Key.Pool, StringComparer.Ordinal)
                .ThenByDescending(kv => (double)kv.Value.Errors / kv.Value.Attempts).ThenBy(kv => kv.Key.Backend, StringComparer.Ordinal).ToList();
            return new LogFrame(
            [
                new StringDataFrameColumn("pool", rows.Select(kv => PoolNames.OrNull(kv.Key.Pool))),
                new StringDataFrameColumn("backend", rows.Select(kv => kv.Key.Backend)),
                new Int64DataFrameColumn("attempts", rows.Select(kv => kv.Value.Attempts)),
                new Int64DataFrameColumn("5xx", rows.Select(kv => kv.Value.Errors)),
                new DoubleDataFrameColumn("error rate", rows.Select(kv => (double?)Math.Round((double)kv.Value.Errors / kv.Value.Attempts, 4))),
            ]);
        }

        /// <summary>
        /// The raw text of request <paramref name="row"/> of <see cref="AccessLog.Requests"/>, re-read from its file at its
        /// <c>line</c> as the load read it (gzip members, UTF-16 or UTF-32 decoded, a lone CR ending a line), so it is the
        /// line the row was parsed from: a row number is 0-based, a line number 1-based.
        /// </summary>
        public string RawLine(long row)
        {
            var r = log.RequestColumns;
            if (row < 0 || row >= r.Count) throw new ArgumentOutOfRangeException(nameof(row), row, $"The log has {r.Count:N0} requests (rows 0 to {r.Count - 1:N0}).");
            var file = r.File[(int)row] ?? throw new InvalidOperationException($"Request {row} came from a stream and cannot be read again.");
            var line = r.Line[(int)row];
            foreach (var (_, text) in LogLines.Read(file, [line])) return text;
            throw new InvalidOperationException($"{file} has fewer than {line} lines now: it changed since it was loaded.");
        }

        /// <summary>
        /// What request <paramref name="row"/> says, in the words of the Huawei FAQ: who answered, how fast, what the
        /// client got. A value the log wrote as <c>-</c> (an ALB has no connect time; a client that gave up got no
        /// upstream status) is said to be missing or left out, never shown as a number; a 499 (nginx, Huawei ELB) or an
        /// AWS ALB's 460 is the client closing the connection.
        /// </summary>
        public string Explain(long row)
        {
            var r = log.RequestColumns;
            if (row < 0 || row >= r.Count) throw new ArgumentOutOfRangeException(nameof(row), row, $"The log has {r.Count:N0} requests.");
            var i = (int)row;
            var (status, upstream, connect, header, backend, tried) =
                (r.Status[i], r.UpstreamStatus[i], r.UpstreamConnectTime[i], r.UpstreamHeaderTime[i], r.UpstreamAddr[i], r.UpstreamAttempts[i]);
            var clientGot = Missing.IsMissing(status) ? "the log has no status for the client" : string.Create(C, $"the client got {status}");
            var clientClosed = InvestigationAggregator.ClientClosed(status);
            if (backend is null || Missing.IsMissing(tried) || tried <= 0)
                return clientClosed
                    ? string.Create(C, $"No backend was tried: the client closed the connection ({status}) before the load balancer passed the request on.")
                    : Missing.IsMissing(status)
                        ? "No backend was tried, and the log has no status for the request."
                        : string.Create(C, $"No backend was tried: the load balancer answered {status} by itself (listener or client side).");

            var connectText = Missing.IsMissing(connect) ? null : string.Create(C, $"connect {connect:0.000} s");
            var connected = connectText is null ? "" : $" ({connectText})";
            var retries = tried > 1
                ? string.Create(C, $" It was the last of {tried} attempts: log.Attempts has the earlier one{(tried > 2 ? "s" : "")}.")
                : "";
            var answered = !Missing.IsMissing(header);
            var answer = Missing.IsMissing(upstream) ? "" : string.Create(C, $" {upstream}");

            if (clientClosed)
                return (answered
                    ? string.Create(C, $"The client closed the connection ({status}) after {backend} answered{answer} in {header:0.000} s{connected}: the client gave up before the response reached it.")
                    : string.Create(C, $"The client closed the connection ({status}) before {backend} answered{connected}: the client gave up waiting, so ") +
                      // An ALB whose target did not answer gives the attempt its own status (the 460 itself): not the backend's.
                      (Missing.IsMissing(upstream) || (status == 460 && upstream == 460)
                          ? "no status came back from the backend."
                          : string.Create(C, $"the load balancer wrote {upstream} for the backend and nothing reached the client."))) + retries;
            // An ALB says why it answered for the target (LambdaUnhandled, LambdaThrottling...), as does Huawei's $error_reason.
            var why = r.ErrorReason.At(i) is { Length: > 0 } reason ? $" (error_reason {reason})" : "";
            if (!answered)
                return $"{backend} never answered ({(connectText is null ? "" : connectText + ", ")}no header time): " +
                       (Missing.IsMissing(upstream)
                           ? "the log has no upstream status for it"
                           : string.Create(C, $"the load balancer wrote {upstream} for it")) +
                       $"{why} and {clientGot}." + retries;
            if (Missing.IsMissing(upstream))
                return string.Create(C, $"{backend} answered after {header:0.000} s{connected}, with no upstream status in the log; {clientGot}.") + retries;
            return (status == upstream
                ? string.Create(C, $"{backend} answered {upstream} after {header:0.000} s{connected}: the backend's application produced the {upstream}, and the load balancer passed it on.")
                : string.Create(C, $"The last backend tried, {backend}, answered {upstream} after {header:0.000} s{connected}; {clientGot}.")) + retries;
        }
    }

    extension(InvestigationResult investigation)
    {
        /// <summary>Per backend (as judged): connect p95 and header p50/p95/p99 and response p95, in seconds to the millisecond.</summary>
        public LogFrame Latencies()
        {
            var b = investigation.Backends;
            static double? R(double? seconds) => seconds is { } s && double.IsFinite(s) ? Math.Round(s, 3) : null;
            return new LogFrame(
            [
                new StringDataFrameColumn("health", b.Select(x => x.Health.ToString())),
                new StringDataFrameColumn("backend", b.Select(x => x.Backend)),
                new StringDataFrameColumn("pool", b.Select(x => PoolNames.OrNull(x.Pool))),
                new DoubleDataFrameColumn("connect p95", b.Select(x => R(x.Connect.P95))),
                new DoubleDataFrameColumn("header p50", b.Select(x => R(x.Header.P50))),
                new DoubleDataFrameColumn("header p95", b.Select(x => R(x.Header.P95))),
                new DoubleDataFrameColumn("header p99", b.Select(x => R(x.Header.P99))),
                new DoubleDataFrameColumn("response p95", b.Select(x => R(x.Response.P95))),
            ]);
        }
    }

    extension(DataFrame frame)
    {
        /// <summary>A few columns of a frame, shown with ElbNotebooks' table view (no copy).</summary>
        public LogFrame Pick(params string[] columns) => new(columns.Select(c => frame.Columns[c]));
    }
}
