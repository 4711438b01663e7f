using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Cli;

/// <summary>A test of named pipes and sockets in the file system: Linux and macOS only.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Named pipes (mkfifo) and socket files are Unix file types.";
    }
}

/// <summary>
/// A named pipe (FIFO), socket or device found in a folder is skipped and named, as a file that is not a log is:
/// opening a FIFO to read waits for a writer, and a load of the folder waited forever. Named on its own, a FIFO is read,
/// as standard input is.
/// </summary>
public sealed class SpecialFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string Log => string.Join('\n', File.ReadLines(TestPaths.SampleLog("elb-web-incident.log")).Take(300)) + "\n";

    [UnixFact]
    public void A_fifo_and_a_socket_in_a_folder_are_skipped_and_named()
    {
        var folder = Path.Combine(_dir.Path, "logs");
        _dir.Write("logs/a.log", Log);
        var fifo = MakeFifo(Path.Combine(folder, "pipe.log"));
        var socketPath = Path.Combine(folder, "sock.log");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        var load = RunWithin(fifo, "load", folder);
        var json = RunWithin(fifo, "investigate", folder, "--json");

        Assert.True(load.Exit == ExitCodes.Ok, load.Err);
        Assert.Contains("300 lines in 1 file: 300 parsed, 0 rejected, 0 blank; 2 file(s) skipped", load.Out);
        Assert.Contains($"skipped {fifo}: a named pipe (FIFO), not a regular file", load.Out);
        Assert.Contains($"skipped {socketPath}: a socket, not a regular file", load.Out);
        Assert.True(json.Exit == ExitCodes.Ok, json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var problems = doc.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("file").GetString(), p.GetProperty("kind").GetString())).ToArray();
        Assert.Equal([(fifo, ProblemKinds.NotARegularFile), (socketPath, ProblemKinds.NotARegularFile)], problems);
        Assert.Equal(300, doc.RootElement.GetProperty("parsed").GetInt64());
    }

    [UnixFact]
    public void A_fifo_named_on_its_own_is_read_as_standard_input_is()
    {
        var fifo = MakeFifo(Path.Combine(_dir.Path, "pipe.log"));
        var writer = Task.Run(() => File.WriteAllText(fifo, Log));

        var (exit, output, err) = RunWithin(fifo, "investigate", fifo, "--json");

        Assert.True(exit == ExitCodes.Ok, err);
        Assert.True(writer.Wait(Patience));
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(300, doc.RootElement.GetProperty("parsed").GetInt64());
        Assert.Empty(doc.RootElement.GetProperty("problems").EnumerateArray());
    }

    private static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    [Theory]
    [InlineData("investigate")]
    [InlineData("load")]
    [InlineData("export")]
    public void An_empty_folder_is_named_as_holding_no_file(string command)
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir.Path, "empty")).FullName;
        string[] args = command == "export" ? [command, empty, "--parquet", Path.Combine(_dir.Path, "pq")] : [command, empty];

        var (exit, stdout, stderr) = TestCli.Run(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"No input: '{empty}' holds no file to read.", stderr);
    }

    /// <summary>
    /// Runs the tool, failing after <see cref="Patience"/> instead of waiting forever on the FIFO; a run still waiting
    /// is let go by opening the FIFO for writing (its reader then sees the end).
    /// </summary>
    private static (int Exit, string Out, string Err) RunWithin(string fifo, params string[] args)
    {
        var run = Task.Run(() => TestCli.Run(args));
        if (run.Wait(Patience)) return run.Result;
        File.WriteAllText(fifo, "");
        Assert.Fail($"{string.Join(' ', args)} was still running after {Patience.TotalSeconds:0} s: it waited on the FIFO {fifo}.");
        return default;
    }
}
