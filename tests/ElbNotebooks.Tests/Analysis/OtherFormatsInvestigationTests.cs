using System.Globalization;
using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;
using ElbNotebooks.Tests.Generation;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// Generated AWS ALB and nginx incidents: the investigation, which knows nothing of formats, must name exactly the
/// right suspects from the attempts each parser writes.
/// </summary>
public sealed class OtherFormatsInvestigationTests
{
    private static readonly DateTime Start = new(2024, 5, 1, 10, 10, 0, DateTimeKind.Utc);

    private static DateTime At(int minute, int second = 0) => Start.AddMinutes(minute).AddSeconds(second);

    private static string Describe(Investigation i) =>
        string.Join("; ", i.Backends.Select(b => $"{b.Backend} {b.Health} {b.Reason}"));

    private static Investigation Alb(params AlbIncident[] incidents) =>
        TestLines.Load(string.Join("\n", AlbLogWriter.Lines(new AlbLogOptions { Seed = 7, Duration = TimeSpan.FromMinutes(10), Incidents = incidents })))
            .Investigate();

    public static TheoryData<int> Seeds => new() { 1, 2, 3 };

    [Fact]
    public void The_alb_sample_names_the_target_answering_500s_and_no_other()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "sample-logs", AlbLogWriter.FileName(AlbLogWriterTests.Sample));
        var i = AccessLog.Load(path).Investigate();

        Assert.Equal("aws-alb", i.Log.Format);
        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.1.22:8080", Describe(i));
        Assert.Equal(Health.Failing, suspect.Health);
        Assert.Equal("web-alb", suspect.Backend.Listener);
        Assert.Equal("web", suspect.Backend.Pool);
        Assert.True(suspect.Backend.Backend5xx > 0 && suspect.Backend.Lb5xx == 0, "the target made the 500s itself");
        Assert.InRange(suspect.Window.StartUtc, At(1, 0), At(2, 0));
        Assert.InRange(suspect.Window.EndUtc, At(3, 0), At(4, 0));
    }

    [Fact]
    public void An_alb_target_answering_500s_is_the_only_suspect_and_made_the_errors_itself()
    {
        var i = Alb(new AlbIncident(AlbIncidentKind.TargetErrors, "10.0.1.24:8080", At(2), At(6), 0.6));

        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.1.24:8080", Describe(i));
        Assert.Equal(Health.Failing, suspect.Health);
        Assert.True(suspect.Backend.Backend5xx > 10 * Math.Max(1, suspect.Backend.Lb5xx));
    }

    [Fact]
    public void An_alb_target_resetting_connections_is_charged_with_load_balancer_502s()
    {
        var i = Alb(new AlbIncident(AlbIncidentKind.ConnectionResets, "10.0.1.21:8080", At(3), At(7), 0.8));

        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.1.21:8080", Describe(i));
        Assert.Equal(Health.Failing, suspect.Health);
        Assert.True(suspect.Backend.Lb5xx > 10 * Math.Max(1, suspect.Backend.Backend5xx), "resets are load-balancer 502s");
        Assert.True(suspect.RequestsHurt > 0);
    }

    [Fact]
    public void A_slow_alb_target_is_not_said_to_connect_normally_when_the_log_has_no_connect_time()
    {
        // An ALB log has no connect time: "connect p95 n/a was normal" claimed what nothing measured.
        var dir = Directory.CreateTempSubdirectory("elb-alb-slow-").FullName;
        try
        {
            var log = Path.Combine(dir, "alb.log");
            Assert.Equal(0, TestCli.Run("generate", "--out", log, "--format", "aws-alb", "--incident", "slow:10.0.1.12:8080@10:10-10:25").Exit);
            var (exit, json, err) = TestCli.Run("investigate", log, "--json");
            Assert.True(exit == 0, err);

            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var slow = doc.RootElement.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("health").GetString() == "slow");
            Assert.Equal("10.0.1.12:8080", slow.GetProperty("backend").GetString());
            var reason = slow.GetProperty("reason").GetString()!;
            Assert.Contains("the log records no connect time, so a slow network cannot be told from a slow application", reason);
            Assert.DoesNotContain("n/a", reason);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, slow.GetProperty("verdict").GetProperty("connect_slow_too").ValueKind);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Alb_503s_without_a_target_name_no_suspect_but_count_as_listener_errors()
    {
        var i = Alb(new AlbIncident(AlbIncidentKind.NoHealthyTargets, null, At(4), At(6), 0.9));

        Assert.True(i.Suspects.Count == 0, Describe(i));
        Assert.True(i.NoBackendErrors > 100);
        var listener = Assert.Single(i.ListenerErrors, e => e.Status == 503);
        Assert.Equal("web-alb", listener.Listener);
    }

    private enum NginxIncident { None, BackendErrors, Refused, NoLiveUpstreams }

    /// <summary>
    /// nginx proxying to four servers with the issue's <c>upstream</c> log_format: a refused connection is tried on the
    /// next server (<c>"502, 200"</c>), and with no live server nginx writes 502 and the group's name.
    /// </summary>
    private static string NginxLog(int seed, NginxIncident kind, string? server)
    {
        string[] servers = ["10.0.2.21:9000", "10.0.2.22:9000", "10.0.2.23:9000", "10.0.2.24:9000"];
        var random = new Random(seed);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var t = Start;
        while ((t = t.AddMilliseconds(50 + random.Next(300))) < Start.AddMinutes(10))
        {
            var pick = random.Next(servers.Length);
            var header = 0.020 + random.NextDouble() * 0.080;
            var inWindow = t >= At(3) && t < At(7) && random.NextDouble() < 0.7;
            string addr, status, connect, head, response;
            int clientStatus;
            if (inWindow && kind == NginxIncident.NoLiveUpstreams)
            {
                (addr, status, connect, head, response, clientStatus) = ("api_backend", "502", "-", "-", "-", 502);
            }
            else if (inWindow && servers[pick] == server && kind == NginxIncident.Refused)
            {
                var next = servers[(pick + 1) % servers.Length];
                var h = header.ToString("0.000", c);
                (addr, status, connect, head, response, clientStatus) =
                    ($"{server}, {next}", "502, 200", "-, 0.001", $"-, {h}", $"0.000, {h}", 200);
            }
            else
            {
                var s = inWindow && servers[pick] == server && kind == NginxIncident.BackendErrors ? 500 : 200;
                var h = header.ToString("0.000", c);
                (addr, status, connect, head, response, clientStatus) = (servers[pick], s.ToString(c), "0.001", h, h, s);
            }
            text.Append(c, $"198.51.100.{random.Next(1, 200)} - - [{t:dd'/'MMM'/'yyyy':'HH':'mm':'ss} +0000] \"GET /api/items HTTP/1.1\" {clientStatus} 512 \"-\" \"curl/8.5.0\" 0.100 \"{addr}\" \"{status}\" \"{connect}\" \"{head}\" \"{response}\"\n");
        }
        return text.ToString();
    }

    private static Investigation Nginx(int seed, NginxIncident kind, string? server = null) =>
        TestLines.Load(NginxLog(seed, kind, server), new LoadOptions { NginxLogFormat = TestLines.NginxUpstreamDirective }).Investigate();

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_nginx_server_answering_500s_is_the_only_suspect(int seed)
    {
        var i = Nginx(seed, NginxIncident.BackendErrors, "10.0.2.23:9000");

        Assert.Equal("nginx", i.Log.Format);
        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.2.23:9000", Describe(i));
        Assert.Equal(Health.Failing, suspect.Health);
        Assert.True(suspect.Backend.Backend5xx > suspect.Backend.Lb5xx);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_nginx_server_refusing_connections_is_charged_even_when_the_retry_gave_200(int seed)
    {
        var i = Nginx(seed, NginxIncident.Refused, "10.0.2.22:9000");

        var suspect = Assert.Single(i.Suspects);
        Assert.True(suspect.Backend.Backend == "10.0.2.22:9000", Describe(i));
        Assert.True(suspect.Backend.Lb5xx > 0 && suspect.Backend.Backend5xx == 0);
        Assert.True(suspect.RequestsRetried > 0);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Nginx_with_no_live_upstream_names_no_suspect(int seed)
    {
        var i = Nginx(seed, NginxIncident.NoLiveUpstreams);

        Assert.True(i.Suspects.Count == 0, Describe(i));
        Assert.True(i.NoBackendErrors > 100);
        Assert.All(i.Log.Requests["pool_name"].Cast<string?>().Where(p => p is not null), p => Assert.Equal("api_backend", p));
    }

    [Fact]
    public void A_clb_backend_answering_500s_and_one_timing_out_are_both_suspects()
    {
        var random = new Random(5);
        var text = new StringBuilder();
        var t = Start;
        string[] backends = ["10.0.3.31:80", "10.0.3.32:80", "10.0.3.33:80", "10.0.3.34:80"];
        while ((t = t.AddMilliseconds(100 + random.Next(200))) < Start.AddMinutes(10))
        {
            var b = backends[random.Next(backends.Length)];
            var bad = t >= At(2) && t < At(6) && random.NextDouble() < 0.7;
            var fields = bad && b == "10.0.3.31:80" ? "0.000040 0.300000 0.000030 500 500"
                : bad && b == "10.0.3.33:80" ? "0.000040 -1 -1 504 -"
                : "0.000040 0.050000 0.000030 200 200";
            text.Append(CultureInfo.InvariantCulture, $"{t:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} my-clb 203.0.113.{random.Next(1, 250)}:{random.Next(1024, 65000)} {b} {fields} 0 1043 \"GET http://shop.example.com:80/ HTTP/1.1\" \"curl/8.5.0\" - -\n");
        }
        var i = TestLines.Load(text.ToString()).Investigate();

        Assert.True(i.Suspects.Count == 2, Describe(i));
        Assert.Equal(["10.0.3.31:80", "10.0.3.33:80"], i.Suspects.Select(s => s.Backend.Backend).Order());
        var timeout = i.Suspects.Single(s => s.Backend.Backend == "10.0.3.33:80").Backend;
        Assert.True(timeout.Lb5xx > 0 && timeout.Backend5xx == 0);
    }
}

public sealed class NginxWithoutUpstreamsTests
{
    [Fact]
    public void Errors_of_a_log_that_records_no_upstream_are_not_said_to_be_the_load_balancers_own()
    {
        // nginx's combined format has no $upstream_addr: a 502 there may be a backend's failure as well as nginx's own.
        var i = TestLines.Load(CombinedLog(1200, Outage)).Investigate();

        Assert.Equal("nginx", i.Log.Format);
        var errors = Assert.Single(i.ListenerErrors);
        Assert.Equal(150, errors.Requests);
        Assert.False(errors.UpstreamRecorded);
        var incident = Assert.Single(i.Incidents);
        Assert.Contains("this log records no upstream", incident.Reason);
        Assert.DoesNotContain("tried no backend", incident.Reason);
        Assert.Contains("\"upstream_recorded\": false", InvestigationJson.Write(i, indented: true));
        // The incident says so too, not only its listener errors: a script reading "scope": "load-balancer" must be
        // able to tell that nobody knows who answered.
        using (var json = System.Text.Json.JsonDocument.Parse(InvestigationJson.Write(i, indented: true)))
        {
            var lb = Assert.Single(json.RootElement.GetProperty("incidents").EnumerateArray());
            Assert.Equal("load-balancer", lb.GetProperty("scope").GetString());
            Assert.False(lb.GetProperty("upstream_recorded").GetBoolean());
        }
        Assert.All(i.Log.Requests["upstream_attempts"].Cast<int?>(), attempts => Assert.Null(attempts));

        // The write-up does not call them the load balancer's own either, nor its backends "none tried".
        var md = i.Report().ToMarkdown();
        Assert.Contains("No backend to judge: no line names one", md);
        Assert.Contains("No backend recorded: 150 requests got 502 between", md);
        Assert.Contains("| no backend recorded | failing | - | none recorded |", md);
        Assert.Contains("… with no backend recorded (the log records no upstream: who made them is unknown) | 150 |", md);
        Assert.DoesNotContain("(no backend tried)", md);
        Assert.DoesNotContain("none tried", md);
        Assert.DoesNotContain("the load balancer itself answered", md);
        Assert.DoesNotContain("## Answered by the load balancer itself", md);
    }

    /// <summary>
    /// nginx <c>combined</c> lines, one a second from 10:00 UTC, status 502 where <paramref name="failed"/> says so, each
    /// followed by <paramref name="after"/>'s fields if given.
    /// </summary>
    private static string CombinedLog(int count, Func<int, bool> failed, Func<int, string>? after = null)
    {
        var t0 = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc);
        return string.Join("\n", Enumerable.Range(0, count).Select(i =>
            $"203.0.113.{i % 200} - - [{t0.AddSeconds(i).ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)} +0000] " +
            $"\"GET /c/{i} HTTP/1.1\" {(failed(i) ? 502 : 200)} 512 \"-\" \"curl/8.5.0\"" + (after is null ? "" : " " + after(i))));
    }

    /// <summary>Every other request of ten minutes from 10:10 fails: 150 of them.</summary>
    private static bool Outage(int i) => i is >= 600 and < 900 && i % 2 == 0;

    [Theory]
    [InlineData(null)]
    [InlineData("nginx")] // the format named, not detected: the same note
    public void Upstream_fields_a_log_format_was_not_given_for_are_named_instead_of_asked_for(string? format)
    {
        // Written with a log_format that has $upstream_addr and read without it: read as combined, the upstream is in the
        // fields after combined's. Asking to add $upstream_addr to a format that has it would send the engineer astray.
        var i = TestLines.Load(CombinedLog(1200, Outage, n => $"0.012 \"10.0.1.{11 + n % 2}:8080\" \"{(Outage(n) ? 502 : 200)}\" \"0.011\""),
            new LoadOptions { Format = format }).Investigate();

        var note = Assert.Single(i.Log.Report.Files).Note;
        Assert.Contains("read as nginx combined: its lines carry fields after the format's that hold an address as $upstream_addr writes one", note);
        Assert.Contains("'0.012 \"10.0.1.11:8080\" \"200\" \"0.011\"'", note);
        var reason = Assert.Single(i.Incidents).Reason;
        Assert.Contains("no upstream was read", reason);
        Assert.Contains("give the log_format the log was written with", reason);
        Assert.DoesNotContain("add $upstream_addr", reason);
        Assert.True(Assert.Single(i.ListenerErrors).UpstreamMayBeUnread);
        Assert.Contains("perhaps the upstream variables", InvestigationJson.Write(i, indented: true));

        // The write-up and the notebook view say so too, not that the log records none.
        var md = i.Report().ToMarkdown();
        Assert.Contains("No backend to judge: no line names one (no upstream read, as the parse report's note says)", md);
        Assert.Contains("and no upstream read, as the parse report's note says: whether the load balancer", md);
        Assert.Contains("… with no backend recorded (no upstream read, as the parse report's note says: who made them is unknown) | 150 |", md);
        var view = ElbNotebooks.Formatting.ElbViews.Text(i)!;
        Assert.Contains("150 × 5xx with no backend recorded (no upstream read, as the parse report's note says)", view);
        var html = ElbNotebooks.Formatting.ElbViews.Html(i)!;
        Assert.True(html.Contains("Errors with no backend recorded (no upstream read, as the parse report&#39;s note says): 150 &#215; 5xx"), html);
        Assert.DoesNotContain("records no upstream", md + view + html);
    }

    [Fact]
    public void An_upstream_on_a_unix_socket_in_unread_fields_is_named_too()
    {
        // nginx writes a UNIX-domain socket upstream (php-fpm, a local app server) as unix:/path, with no port.
        var i = TestLines.Load(CombinedLog(1200, Outage, n => $"0.012 \"unix:/run/php/php-fpm.sock\" \"{(Outage(n) ? 502 : 200)}\"")).Investigate();

        Assert.Contains("'0.012 \"unix:/run/php/php-fpm.sock\" \"200\"'", Assert.Single(i.Log.Report.Files).Note);
        Assert.Contains("give the log_format the log was written with", Assert.Single(i.Incidents).Reason);
        Assert.True(Assert.Single(i.ListenerErrors).UpstreamMayBeUnread);
    }

    [Fact]
    public void A_few_errors_with_no_backend_recorded_are_thin_evidence_as_the_load_balancers_own_are()
    {
        var incident = Assert.Single(TestLines.Load(CombinedLog(600, i => i is 100 or 101 or 102)).Investigate().Incidents);

        Assert.Equal(EvidenceStrength.Thin, incident.Evidence);
        Assert.Contains("this log records no upstream", incident.Reason);
        Assert.EndsWith("Thin evidence: fewer than 10 requests; not a confirmed outage", incident.Reason);
    }

    [Fact]
    public void Fields_after_combined_that_hold_no_address_and_port_leave_the_advice_as_it_was()
    {
        // nginx's main format: combined and "$http_x_forwarded_for", an address without a port.
        var i = TestLines.Load(CombinedLog(1200, Outage, n => $"\"198.51.100.{n % 50}, 10.1.1.1\"")).Investigate();

        Assert.Null(Assert.Single(i.Log.Report.Files).Note);
        Assert.Contains("add $upstream_addr", Assert.Single(i.Incidents).Reason);
        Assert.False(Assert.Single(i.ListenerErrors).UpstreamMayBeUnread);
    }
}
