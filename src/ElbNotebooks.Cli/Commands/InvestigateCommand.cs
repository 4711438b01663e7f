using System.CommandLine;
using ElbNotebooks.Analysis;
using ElbNotebooks.Cli.Rendering;

namespace ElbNotebooks.Cli.Commands;

/// <summary><c>investigate</c>: which backend is failing, since when, and whom it hurt.</summary>
internal static class InvestigateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var common = new CommonOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON document to stdout instead of the table" };
        var listener = new Option<string?>("--listener") { Description = "Only this listener (listener_name as in the log)" };

        var command = new Command("investigate", "Find the failing or slow backend, its window, and whom it hurt.");
        common.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(listener);

        command.SetAction(result => CommandRunner.Run(stderr, () =>
        {
            var load = common.ToLoadOptions(result);
            var options = new InvestigationOptions { From = load.From, To = load.To, Listener = result.GetValue(listener) };
            var sources = common.Sources(result, Console.OpenStandardInput);
            // The answer needs no rows: stream the logs, so memory does not grow with them.
            var investigation = CommandRunner.WithProgress(sources, load, stderr,
                o => AccessLogInvestigation.Investigate(sources, o, options));

            IInvestigationRenderer renderer = result.GetValue(json)
                ? new JsonRenderer()
                : new TerminalRenderer(color: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
            renderer.Render(investigation, stdout);
            if (options.Listener is { } name && investigation.Requests == 0)
                stderr.WriteLine($"No request on listener '{name}' in the range investigated.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
