using System.Globalization;
using ElbNotebooks.Analysis;
using ElbNotebooks.Charts;
using ElbNotebooks.Formatting;

namespace ElbNotebooks.Reports;

/// <summary>
/// The report as one HTML page, built with the project's encode-by-default <see cref="HtmlWriter"/>: the shared
/// <c>elb-</c> styles plus the report's own, plotly.js written once inline, every value encoded. Nothing in it names
/// a network address a browser would fetch.
/// </summary>
internal static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Write(ReportFacts f)
    {
        var html = new HtmlWriter();
        html.Raw("<!DOCTYPE html>").Open("html", null, ("lang", "en")).Open("head")
            .Open("meta", null, ("charset", "utf-8"))
            .Open("meta", null, ("name", "viewport"), ("content", "width=device-width, initial-scale=1"))
            .Open("meta", null, ("name", "generator"), ("content", "ElbNotebooks " + f.Version))
            .Element("title", f.Title)
            .Style().Raw("<style>").Raw(ReportStyles.Css).Raw("</style>");
        ChartView.WriteInlinePlotlyJs(html);
        html.Close("head").Open("body").Open("main", "elb-view elb-report");

        Header(html, f);
        Answer(html, f);
        WhereToLook(html, f);
        Impact(html, f);
        Evidence(html, f);
        Charts(html, f);
        Backends(html, f);
        LoadBalancerErrors(html, f);
        Method(html, f);
        Provenance(html, f);

        html.Close("main").Close("body").Close("html");
        return html.ToString();
    }

    private static void Header(HtmlWriter html, ReportFacts f)
    {
        var inv = f.Investigation;
        html.Element("h1", f.Title);
        html.Element("div", $"Access logs from {Words.Window(inv.From, inv.To, f.Offset)} · " +
                            $"{Words.Count(inv.Requests)} requests · {inv.Backends.Count} backends" +
                            (inv.Options.Listener is { } l ? $" · listener {l}" : ""), "elb-report-subtitle");
    }

    /// <summary>The answer first: one item per suspect, then what is not a backend's fault.</summary>
    internal static void Answer(HtmlWriter html, ReportFacts f)
    {
        var inv = f.Investigation;
        html.Element("h2", "The answer");
        html.Open("div", f.Suspects.Count == 0 && !inv.NothingJudged ? "elb-report-answer elb-report-clear" : "elb-report-answer");
        if (inv.NothingJudgedReason is { } nothing)
        {
            html.Element("p", nothing);
        }
        else if (f.Suspects.Count == 0)
        {
            html.Element("p", $"{NoSuspectSentence(inv)} ({Words.Count(inv.Requests)} requests investigated).");
        }
        else
        {
            html.Open("ul");
            foreach (var s in f.Suspects)
            {
                var b = s.Suspect.Backend;
                html.Open("li").Open("strong", s.Suspect.Health == Health.Failing ? "elb-bad" : "elb-warn")
                    .Text($"{b.Backend} was {HealthNames.Of(s.Suspect.Health)}").Close("strong")
                    .Text($" (listener {Words.Listener(b.Listener, b.ListenerAddress)}) from {Words.Window(s.Suspect.Window)}{IncidentText.AfterWindow(s.Suspect)}: ")
                    .Text(s.How).Text(". ")
                    .Text(HurtSentence(s.Impact));
                if (EvidenceNote(s.Suspect) is { } note) html.Text(" ").Element("em", note);
                html.Close("li");
            }
            html.Close("ul");
        }
        foreach (var note in LoadBalancerNotes(f)) html.Element("p", note);
        html.Close("div");
    }

    /// <summary>The minimum-evidence rule in words, for a verdict that rests on too few failed attempts; null otherwise.</summary>
    internal static string? EvidenceNote(Suspect s) =>
        s.Evidence == EvidenceStrength.Thin
            ? string.Create(C, $"Thin evidence: {s.FailedAttempts:N0} failed attempt{(s.FailedAttempts == 1 ? "" : "s")}, not a confirmed outage; look at more of the log before acting.")
            : null;

    /// <summary>Each incident with its scope: where to look first.</summary>
    private static void WhereToLook(HtmlWriter html, ReportFacts f)
    {
        var incidents = f.Investigation.Incidents;
        if (incidents.Count == 0) return;
        html.Element("h2", "Where to look");
        html.Element("p", "Suspects of one pool whose windows overlap are one incident; its scope says where the cause is likely to be.", "elb-muted");
        Table(html, IncidentHeaders(f), incidents.Select(n => IncidentCells(n).Select(c => (c.Text, c.Number ? "elb-num" : c.Class)).ToArray()));
    }

    internal static string[] IncidentHeaders(ReportFacts f) =>
        ["scope", "health", "listener / pool", "backends", $"window ({Offsets.Format(f.Offset)})", "failures", "evidence", "where to look"];

    internal static IEnumerable<(string Text, bool Number, string? Class)> IncidentCells(ScopedIncident n)
    {
        yield return (Words.Scope(n), false, n.Evidence == EvidenceStrength.Thin ? "elb-muted" : DisplayText.HealthClass(n.Health));
        yield return (HealthNames.Of(n.Health), false, null);
        yield return (PoolNames.OrNull(n.Pool) ?? n.Listener, false, null);
        yield return (Words.Backends(n), false, null);
        yield return (Words.LocalWindow(n.Window), false, null);
        yield return (Words.Count(n.Failures), true, null);
        yield return (n.Evidence == EvidenceStrength.Thin ? "thin: not a confirmed outage" : "strong", false, null);
        yield return (n.Reason, false, "elb-report-wrap");
    }

    internal static string HurtSentence(SuspectImpact i) =>
        i.Suspect.Health == Health.Slow
            ? string.Create(C, $"It delayed {i.RequestsHurt:N0} responses past the slow threshold, for {i.ClientsHurt:N0} clients ({Words.Percent(i.ShareOfTraffic)} of the listener's requests in that window).")
            : string.Create(C, $"{i.RequestsHurt:N0} requests from {i.ClientsHurt:N0} clients failed on it and got no good answer ({Words.Percent(i.ShareOfTraffic)} of the listener's requests in that window); {i.RequestsRetried:N0} more were rescued by a retry on a peer.");

    /// <summary>
    /// Errors the load balancer made by itself: named in the answer because they are not a backend's fault. Where the
    /// log records no upstream, errors no backend is known for: not charged to one, and not known to be the load balancer's.
    /// </summary>
    internal static IEnumerable<string> LoadBalancerNotes(ReportFacts f) =>
        f.Investigation.ListenerErrors.Where(e => e.Status >= 500).Select(e => e.UpstreamRecorded
            ? string.Create(C, $"Not a backend: the load balancer itself answered {e.Requests:N0} requests on listener {Words.Listener(e.Listener, e.ListenerAddress)} with {e.Status} (no backend tried) between {Words.Local(e.First, f.Offset)} and {Words.Local(e.Last, f.Offset)}.")
            : string.Create(C, $"No backend recorded: {e.Requests:N0} requests{(ListenerNames.IsRecorded(e.Listener) ? " on listener " + Words.Listener(e.Listener, e.ListenerAddress) : "")} got {e.Status} between {Words.Local(e.First, f.Offset)} and {Words.Local(e.Last, f.Offset)}, and {DisplayText.NoUpstream(e.UpstreamMayBeUnread)}: whether the load balancer answered them itself or a backend failed is unknown."));

    private static void Impact(HtmlWriter html, ReportFacts f)
    {
        html.Element("h2", "Impact");
        if (f.Suspects.Count > 0)
        {
            ImpactTable(html, f);
        }
        html.Element("h3", "All traffic investigated");
        Table(html, ["", "requests", "share"],
        [
            [Cell("requests"), Num(f.Investigation.Requests), Num("")],
            [Cell("client got a 5xx"), Num(f.ClientSaw5xx), Num(Share(f.ClientSaw5xx, f.Investigation.Requests))],
            [Cell("… made by a backend (it answered 5xx)"), Num(f.Backend5xx), Num(Share(f.Backend5xx, f.Investigation.Requests))],
            [Cell("… made by the load balancer for a backend (refused / timed out)"), Num(f.Lb5xx), Num(Share(f.Lb5xx, f.Investigation.Requests))],
            [Cell(Words.NoBackend5xx(f.Investigation)), Num(f.NoBackend5xx), Num(Share(f.NoBackend5xx, f.Investigation.Requests))],
            [Cell("rescued by a retry on a peer (after a suspect failed)"), Num(f.Rescued), Num(Share(f.Rescued, f.Investigation.Requests))],
            [Cell("distinct clients that got a 5xx"), Num(f.ClientsWith5xx), Num("")],
        ]);
    }

    internal static void ImpactTable(HtmlWriter html, ReportFacts f)
    {
        Table(html, ImpactHeaders(f), f.Suspects.Select(s => ImpactCells(s).Select(c => (c.Text, c.Number ? "elb-num" : null)).ToArray()));
    }

    /// <summary>The impact table's columns: the window on the log's clock and in UTC, or once for a log written in UTC.</summary>
    internal static string[] ImpactHeaders(ReportFacts f) =>
    [
        "backend", "health", .. f.Offset == TimeSpan.Zero ? new[] { "window (UTC)" } : [$"window ({Offsets.Format(f.Offset)})", "window (UTC)"],
        "requests hurt", "clients hurt", "share of listener traffic", "failed attempts", "rescued by retry",
    ];

    internal static IEnumerable<(string Text, bool Number)> ImpactCells(SuspectFacts s)
    {
        yield return (s.Suspect.Backend.Backend, false);
        yield return (HealthNames.Of(s.Suspect.Health), false);
        if (s.Suspect.Window.Offset != TimeSpan.Zero) yield return (Words.LocalWindow(s.Suspect.Window), false);
        yield return (Words.UtcWindow(s.Suspect.Window), false);
        yield return (Words.Count(s.Impact.RequestsHurt), true);
        yield return (Words.Count(s.Impact.ClientsHurt), true);
        yield return ($"{Words.Percent(s.Impact.ShareOfTraffic)} of {Words.Count(s.Impact.RequestsInWindow)}", true);
        yield return (Words.Count(s.Impact.FailedAttempts), true);
        yield return (Words.Count(s.Impact.RequestsRetried), true);
    }

    private static void Evidence(HtmlWriter html, ReportFacts f)
    {
        if (f.Suspects.Count == 0) return;
        html.Element("h2", "Evidence");
        foreach (var s in f.Suspects)
        {
            var b = s.Suspect.Backend;
            html.Open("h3").Open("span", DisplayText.HealthClass(s.Suspect.Health)).Text(HealthNames.Of(s.Suspect.Health)).Close("span")
                .Text($": {b.Backend} (").Text(PoolNames.IsRecorded(b.Pool) ? "pool " : "").Id(PoolNames.Text(b.Pool)).Text(", listener ").Listener(b.Listener, b.ListenerAddress).Text(")").Close("h3");
            html.Element("p", s.Suspect.Reason + ".");
            html.Element("h4", $"Against its peers in the window ({Words.LocalWindow(s.Suspect.Window)}, {Words.Minutes(s.Suspect.Window.Duration)})");
            PeerTable(html, s);
            if (EndpointsTitle(s.Suspect) is { } endpoints)
            {
                html.Element("h4", endpoints);
                Table(html, EndpointHeaders(s.Suspect), EndpointRows(s.Suspect).Select(row => row.Select(c => (c.Text, c.Number ? "elb-num" : null))));
            }
            html.Element("h4", s.Evidence.Count == 0 ? "Log lines: none kept" : $"Log lines ({s.Evidence.Count} of its {(s.Suspect.Health == Health.Slow ? "slowest" : "failed")} requests)");
            if (s.Evidence.Count > 0)
            {
                html.Open("div", "elb-report-lines");
                foreach (var e in s.Evidence)
                {
                    html.Open("div", "elb-report-line")
                        .Element("span", (e.Raw is null ? $"{e.File} line {e.Line} (parsed fields: the source cannot be read again)" : $"{e.File} line {e.Line}") +
                                         (e.Shows.Length > 0 ? ": " + e.Shows : ""), "elb-report-where")
                        .Text(e.Text).Close("div");
                }
                html.Close("div");
            }
        }
    }

    private static void PeerTable(HtmlWriter html, SuspectFacts s)
    {
        html.Open("div", "elb-scroll").Open("table", "elb-table").Open("thead").Open("tr");
        foreach (var h in PeerHeaders) html.Element("th", h);
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var p in s.Peers)
        {
            html.Open("tr", p.IsSuspect ? "elb-report-self" : null);
            foreach (var (text, number) in PeerCells(p)) html.Element("td", text, number ? "elb-num" : null);
            html.Close("tr");
        }
        html.Close("tbody").Close("table").Close("div");
    }

    internal static readonly string[] PeerHeaders =
        ["backend", "attempts", "5xx by the backend", "5xx by the LB", "error rate", "error statuses", "header p50", "header p95", "connect p95"];

    internal static IEnumerable<(string Text, bool Number)> PeerCells(WindowPeer p)
    {
        yield return (p.Backend + (p.IsSuspect ? " (suspect)" : ""), false);
        yield return (Words.Count(p.Attempts), true);
        yield return (Words.Count(p.Backend5xx), true);
        yield return (Words.Count(p.Lb5xx), true);
        yield return (Words.Percent(p.ErrorRate), true);
        yield return (p.ErrorStatuses is not { Count: > 0 } statuses ? "–" : string.Join(", ", statuses.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => string.Create(C, $"{kv.Key} × {kv.Value:N0}"))), false);
        yield return (Words.Seconds(p.Header.P50), true);
        yield return (Words.Seconds(p.Header.P95), true);
        yield return (Words.Seconds(p.ConnectP95), true);
    }

    /// <summary>The heading of a suspect's endpoints table; null when it has none (judged from a bucket table).</summary>
    internal static string? EndpointsTitle(Suspect s) => s.EndpointsHurt is not { Count: > 0 } ? null
        : string.Create(C, $"What the {s.RequestsHurt:N0} {(s.Health == Health.Slow ? $"responses it delayed past {Words.Seconds(s.SlowThreshold)}" : "requests it hurt")} asked for (method and path; an id in a path is {{id}})");

    /// <summary>The endpoints table's headings: a slow suspect's requests hurt are the responses it delayed.</summary>
    internal static string[] EndpointHeaders(Suspect s) => ["endpoint", s.Health == Health.Slow ? "responses delayed" : "requests hurt", "share"];

    /// <summary>Its endpoints hurt most, then the rest together, so that the rows add up to its requests hurt.</summary>
    internal static IEnumerable<(string Text, bool Number)[]> EndpointRows(Suspect s)
    {
        string Share(long n) => s.RequestsHurt == 0 ? "–" : Words.Percent((double)n / s.RequestsHurt);
        foreach (var e in s.EndpointsHurt ?? [])
            yield return [(e.Endpoint, false), (Words.Count(e.Requests), true), (Share(e.Requests), true)];
        if (s.RequestsHurtElsewhere is > 0 and var rest)
            yield return [("other endpoints", false), (Words.Count(rest), true), (Share(rest), true)];
    }

    /// <summary>The charts the report draws, with a caption each; a chart that cannot be made is named, not fatal.</summary>
    internal static IEnumerable<(string Name, string Caption, Func<PlotlyChart> Make)> ChartList(ReportFacts f)
    {
        var charts = f.Investigation.Charts;
        yield return ("status-over-time", "Requests per bucket by the status the client got; 5xx split by who made them (backend, load balancer for a backend, load balancer alone).", charts.StatusOverTime);
        yield return ("error-heatmap", "Share of each backend's attempts that failed with 5xx, per bucket; suspects on top.", charts.ErrorHeatmap);
        yield return ("latency-over-time", "Response-header time p95 per backend per bucket (p50 on click in the legend).", charts.LatencyOverTime);
        if (f.Suspects.Any(s => s.Suspect.RequestsRetried > 0))
            yield return ("retries", "Failed attempts by failing backend and the peer that then served the request (retries).", charts.Retries);
        if (f.ClientSaw5xx > 0)
            yield return ("top-failing-paths", "Endpoints most often answered 5xx (an id in a path written {id}).", () => charts.TopFailingPaths());
    }

    private static void Charts(HtmlWriter html, ReportFacts f)
    {
        html.Element("h2", "Charts");
        html.Element("p", $"Times in {Offsets.Utc(f.Offset)} (the log's offset); buckets of {Words.Bucket(f.Investigation.BucketSize)}. Charts are interactive: hover for values, drag to zoom.", "elb-muted");
        var n = 0;
        foreach (var (_, caption, make) in ChartList(f))
        {
            n++;
            html.Open("figure");
            try
            {
                ChartView.WriteChart(html, make(), string.Create(C, $"elb-report-chart-{n}"), "elb-chart elb-report-chart");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                html.Element("div", $"This chart could not be drawn: {e.GetType().Name}: {e.Message}", "elb-bad");
            }
            html.Element("figcaption", caption).Close("figure");
        }
    }

    private static void Backends(HtmlWriter html, ReportFacts f)
    {
        html.Element("h2", "Backends");
        if (f.Investigation.Backends.Count == 0)
        {
            html.Element("p", NoBackends, "elb-muted");
            return;
        }
        html.Element("p", "Over the whole range investigated; suspects first. Errors are 5xx attempts, retries included.", "elb-muted");
        Table(html, BackendHeaders, f.Investigation.Backends.Select(b => BackendCells(b, f).ToArray()));
        foreach (var note in TooFewNotes(f.Investigation)) html.Element("p", note);
    }

    /// <summary>In place of an empty table of backends.</summary>
    internal const string NoBackends = "None: no line names a backend.";

    /// <summary>The answer with no suspect; it does not call a backend with too few attempts (or responses) to judge within its peers' range.</summary>
    internal static string NoSuspectSentence(Investigation inv)
    {
        var n = inv.Backends.Count;
        var attempts = inv.Backends.Count(b => b.Verdict.Kind == VerdictKind.TooFewAttempts);
        var responses = inv.Backends.Count(b => b.Verdict.Kind == VerdictKind.TooFewResponses);
        var few = attempts + responses;
        var what = responses == 0 ? "attempts" : attempts == 0 ? "responses" : "attempts or responses";
        if (n == 0)
            return inv.UpstreamMayBeUnread
                ? $"No backend to judge: no line names one ({DisplayText.NoUpstream(inv)})"
                : "No backend to judge: no line names one (a log that records no upstream, or only answers the load balancer made itself)";
        return few == 0
            ? $"No backend was failing or slow: every one of the {n} backends stayed within its peers' range and its own history"
            : $"No backend was failing or slow: {n - few} of the {n} backends stayed within their peers' range and their own history, " +
              $"and {few} had too few {what} to judge (under Backends)";
    }

    /// <summary>The reason of each backend with too few attempts (or responses) to judge, under the backends table: the table says only "too few".</summary>
    internal static IEnumerable<string> TooFewNotes(Investigation inv) =>
        inv.Backends.Where(b => b.Verdict.TooFew).Select(b => b.Reason + ".");

    internal static readonly string[] BackendHeaders =
        ["health", "backend", "pool", "listener", "attempts", "5xx by the backend", "5xx by the LB", "error rate", "header p50", "header p99", "first error", "last error"];

    internal static IEnumerable<(string Text, string? Class)> BackendCells(BackendHealth b, ReportFacts f)
    {
        yield return (HealthNames.Label(b.Verdict), DisplayText.HealthClass(b.Verdict));
        yield return (b.Backend, null);
        yield return (PoolNames.Text(b.Pool), null);
        yield return (b.ListenerAddress ?? b.Listener, null);
        yield return (Words.Count(b.Attempts), "elb-num");
        yield return (Words.Count(b.Backend5xx), "elb-num");
        yield return (Words.Count(b.Lb5xx), "elb-num");
        yield return (Words.Percent(b.ErrorRate), "elb-num");
        yield return (Words.Seconds(b.Header.P50), "elb-num");
        yield return (Words.Seconds(b.Header.P99), "elb-num");
        yield return (b.FirstError is { } first ? Words.Local(first, f.Offset) : "–", null);
        yield return (b.LastError is { } last ? Words.Local(last, f.Offset) : "–", null);
    }

    private static void LoadBalancerErrors(HtmlWriter html, ReportFacts f)
    {
        var errors = f.Investigation.ListenerErrors;
        if (errors.Count == 0) return;
        html.Element("h2", Words.NoBackendHeading(f.Investigation));
        html.Element("p", f.Investigation.UpstreamRecorded
            ? "Requests no backend was tried for (upstream fields '-'), status 400 or more: never charged to a backend."
            : $"Requests with status 400 or more and no backend recorded ({DisplayText.NoUpstream(f.Investigation)}): whether the load balancer answered them itself or a backend failed is unknown; never charged to a backend.", "elb-muted");
        Table(html, ["listener", "status", "requests", "first", "last"],
            errors.Select(e => new[] { Cell(e.ListenerAddress ?? e.Listener), Cell(e.Status.ToString(C), e.Status >= 500 ? "elb-bad" : null), Num(e.Requests), Cell(Words.Local(e.First, f.Offset)), Cell(Words.Local(e.Last, f.Offset)) }));
    }

    private static void Method(HtmlWriter html, ReportFacts f)
    {
        html.Element("h2", "How this was concluded");
        foreach (var paragraph in MethodText.Paragraphs(f)) html.Element("p", paragraph);
        html.Element("h4", "Thresholds (InvestigationOptions)");
        Table(html, ["option", "value", "meaning"], f.Thresholds.Select(t => new[] { Cell(t.Name), Cell(t.Value), Cell(t.Meaning, "elb-report-wrap") }));
    }

    private static void Provenance(HtmlWriter html, ReportFacts f)
    {
        var report = f.Log.Report;
        html.Element("h2", "Provenance");
        Table(html, ["file", "format", "lines", "parsed", "rejected", "blank", "note"],
            report.Files.Select(file => new[]
            {
                Cell(file.File), Cell(file.Format ?? "–"), Num(file.Lines), Num(file.Parsed), Num(file.Rejected), Num(file.Blank),
                Cell(file.Error ?? file.Note ?? (file.RejectionsByReason.Count == 0 ? "" : string.Join(", ", file.RejectionsByReason.Select(kv => string.Create(C, $"{kv.Key} {kv.Value:N0}"))))),
            }));
        html.Open("dl", "elb-facts");
        foreach (var (name, value) in MethodText.Provenance(f)) html.Element("dt", name).Element("dd", value);
        html.Close("dl");
        var rejected = report.FirstOfEachReason.ToList();
        if (rejected.Count == 0) return;
        html.Element("h4", RejectedTitle);
        html.Open("div", "elb-report-lines");
        foreach (var e in rejected)
            html.Open("div", "elb-report-line").Element("span", RejectedWhere(e), "elb-report-where").Text(e.Text).Close("div");
        html.Close("div");
    }

    internal const string RejectedTitle = "Rejected lines (the first of each reason)";

    /// <summary>Where a rejected line is and why: <c>access.log line 6: too-few-fields: found 3 fields, …</c>.</summary>
    internal static string RejectedWhere(Loading.RejectedLine e) => $"{e.File} line {e.Line.ToString(C)}: {e.Reason}: {e.Detail}";

    // ---- small builders ----

    private static (string Text, string? Class) Cell(string text, string? cssClass = null) => (text, cssClass);
    private static (string Text, string? Class) Num(long n) => (Words.Count(n), "elb-num");
    private static (string Text, string? Class) Num(string text) => (text, "elb-num");
    private static string Share(long part, long whole) => whole == 0 ? "–" : Words.Percent((double)part / whole);

    internal static void Table(HtmlWriter html, IReadOnlyList<string> headers, IEnumerable<IEnumerable<(string Text, string? Class)>> rows)
    {
        html.Open("div", "elb-scroll").Open("table", "elb-table").Open("thead").Open("tr");
        foreach (var h in headers) html.Element("th", h);
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var row in rows)
        {
            html.Open("tr");
            foreach (var (text, cssClass) in row) html.Open("td", cssClass).Id(text).Close("td");
            html.Close("tr");
        }
        html.Close("tbody").Close("table").Close("div");
    }

}
