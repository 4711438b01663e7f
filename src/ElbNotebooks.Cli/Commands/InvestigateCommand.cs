using System.CommandLine;
using System.Globalization;
using ElbNotebooks.Analysis;
using ElbNotebooks.Cli.Rendering;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;
using Spectre.Console;

namespace ElbNotebooks.Cli.Commands;

/// <summary><c>investigate</c>: which backend is failing, since when, and whom it hurt.</summary>
internal static class InvestigateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var pathsArgument = new Argument<string[]>("paths")
        {
            Description = "Access-log files, folders or globs (.gz is read transparently)",
            Arity = ArgumentArity.OneOrMore,
        };
        var jsonOption = new Option<bool>("--json") { Description = "Print one JSON document to stdout instead of the table" };
        var fromOption = new Option<string?>("--from") { Description = "Only requests at or after this ISO-8601 instant (no offset = UTC)" };
        var toOption = new Option<string?>("--to") { Description = "Only requests before this ISO-8601 instant (no offset = UTC)" };
        var listenerOption = new Option<string?>("--listener") { Description = "Only this listener (listener_name as in the log)" };
        var formatOption = new Option<string>("--format")
        {
            Description = "Log format: detect, or one of " + string.Join(", ", LogFormats.Names),
            DefaultValueFactory = _ => "detect",
        };

        var reportOption = new Option<string?>("--report")
        {
            Description = "Also write the incident report as one HTML page that opens offline (charts inline), e.g. incident.html",
        };
        var markdownOption = new Option<string?>("--markdown")
        {
            Description = "Also write the incident report as Markdown (tables, no images) for a ticket or chat, e.g. incident.md",
        };

        var command = new Command("investigate", "Find the failing or slow backend, its window, and whom it hurt.")
        {
            pathsArgument, jsonOption, fromOption, toOption, listenerOption, formatOption, reportOption, markdownOption,
        };

        command.SetAction(parseResult =>
        {
            var paths = parseResult.GetValue(pathsArgument) ?? [];
            if (!TryTime(parseResult.GetValue(fromOption), "--from", stderr, out var from) ||
                !TryTime(parseResult.GetValue(toOption), "--to", stderr, out var to))
                return ExitCodes.Usage;
            if (from is { } f && to is { } t && f >= t)
                return Usage(stderr, $"--from {f:O} must be before --to {t:O}");
            var formatText = parseResult.GetValue(formatOption) ?? "detect";
            string? format = null;
            if (!string.Equals(formatText, "detect", StringComparison.OrdinalIgnoreCase))
            {
                format = LogFormats.Names.FirstOrDefault(n => string.Equals(n, formatText, StringComparison.OrdinalIgnoreCase));
                if (format is null)
                    return Usage(stderr, $"--format '{formatText}' is unknown; known: detect, {string.Join(", ", LogFormats.Names)}");
            }

            var listener = parseResult.GetValue(listenerOption);
            var json = parseResult.GetValue(jsonOption);
            AccessLog log;
            try
            {
                var loadOptions = new LoadOptions { From = from, To = to, Format = format };
                log = Load(paths, loadOptions, stderr);
            }
            catch (FileNotFoundException e)
            {
                return Usage(stderr, e.Message);
            }
            catch (DirectoryNotFoundException e)
            {
                return Usage(stderr, e.Message);
            }
            catch (ArgumentException e)
            {
                return Usage(stderr, e.Message);
            }
            catch (LogLoadException e)
            {
                stderr.WriteLine(e.Message);
                return ExitCodes.NothingParsed;
            }

            var investigation = log.Investigate(new InvestigationOptions { From = from, To = to, Listener = listener });
            IInvestigationRenderer renderer = json
                ? new JsonRenderer()
                : new TerminalRenderer(color: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
            renderer.Render(investigation, stdout);
            if (listener is not null && investigation.Requests == 0)
                stderr.WriteLine($"No request on listener '{listener}' in the range investigated.");
            return WriteReports(investigation, parseResult.GetValue(reportOption), parseResult.GetValue(markdownOption), stderr);
        });
        return command;
    }

    /// <summary>Writes the requested report files; stdout stays the table or the one JSON document.</summary>
    private static int WriteReports(Investigation investigation, string? htmlPath, string? markdownPath, TextWriter stderr)
    {
        if (htmlPath is null && markdownPath is null) return ExitCodes.Ok;
        var report = investigation.Report();
        foreach (var (path, save) in new (string?, Action<string>)[] { (htmlPath, report.SaveHtml), (markdownPath, report.SaveMarkdown) })
        {
            if (path is null) continue;
            try
            {
                save(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"cannot write {path}: {e.Message}");
                return ExitCodes.Failure;
            }
            stderr.WriteLine($"wrote {path}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Loads, with a progress bar on stderr only when stderr is a terminal.</summary>
    private static AccessLog Load(string[] paths, LoadOptions options, TextWriter stderr)
    {
        if (Console.IsErrorRedirected || !ReferenceEquals(stderr, Console.Error)) return AccessLog.Load(paths, options);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        AccessLog? log = null;
        console.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("Reading access logs");
            log = AccessLog.Load(paths, options with { Progress = new ProgressTaskReporter(task) });
            task.Value = task.MaxValue;
        });
        return log!;
    }

    private sealed class ProgressTaskReporter(ProgressTask task) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value)
        {
            if (value.TotalBytes <= 0) return;
            task.MaxValue = value.TotalBytes;
            task.Value = Math.Min(value.BytesRead, value.TotalBytes);
        }
    }

    /// <summary>ISO-8601; without an offset the time is UTC.</summary>
    private static bool TryTime(string? text, string option, TextWriter stderr, out DateTimeOffset? value)
    {
        value = null;
        if (text is null) return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        Usage(stderr, $"{option} '{text}' is not an ISO-8601 time, e.g. 2024-05-01T10:20:00+08:00 or 2024-05-01T02:20:00Z");
        return false;
    }

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine(message);
        return ExitCodes.Usage;
    }
}
