using ElbNotebooks.Cli;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Generation;

namespace ElbNotebooks.Tests.Generation;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("elbgen-cli");

    public void Dispose() => _dir.Delete(recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestCli.Run(args);

    [Fact]
    public void Generate_writes_the_log_and_a_one_line_summary_to_stderr()
    {
        var path = Path.Combine(_dir.FullName, "out.log");
        var (code, _, err) = Run("generate", "--out", path, "--duration", "5m", "--rps", "4", "--seed", "3",
            "--incident", "errors:10.0.1.12:8080@10:01-10:03");
        Assert.Equal(ExitCodes.Ok, code);
        var lines = File.ReadAllLines(path);
        Assert.InRange(lines.Length, 1000, 1400);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains($"wrote {lines.Length} lines to {path}", err, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("\"500\"", StringComparison.Ordinal) && l.Contains("\"10.0.1.12:8080\"", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("+08:00]", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("errors:10.0.1.12:8080@12:20-12:35")]
    [InlineData("slow:10.0.1.12:8080@09:00-09:30")]
    public void An_incident_outside_the_generated_time_is_refused_not_written_into_a_false_answer_key(string incident)
    {
        var path = Path.Combine(_dir.FullName, "outside.log");
        var key = Path.Combine(_dir.FullName, "outside.key.json");
        var (code, _, err) = Run("generate", "--out", path, "--key-out", key, "--incident", incident);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("lies outside the log (2024-05-01T10:00:00+08:00 + 01:00:00)", err);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(key));
    }

    [Fact]
    public void Same_arguments_give_the_same_bytes()
    {
        var a = Path.Combine(_dir.FullName, "a.log");
        var b = Path.Combine(_dir.FullName, "b.log");
        Assert.Equal(0, Run("generate", "--out", a, "--duration", "2m", "--scenario", "mixed", "--layout", "legacy").Exit);
        Assert.Equal(0, Run("generate", "--out", b, "--duration", "2m", "--scenario", "mixed", "--layout", "legacy").Exit);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.All(File.ReadAllLines(a), l => Assert.Equal(22, LogLine.Read(l).Fields.Count));
    }

    [Fact]
    public void Start_offset_sets_the_local_time_in_the_log()
    {
        var path = Path.Combine(_dir.FullName, "utc.log");
        Assert.Equal(0, Run("generate", "--out", path, "--duration", "1m", "--start", "2024-05-01T02:00:00Z").Exit);
        Assert.StartsWith("[2024-05-01T02:00:", LogLine.Read(File.ReadLines(path).First()).TimeIso, StringComparison.Ordinal);
        Assert.All(File.ReadLines(path), l => Assert.Contains("+00:00]", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Key_out_writes_the_answer_key()
    {
        var log = Path.Combine(_dir.FullName, "k.log");
        var key = Path.Combine(_dir.FullName, "k.json");
        Assert.Equal(0, Run("generate", "--out", log, "--duration", "10m", "--scenario", "backend-500", "--key-out", key).Exit);
        var json = File.ReadAllText(key);
        Assert.Contains("\"kind\": \"BackendErrors\"", json, StringComparison.Ordinal);
        Assert.Contains("\"backend\": \"10.0.1.12:8080\"", json, StringComparison.Ordinal);
        Assert.Contains("\"fromLocal\": \"2024-05-01T10:03:20+08:00\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_nginx_log_is_written_with_the_log_format_to_read_it_with()
    {
        var path = Path.Combine(_dir.FullName, "access.log");
        var key = Path.Combine(_dir.FullName, "access.key.json");
        var (code, _, err) = Run("generate", "--out", path, "--format", "nginx", "--duration", "10m", "--rps", "2", "--key-out", key);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("generate: read it with --nginx-log-format \"log_format lb '\\$remote_addr - ", err, StringComparison.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(key)))
        {
            Assert.Equal("Nginx", json.RootElement.GetProperty("format").GetString());
            Assert.Equal(LogGenerator.NginxLogFormat, json.RootElement.GetProperty("nginxLogFormat").GetString());
        }

        var (investigated, @out, investigateErr) = Run("investigate", path, "--nginx-log-format", LogGenerator.NginxLogFormat);
        Assert.True(investigated == ExitCodes.Ok, investigateErr);
        Assert.StartsWith("nginx: ", @out, StringComparison.Ordinal);
        Assert.Contains(" 0 rejected", @out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "haproxy")]
    [InlineData("--incident", "errors:10.0.1.12:8080@10:20")]
    [InlineData("--incident", "errors:10.9.9.9:8080@10:20-10:30")]
    [InlineData("--incident", "listener:nope@10:20-10:30")]
    [InlineData("--scenario", "nope")]
    [InlineData("--layout", "short")]
    [InlineData("--duration", "forever")]
    [InlineData("--start", "2024-05-01T10:00:00")]
    [InlineData("--rps", "0")]
    public void Bad_usage_exits_2_with_a_message_and_writes_nothing(string option, string value)
    {
        var path = Path.Combine(_dir.FullName, "bad.log");
        var (code, _, err) = Run("generate", "--out", path, option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal); // the common error path since issue 26 (was "generate: ")
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("errors:10.0.1.12:8080@10:35-10:20", "ends before it starts")]
    [InlineData("errors:10.0.1.12:8080@10:20-10:20", "is empty")]
    [InlineData("slow:10.0.1.14:8080@+30m-+10m", "ends before it starts")]
    [InlineData("refused:10.0.2.22:9000@+10m-+10m", "is empty")]
    public void Incident_window_ending_before_it_starts_is_bad_usage_naming_the_option(string spec, string expected)
    {
        // Regression: the end was moved a day later until it came after the start, so 10:35-10:20 generated a
        // 23 h 45 min incident and exited 0.
        var path = Path.Combine(_dir.FullName, "backwards.log");
        var key = Path.Combine(_dir.FullName, "backwards.json");

        var (code, _, err) = Run("generate", "--out", path, "--duration", "1h", "--rps", "1", "--incident", spec, "--key-out", key);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: --incident '{spec}': window ", err, StringComparison.Ordinal);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd('\n').Split('\n')); // one line: no stack trace
        Assert.DoesNotContain("this is a bug", err, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(key));
    }

    [Theory]
    [InlineData("--start", "9999-12-31T23:00:00+00:00", "--duration", "2h", "would end after 9999-12-30 00:00 UTC")]
    [InlineData("--duration", "99999999999d", "--rps", "1", "--duration '99999999999d' is not a positive duration")]
    [InlineData("--incident", "errors:10.0.1.12:8080@+99999999d-+999999999d", "--rps", "1", "is not FROM-TO")]
    [InlineData("--incident", "errors:10.9.9.9:8080@10:20-10:30", "--rps", "1", "unknown backend '10.9.9.9:8080'")]
    public void Values_past_what_a_date_or_duration_holds_are_bad_usage_in_plain_words(string option, string value, string option2, string value2, string expected)
    {
        var path = Path.Combine(_dir.FullName, "bad.log");

        var (code, _, err) = Run("generate", "--out", path, option, value, option2, value2);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("this is a bug", err);
        Assert.DoesNotContain("(Parameter", err); // a method's parameter name means nothing to someone typing options
        Assert.False(File.Exists(path));
    }
}
