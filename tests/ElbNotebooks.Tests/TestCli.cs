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

    /// <summary>
    /// Runs the built tool in its own process with <paramref name="stdinFile"/>'s bytes as its standard input, which an
    /// in-process run cannot give it.
    /// </summary>
    public static async Task<(int Exit, string Out, string Err)> RunWithStdinAsync(string stdinFile, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "elb-notebooks.dll"), .. args]) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await using (var input = File.OpenRead(stdinFile)) await input.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool stopped reading (it refused its arguments before the input): what it said is the answer.
        }
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
