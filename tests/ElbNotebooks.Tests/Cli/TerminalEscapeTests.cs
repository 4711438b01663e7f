namespace ElbNotebooks.Tests.Cli;

/// <summary>
/// Text from a log reaches the terminal (a damaged line's excerpt, a listener's name): an escape sequence in it must be
/// shown, not acted on (ESC ] 0 retitles the window, ESC [ 2 J clears the screen).
/// </summary>
public sealed class TerminalEscapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-esc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertNoControl(string output)
    {
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
    }

    [Fact]
    public void A_damaged_lines_escape_sequence_is_shown_not_sent()
    {
        var path = Path.Combine(_dir, "esc.log");
        File.WriteAllText(path, "GET /\u001b]0;owned\u0007\u001b[2J\n");

        var (_, stdout, stderr) = TestCli.Run("load", path);

        AssertNoControl(stdout + stderr);
        Assert.Contains(@"GET /\x1B]0;owned\x07\x1B[2J", stdout + stderr);
    }

    [Fact]
    public void A_listener_name_with_an_escape_sequence_is_shown_not_sent()
    {
        var lines = File.ReadLines(TestPaths.SampleLog("elb-web-incident.log")).Take(400)
            .Select(l => l.Replace("listener_4739b440-1213-4d4f-99ab-dd9c8847ecec", "web\u001b[2J"));
        var path = Path.Combine(_dir, "listener.log");
        File.WriteAllLines(path, lines);

        var (exit, stdout, stderr) = TestCli.Run("investigate", path);

        Assert.True(exit == 0, stderr);
        AssertNoControl(stdout);
        Assert.Contains(@"web\x1B[2J", stdout);
    }
}
