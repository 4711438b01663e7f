using System.Text.Json;

namespace ElbNotebooks.Analysis;

/// <summary>
/// The <c>--json</c> document. Keys: format, lines, parsed, rejected, blank, from, to, utc_offset, bucket_minutes (the bucket size in minutes),
/// requests, nothing_judged (only when no request was selected: why), filters{...}, time_outliers[...], backends[...] (each with listener_address, and last its verdict{...}: the evidence),
/// no_backend_errors, listener_errors[...], suspects[...] (each ending with clients_hurt, listener_requests,
/// share_of_listener_requests, endpoints_hurt[...], requests_hurt_elsewhere, error_statuses{...}, peers[...] and
/// example_lines[...]: what the report says of it), incidents[...] (each
/// ending with spared[...] and staggered), then the parse report's keys (<see cref="Loading.ParseReportJson"/>), then
/// traffic{...} and thresholds{...}; times ISO-8601 UTC ("...Z").
/// </summary>
internal static class InvestigationJson
{
    public static string Write(InvestigationResult investigation, bool indented) =>
        Loading.ParseReportJson.Document(indented, w => Write(investigation, w));

    public static void Write(InvestigationResult i, Utf8JsonWriter w)
    {
        var report = i.Inputs.Report;
        w.WriteStartObject();
        w.WriteString("format", i.Inputs.Format);
        w.WriteNumber("lines", report.Lines);
        w.WriteNumber("parsed", report.Parsed);
        w.WriteNumber("rejected", report.Rejected);
        w.WriteNumber("blank", report.Blank);
        w.WriteString("from", Utc(i.From));
        w.WriteString("to", Utc(i.To));
        w.WriteString("utc_offset", Offsets.Format(i.UtcOffset));
        w.WriteNumber("bucket_minutes", Math.Round(i.BucketSize.TotalMinutes, 3));
        w.WriteNumber("requests", i.Requests);
        // Only when no request was selected: an empty suspects list must not read as an all-clear.
        if (i.NothingJudgedReason is { } nothing) w.WriteString("nothing_judged", nothing);
        WriteFilters(w, i);
        w.WriteStartArray("time_outliers");
        foreach (var o in i.TimeOutliers)
        {
            w.WriteStartObject();
            w.WriteString("from", Utc(o.From));
            w.WriteString("to", Utc(o.To));
            w.WriteNumber("requests", o.Requests);
            w.WriteString("file", o.File);
            w.WriteNumber("line", o.Line);
            w.WriteNumber("distance_days", Math.Round(o.Distance.TotalDays, 2));
            w.WriteString("text", TimeOutlierText.Describe(o, i.From, i.UtcOffset));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (report.Objects is { } objects) WriteObjects(w, objects, report);

        w.WriteStartArray("backends");
        foreach (var b in i.Backends)
        {
            w.WriteStartObject();
            w.WriteString("backend", b.Backend);
            w.WriteString("pool", PoolNames.OrNull(b.Pool)); // null where the log records no pool
            w.WriteString("listener", b.Listener);
            Address(w, i, b.Listener);
            w.WriteNumber("attempts", b.Attempts);
            w.WriteNumber("backend_5xx", b.Backend5xx);
            w.WriteNumber("lb_5xx", b.Lb5xx);
            w.WriteNumber("status_4xx", b.Status4xx);
            w.WriteNumber("client_aborts", b.ClientAborts);
            w.WriteNumber("error_rate", Math.Round(b.ErrorRate, 6));
            Number(w, "p50_header_time", b.Header.P50);
            Number(w, "p95_header_time", b.Header.P95);
            Number(w, "p99_header_time", b.Header.P99);
            Number(w, "p95_connect_time", b.Connect.P95);
            Time(w, "first_error", b.FirstError);
            Time(w, "last_error", b.LastError);
            Time(w, "worst_minute", b.WorstMinute);
            w.WriteNumber("worst_minute_errors", b.WorstMinuteErrors);
            w.WriteString("health", Name(b.Health));
            w.WriteString("reason", b.Reason);
            WriteVerdict(w, b.Verdict);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteNumber("no_backend_errors", i.NoBackendErrors);
        w.WriteStartArray("listener_errors");
        foreach (var e in i.ListenerErrors)
        {
            w.WriteStartObject();
            w.WriteString("listener", e.Listener);
            Address(w, i, e.Listener);
            w.WriteNumber("status", e.Status);
            w.WriteNumber("requests", e.Requests);
            w.WriteString("first", Utc(e.First));
            w.WriteString("last", Utc(e.Last));
            w.WriteBoolean("upstream_recorded", e.UpstreamRecorded);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("suspects");
        foreach (var s in i.Suspects)
        {
            w.WriteStartObject();
            w.WriteString("backend", s.Backend.Backend);
            w.WriteString("pool", PoolNames.OrNull(s.Backend.Pool));
            w.WriteString("listener", s.Backend.Listener);
            Address(w, i, s.Backend.Listener);
            w.WriteString("health", Name(s.Health));
            w.WriteString("reason", s.Reason);
            w.WriteString("from", Utc(s.Window.StartUtc));
            w.WriteString("to", Utc(s.Window.EndUtc));
            w.WriteString("from_local", s.Window.StartLocal.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("to_local", s.Window.EndLocal.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteBoolean("ongoing", s.Window.Ongoing);
            w.WriteNumber("failed_attempts", s.FailedAttempts);
            w.WriteNumber("requests_hurt", s.RequestsHurt);
            w.WriteNumber("requests_retried", s.RequestsRetried);
            // A slow suspect's requests_hurt are the responses it delayed past this header time.
            Number(w, "slow_threshold_seconds", s.Health == Health.Slow ? s.SlowThreshold : null);
            w.WriteStartArray("example_request_rows");
            foreach (var row in s.ExampleRequestRows) w.WriteNumberValue(row);
            w.WriteEndArray();
            w.WriteString("evidence", Name(s.Evidence));
            w.WriteString("scope", Name(s.Scope));
            // What the incident report says of it: whom it hurt, the share of its listener's traffic, and its window
            // against its pool (null where a bucket table cannot say).
            Count(w, "clients_hurt", s.ClientsHurt);
            Count(w, "listener_requests", s.ListenerRequests);
            Number(w, "share_of_listener_requests", s.ShareOfListenerRequests);
            if (s.EndpointsHurt is { } endpoints)
            {
                w.WriteStartArray("endpoints_hurt");
                foreach (var e in endpoints)
                {
                    w.WriteStartObject();
                    w.WriteString("endpoint", e.Endpoint);
                    w.WriteNumber("requests", e.Requests);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            else w.WriteNull("endpoints_hurt");
            Count(w, "requests_hurt_elsewhere", s.RequestsHurtElsewhere);
            Statuses(w, "error_statuses", s.ErrorStatuses);
            w.WriteStartArray("peers");
            foreach (var p in s.Peers)
            {
                w.WriteStartObject();
                w.WriteString("backend", p.Backend);
                w.WriteBoolean("suspect", p.IsSuspect);
                w.WriteNumber("attempts", p.Attempts);
                w.WriteNumber("backend_5xx", p.Backend5xx);
                w.WriteNumber("lb_5xx", p.Lb5xx);
                w.WriteNumber("error_rate", Math.Round(p.ErrorRate, 6));
                Statuses(w, "error_statuses", p.ErrorStatuses);
                Number(w, "p50_header_time", p.Header.P50);
                Number(w, "p95_header_time", p.Header.P95);
                Number(w, "p95_connect_time", p.ConnectP95);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            // Where the example request rows are written: the report's evidence lines.
            w.WriteStartArray("example_lines");
            foreach (var at in s.ExampleLines)
            {
                w.WriteStartObject();
                w.WriteString("file", at.File);
                w.WriteNumber("line", at.Line);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("incidents");
        foreach (var incident in i.Incidents)
        {
            w.WriteStartObject();
            w.WriteString("scope", Name(incident.Scope));
            w.WriteString("health", Name(incident.Health));
            w.WriteString("listener", incident.Listener);
            w.WriteString("pool", PoolNames.OrNull(incident.Pool)); // null for the load balancer, or where the log records no pool
            w.WriteStartArray("backends");
            foreach (var backend in incident.Backends) w.WriteStringValue(backend);
            w.WriteEndArray();
            w.WriteNumber("pool_backends", incident.PoolBackends);
            w.WriteString("from", Utc(incident.Window.StartUtc));
            w.WriteString("to", Utc(incident.Window.EndUtc));
            w.WriteString("from_local", Local(incident.Window.StartLocal));
            w.WriteString("to_local", Local(incident.Window.EndLocal));
            w.WriteBoolean("ongoing", incident.Window.Ongoing);
            w.WriteNumber("failures", incident.Failures);
            w.WriteString("evidence", Name(incident.Evidence));
            w.WriteString("reason", incident.Reason);
            w.WriteStartArray("spared");
            foreach (var backend in incident.Spared) w.WriteStringValue(backend);
            w.WriteEndArray();
            w.WriteBoolean("staggered", incident.Staggered);
            // False for a load-balancer incident whose lines record no upstream (nginx read without its upstream
            // fields): who answered them is unknown, as the terminal's "NO BACKEND RECORDED" says.
            w.WriteBoolean("upstream_recorded", incident.UpstreamRecorded);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Loading.ParseReportJson.WriteKeys(i.Inputs.Report, w);
        WriteTraffic(w, i.Traffic);
        WriteThresholds(w, i);
        w.WriteEndObject();
    }

    /// <summary><c>traffic</c>: the requests whose client got a 5xx, by who made it, those a retry rescued, and the distinct clients that got a 5xx.</summary>
    private static void WriteTraffic(Utf8JsonWriter w, TrafficSummary t)
    {
        w.WriteStartObject("traffic");
        w.WriteNumber("requests_5xx", t.Requests5xx);
        w.WriteNumber("backend_5xx", t.Backend5xx);
        w.WriteNumber("lb_5xx", t.Lb5xx);
        w.WriteNumber("no_backend_5xx", t.NoBackend5xx);
        w.WriteNumber("rescued_by_retry", t.RescuedByRetry);
        Count(w, "clients_5xx", t.Clients5xx);
        w.WriteEndObject();
    }

    /// <summary><c>thresholds</c>: every option the verdicts were reached with (the report's table), rates as fractions, times in seconds.</summary>
    private static void WriteThresholds(Utf8JsonWriter w, InvestigationResult i)
    {
        var o = i.Options;
        w.WriteStartObject("thresholds");
        w.WriteBoolean("bucket_chosen", o.BucketSize is null);
        w.WriteNumber("min_error_rate", o.MinErrorRate);
        w.WriteNumber("min_error_ratio", o.MinErrorRatio);
        w.WriteNumber("min_errors", o.MinErrors);
        w.WriteNumber("max_p_value", o.MaxPValue);
        w.WriteNumber("min_baseline_rate", o.MinBaselineRate);
        w.WriteNumber("min_peer_attempts", o.MinPeerAttempts);
        w.WriteNumber("min_baseline_attempts", o.MinBaselineAttempts);
        w.WriteNumber("absolute_failing_error_rate", o.AbsoluteFailingErrorRate);
        w.WriteNumber("slow_ratio", o.SlowRatio);
        w.WriteNumber("slow_min_excess_seconds", o.SlowMinExcessSeconds);
        w.WriteNumber("min_slow_samples", o.MinSlowSamples);
        w.WriteNumber("absolute_slow_header_seconds", o.AbsoluteSlowHeaderSeconds);
        w.WriteNumber("max_gap_buckets", o.MaxGapBuckets);
        w.WriteNumber("min_bucket_samples", o.MinBucketSamples);
        w.WriteEndObject();
    }

    /// <summary>Failed attempts by status, <c>{"500": 120, "503": 4}</c> (by status), or null when not known.</summary>
    private static void Statuses(Utf8JsonWriter w, string name, IReadOnlyDictionary<int, long>? statuses)
    {
        if (statuses is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        foreach (var (status, n) in statuses.OrderBy(kv => kv.Key))
            w.WriteNumber(status.ToString(System.Globalization.CultureInfo.InvariantCulture), n);
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>filters</c>: what the requests were chosen by (each null when not used) and how many requests they left out,
    /// so that parsed = requests + requests_left_out + the time outliers' requests.
    /// </summary>
    private static void WriteFilters(Utf8JsonWriter w, InvestigationResult i)
    {
        var (from, to) = FilterText.Range(i);
        w.WriteStartObject("filters");
        Time(w, "from", from?.UtcDateTime);
        Time(w, "to", to?.UtcDateTime);
        if (i.Options.Listener is { } listener)
        {
            w.WriteString("listener", listener);
            Address(w, i, listener);
        }
        else
        {
            w.WriteNull("listener");
            w.WriteNull("listener_address");
        }
        w.WriteNumber("requests_left_out", i.RequestsLeftOut);
        w.WriteString("text", FilterText.Describe(i));
        w.WriteEndObject();
    }

    /// <summary>
    /// A backend's <c>verdict</c>: the evidence behind its <c>reason</c> (see <see cref="Verdict"/>): kind, baseline,
    /// window (null for healthy), figures (rates as fractions, times in seconds; null where they do not apply).
    /// </summary>
    private static void WriteVerdict(Utf8JsonWriter w, Verdict v)
    {
        w.WriteStartObject("verdict");
        w.WriteString("kind", Name(v.Kind));
        if (v.Baseline is { } baseline) w.WriteString("baseline", Name(baseline));
        else w.WriteNull("baseline");
        Time(w, "from", v.Window?.StartUtc);
        Time(w, "to", v.Window?.EndUtc);
        w.WriteNumber("attempts", v.Attempts);
        w.WriteNumber("errors", v.Errors);
        Count(w, "backend_5xx", v.Backend5xx);
        Count(w, "lb_5xx", v.Lb5xx);
        w.WriteNumber("error_rate", Math.Round(v.ErrorRate, 6));
        Number(w, "baseline_error_rate", v.BaselineErrorRate);
        w.WriteBoolean("baseline_over_whole_range", v.BaselineOverWholeRange);
        Number(w, "peer_error_rate", v.PeerErrorRate);
        Count(w, "header_samples", v.HeaderSamples);
        Number(w, "p95_header_time", v.HeaderP95);
        Number(w, "baseline_p95_header_time", v.BaselineHeaderP95);
        Number(w, "peer_p95_header_time", v.PeerHeaderP95);
        Number(w, "p95_connect_time", v.ConnectP95);
        Number(w, "peer_p95_connect_time", v.PeerConnectP95);
        if (v.ConnectSlowToo is { } slowToo) w.WriteBoolean("connect_slow_too", slowToo);
        else w.WriteNull("connect_slow_too");
        w.WriteNumber("peers", v.Peers);
        w.WriteNumber("pool_peers", v.PoolPeers);
        Count(w, "suspect_peers", v.SuspectPeers);
        Count(w, "min_peer_samples", v.MinPeerSamples);
        Number(w, "threshold_error_rate", v.ThresholdErrorRate);
        Number(w, "threshold_header_seconds", v.ThresholdHeaderSeconds);
        // A backend's earlier failures (slow spells), apart from the window above, its latest.
        w.WriteStartArray("earlier_windows");
        foreach (var earlier in v.EarlierWindows)
        {
            w.WriteStartObject();
            Time(w, "from", earlier.StartUtc);
            Time(w, "to", earlier.EndUtc);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>against-peers</c>, <c>along-with-peers</c>, <c>in-line-with-peers</c>, ...</summary>
    public static string Name(VerdictKind kind) => kind switch
    {
        VerdictKind.AgainstPeers => "against-peers",
        VerdictKind.AgainstOwnHistory => "against-own-history",
        VerdictKind.AgainstThreshold => "against-threshold",
        VerdictKind.AlongWithPeers => "along-with-peers",
        VerdictKind.InLineWithPeers => "in-line-with-peers",
        VerdictKind.NoPeers => "no-peers",
        VerdictKind.TooFewAttempts => "too-few-attempts",
        VerdictKind.TooFewResponses => "too-few-responses",
        _ => "spared-while-peers-failed",
    };

    /// <summary><c>peers</c>, <c>own-history</c> or <c>absolute-threshold</c>.</summary>
    public static string Name(BaselineKind baseline) => baseline switch
    {
        BaselineKind.Peers => "peers",
        BaselineKind.OwnHistory => "own-history",
        _ => "absolute-threshold",
    };

    private static void Count(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    /// <summary>Only for s3:// inputs: what was listed, skipped by time, read and failed, and why each failure.</summary>
    private static void WriteObjects(Utf8JsonWriter w, Loading.ObjectReport o, Loading.ParseReport report)
    {
        w.WriteStartObject("objects");
        w.WriteNumber("listed", o.Listed);
        w.WriteNumber("listed_bytes", o.ListedBytes);
        w.WriteNumber("skipped_by_time", o.SkippedByTime);
        w.WriteNumber("skipped_bytes", o.SkippedBytes);
        w.WriteNumber("read", o.Read);
        w.WriteNumber("read_bytes", o.ReadBytes);
        w.WriteNumber("from_cache", o.FromCache);
        w.WriteNumber("failed", o.Failed);
        w.WriteNumber("not_read", o.NotRead);
        w.WriteNumber("bytes_fetched", o.BytesFetched);
        w.WriteStartArray("errors");
        foreach (var file in report.Damaged.Where(f => f.File.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)))
        {
            w.WriteStartObject();
            w.WriteString("object", file.File);
            w.WriteString("error", file.Error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string Name(IncidentScope scope) => scope switch
    {
        IncidentScope.Backend => "backend",
        IncidentScope.SeveralBackends => "several-backends",
        IncidentScope.Pool => "pool",
        _ => "load-balancer",
    };

    public static string Name(EvidenceStrength evidence) => evidence == EvidenceStrength.Thin ? "thin" : "strong";

    private static string Local(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    public static string Name(Health health) => HealthNames.Of(health);

    public static string Utc(DateTime time) => JsonTimes.Utc(time);

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && !double.IsNaN(v)) w.WriteNumber(name, Math.Round(v, 6));
        else w.WriteNull(name);
    }

    private static void Time(Utf8JsonWriter w, string name, DateTime? value) => JsonTimes.Write(w, name, value);

    /// <summary><c>listener_address</c>: the listener's address and port as the log writes them, or null.</summary>
    private static void Address(Utf8JsonWriter w, InvestigationResult i, string listener) =>
        w.WriteString("listener_address", i.ListenerAddresses.GetValueOrDefault(listener));
}
