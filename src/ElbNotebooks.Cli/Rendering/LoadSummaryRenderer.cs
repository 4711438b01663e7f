using System.Globalization;
using ElbNotebooks.Loading;
using Spectre.Console;

namespace ElbNotebooks.Cli.Rendering;

/// <summary>The <c>load</c> command's terminal output: the summary, a table per file, rejection examples.</summary>
internal static class LoadSummaryRenderer
{
    public static void Write(AccessLog log, TextWriter output)
    {
        var console = TerminalConsole.For(output);
        var c = CultureInfo.InvariantCulture;
        console.WriteLine(log.Report.Summary);
        if (log.From is { } from && log.To is { } to)
            console.WriteLine(string.Create(c, $"{log.RequestCount:N0} requests, {log.AttemptCount:N0} attempts ({log.Inputs.FormatNames}) from {from:yyyy-MM-ddTHH:mm:ss}Z to {to:yyyy-MM-ddTHH:mm:ss}Z, log offset {Offsets.Format(log.UtcOffset)}"));

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("file").AddColumn("format").AddColumn(new TableColumn("lines").RightAligned())
            .AddColumn(new TableColumn("parsed").RightAligned()).AddColumn(new TableColumn("rejected").RightAligned())
            .AddColumn(new TableColumn("blank").RightAligned()).AddColumn("problem");
        foreach (var file in log.Report.Files)
            table.AddRow(
                Markup.Escape(file.File), Markup.Escape(file.Format ?? "-"),
                file.Lines.ToString("N0", c), file.Parsed.ToString("N0", c), file.Rejected.ToString("N0", c), file.Blank.ToString("N0", c),
                Markup.Escape(file.Error ?? ""));
        console.Write(table);

        if (TerminalRenderer.FormatsLine(log.Report) is { } formats) console.WriteLine(formats);
        foreach (var skipped in log.Report.SkippedFiles)
            console.WriteLine(Parsing.LineRejection.Printable($"skipped {skipped.File}: {skipped.Reason}"));
        foreach (var file in log.Report.Files.Where(f => f.Note is not null))
            console.WriteLine($"note {file.File}: {file.Note}");
        if (log.Report.Examples.Count > 0)
        {
            console.WriteLine("Rejected lines (first examples of each reason):");
            foreach (var example in log.Report.Examples)
                console.WriteLine(Parsing.LineRejection.Printable($"  {example}"));
        }
    }

}

/// <summary>A Spectre console over any writer: colours only on a real terminal, fixed width otherwise.</summary>
internal static class TerminalConsole
{
    public static IAnsiConsole For(TextWriter output)
    {
        var isTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!isTerminal) console.Profile.Width = 160;
        return console;
    }
}
