using System.CommandLine;

namespace ElbNotebooks.Cli.Commands;

/// <summary>Every sub-command of the tool, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr)
    {
        yield return InvestigateCommand.Create(stdout, stderr);
        yield return LoadCommand.Create(stdout, stderr);
        yield return GenerateCommand.Create(stdout, stderr);
        yield return ExportCommand.Create(stdout, stderr);
    }
}
