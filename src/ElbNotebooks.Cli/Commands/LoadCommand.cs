using System.CommandLine;
using ElbNotebooks.Cli.Rendering;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Cli.Commands;

/// <summary><c>load</c>: reads logs and prints what was parsed and rejected, per file, with examples.</summary>
internal static class LoadCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var common = new CommonOptions();
        var command = new Command("load", "Read access logs and report lines parsed, rejected and blank, per file, with examples of each rejection.");
        var json = new Option<bool>("--json") { Description = "Print one JSON document to stdout (the parse report per file, with examples) instead of the table" };
        common.AddTo(command);
        command.Options.Add(json);
        command.SetAction(result => CommandRunner.Run(stderr, () =>
        {
            var (load, sources) = common.Inputs(result, Console.OpenStandardInput, stderr);
            var log = CommandRunner.Load(sources, load, stderr);
            if (result.GetValue(json)) stdout.Write(ParseReportJson.Load(log, indented: true) + "\n");
            else LoadSummaryRenderer.Write(log, stdout);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
