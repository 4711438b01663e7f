using System.Globalization;
using System.Text;
using ElbNotebooks.Analysis;

namespace ElbNotebooks.Formatting;

/// <summary>Views of an investigation's results: the verdict first (suspects), then the evidence.</summary>
internal static class AnalysisViews
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void WriteHtml(HtmlWriter html, InvestigationResult inv, ViewSettings settings)
    {
        html.Open("div", "elb-view elb-investigation").Style();
        if (inv.NothingJudgedReason is { } nothing)
        {
            // No request selected: no table of no backend, which would read as an all-clear.
            html.Open("div", "elb-title").Text("Nothing judged: no request selected")
                .Open("span", "elb-muted").Text($" · {DisplayText.Local(inv.From, inv.UtcOffset)} → {DisplayText.Local(inv.To, inv.UtcOffset)}").Close("span").Close("div");
            html.Element("div", nothing, "elb-warn");
            html.Close("div");
            return;
        }
        html.Open("div", "elb-title").Text(inv.Suspects.Count == 0
                ? $"No failing or slow backend among {inv.Backends.Count:N0}"
                : $"{inv.Suspects.Count:N0} suspect(s) among {inv.Backends.Count:N0} backends")
            .Open("span", "elb-muted")
            .Text($" · {inv.Requests:N0} requests, {DisplayText.Local(inv.From, inv.UtcOffset)} → {DisplayText.Local(inv.To, inv.UtcOffset)}, {ChartsBucket(inv.BucketSize)} buckets")
            .Close("span").Close("div");
        foreach (var o in inv.TimeOutliers)
            html.Element("div", "Note: " + TimeOutlierText.Describe(o, inv.From, inv.UtcOffset) + ".", "elb-muted");

        if (inv.Suspects.Count > 0) SuspectTable(html, inv.Suspects, settings);
        if (inv.Incidents.Count > 0)
        {
            html.Element("div", "Where to look (investigation.Incidents)", "elb-title");
            html.Open("ul");
            foreach (var n in inv.Incidents.Take(settings.RowLimit))
                html.Open("li").Open("strong", n.Evidence == EvidenceStrength.Thin ? "elb-muted" : DisplayText.HealthClass(n.Health)).Text(ScopeName(n)).Close("strong")
                    .Text(": " + Cut(n.Reason, settings, 4)).Close("li");
            html.Close("ul");
        }

        if (inv.Backends.Count == 0) html.Element("div", "Backends: none, no line names a backend", "elb-title");
        else
        {
            html.Element("div", "Backends (suspects first)", "elb-title");
            BackendTable(html, inv.Backends, settings);
        }

        if (inv.ListenerErrors.Count > 0 || inv.NoBackendErrors > 0)
        {
            html.Element("div", inv.UpstreamRecorded
                ? $"Answered by the load balancer itself (no backend tried): {inv.NoBackendErrors:N0} × 5xx"
                : $"Errors with no backend recorded ({DisplayText.NoUpstream(inv)}): {inv.NoBackendErrors:N0} × 5xx", "elb-title");
            html.Open("table", "elb-table").Open("thead").Open("tr");
            foreach (var h in new[] { "listener", "status", "requests", "first", "last" }) html.Element("th", h);
            html.Close("tr").Close("thead").Open("tbody");
            foreach (var e in inv.ListenerErrors.Take(settings.RowLimit))
                html.Open("tr").Open("td").Listener(e.Listener, e.ListenerAddress).Close("td").Element("td", e.Status.ToString(C), e.Status >= 500 ? "elb-bad" : null)
                    .Element("td", DisplayText.Count(e.Requests), "elb-num")
                    .Element("td", DisplayText.Local(e.First, inv.UtcOffset)).Element("td", DisplayText.Local(e.Last, inv.UtcOffset)).Close("tr");
            html.Close("tbody").Close("table");
        }
        ReadFrom(html, inv, settings);
        html.Element("div", "Charts: investigation.Charts.ErrorHeatmap(), .StatusOverTime(), .LatencyOverTime(), .Retries(); series: investigation.Timeline", "elb-muted");
        html.Close("div");
    }

    /// <summary>
    /// What the answer rests on, as the terminal ends: the parse report's line and its details (<see
    /// cref="Loading.ParseReport.Details"/>). A streamed investigation has no loaded log to show them.
    /// </summary>
    private static void ReadFrom(HtmlWriter html, InvestigationResult inv, ViewSettings settings)
    {
        html.Element("div", "Read: " + inv.Inputs.Report.Summary, "elb-muted");
        foreach (var (line, problem) in inv.Inputs.Report.Details)
            html.Element("div", DisplayText.Cut(line, settings.MaxCellLength * 2), problem ? "elb-warn" : "elb-muted");
    }

    private static void ReadFrom(StringBuilder text, InvestigationResult inv, ViewSettings settings)
    {
        text.AppendLine().Append("read: ").Append(inv.Inputs.Report.Summary);
        foreach (var (line, _) in inv.Inputs.Report.Details) text.AppendLine().Append("  ").Append(DisplayText.Cut(line, settings.MaxCellLength * 2));
    }

    public static void WriteHtml(HtmlWriter html, BackendHealth b, ViewSettings settings)
    {
        html.Open("div", "elb-view elb-backend").Style();
        html.Open("div", "elb-title").Text(Cut(b.Backend, settings)).Text(" · ").Open("span", DisplayText.HealthClass(b.Verdict)).Text(HealthNames.Label(b.Verdict)).Close("span").Close("div");
        html.Element("div", Cut(b.Reason, settings, 4), null);
        html.Open("dl", "elb-facts");
        Fact(html, "listener / pool", Cut($"{DisplayText.Listener(b.Listener, b.ListenerAddress)} / {PoolNames.Text(b.Pool)}", settings));
        Fact(html, "attempts", DisplayText.Count(b.Attempts));
        Fact(html, "errors", $"{b.Errors:N0} ({DisplayText.Percent(b.ErrorRate)}): {b.Backend5xx:N0} from the backend, {b.Lb5xx:N0} by the LB (refused / timed out)");
        Fact(html, "4xx / client aborts", $"{b.Status4xx:N0} / {b.ClientAborts:N0}");
        Fact(html, "header time p50 / p95 / p99", Latency(b.Header));
        Fact(html, "connect time p50 / p95 / p99", Latency(b.Connect));
        Fact(html, "response time p50 / p95 / p99", Latency(b.Response));
        if (b.FirstError is { } first && b.LastError is { } last) Fact(html, "errors between", $"{DisplayText.Time(first)} and {DisplayText.Time(last)}");
        if (b.WorstMinute is { } worst) Fact(html, "worst minute", $"{DisplayText.Time(worst)} ({b.WorstMinuteErrors:N0} errors)");
        html.Close("dl").Close("div");
    }

    public static void WriteHtml(HtmlWriter html, Suspect s, ViewSettings settings)
    {
        html.Open("div", "elb-view elb-suspect").Style();
        html.Open("div", "elb-title").Open("span", DisplayText.HealthClass(s.Health)).Text(HealthNames.Of(s.Health)).Close("span").Text(": ").Text(Cut(s.Backend.Backend, settings)).Close("div");
        html.Element("div", Cut(s.Reason, settings, 4));
        html.Open("dl", "elb-facts");
        Fact(html, "window", $"{s.Window.Describe()} ({s.Window.Duration.TotalMinutes:0.#} min){IncidentText.AfterWindow(s)}");
        Fact(html, "failed attempts", DisplayText.Count(s.FailedAttempts) + (s.Evidence == EvidenceStrength.Thin ? " (thin evidence: not a confirmed outage)" : ""));
        Fact(html, "scope", s.Scope switch
        {
            IncidentScope.Backend => "one backend",
            IncidentScope.SeveralBackends => "several backends of its pool",
            _ => "every backend of its pool",
        });
        Fact(html, "requests hurt", DisplayText.Count(s.RequestsHurt) + (s.ClientsHurt is { } clients ? $" (from {DisplayText.Count(clients)} clients)" : ""));
        if (DisplayText.EndpointsHurt(s, shown: 5) is { } endpoints) Fact(html, "endpoints hurt most", Cut(endpoints, settings, 3));
        Fact(html, "requests rescued by a peer", DisplayText.Count(s.RequestsRetried));
        Fact(html, "listener / pool", Cut($"{DisplayText.Listener(s.Backend.Listener, s.Backend.ListenerAddress)} / {PoolNames.Text(s.Backend.Pool)}", settings));
        Fact(html, "example rows in log.Requests", s.ExampleRequestRows.Count == 0 ? "–" : string.Join(", ", s.ExampleRequestRows.Take(10).Select(r => r.ToString(C))));
        html.Close("dl").Close("div");
    }

    public static void WriteHtml(HtmlWriter html, Timeline t, ViewSettings settings)
    {
        html.Open("div", "elb-view elb-timeline").Style();
        html.Element("div", $"Timeline in {ChartsBucket(t.BucketSize)} buckets (UTC starts)", "elb-title");
        html.Element("div", "StatusClasses", "elb-muted");
        DataFrameView.WriteHtml(html, t.StatusClasses, settings.RowLimit, settings.MaxCellLength);
        html.Element("div", "PerBackend", "elb-muted");
        DataFrameView.WriteHtml(html, t.PerBackend, settings.RowLimit, settings.MaxCellLength);
        html.Close("div");
    }

    public static string Text(InvestigationResult inv, ViewSettings settings)
    {
        if (inv.NothingJudgedReason is { } nothing) return "Nothing judged: " + nothing;
        var text = new StringBuilder();
        text.Append(C, $"{inv.Suspects.Count:N0} suspect(s) among {inv.Backends.Count:N0} backends; {inv.Requests:N0} requests, ")
            .Append(C, $"{DisplayText.Local(inv.From, inv.UtcOffset)} -> {DisplayText.Local(inv.To, inv.UtcOffset)}");
        foreach (var o in inv.TimeOutliers) text.AppendLine().Append("  note: ").Append(TimeOutlierText.Describe(o, inv.From, inv.UtcOffset));
        foreach (var s in inv.Suspects.Take(settings.RowLimit))
            text.AppendLine().Append(C, $"  {HealthNames.Of(s.Health)}: {s.Backend.Backend} {s.Window.Describe()}{IncidentText.Still(s.Health, s.Window)}: {s.Reason}");
        foreach (var n in inv.Incidents.Take(settings.RowLimit))
            text.AppendLine().Append(C, $"  where to look, {ScopeName(n)}: {n.Reason}");
        text.AppendLine().AppendLine();
        if (inv.Backends.Count == 0) text.Append("Backends: none, no line names a backend");
        else WriteBackends(text, inv, settings);
        if (inv.NoBackendErrors > 0)
            text.AppendLine().Append(C, $"{inv.NoBackendErrors:N0} × 5xx {(inv.UpstreamRecorded ? "answered by the load balancer with no backend" : "with no backend recorded (" + DisplayText.NoUpstream(inv) + ")")}");
        ReadFrom(text, inv, settings);
        return text.ToString();
    }

    private static void WriteBackends(StringBuilder text, InvestigationResult inv, ViewSettings settings)
    {
        var table = new TextTable("health", "backend", "pool", "attempts", "backend 5xx", "LB 5xx", "error rate", "p50 header", "p95 header");
        foreach (var b in inv.Backends.Take(settings.RowLimit))
            table.AddRow(HealthNames.Label(b.Verdict), Cut(b.Backend, settings), Cut(PoolNames.Text(b.Pool), settings), DisplayText.Count(b.Attempts), DisplayText.Count(b.Backend5xx),
                DisplayText.Count(b.Lb5xx), DisplayText.Percent(b.ErrorRate), DisplayText.Seconds(b.Header.P50), DisplayText.Seconds(b.Header.P95));
        table.WriteTo(text);
        if (inv.Backends.Count > settings.RowLimit) text.AppendLine().Append(C, $"… {inv.Backends.Count - settings.RowLimit:N0} more backends");
    }

    private static string ScopeName(ScopedIncident n) => n.Scope switch
    {
        IncidentScope.Backend => "one backend",
        IncidentScope.SeveralBackends => $"{n.Backends.Count} of {n.PoolBackends} backends",
        IncidentScope.Pool => "whole pool",
        _ => n.UpstreamRecorded ? "load balancer" : "no backend recorded",
    } + (n.Evidence == EvidenceStrength.Thin ? " (thin evidence)" : "");

    public static string Text(BackendHealth b, ViewSettings settings) =>
        string.Create(C, $"{HealthNames.Label(b.Verdict)}: {b.Backend} ({DisplayText.Listener(b.Listener, b.ListenerAddress)} / {PoolNames.Text(b.Pool)}): {b.Attempts:N0} attempts, {b.Errors:N0} errors ({DisplayText.Percent(b.ErrorRate)}), header {Latency(b.Header)}. {b.Reason}");

    public static string Text(Suspect s, ViewSettings settings) =>
        string.Create(C, $"{HealthNames.Of(s.Health)}: {s.Backend.Backend} {s.Window.Describe()}{IncidentText.Still(s.Health, s.Window)}: {s.FailedAttempts:N0} failed attempts, {s.RequestsHurt:N0} requests hurt, {s.RequestsRetried:N0} rescued. {s.Reason}");

    public static string Text(Timeline t, ViewSettings settings)
    {
        var text = new StringBuilder();
        text.Append(C, $"Timeline in {ChartsBucket(t.BucketSize)} buckets").AppendLine().Append("StatusClasses: ");
        DataFrameView.WriteText(text, t.StatusClasses, Math.Min(settings.RowLimit, 10), settings.MaxCellLength);
        text.AppendLine().Append("PerBackend: ");
        DataFrameView.WriteText(text, t.PerBackend, Math.Min(settings.RowLimit, 10), settings.MaxCellLength);
        return text.ToString();
    }

    private static void SuspectTable(HtmlWriter html, IReadOnlyList<Suspect> suspects, ViewSettings settings)
    {
        html.Open("table", "elb-table").Open("thead").Open("tr");
        foreach (var h in new[] { "health", "backend", "pool", "window", "failed attempts", "requests hurt", "rescued", "why" }) html.Element("th", h);
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var s in suspects.Take(settings.RowLimit))
        {
            html.Open("tr").Element("td", HealthNames.Of(s.Health), DisplayText.HealthClass(s.Health)).Element("td", Cut(s.Backend.Backend, settings))
                .Open("td").Id(PoolNames.Text(s.Backend.Pool)).Close("td").Open("td", "elb-nowrap").Text(s.Window.Describe());
            // Not over when the logs end: said under the window, so the column stays narrow.
            if (s.Window.Ongoing) html.Element("div", IncidentText.Still(s.Health, s.Window).TrimStart(',', ' '), "elb-muted");
            if (IncidentText.EarlierWords(s) is { Length: > 0 } earlier) html.Element("div", earlier, "elb-muted");
            html.Close("td")
                .Element("td", DisplayText.Count(s.FailedAttempts), "elb-num").Element("td", DisplayText.Count(s.RequestsHurt), "elb-num")
                .Element("td", DisplayText.Count(s.RequestsRetried), "elb-num")
                .Open("td").Open("span", null, ("style", "white-space:normal")).Text(Cut(s.Reason, settings, 3)).Close("span").Close("td")
                .Close("tr");
        }
        html.Close("tbody").Close("table");
    }

    private static void BackendTable(HtmlWriter html, IReadOnlyList<BackendHealth> backends, ViewSettings settings)
    {
        html.Open("table", "elb-table").Open("thead").Open("tr");
        foreach (var h in new[] { "health", "backend", "pool", "listener", "attempts", "backend 5xx", "LB 5xx", "error rate", "p50 header", "p95 header" })
            html.Element("th", h);
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var b in backends.Take(settings.RowLimit))
            html.Open("tr").Element("td", HealthNames.Label(b.Verdict), DisplayText.HealthClass(b.Verdict)).Element("td", Cut(b.Backend, settings))
                .Open("td").Id(PoolNames.Text(b.Pool)).Close("td").Open("td").Listener(b.Listener, b.ListenerAddress).Close("td")
                .Element("td", DisplayText.Count(b.Attempts), "elb-num").Element("td", DisplayText.Count(b.Backend5xx), "elb-num")
                .Element("td", DisplayText.Count(b.Lb5xx), "elb-num").Element("td", DisplayText.Percent(b.ErrorRate), "elb-num")
                .Element("td", DisplayText.Seconds(b.Header.P50), "elb-num").Element("td", DisplayText.Seconds(b.Header.P95), "elb-num")
                .Close("tr");
        html.Close("tbody").Close("table");
        if (backends.Count > settings.RowLimit) html.Element("div", $"… {backends.Count - settings.RowLimit:N0} more backends (investigation.Backends)", "elb-muted");
    }

    private static void Fact(HtmlWriter html, string name, string value) => html.Element("dt", name).Element("dd", value);

    private static string Cut(string? text, ViewSettings settings, int widths = 1) => DisplayText.Cut(text ?? "–", settings.MaxCellLength * widths);

    private static string Latency(LatencyStats s) => $"{DisplayText.Seconds(s.P50)} / {DisplayText.Seconds(s.P95)} / {DisplayText.Seconds(s.P99)}";


    private static string ChartsBucket(TimeSpan size) => Charts.ChartBuilder.Bucket(size);
}
