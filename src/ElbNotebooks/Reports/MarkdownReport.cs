using System.Globalization;
using System.Text;
using ElbNotebooks.Analysis;

namespace ElbNotebooks.Reports;

/// <summary>
/// The report in GitHub-flavoured Markdown: the same story as the HTML, in text and tables; saved to a file, with its
/// charts as SVG images in a folder beside it. Every value goes through <see cref="Escape"/>, so a hostile user agent
/// or path cannot break a table or inject HTML.
/// </summary>
internal static class MarkdownReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The Markdown; with <paramref name="charts"/>, the charts as images at those relative paths (by chart name).</summary>
    public static string Write(ReportFacts f, IReadOnlyDictionary<string, string>? charts = null)
    {
        var md = new StringBuilder();
        var inv = f.Investigation;
        md.Append("# ").Append(Escape(f.Title)).Append("\n\n");
        md.Append(Escape($"Access logs from {Words.Window(inv.From, inv.To, f.Offset)}, " +
                         $"{Words.Count(inv.Requests)} requests, {inv.Backends.Count} backends" +
                         (inv.Options.Listener is { } l ? $", listener {l}" : "") + "."))
            .Append(Escape($" Generated {f.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", C)}Z by ElbNotebooks {f.Version}.")).Append("\n\n");

        md.Append("## The answer\n\n");
        if (inv.NothingJudgedReason is { } nothing)
            md.Append(Escape(nothing)).Append("\n\n");
        else if (f.Suspects.Count == 0)
            md.Append(Escape(HtmlReport.NoSuspectSentence(inv) + ".")).Append("\n\n");
        foreach (var s in f.Suspects)
        {
            var b = s.Suspect.Backend;
            md.Append("- **").Append(Escape($"{b.Backend} was {HealthNames.Of(s.Suspect.Health)}")).Append("** ")
                .Append(Escape($"(listener {Words.Listener(b.Listener, b.ListenerAddress)}) from {Words.Window(s.Suspect.Window)}{IncidentText.AfterWindow(s.Suspect)}: {s.How}. {HtmlReport.HurtSentence(s.Impact)}"));
            if (HtmlReport.EvidenceNote(s.Suspect) is { } note) md.Append(" *").Append(Escape(note)).Append('*');
            md.Append('\n');
        }
        if (f.Suspects.Count > 0) md.Append('\n');
        foreach (var note in HtmlReport.LoadBalancerNotes(f)) md.Append(Escape(note)).Append("\n\n");

        if (inv.Incidents.Count > 0)
        {
            md.Append("## Where to look\n\n");
            Table(md, HtmlReport.IncidentHeaders(f), inv.Incidents.Select(n => HtmlReport.IncidentCells(n).Select(c => c.Text).ToArray()));
        }

        md.Append("## Impact\n\n");
        if (f.Suspects.Count > 0)
        {
            Table(md, HtmlReport.ImpactHeaders(f), f.Suspects.Select(s => HtmlReport.ImpactCells(s).Select(c => c.Text).ToArray()));
        }
        md.Append("All traffic investigated:\n\n");
        var total = inv.Requests;
        string Share(long n) => total == 0 ? "–" : Words.Percent((double)n / total);
        Table(md, ["what", "requests", "share"],
        [
            ["requests", Words.Count(total), ""],
            ["client got a 5xx", Words.Count(f.ClientSaw5xx), Share(f.ClientSaw5xx)],
            ["… made by a backend (it answered 5xx)", Words.Count(f.Backend5xx), Share(f.Backend5xx)],
            ["… made by the load balancer for a backend (refused / timed out)", Words.Count(f.Lb5xx), Share(f.Lb5xx)],
            [Words.NoBackend5xx(inv), Words.Count(f.NoBackend5xx), Share(f.NoBackend5xx)],
            ["rescued by a retry on a peer (after a suspect failed)", Words.Count(f.Rescued), Share(f.Rescued)],
            ["distinct clients that got a 5xx", Words.Count(f.ClientsWith5xx), ""],
        ]);

        if (f.Suspects.Count > 0)
        {
            md.Append("## Evidence\n\n");
            foreach (var s in f.Suspects)
            {
                var b = s.Suspect.Backend;
                md.Append("### ").Append(Escape($"{HealthNames.Of(s.Suspect.Health)}: {b.Backend} ({Words.Pool(b.Pool)}, listener {Words.Listener(b.Listener, b.ListenerAddress)})")).Append("\n\n");
                md.Append(Escape(s.Suspect.Reason + ".")).Append("\n\n");
                md.Append(Escape($"Against its peers in the window ({Words.LocalWindow(s.Suspect.Window)}, {Words.Minutes(s.Suspect.Window.Duration)}):")).Append("\n\n");
                Table(md, HtmlReport.PeerHeaders, s.Peers.Select(p => HtmlReport.PeerCells(p).Select(c => c.Text).ToArray()), bold: p => s.Peers[p].IsSuspect);
                if (HtmlReport.EndpointsTitle(s.Suspect) is { } endpoints)
                {
                    md.Append(Escape(endpoints + ":")).Append("\n\n");
                    Table(md, HtmlReport.EndpointHeaders(s.Suspect), HtmlReport.EndpointRows(s.Suspect).Select(row => row.Select(c => c.Text).ToArray()));
                }
                if (s.Evidence.Count > 0)
                {
                    md.Append(Escape($"Log lines ({s.Evidence.Count} of its {(s.Suspect.Health == Health.Slow ? "slowest" : "failed")} requests):")).Append("\n\n");
                    foreach (var e in s.Evidence)
                    {
                        md.Append("- ").Append(Escape($"{e.File} line {e.Line}" + (e.Raw is null ? " (parsed fields: the source cannot be read again)" : "") +
                                                      (e.Shows.Length > 0 ? ": " + e.Shows : ""))).Append("\n\n");
                        CodeBlock(md, e.Text, indent: "  ");
                    }
                }
            }
        }

        md.Append("## Charts\n\n");
        if (charts is null)
            md.Append(Escape("The HTML report draws these interactive charts: " +
                             string.Join("; ", HtmlReport.ChartList(f).Select(c => c.Caption.TrimEnd('.'))) + ".")).Append("\n\n");
        else
            foreach (var (name, caption, _) in HtmlReport.ChartList(f))
                if (charts.TryGetValue(name, out var image))
                    md.Append("![").Append(Escape(caption.TrimEnd('.'))).Append("](").Append(Uri.EscapeDataString(image).Replace("%2F", "/", StringComparison.Ordinal)).Append(")\n\n")
                        .Append(Escape(caption)).Append("\n\n");

        md.Append("## Backends\n\n");
        if (inv.Backends.Count == 0) md.Append(Escape(HtmlReport.NoBackends)).Append("\n\n");
        else Table(md, HtmlReport.BackendHeaders, inv.Backends.Select(b => HtmlReport.BackendCells(b, f).Select(c => c.Text).ToArray()));
        foreach (var note in HtmlReport.TooFewNotes(inv)) md.Append(Escape(note)).Append("\n\n");

        if (inv.ListenerErrors.Count > 0)
        {
            md.Append("## ").Append(Words.NoBackendHeading(inv)).Append("\n\n");
            Table(md, ["listener", "status", "requests", "first", "last"],
                inv.ListenerErrors.Select(e => new[] { Words.Listener(e.Listener, e.ListenerAddress), e.Status.ToString(C), Words.Count(e.Requests), Words.Local(e.First, f.Offset), Words.Local(e.Last, f.Offset) }));
        }

        md.Append("## How this was concluded\n\n");
        foreach (var paragraph in MethodText.Paragraphs(f)) md.Append(Escape(paragraph)).Append("\n\n");
        Table(md, ["option", "value", "meaning"], f.Thresholds.Select(t => new[] { t.Name, t.Value, t.Meaning }));

        md.Append("## Provenance\n\n");
        Table(md, ["file", "format", "lines", "parsed", "rejected", "blank", "note"],
            f.Files.Select(file => new[]
            {
                file.File, file.Format ?? "–", Words.Count(file.Lines), Words.Count(file.Parsed), Words.Count(file.Rejected), Words.Count(file.Blank),
                file.Error ?? file.Note ?? string.Join(", ", file.RejectionsByReason.Select(kv => string.Create(C, $"{kv.Key} {kv.Value:N0}"))),
            }));
        foreach (var (name, value) in MethodText.Provenance(f)) md.Append("- ").Append(Escape(name)).Append(": ").Append(Escape(value)).Append('\n');
        var rejected = f.Log.Report.FirstOfEachReason.ToList();
        if (rejected.Count > 0)
        {
            md.Append('\n').Append(Escape(HtmlReport.RejectedTitle + ":")).Append("\n\n");
            foreach (var e in rejected)
            {
                md.Append("- ").Append(Escape(HtmlReport.RejectedWhere(e))).Append("\n\n");
                CodeBlock(md, e.Text, indent: "  ");
            }
        }
        return md.ToString();
    }

    /// <summary>
    /// A raw log line as a fenced code block: shown as written, in a fixed-width font, nothing in it read as Markdown or
    /// HTML. The fence is longer than any run of backticks in the line, so the line cannot close it.
    /// </summary>
    internal static void CodeBlock(StringBuilder md, string text, string indent = "")
    {
        var line = new string(text.Select(ch => char.IsControl(ch) || ch is '\u2028' or '\u2029' ? ' ' : ch).ToArray());
        line = Formatting.DisplayText.VisibleBidi(line);
        var longest = 0;
        for (int i = 0, run = 0; i < line.Length; i++)
        {
            run = line[i] == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', Math.Max(3, longest + 1));
        md.Append(indent).Append(fence).Append("text\n").Append(indent).Append(line).Append('\n').Append(indent).Append(fence).Append("\n\n");
    }

    /// <summary>A cell that is a number, a share, a duration or a dash: right-aligned, so figures line up.</summary>
    private static bool IsFigure(string cell) => cell.Length == 0 || cell is "–" or "-" ||
        System.Text.RegularExpressions.Regex.IsMatch(cell, @"^[<>≤≥~]?-?[\d][\d,]*(\.\d+)?( ?(%|s|ms|MB|×))?$");

    private static void Table(StringBuilder md, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<int, bool>? bold = null)
    {
        var list = rows.ToList();
        md.Append('|');
        foreach (var h in headers) md.Append(' ').Append(Escape(h)).Append(" |");
        md.Append("\n|");
        for (var column = 0; column < headers.Count; column++)
        {
            var figures = list.Count > 0 && list.All(r => column >= r.Count || IsFigure(r[column])) && list.Any(r => column < r.Count && r[column].Length > 0 && r[column] is not "–" and not "-");
            md.Append(figures ? "---:|" : "---|");
        }
        md.Append('\n');
        var index = 0;
        foreach (var row in list)
        {
            var strong = bold?.Invoke(index) == true;
            md.Append('|');
            foreach (var cell in row)
            {
                md.Append(' ');
                if (strong && cell.Length > 0) md.Append("**").Append(Escape(cell)).Append("**");
                else md.Append(Escape(cell));
                md.Append(" |");
            }
            md.Append('\n');
            index++;
        }
        md.Append('\n');
    }

    /// <summary>
    /// A value as inert Markdown text: Markdown punctuation is backslash-escaped (<c>\|</c> keeps a table cell whole),
    /// <c>&lt; &gt; &amp;</c> become entities (no HTML), control characters and newlines become spaces (one line).
    /// </summary>
    internal static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        text = Formatting.DisplayText.VisibleBidi(text);
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\\' or '|' or '`' or '*' or '_' or '[' or ']' or '~' or '#' or '!':
                    sb.Append('\\').Append(ch);
                    break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                default:
                    sb.Append(char.IsControl(ch) || ch is '\u2028' or '\u2029' ? ' ' : ch);
                    break;
            }
        }
        return sb.ToString();
    }
}
