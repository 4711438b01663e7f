using System.Globalization;
using ElbNotebooks.Analysis;
using Spectre.Console;

namespace ElbNotebooks.Cli.Rendering;

/// <summary>
/// The terminal answer: a headline with the suspects and their windows, a table of backends (suspects first) with
/// health, each backend's reason, the listener-level errors, and the parse report in one line. Colour only when
/// <paramref name="color"/>; a fixed <paramref name="width"/> makes the output reproducible in tests. Sentences wrap
/// at the terminal's width on a terminal, and are never broken when the output goes to a file or a pipe (a line
/// per reason, for grep); tables keep every column down to 80 terminal columns.
/// </summary>
internal sealed class TerminalRenderer(bool color, int? width = null) : IInvestigationRenderer
{
    private TextWriter? _unwrapped;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void Render(InvestigationResult investigation, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Redirected output has no width to detect: keep table rows on one line rather than Spectre's 80 columns,
        // and write sentences as they are.
        if ((width ?? (color ? null : 160)) is { } w) console.Profile.Width = w;
        _unwrapped = width is null && !color ? output : null;

        var i = investigation;
        var offset = i.UtcOffset;
        var zone = Offsets.Format(offset);
        Line(console, $"{i.Inputs.FormatNames}: {Count(i.Requests, "request")} from {Local(i.From, offset, "yyyy-MM-dd HH:mm:ss")} to {Local(i.To, offset, "yyyy-MM-dd HH:mm:ss")} {zone}, {Minutes(i.BucketSize)} buckets");
        if (i.Filters is { } filters) Line(console, $"Filters: {filters}; {Count(i.RequestsLeftOut, "other request")} left out.");
        foreach (var o in i.TimeOutliers) Line(console, $"Note: {TimeOutlierText.Describe(o, i.From, offset)}.");
        var failing = i.Suspects.Count(s => s.Health == Health.Failing);
        var slow = i.Suspects.Count(s => s.Health == Health.Slow);
        if (i.Backends.Count == 0) Line(console, "No suspect: no line names a backend, so none was judged.");
        else if (i.Suspects.Count == 0) Line(console, $"No suspect: none of {Count(i.Backends.Count, "backend")} is failing or slow.");
        else Line(console, $"Suspects: {failing} failing, {slow} slow, of {Count(i.Backends.Count, "backend")}.");
        // A window's clock time names its day when the logs (or the range asked for) span more than one, as the reasons do.
        var clock = i.SpansDays ? "yyyy-MM-dd HH:mm" : "HH:mm";
        foreach (var s in i.Suspects)
        {
            console.Markup($"  {HealthMarkup(s.Health)} ");
            var impact = s.Health == Health.Slow
                ? $"{Count(s.RequestsHurt, "response")} delayed past {s.SlowThreshold.ToString("0.###", Inv)} s{Whom(s)}, {Count(s.FailedAttempts, "failed attempt")}"
                : $"{Count(s.FailedAttempts, "failed attempt")}: {Count(s.RequestsHurt, "request")} hurt{Whom(s)}, {s.RequestsRetried.ToString("N0", Inv)} rescued by a retry";
            // A log written in UTC (every AWS log) names its window once.
            var utc = offset == TimeSpan.Zero ? "" : $" ({s.Window.StartUtc.ToString(clock, Inv)}-{s.Window.EndUtc.ToString(clock, Inv)} UTC)";
            Line(console, $"{s.Backend.Backend} from {Local(s.Window.StartUtc, offset, clock)} to {Local(s.Window.EndUtc, offset, clock)} {zone}{utc}{IncidentText.AfterWindow(s)}: {impact}" +
                          (s.Evidence == EvidenceStrength.Thin ? "; thin evidence, not a confirmed outage" : ""));
            // What the requests it hurt asked for: the three endpoints hurt most.
            if (Formatting.DisplayText.EndpointsHurt(s, shown: 3) is { } endpoints) Line(console, "    hurt most: " + endpoints);
        }
        if (i.Incidents.Count > 0)
        {
            Line(console, "Where to look:");
            foreach (var incident in i.Incidents)
            {
                console.Markup($"  {ScopeMarkup(incident)}: ");
                Line(console, incident.Reason);
            }
        }
        console.WriteLine();
        if (i.Backends.Count > 0) Backends(console, i);

        if (i.ListenerErrors.Count > 0)
        {
            Line(console, i.UpstreamRecorded
                ? "Answered by the load balancer itself (no backend tried, never charged to a backend):"
                : $"Errors with no backend recorded ({Formatting.DisplayText.NoUpstream(i)}: who answered them is unknown; never charged to a backend):");
            var errors = new Table().Border(TableBorder.Simple);
            errors.AddColumn(new TableColumn("Listener").NoWrap());
            errors.AddColumn(new TableColumn("Status").RightAligned());
            errors.AddColumn(new TableColumn("Requests").RightAligned());
            errors.AddColumn(new TableColumn($"First ({zone})").NoWrap());
            errors.AddColumn(new TableColumn($"Last ({zone})").NoWrap());
            foreach (var e in i.ListenerErrors)
                errors.AddRow(Cell(i.ListenerAddresses.GetValueOrDefault(e.Listener) ?? Formatting.DisplayText.ShortId(e.Listener)), new Text(e.Status.ToString(Inv)), new Text(e.Requests.ToString("N0", Inv)),
                    new Text(Local(e.First, offset, "yyyy-MM-dd HH:mm")), new Text(Local(e.Last, offset, "yyyy-MM-dd HH:mm")));
            console.Write(errors);
        }
        Line(console, i.UpstreamRecorded
            ? $"No-backend errors (5xx the load balancer answered by itself): {i.NoBackendErrors.ToString("N0", Inv)}"
            : $"No-backend errors (5xx with no backend recorded; {Formatting.DisplayText.NoUpstream(i)}): {i.NoBackendErrors.ToString("N0", Inv)}");
        Line(console, $"Parse report: {i.Inputs.Report.Summary}");
        if (FormatsLine(i.Inputs.Report) is { } formats) Line(console, formats);
        foreach (var (line, _) in i.Inputs.Report.Details) Line(console, "  " + line);
        output.Flush();
    }

    /// <summary>The table of backends (suspects first), its pools' legend, and each backend's reason.</summary>
    private void Backends(IAnsiConsole console, InvestigationResult i)
    {
        // Pools get a short label in the table; the legend below names them in full.
        var pools = i.Backends.Select(b => (b.Listener, b.Pool)).Distinct().ToList();
        var table = new Table().Border(TableBorder.Simple);
        foreach (var (title, right) in new[]
                 {
                     ("Health", false), ("Backend", false), ("Pool", false), ("Attempts", true), ("Backend\n5xx", true),
                     ("LB\n5xx", true), ("Errors", true), ("p95\nheader", true),
                 })
        {
            var column = new TableColumn(title).NoWrap().Padding(0, 0, 1, 0);
            table.AddColumn(right ? column.RightAligned() : column);
        }
        foreach (var b in i.Backends)
        {
            table.AddRow(
                new Markup(b.Verdict.TooFew ? "[grey]too few[/]" : HealthMarkup(b.Health)), Cell(b.Backend), new Text(PoolLabel(pools, b)),
                new Text(b.Attempts.ToString("N0", Inv)), new Text(b.Backend5xx.ToString("N0", Inv)), new Text(b.Lb5xx.ToString("N0", Inv)),
                new Text(Percent(b.ErrorRate)), new Text(Seconds(b.Header.P95)));
        }
        console.Write(table);
        for (var k = 0; k < pools.Count; k++)
            Line(console, $"  #{k + 1}: {PoolNames.Text(pools[k].Pool)}{ListenerNames.On(pools[k].Listener)}" +
                          (i.ListenerAddresses.GetValueOrDefault(pools[k].Listener) is { } address ? " at " + address : ""));
        // The suspect lines above count their windows; the table counts the whole range: say so, so the two figures agree.
        Line(console, "  Table: the whole range, retries included; a suspect's line above counts its window.");
        console.WriteLine();
        Line(console, "Why:");
        foreach (var b in i.Backends) Line(console, $"  {b.Reason}");
        console.WriteLine();
    }

    /// <summary>"Formats: aws-alb 1,542 lines in 1 file, huawei-elb 200 lines in 1 file" when the inputs mix formats, else null.</summary>
    internal static string? FormatsLine(Loading.ParseReport report)
    {
        var formats = report.ByFormat.ToList();
        return formats.Count < 2 ? null : "Formats: " + string.Join(", ", formats.Select(f =>
            string.Create(Inv, $"{f.Format} {f.Lines:N0} lines in {f.Files:N0} file{(f.Files == 1 ? "" : "s")}")));
    }

    /// <summary>A sentence: log text in it (names, reasons quoting them) has its control characters made visible.</summary>
    private void Line(IAnsiConsole console, string text)
    {
        text = Parsing.LineRejection.Printable(text);
        if (_unwrapped is { } plain) plain.WriteLine(text);
        else console.Write(new Text(text + "\n"));
    }

    /// <summary>A table cell of log text (a backend's, listener's or pool's name), its control characters made visible.</summary>
    private static Text Cell(string text) => new(Parsing.LineRejection.Printable(text));

    private static string Count(long n, string noun) => n.ToString("N0", Inv) + " " + noun + (n == 1 ? "" : "s");

    private static string PoolLabel(List<(string Listener, string Pool)> pools, BackendHealth b) =>
        "#" + (pools.IndexOf((b.Listener, b.Pool)) + 1).ToString(Inv);

    private static string ScopeMarkup(ScopedIncident incident)
    {
        var colour = incident.Evidence == EvidenceStrength.Thin ? "grey" : incident.Health == Health.Failing ? "red" : "yellow";
        var label = incident.Scope switch
        {
            IncidentScope.Backend => "ONE BACKEND",
            IncidentScope.SeveralBackends => $"{incident.Backends.Count} OF {incident.PoolBackends} BACKENDS",
            IncidentScope.Pool => "WHOLE POOL",
            _ => incident.UpstreamRecorded ? "LOAD BALANCER" : "NO BACKEND RECORDED",
        };
        return $"[{colour} bold]{label}[/]";
    }

    private static string HealthMarkup(Health health) => health switch
    {
        Health.Failing => "[red bold]FAILING[/]",
        Health.Slow => "[yellow bold]SLOW[/]",
        _ => "[green]healthy[/]",
    };

    private static string Local(DateTime utc, TimeSpan offset, string format) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(offset).ToString(format, Inv);


    private static string Minutes(TimeSpan size) =>
        size.TotalMinutes >= 1 ? size.TotalMinutes.ToString("0.##", Inv) + "-minute" : size.TotalSeconds.ToString("0.##", Inv) + "-second";

    /// <summary>Whom a suspect hurt: <c> (95 clients, 2.1% of the listener's requests)</c>; nothing from a bucket table, which names no client.</summary>
    private static string Whom(Suspect s) =>
        s.ClientsHurt is not { } clients ? ""
        : s.ShareOfListenerRequests is { } share ? $" ({Count(clients, "client")}, {Percent(share)} of the listener's requests)"
        : $" ({Count(clients, "client")})";

    private static string Percent(double rate) => (rate * 100).ToString("0.0", Inv) + "%";

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.000", Inv) + " s" : "-";
}
