using System.Globalization;
using System.Text;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Formatting;

/// <summary>Views of what a load produced: the <see cref="AccessLog"/> and its <see cref="ParseReport"/>.</summary>
internal static class LoadingViews
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const int MaxFiles = 10;
    private const int MaxExamples = 10;

    public static void WriteHtml(HtmlWriter html, AccessLog log, ViewSettings settings)
    {
        html.Open("div", "elb-view elb-log").Style();
        html.Element("div", $"Access log: {log.RequestCount:N0} requests, {log.AttemptCount:N0} upstream attempts", "elb-title");
        html.Open("dl", "elb-facts");
        Fact(html, "format", log.Inputs.FormatNames);
        Fact(html, "time", log.From is { } from && log.To is { } to
            ? $"{DisplayText.Local(from, log.UtcOffset)} → {DisplayText.Local(to, log.UtcOffset)} ({TimeText.Duration(to - from)})"
            : "–");
        Fact(html, "offset", Offsets.Utc(log.UtcOffset) + " (the log's own; times in frames are UTC)");
        Fact(html, "sources", Sources(log.Sources, settings.MaxCellLength));
        html.Close("dl");
        WriteReport(html, log.Report, settings, nested: true);
        html.Element("div", "log.Requests and log.Attempts are DataFrames; log.Charts draws them.", "elb-muted");
        html.Close("div");
    }

    public static void WriteHtml(HtmlWriter html, ParseReport report, ViewSettings settings)
    {
        html.Open("div", "elb-view elb-report").Style();
        WriteReport(html, report, settings, nested: false);
        html.Close("div");
    }

    private static void WriteReport(HtmlWriter html, ParseReport report, ViewSettings settings, bool nested)
    {
        html.Element("div", nested ? "What was read" : "Parse report", "elb-title");
        html.Open("dl", "elb-facts");
        Fact(html, "lines", DisplayText.Count(report.Lines));
        Fact(html, "parsed", DisplayText.Count(report.Parsed), report.Parsed == report.Lines - report.Blank ? "elb-good" : null);
        Fact(html, "rejected", DisplayText.Count(report.Rejected) + Reasons(report), report.Rejected > 0 ? "elb-warn" : null);
        Fact(html, "blank", DisplayText.Count(report.Blank));
        if (report.OutOfRange > 0) Fact(html, "outside time range", DisplayText.Count(report.OutOfRange));
        if (report.ReplacedEncoding > 0) Fact(html, "non-UTF-8 lines", DisplayText.Count(report.ReplacedEncoding), "elb-warn");
        html.Close("dl");

        var damaged = report.Damaged.ToArray();
        if (report.Files.Count > 1 || damaged.Length > 0)
        {
            html.Open("table", "elb-table").Open("thead").Open("tr");
            foreach (var h in new[] { "file", "format", "lines", "parsed", "rejected", "blank", "problem" }) html.Element("th", h);
            html.Close("tr").Close("thead").Open("tbody");
            foreach (var f in report.Files.Take(MaxFiles))
            {
                html.Open("tr").Element("td", DisplayText.Cut(f.File, settings.MaxCellLength)).Element("td", f.Format ?? "–")
                    .Element("td", DisplayText.Count(f.Lines), "elb-num").Element("td", DisplayText.Count(f.Parsed), "elb-num")
                    .Element("td", DisplayText.Count(f.Rejected), "elb-num").Element("td", DisplayText.Count(f.Blank), "elb-num")
                    .Element("td", f.Error is null ? "" : DisplayText.Cut(f.Error, settings.MaxCellLength), f.Error is null ? null : "elb-bad")
                    .Close("tr");
            }
            html.Close("tbody").Close("table");
            if (report.Files.Count > MaxFiles) html.Element("div", $"… {report.Files.Count - MaxFiles:N0} more files", "elb-muted");
        }

        if (report.Examples.Count > 0)
        {
            html.Element("div", "Rejected lines (first of each reason)", "elb-title");
            html.Open("table", "elb-table").Open("thead").Open("tr");
            foreach (var h in new[] { "where", "reason", "detail", "line" }) html.Element("th", h);
            html.Close("tr").Close("thead").Open("tbody");
            foreach (var e in report.Examples.Take(MaxExamples))
            {
                html.Open("tr").Element("td", DisplayText.Cut($"{e.File}:{e.Line}", settings.MaxCellLength)).Element("td", e.Reason)
                    .Element("td", DisplayText.Cut(e.Detail, settings.MaxCellLength))
                    .Open("td").Open("code").Text(DisplayText.Of(e.Text, settings.MaxCellLength).Text).Close("code").Close("td")
                    .Close("tr");
            }
            html.Close("tbody").Close("table");
        }

        if (report.SkippedFiles.Count > 0)
            html.Element("div", $"{report.SkippedFiles.Count:N0} file(s) skipped (not access logs, not regular files, or read already): " +
                DisplayText.Cut(string.Join(", ", report.SkippedFiles.Take(5).Select(s => s.File)), settings.MaxCellLength * 2), "elb-muted");
    }

    public static string Text(AccessLog log, ViewSettings settings)
    {
        var text = new StringBuilder();
        text.Append(C, $"Access log: {log.RequestCount:N0} requests, {log.AttemptCount:N0} upstream attempts ({log.Inputs.FormatNames})").AppendLine();
        if (log.From is { } from && log.To is { } to)
            text.Append(C, $"  time:    {DisplayText.Local(from, log.UtcOffset)} -> {DisplayText.Local(to, log.UtcOffset)} ({TimeText.Duration(to - from)})").AppendLine();
        text.Append("  sources: ").Append(Sources(log.Sources, settings.MaxCellLength)).AppendLine();
        text.Append("  read:    ").Append(log.Report.Summary);
        return text.ToString();
    }

    public static string Text(ParseReport report, ViewSettings settings)
    {
        var text = new StringBuilder(report.Summary);
        foreach (var f in report.Damaged) text.AppendLine().Append(C, $"  {f.ErrorKind ?? ProblemKinds.Unreadable}: {f.File}: {f.Error}");
        foreach (var e in report.Examples.Take(MaxExamples))
            text.AppendLine().Append(C, $"  {e.File}:{e.Line}: {e.Reason}: {DisplayText.Cut(e.Detail, settings.MaxCellLength)}");
        return text.ToString();
    }

    private static void Fact(HtmlWriter html, string name, string value, string? cssClass = null) =>
        html.Element("dt", name).Element("dd", value, cssClass);

    private static string Reasons(ParseReport report) =>
        report.RejectionsByReason.Count == 0 ? "" :
        " (" + string.Join(", ", report.RejectionsByReason.Select(kv => string.Create(C, $"{kv.Key} {kv.Value:N0}"))) + ")";

    private static string Sources(IReadOnlyList<string> sources, int max) =>
        sources.Count == 0 ? "–" :
        DisplayText.Cut(string.Join(", ", sources.Take(3)), max * 2) + (sources.Count > 3 ? string.Create(C, $" and {sources.Count - 3:N0} more") : "");
}
