using System.CommandLine;
using ElbNotebooks.Cli.Commands;

namespace ElbNotebooks.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the tool with injected writers, so tests can assert on exact output.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'elb-notebooks --help' for usage.");
            return ExitCodes.Usage;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    internal static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("ElbNotebooks: find the failing backend in load-balancer access logs.");
        foreach (var command in CommandCatalog.All(stdout, stderr))
            root.Subcommands.Add(command);
        return root;
    }
}
