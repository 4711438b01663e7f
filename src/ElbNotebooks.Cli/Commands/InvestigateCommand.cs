using System.CommandLine;
using ElbNotebooks.Analysis;
using ElbNotebooks.Cli.Rendering;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Cli.Commands;

/// <summary><c>investigate</c>: which backend is failing, since when, and whom it hurt.</summary>
internal static class InvestigateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var common = new CommonOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON document to stdout instead of the table" };
        var listener = new Option<string?>("--listener")
        {
            Description = "Only this listener: its listener_name as in the log, or the start of it or of its id (listener_08ff6ee9, 08ff6ee9)",
        };
        var bucket = new Option<string?>("--bucket")
        {
            Description = "Time bucket of the per-backend series and of incident windows, e.g. 1m, 5m, 1h (default: 1-60 min, ~60-120 buckets over the busy time, leaving out idle stretches of 30 min or more)",
        };
        var report = new Option<string?>("--report")
        {
            Description = "Also write the incident report as one HTML page that opens offline (charts inline), e.g. incident.html",
        };
        var markdown = new Option<string?>("--markdown")
        {
            Description = "Also write the incident report as Markdown for a ticket or chat, e.g. incident.md, with its charts as SVG files in a folder beside it (incident-charts/)",
        };

        var buckets = new Option<string?>("--buckets")
        {
            Description = "Judge a bucket table instead of logs: the .parquet or .csv an engine made next to the logs with sql/bucket-table.*.sql (docs/bucket-table.md). No log paths then",
        };
        var writeBuckets = new Option<string?>("--write-buckets")
        {
            Description = "Also write the bucket table this investigation judges (.parquet or .csv), the one the shipped SQL makes, e.g. buckets.parquet",
        };

        var command = new Command("investigate", "Find the failing or slow backend, its window, and whom it hurt.");
        common.AddTo(command);
        // Log paths or --buckets: one of them, checked below.
        common.Paths.Arity = ArgumentArity.ZeroOrMore;
        command.Options.Add(buckets);
        command.Options.Add(writeBuckets);
        command.Options.Add(json);
        command.Options.Add(listener);
        command.Options.Add(bucket);
        command.Options.Add(report);
        command.Options.Add(markdown);

        command.SetAction(result => CommandRunner.Run(stderr, () =>
        {
            var (htmlPath, markdownPath) = (result.GetValue(report), result.GetValue(markdown));
            if (result.GetValue(buckets) is { } table)
            {
                if ((result.GetValue(common.Paths) ?? []).Length > 0)
                    throw new InvalidInputException("--buckets judges a table instead of logs: give the table or the log paths, not both.");
                foreach (var (option, value) in new (string, object?)[]
                         {
                             ("--from", result.GetValue(common.From)), ("--to", result.GetValue(common.To)), ("--listener", result.GetValue(listener)),
                             ("--report", htmlPath), ("--markdown", markdownPath), ("--write-buckets", result.GetValue(writeBuckets)),
                         })
                    if (value is not null)
                        throw new InvalidInputException(option is "--report" or "--markdown"
                            ? $"{option} shows raw lines and charts of rows, which a bucket table has none of: write it from the logs, or use --json."
                            : $"{option} does not apply to --buckets: filter by time or listener in the query that makes the table.");
                if (!File.Exists(table)) throw new InvalidInputException($"--buckets '{table}': no such file.");
                Render(Investigation.FromBuckets(table, new InvestigationOptions { BucketSize = Bucket(result.GetValue(bucket)) }));
                return ExitCodes.Ok;
            }
            if ((result.GetValue(common.Paths) ?? []).Length == 0)
                throw new InvalidInputException("investigate needs log paths (or - for standard input), or --buckets <table>.");
            var (load, sources) = common.Inputs(result, Console.OpenStandardInput, stderr, out var taken);
            var census = new Lazy<LogCensus?>(() => taken ?? (sources.All(s => s.CanReadAgain) ? LogCensus.Take(sources, load) : null));
            // --from/--to belong to the load alone: lines outside the range are counted (out_of_range) and never kept,
            // so the investigation has nothing left to filter by time.
            var options = new InvestigationOptions
            {
                Listener = Listener(result.GetValue(listener), census),
                BucketSize = Bucket(result.GetValue(bucket)),
            };
            if (htmlPath is not null) OutputPaths.PrepareFile(htmlPath, "--report");
            if (markdownPath is not null) OutputPaths.PrepareFile(markdownPath, "--markdown");
            // The answer alone needs no rows: stream the logs, keeping only attempts' timings. A report shows
            // raw lines and charts, so it needs the loaded log.
            var bucketsPath = result.GetValue(writeBuckets);
            if (bucketsPath is not null) OutputPaths.PrepareFile(bucketsPath, "--write-buckets");
            Action<BucketTable>? saveBuckets = bucketsPath is null ? null : t =>
            {
                try
                {
                    t.Save(bucketsPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw OutputPaths.Unwritable("--write-buckets", bucketsPath, e.Message);
                }
                stderr.WriteLine($"wrote {bucketsPath}");
            };
            Investigation? loaded = null;
            InvestigationResult investigation = htmlPath is null && markdownPath is null
                ? CommandRunner.WithProgress(sources, load, stderr, o => AccessLogInvestigation.Investigate(sources, o, options, saveBuckets))
                : loaded = CommandRunner.Load(sources, load, stderr).Investigate(options, saveBuckets);

            if (investigation.NothingJudged)
            {
                // An empty selection is not an all-clear (the library's rule): say what the logs hold instead of judging nothing.
                stderr.WriteLine(NothingSelected(load, options, census.Value));
                return ExitCodes.NothingParsed;
            }

            Render(investigation);
            return loaded is null ? ExitCodes.Ok : WriteReports(loaded, htmlPath, markdownPath, stderr);

            void Render(InvestigationResult judged)
            {
                IInvestigationRenderer renderer = result.GetValue(json)
                    ? new JsonRenderer()
                    : new TerminalRenderer(color: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
                renderer.Render(judged, stdout);
            }
        }));
        return command;
    }

    /// <summary>The listener_name <paramref name="text"/> names; an unknown one is bad usage that lists the listeners there are.</summary>
    private static string? Listener(string? text, Lazy<LogCensus?> census)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (census.Value is not { } c) return text; // standard input: read once, so the name is taken as written
        return c.FindListener(text) ?? throw new InvalidInputException(
            $"--listener '{text}' names no single listener of these logs. Listeners (requests): " +
            (c.Listeners.Count == 0 ? "none" : LogCensus.Describe(c.Listeners, c.ListenerAddresses)) + ".");
    }

    private static string NothingSelected(LoadOptions load, InvestigationOptions options, LogCensus? census)
    {
        var asked = string.Join(", ", new[]
        {
            load.From is { } f ? $"from {f:yyyy-MM-dd HH:mm:ss zzz}" : null,
            load.To is { } t ? $"to {t:yyyy-MM-dd HH:mm:ss zzz}" : null,
            options.Listener is { } l ? $"listener {l}" : null,
        }.Where(p => p is not null));
        string? span = null;
        if (census is { From: { } from, To: { } to } c)
            span = EmptySelection.Span(from, to, c.UtcOffset, c.Report.Parsed,
                options.Listener is not null && c.Listeners.Count > 0 ? "; listeners (requests): " + LogCensus.Describe(c.Listeners, c.ListenerAddresses) : null);
        return EmptySelection.Describe(asked, span);
    }

    private static TimeSpan? Bucket(string? text) =>
        text is null ? null
        : Durations.TryParse(text, out var size) && size >= TimeSpan.FromSeconds(1) ? size
        : throw new InvalidInputException($"--bucket '{text}' is not a duration from 1s to {Durations.MaxDays} days, e.g. 30s, 5m, 1h.");

    /// <summary>Writes the requested report files; stdout stays the table or the one JSON document.</summary>
    private static int WriteReports(Investigation investigation, string? htmlPath, string? markdownPath, TextWriter stderr)
    {
        if (htmlPath is null && markdownPath is null) return ExitCodes.Ok;
        var report = investigation.Report();
        foreach (var (path, option, save) in new (string?, string, Action<string>)[] { (htmlPath, "--report", report.SaveHtml), (markdownPath, "--markdown", report.SaveMarkdown) })
        {
            if (path is null) continue;
            try
            {
                save(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw OutputPaths.Unwritable(option, path, e.Message);
            }
            stderr.WriteLine(option == "--markdown" ? $"wrote {path} and its charts in {Reports.IncidentReport.ChartsFolder(path)}" : $"wrote {path}");
        }
        return ExitCodes.Ok;
    }
}
