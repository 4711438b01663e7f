using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Cli;

/// <summary>
/// <c>investigate --json</c> and <c>load --json</c> say everything the terminal says about the inputs: for damaged
/// and unusual inputs, the terminal's parse-report line, its problem lines and its formats line are all in the JSON,
/// and the JSON's per-input counts add up to its totals.
/// </summary>
public sealed class ParseReportJsonTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Refused = File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz"));
    private static readonly string Alb = TestPaths.SampleLog(
        "123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T1015Z_10.0.0.1_abc123.log.gz");

    /// <summary>Each case: its inputs (made in the folder), the problem kinds and the formats the JSON must list.</summary>
    public static TheoryData<string, string[], string[]> Cases => new()
    {
        { "truncated-gz", [ProblemKinds.Damaged], ["huawei-elb"] },
        { "trailing-garbage", [ProblemKinds.TrailingGarbage], ["huawei-elb"] },
        { "folder-with-non-log", [ProblemKinds.NotALog], ["huawei-elb"] },
        { "mixed-huawei-alb", [], ["aws-alb", "huawei-elb"] },
        { "repeated-and-broken-link", [ProblemKinds.Unreadable, ProblemKinds.Repeated], ["huawei-elb"] },
        { "utf16", [], ["huawei-elb"] },
        { "damaged-lines", [], ["huawei-elb"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_json_says_what_the_terminal_says(string name, string[] kinds, string[] formats)
    {
        var inputs = Make(name);

        var terminal = TestCli.Run(["investigate", .. inputs]);
        var json = TestCli.Run(["investigate", .. inputs, "--json"]);
        var load = TestCli.Run(["load", .. inputs, "--json"]);

        Assert.True(terminal.Exit == ExitCodes.Ok, terminal.Err);
        Assert.True(json.Exit == ExitCodes.Ok, json.Err);
        Assert.True(load.Exit == ExitCodes.Ok, load.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        var lines = terminal.Out.Split('\n');

        var parseLine = Assert.Single(lines, l => l.StartsWith("Parse report: ", StringComparison.Ordinal));
        Assert.Equal(parseLine["Parse report: ".Length..], root.GetProperty("parse_report").GetString());

        var problems = root.GetProperty("problems").EnumerateArray()
            .Select(p => $"  {p.GetProperty("kind").GetString()} {p.GetProperty("file").GetString()}: {p.GetProperty("message").GetString()}")
            .ToArray();
        // Then each file's note (decoded, a byte-order mark skipped...), as inputs[].note gives it.
        var notes = root.GetProperty("inputs").EnumerateArray().Where(f => f.GetProperty("note").ValueKind == JsonValueKind.String)
            .Select(f => $"  note {f.GetProperty("file").GetString()}: {f.GetProperty("note").GetString()}");
        // Then where the first rejected line of each reason is, from the examples.
        var rejected = root.GetProperty("examples").EnumerateArray()
            .DistinctBy(e => e.GetProperty("reason").GetString())
            .Select(e => $"  rejected {e.GetProperty("file").GetString()}:{e.GetProperty("line").GetInt64()}: {e.GetProperty("reason").GetString()}: {e.GetProperty("detail").GetString()}");
        var after = lines.SkipWhile(l => l != parseLine).Skip(1).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(problems.Concat(notes).Concat(rejected), after);
        Assert.Equal(root.GetProperty("rejected_by_reason").EnumerateObject().Count(), rejected.Count());
        Assert.Equal(kinds.Order(), root.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("kind").GetString()!).Order());

        var jsonFormats = root.GetProperty("formats").EnumerateObject().ToArray();
        Assert.Equal(formats.Order(), jsonFormats.Select(f => f.Name).Order());
        var formatsLine = lines.SingleOrDefault(l => l.StartsWith("Formats: ", StringComparison.Ordinal));
        Assert.Equal(formats.Length > 1, formatsLine is not null);
        foreach (var format in jsonFormats)
            Assert.True(formats.Length == 1 || formatsLine!.Contains($"{format.Name} {format.Value.GetProperty("lines").GetInt64().ToString("N0", CultureInfo.InvariantCulture)} lines"), formatsLine);

        // The per-input counts add up to the totals the stable keys give.
        var files = root.GetProperty("inputs").EnumerateArray().ToArray();
        foreach (var key in new[] { "lines", "parsed", "rejected", "blank" })
            Assert.Equal(root.GetProperty(key).GetInt64(), files.Sum(f => f.GetProperty(key).GetInt64()));
        Assert.Equal(root.GetProperty("lines").GetInt64(), jsonFormats.Sum(f => f.Value.GetProperty("lines").GetInt64()));
        foreach (var file in files.Where(f => f.GetProperty("error").ValueKind == JsonValueKind.String))
            Assert.Contains(problems, p => p.Contains(file.GetProperty("error").GetString()!, StringComparison.Ordinal));

        // load --json carries the same parse report.
        using var loaded = JsonDocument.Parse(load.Out);
        foreach (var key in new[] { "parse_report", "formats", "inputs", "problems", "rejected_by_reason", "examples", "lines", "parsed" })
            Assert.Equal(root.GetProperty(key).GetRawText(), loaded.RootElement.GetProperty(key).GetRawText());
    }

    [Fact]
    public void A_truncated_gz_is_not_whole_in_the_json()
    {
        var (exit, output, err) = TestCli.Run(["investigate", .. Make("truncated-gz"), "--json"]);

        Assert.True(exit == ExitCodes.Ok, err);
        using var doc = JsonDocument.Parse(output);
        var input = Assert.Single(doc.RootElement.GetProperty("inputs").EnumerateArray());
        Assert.StartsWith("compressed data is damaged or cut short after line", input.GetProperty("error").GetString());
        Assert.Contains("1 damaged file", doc.RootElement.GetProperty("parse_report").GetString());
    }

    [Fact]
    public void Investigate_and_load_keep_every_line_of_a_gz_whose_checksum_is_damaged()
    {
        var damaged = Refused.ToArray();
        damaged[^6] ^= 0xff; // a byte of the CRC-32: every data byte is intact
        var path = _dir.Write("crc.log.gz", damaged);

        foreach (var command in new[] { "investigate", "load" })
        {
            var (exit, output, err) = TestCli.Run([command, path, "--json"]);

            Assert.True(exit == ExitCodes.Ok, err);
            using var doc = JsonDocument.Parse(output);
            var input = Assert.Single(doc.RootElement.GetProperty("inputs").EnumerateArray());
            Assert.Equal(36_260, input.GetProperty("parsed").GetInt64());
            Assert.Equal("compressed data is damaged after line 36,260: the gzip trailer (CRC-32 and size) does not match the data",
                input.GetProperty("error").GetString());
        }
    }

    [Fact]
    public void Unreadable_inputs_are_called_unreadable_in_the_terminal_as_in_the_json()
    {
        var folder = Path.Combine(_dir.Path, "logs");
        _dir.Write("logs/elb.log", Huawei(300));
        File.CreateSymbolicLink(Path.Combine(folder, "gone-1.log"), Path.Combine(_dir.Path, "nowhere-1.log"));
        File.CreateSymbolicLink(Path.Combine(folder, "gone-2.log"), Path.Combine(_dir.Path, "nowhere-2.log"));
        var locked = _dir.Write("logs/locked.log", Huawei(10));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(locked, UnixFileMode.None);
        var unreadable = 2 + (CanOpen(locked) ? 0 : 1); // root reads a file without permissions

        var terminal = TestCli.Run("investigate", folder);
        var load = TestCli.Run("load", folder);
        var json = TestCli.Run("investigate", folder, "--json");

        Assert.True(terminal.Exit == ExitCodes.Ok, terminal.Err);
        Assert.Contains($"{unreadable} unreadable files", terminal.Out);
        Assert.Contains($"{unreadable} unreadable files", load.Out);
        Assert.DoesNotContain("damaged", terminal.Out);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.All(doc.RootElement.GetProperty("problems").EnumerateArray(), p => Assert.Equal(ProblemKinds.Unreadable, p.GetProperty("kind").GetString()));
        Assert.Equal(unreadable, doc.RootElement.GetProperty("problems").GetArrayLength());
    }

    private static bool CanOpen(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public void Load_json_is_one_document_with_the_rejection_examples()
    {
        var path = _dir.Write("some-bad.log", TestLines.Seed + "\nnot a log line\n\n");

        var (exit, output, err) = TestCli.Run("load", path, "--json");

        Assert.True(exit == ExitCodes.Ok, err);
        Assert.EndsWith("}\n", output);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("lines").GetInt64());
        Assert.Equal(1, root.GetProperty("requests").GetInt64());
        var example = Assert.Single(root.GetProperty("examples").EnumerateArray());
        Assert.Equal(2, example.GetProperty("line").GetInt64());
        Assert.Equal(path, example.GetProperty("file").GetString());
        Assert.Equal(1, root.GetProperty("rejected_by_reason").EnumerateObject().Single().Value.GetInt64());
    }

    /// <summary>The inputs of a case, written into the test's folder.</summary>
    private string[] Make(string name)
    {
        switch (name)
        {
            case "truncated-gz":
                return [_dir.Write("cut.log.gz", Refused[..3000])];
            case "trailing-garbage":
                return [_dir.Write("garbage.log.gz", [.. Gzip(Huawei(300)), .. "garbage garbage\n"u8.ToArray()])];
            case "folder-with-non-log":
                _dir.Write("logs/elb.log", Huawei(300));
                _dir.Write("logs/notes.txt", "hello, these are notes\n");
                return [Path.Combine(_dir.Path, "logs")];
            case "mixed-huawei-alb":
                _dir.Write("logs/huawei.log", Huawei(200));
                File.Copy(Alb, Path.Combine(_dir.Path, "logs", Path.GetFileName(Alb)));
                return [Path.Combine(_dir.Path, "logs")];
            case "repeated-and-broken-link":
                var log = _dir.Write("logs/elb.log", Huawei(300));
                File.CreateSymbolicLink(Path.Combine(_dir.Path, "logs", "gone.log"), Path.Combine(_dir.Path, "nowhere.log"));
                return [Path.Combine(_dir.Path, "logs"), log];
            case "damaged-lines":
                // A line cut short, a status that is no number, and a line of something else, among good ones.
                var good = System.Text.Encoding.UTF8.GetString(Huawei(300)).Split('\n');
                good[40] = good[40][..60];
                var fields = good[41].Split(' ');
                fields[5] = "2O0";
                good[41] = string.Join(' ', fields);
                good[200] = "Tue May  1 14:03:00 2024 [error] upstream timed out";
                return [_dir.Write("damaged.log", string.Join('\n', good))];
            case "utf16":
                return [_dir.Write("windows.log", System.Text.Encoding.Unicode.GetBytes("\uFEFF" + System.Text.Encoding.UTF8.GetString(Huawei(300))))];
            default:
                throw new ArgumentException(name);
        }
    }

    /// <summary>The first lines of the refused-and-slow sample: a Huawei log with backends to judge.</summary>
    private static byte[] Huawei(int lines)
    {
        using var gz = new GZipStream(new MemoryStream(Refused), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines && reader.ReadLine() is { } line; i++) text.Append(line).Append('\n');
        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return buffer.ToArray();
    }
}
