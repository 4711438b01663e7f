using ElbNotebooks.Cli;

namespace ElbNotebooks.Tests;

/// <summary>Runs the command-line tool in process, capturing what it writes to stdout and stderr.</summary>
internal static class TestCli
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
