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
        common.AddTo(command);
        command.SetAction(result => CommandRunner.Run(stderr, () =>
        {
            var (load, sources) = common.Inputs(result, Console.OpenStandardInput, stderr);
            var log = CommandRunner.Load(sources, load, stderr);
            LoadSummaryRenderer.Write(log, stdout);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
