using ElbNotebooks;
using System.Text.Json;
using ElbNotebooks.Cli;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Cli.Rendering;
using ElbNotebooks.Loading;
using ElbNotebooks.Analysis;
using ElbNotebooks.Tests.Analysis;

namespace ElbNotebooks.Tests.Cli;

public sealed class InvestigateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elb-inv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => TestCli.Run(args);

    private static string Sample(string name) => TestPaths.SampleLog(name);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    [Fact]
    public void A_suspect_of_a_log_written_in_utc_has_its_window_named_once()
    {
        var alb = Path.Combine(TestPaths.RepoRoot, "sample-logs", ElbNotebooks.Generation.AlbLogWriter.FileName(ElbNotebooks.Tests.Generation.AlbLogWriterTests.Sample));

        var (exit, stdout, stderr) = Run("investigate", alb);

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("  FAILING 10.0.1.22:8080 from 10:11 to 10:14 +00:00: 108 failed attempts:", stdout);
    }

    [Fact]
    public void A_folder_of_several_formats_is_named_by_all_of_them_most_lines_first()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "mixed")).FullName;
        var alb = ElbNotebooks.Generation.AlbLogWriter.FileName(ElbNotebooks.Tests.Generation.AlbLogWriterTests.Sample);
        File.Copy(Path.Combine(TestPaths.RepoRoot, "sample-logs", alb), Path.Combine(folder, alb));
        File.Copy(Path.Combine(TestPaths.RepoRoot, "sample-logs", "elb-web-incident.log"), Path.Combine(folder, "elb-web-incident.log"));

        var (exit, stdout, stderr) = Run("investigate", folder);

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.StartsWith("huawei-elb, aws-alb: ", stdout);
        Assert.Contains("Formats: huawei-elb ", stdout);

        var (loaded, summary, _) = Run("load", folder);
        Assert.Equal(ExitCodes.Ok, loaded);
        Assert.Contains(" attempts (huawei-elb, aws-alb) from ", summary);
    }

    [Fact]
    public void An_nginx_log_read_without_its_log_format_names_the_unread_upstream_and_asks_for_the_format()
    {
        var log = Path.Combine(_dir, "nginx.log");
        Assert.Equal(0, Run("generate", "--out", log, "--format", "nginx", "--scenario", "backend-500", "--seed", "4", "--rps", "4").Exit);

        var (exit, stdout, stderr) = Run("investigate", log);

        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("No suspect: no line names a backend, so none was judged.", stdout);
        Assert.Contains("  NO BACKEND RECORDED: ", stdout);
        Assert.Contains("give the log_format the log was written with (--nginx-log-format", stdout);
        Assert.Contains("Errors with no backend recorded (no upstream read, as the parse report's note says:", stdout);
        Assert.Contains($"  note {log}: read as nginx combined: its lines carry fields after the format's that hold an address as $upstream_addr writes one", stdout);
        Assert.DoesNotContain("add $upstream_addr", stdout);
        // No table of no backend, and no reasons: the answer above says why.
        Assert.DoesNotContain("Attempts", stdout);
        Assert.DoesNotContain("Why:", stdout);

        var markdown = Path.Combine(_dir, "nginx.md");
        var html = Path.Combine(_dir, "nginx.html");
        Assert.Equal(ExitCodes.Ok, Run("investigate", log, "--markdown", markdown, "--report", html).Exit);
        Assert.Contains("## Backends\n\nNone: no line names a backend.\n\n## ", File.ReadAllText(markdown));
        var backends = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(File.ReadAllText(html)).QuerySelectorAll("h2").Single(h => h.TextContent == "Backends");
        Assert.Equal("None: no line names a backend.", backends.NextElementSibling!.TextContent);

        var (given, answer, _) = Run("investigate", log, "--nginx-log-format", ElbNotebooks.Generation.LogGenerator.NginxLogFormat);
        Assert.Equal(ExitCodes.Ok, given);
        Assert.Contains("Suspects: 1 failing", answer);
        Assert.DoesNotContain("note ", answer);
    }

    [Fact]
    public void A_generated_rollout_to_3_of_4_backends_is_named_in_the_terminal_and_the_json_with_its_scope()
    {
        var log = Path.Combine(_dir, "rollout.log");
        Assert.Equal(0, Run("generate", "--out", log, "--scenario", "rollout-3", "--seed", "4", "--rps", "4").Exit);

        var (exit, stdout, stderr) = Run("investigate", log);
        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("Suspects: 3 failing, 0 slow, of 7 backends.", stdout);
        Assert.Contains("Where to look:", stdout);
        Assert.Contains("3 OF 4 BACKENDS: 3 of the 4 backends of pool_", stdout);
        Assert.DoesNotContain("No suspect", stdout);

        var (jsonExit, json, _) = Run("investigate", log, "--json");
        Assert.Equal(ExitCodes.Ok, jsonExit);
        using var doc = JsonDocument.Parse(json);
        var incident = Assert.Single(doc.RootElement.GetProperty("incidents").EnumerateArray());
        Assert.Equal("several-backends", incident.GetProperty("scope").GetString());
        Assert.Equal(["10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080"], incident.GetProperty("backends").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(4, incident.GetProperty("pool_backends").GetInt32());
        Assert.All(doc.RootElement.GetProperty("suspects").EnumerateArray(), s =>
        {
            Assert.Equal("failing", s.GetProperty("health").GetString());
            Assert.Equal("several-backends", s.GetProperty("scope").GetString());
        });
    }

    [Fact]
    public void Investigate_on_the_web_incident_sample_names_the_answer_keys_suspect()
    {
        var (exit, stdout, stderr) = Run("investigate", Sample("elb-web-incident.log"));

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("", stderr);
        Assert.Contains("Suspects: 1 failing, 0 slow, of 7 backends.", stdout);
        Assert.Contains("FAILING 10.0.1.12:8080 from 10:20 to 10:35 +08:00 (02:20-02:35 UTC)", stdout);
        Assert.Contains("Parse report: 9,067 lines in 1 file", stdout);
    }

    [Fact]
    public void Investigate_json_on_the_refused_and_slow_sample_lists_the_answer_keys_suspects_most_severe_first()
    {
        var (exit, stdout, stderr) = Run("investigate", Sample("elb-refused-and-slow.log.gz"), "--json");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("huawei-elb", root.GetProperty("format").GetString());
        Assert.Equal(36260, root.GetProperty("parsed").GetInt64());
        var suspects = root.GetProperty("suspects").EnumerateArray()
            .Select(s => (s.GetProperty("backend").GetString(), s.GetProperty("health").GetString(), s.GetProperty("from").GetString(), s.GetProperty("to").GetString()))
            .ToArray();
        Assert.Equal(
            [("10.0.2.22:9000", "failing", "2024-05-01T06:05:00Z", "2024-05-01T06:25:00Z"), ("10.0.1.14:8080", "slow", "2024-05-01T06:30:00Z", "2024-05-01T06:50:00Z")],
            suspects);
        Assert.Equal(929, root.GetProperty("no_backend_errors").GetInt64());
        var backends = root.GetProperty("backends").EnumerateArray().ToArray();
        Assert.Equal(7, backends.Length);
        Assert.All(backends.Skip(2), b => Assert.Equal("healthy", b.GetProperty("health").GetString()));
        Assert.All(backends, b => Assert.Equal(JsonValueKind.Number, b.GetProperty("p99_header_time").ValueKind));
    }

    [Fact]
    public void A_missing_path_is_bad_usage_named_on_stderr()
    {
        var missing = Path.Combine(_dir, "nope.log");
        var (exit, stdout, stderr) = Run("investigate", missing, "--json");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        Assert.Contains(missing, stderr);
    }

    [Theory]
    [InlineData("--from", "yesterday")]
    [InlineData("--to", "2024-13-45")]
    [InlineData("--format", "nginx-combined")]
    [InlineData("--bogus", "1")]
    public void Bad_option_values_are_bad_usage(string option, string value)
    {
        var (exit, stdout, stderr) = Run("investigate", Write("one.log", InvestigationTests.SeedLine), option, value);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        Assert.NotEqual("", stderr);
    }

    [Fact]
    public void No_path_at_all_is_bad_usage() => Assert.Equal(ExitCodes.Usage, Run("investigate").Exit);

    [Fact]
    public void A_file_without_one_parsable_line_exits_3_with_the_reason_on_stderr()
    {
        var (exit, stdout, stderr) = Run("investigate", Write("junk.log", "hello world", "not an access log"));

        Assert.Equal(ExitCodes.NothingParsed, exit);
        Assert.Equal("", stdout);
        Assert.Contains("No access-log line could be parsed", stderr);
    }

    [Theory]
    [InlineData("2024-05-01T10:40:00", "2024-05-01T11:00:00")]
    [InlineData("2024-05-01T02:40:00Z", "2024-05-01T03:00:00Z")]
    [InlineData("2024-05-01T10:40:00+08:00", "2024-05-01T11:00:00+08:00")]
    public void From_and_to_are_read_in_the_logs_offset_unless_they_name_one(string from, string to)
    {
        var (exit, stdout, stderr) = Run("investigate", Sample("elb-web-incident.log"), "--json", "--from", from, "--to", to);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Empty(doc.RootElement.GetProperty("suspects").EnumerateArray());
        Assert.StartsWith("2024-05-01T02:40", doc.RootElement.GetProperty("from").GetString());
    }

    [Fact]
    public void Times_typed_as_the_views_show_them_find_the_outage_in_a_gzip_export()
    {
        var (exit, stdout, _) = Run("investigate", Sample("elb-refused-and-slow.log.gz"), "--from", "2024-05-01T14:00", "--to", "2024-05-01T14:30");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("FAILING 10.0.2.22:9000 from 14:05 to 14:25 +08:00", stdout);
    }

    [Fact]
    public async Task Times_without_an_offset_on_standard_input_alone_are_utc_and_stderr_says_so()
    {
        var (exit, stdout, stderr) = await TestCli.RunWithStdinAsync(Sample("elb-web-incident.log"),
            "investigate", "-", "--json", "--from", "2024-05-01T02:40:00", "--to", "2024-05-01T03:00:00");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("--from/--to: no offset given and none could be read from the inputs (standard input is read once): taken as UTC.", stderr);
        Assert.StartsWith("2024-05-01T02:40", JsonDocument.Parse(stdout).RootElement.GetProperty("from").GetString());
    }

    [Theory]
    [InlineData("--from", "2024-06-01")]
    [InlineData("--to", "2024-04-01T00:00Z")]
    public void A_range_that_holds_no_request_is_exit_3_naming_the_logs_span_never_an_all_clear(string option, string value)
    {
        var (exit, stdout, stderr) = Run("investigate", Sample("elb-refused-and-slow.log.gz"), option, value, "--report", Path.Combine(_dir, "r.html"));

        Assert.Equal(ExitCodes.NothingParsed, exit);
        Assert.Equal("", stdout);
        Assert.Contains("No request matches the selection", stderr);
        Assert.Contains("not an all-clear", stderr);
        Assert.Contains("The logs span 2024-05-01 14:00:00 to 2024-05-01 15:00:00 +08:00 (36,260 requests)", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "r.html")));
    }

    [Theory]
    [InlineData("listener_4739b440-1213-4d4f-99ab-dd9c8847ecec")]
    [InlineData("listener_4739b440")]
    [InlineData("4739b440")]
    [InlineData("121.64.212.1:80")]
    public void The_listener_option_keeps_one_listener_named_in_full_by_the_start_of_its_id_or_by_its_address(string listener)
    {
        var (exit, stdout, _) = Run("investigate", Sample("elb-web-incident.log"), "--json", "--listener", listener);

        Assert.Equal(ExitCodes.Ok, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(3, doc.RootElement.GetProperty("backends").GetArrayLength());
        Assert.Empty(doc.RootElement.GetProperty("suspects").EnumerateArray());
        Assert.All(doc.RootElement.GetProperty("backends").EnumerateArray(), b =>
        {
            Assert.Equal("listener_4739b440-1213-4d4f-99ab-dd9c8847ecec", b.GetProperty("listener").GetString());
            Assert.Equal("121.64.212.1:80", b.GetProperty("listener_address").GetString());
        });
    }

    [Fact]
    public void The_filters_are_named_and_the_requests_they_left_out_counted_on_the_terminal_and_in_the_json()
    {
        var args = new[] { "investigate", Sample("elb-web-incident.log"), "--listener", "121.64.212.1:80", "--from", "2024-05-01T10:30" };
        var (exit, stdout, _) = Run([.. args, "--json"]);
        var (_, terminal, _) = Run(args);

        Assert.Equal(ExitCodes.Ok, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        var filters = root.GetProperty("filters");
        Assert.Equal("listener_4739b440-1213-4d4f-99ab-dd9c8847ecec", filters.GetProperty("listener").GetString());
        Assert.Equal("121.64.212.1:80", filters.GetProperty("listener_address").GetString());
        Assert.Equal("2024-05-01T02:30:00Z", filters.GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.Null, filters.GetProperty("to").ValueKind);
        // Every request read is investigated or left out by the filters (this log has no time outliers).
        var leftOut = filters.GetProperty("requests_left_out").GetInt64();
        Assert.Equal(root.GetProperty("parsed").GetInt64(), root.GetProperty("requests").GetInt64() + leftOut);
        Assert.True(leftOut > root.GetProperty("out_of_range").GetInt64(), "the listener filter left requests out too");
        Assert.Contains($"Filters: listener 121.64.212.1:80 (listener_4739b440-1213-4d4f-99ab-dd9c8847ecec), from 2024-05-01 10:30:00 +08:00; {leftOut.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} other requests left out.", terminal);

        var (_, unfiltered, _) = Run("investigate", Sample("elb-web-incident.log"), "--json");
        var none = JsonDocument.Parse(unfiltered).RootElement.GetProperty("filters");
        Assert.Equal(0, none.GetProperty("requests_left_out").GetInt64());
        Assert.Equal(JsonValueKind.Null, none.GetProperty("text").ValueKind);
    }

    [Fact]
    public void A_loaded_log_is_investigated_on_the_listener_its_address_names()
    {
        var log = AccessLog.Load(Sample("elb-refused-and-slow.log.gz"));
        var investigation = log.Investigate(new InvestigationOptions { Listener = "121.64.212.1:80" });

        var suspect = Assert.Single(investigation.Suspects);
        Assert.Equal("10.0.2.22:9000", suspect.Backend.Backend);
        Assert.Equal("121.64.212.1:80", suspect.Backend.ListenerAddress);
        Assert.Equal("121.64.212.1:80 (listener_4739b440-1213-4d4f-99ab-dd9c8847ecec)", investigation.ListenerLabel(suspect.Backend.Listener));
        var error = Assert.Throws<InvalidInputException>(() => log.Investigate(new InvestigationOptions { Listener = "121.64.212.1:8443" }));
        Assert.Contains("listener_08ff6ee9-1a44-4455-bf78-e2cfb6f95b24 at 121.64.212.1:443 (23,555)", error.Message);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("listener_")]
    public void An_unknown_or_ambiguous_listener_is_bad_usage_that_lists_the_listeners_with_their_requests(string listener)
    {
        var (exit, stdout, stderr) = Run("investigate", Sample("elb-web-incident.log"), "--listener", listener);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"--listener '{listener}' names no single listener of these logs", stderr);
        Assert.Contains("listener_08ff6ee9-1a44-4455-bf78-e2cfb6f95b24 at 121.64.212.1:443 (6,010), listener_4739b440-1213-4d4f-99ab-dd9c8847ecec at 121.64.212.1:80 (3,057)", stderr);
    }

    [Fact]
    public void At_80_columns_no_column_is_dropped_and_redirected_output_never_breaks_a_sentence()
    {
        var investigation = AccessLog.Load(Sample("elb-refused-and-slow.log.gz")).Investigate();

        var narrow = new StringWriter();
        new TerminalRenderer(color: false, width: 80).Render(investigation, narrow);
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"^\s+121\.64\.212\.1:443\s+503\s+929\s+2024-05-01 14:53\s+2024-05-01 14:57\s*$",
            System.Text.RegularExpressions.RegexOptions.Multiline), narrow.ToString());
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"^\s+FAILING\s+10\.0\.2\.22:9000\s+#\d\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+[\d.]+%\s+\S+ s\s*$",
            System.Text.RegularExpressions.RegexOptions.Multiline), narrow.ToString());

        var redirected = new StringWriter();
        new TerminalRenderer(color: false).Render(investigation, redirected);
        var lines = redirected.ToString().Split('\n');
        var why = lines.SkipWhile(l => l != "Why:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(investigation.Backends.Count, why.Count);
        Assert.All(why.Zip(investigation.Backends), p => Assert.Equal("  " + p.Second.Reason, p.First));
    }

    [Fact]
    public void The_terminal_renderer_writes_exactly_this_for_the_seed_line()
    {
        var log = AccessLog.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(InvestigationTests.SeedLine + "\n")), "seed.log");
        var output = new StringWriter();
        new TerminalRenderer(color: false, width: 100).Render(log.Investigate(), output);

        Assert.Equal(ExpectedSeedTerminal.ReplaceLineEndings(), output.ToString().ReplaceLineEndings());
    }

    [Fact]
    public void The_json_renderer_writes_one_document_and_a_newline()
    {
        var log = AccessLog.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(InvestigationTests.SeedLine + "\n")), "seed.log");
        var output = new StringWriter();
        new JsonRenderer().Render(log.Investigate(), output);

        var text = output.ToString();
        Assert.EndsWith("}\n", text);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("172.17.0.82:3000", doc.RootElement.GetProperty("suspects")[0].GetProperty("backend").GetString());
    }

    // Trailing spaces are Spectre's table padding; kept explicit as string literals.
    private static readonly string ExpectedSeedTerminal = string.Join("\n",
    [
        "huawei-elb: 1 request from 2019-04-11 09:02:44 to 2019-04-11 09:02:44 +08:00, 1-minute buckets",
        "Suspects: 1 failing, 0 slow, of 1 backend.",
        "  FAILING 172.17.0.82:3000 from 09:02 to 09:03 +08:00 (01:02-01:03 UTC), still failing when the logs end: 1 ",
        "failed attempt: 1 request hurt (1 client, 100.0% of the listener's requests), 0 rescued by a retry; ",
        "thin evidence, not a confirmed outage",
        "    hurt most: GET / × 1",
        "Where to look:",
        "  ONE BACKEND: 172.17.0.82:3000 is the only backend of the pool of listener_b21dd0a9-690a-4945-950e-b134095c6bd9 ",
        "and failed (09:02–09:03 +08:00, still failing when the logs end): no peer could take its traffic, ",
        "and nothing tells the backend from what it depends on; look at the backend first (host, process, its",
        "own logs), then at its dependencies. Thin evidence: 1 failed attempt, fewer than 10; not a confirmed",
        "outage",
        "",
        "                                                                            ",
        " Health   Backend           Pool  Attempts  Backend   LB  Errors       p95  ",
        "                                                5xx  5xx            header  ",
        "────────────────────────────────────────────────────────────────────────────",
        // 19.028 s, the line's own header time: a sketch's quantile never leaves the values it counted.
        " FAILING  172.17.0.82:3000  #1           1        1    0  100.0%  19.028 s  ",
        "                                                                            ",
        "  #1: no pool recorded on listener_b21dd0a9-690a-4945-950e-b134095c6bd9",
        "  Table: the whole range, retries included; a suspect's line above counts its window.",
        "",
        "Why:",
        "  172.17.0.82:3000 failed 1 of 1 attempts (100.0%; 1 backend 5xx) between 09:02 and 09:03 +08:00 ",
        "with nothing to compare with (no peer on listener_b21dd0a9-690a-4945-950e-b134095c6bd9, no quieter ",
        "period), and 25.0% or more is failing",
        "",
        "No-backend errors (5xx the load balancer answered by itself): 0",
        "Parse report: 1 line in 1 file: 1 parsed, 0 rejected, 0 blank",
    ]) + "\n";

    [Fact]
    public void Bucket_sets_the_series_and_window_granularity()
    {
        var (exit, stdout, stderr) = Run("investigate", Sample("elb-web-incident.log"), "--json", "--bucket", "1m");

        Assert.True(exit == ExitCodes.Ok, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("bucket_minutes").GetDouble());
        var suspect = doc.RootElement.GetProperty("suspects")[0];
        Assert.Equal("2024-05-01T02:20:00Z", suspect.GetProperty("from").GetString());
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("0s")]
    [InlineData("99999999999m")] // longer than a TimeSpan holds: was an OverflowException reported as a bug
    public void A_bucket_that_is_not_a_duration_of_a_second_or_more_is_bad_usage(string bucket)
    {
        var (exit, stdout, stderr) = Run("investigate", Sample("elb-web-incident.log"), "--bucket", bucket);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"--bucket '{bucket}' is not a duration", stderr);
        Assert.DoesNotContain("this is a bug", stderr);
    }
}
