using ElbNotebooks.Cli.Commands;

namespace ElbNotebooks.Tests.Cli;

/// <summary>
/// One type is bad usage (<see cref="InvalidInputException"/>, exit 2); an exception nobody expected, even an
/// <see cref="ArgumentException"/>, is a bug: exit 1 with the message and a request to report it.
/// </summary>
public class ExitCodeMappingTests
{
    private static (int Exit, string Err) Run(Func<int> action)
    {
        var stderr = new StringWriter();
        return (CommandRunner.Run(stderr, action), stderr.ToString());
    }

    [Fact]
    public void Invalid_input_is_bad_usage_with_its_message_only()
    {
        var (exit, err) = Run(() => throw new InvalidInputException("--thing 'x' is not a thing."));
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("error: --thing 'x' is not a thing.", err.TrimEnd());
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(NullReferenceException))]
    public void Anything_unexpected_is_a_bug_to_report_exit_1(Type type)
    {
        var (exit, err) = Run(() => throw (Exception)Activator.CreateInstance(type, "an internal check failed")!);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.StartsWith("error: an internal check failed", err, StringComparison.Ordinal);
        Assert.Contains("this is a bug in elb-notebooks", err);
        Assert.Contains("please report it with the command you ran", err);
    }

    [Fact]
    public void An_io_fault_is_exit_1_without_calling_it_a_bug()
    {
        var (exit, err) = Run(() => throw new IOException("No space left on device"));
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("error: No space left on device", err.TrimEnd());
    }

    [Fact]
    public void Bad_library_options_from_the_command_line_are_bad_usage()
    {
        var (exit, _, err) = TestCli.Run("load", "s3://", "--endpoint-url", "not a url");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("this is a bug", err);
    }

    [Fact]
    public void Generate_reports_bad_usage_on_the_common_path()
    {
        var (exit, _, err) = TestCli.Run("generate", "--out", Path.Combine(Path.GetTempPath(), "never.log"), "--rps", "0");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith("error: --rps 0 must be in (0, 10000]", err, StringComparison.Ordinal);
    }
}
