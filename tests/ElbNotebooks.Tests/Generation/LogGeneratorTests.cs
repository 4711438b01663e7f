using System.Globalization;
using System.IO.Compression;
using ElbNotebooks.Generation;

namespace ElbNotebooks.Tests.Generation;

public class LogGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(8));

    private static GeneratorOptions Small(params Incident[] incidents) => new()
    {
        Seed = 42,
        Start = Start,
        Duration = TimeSpan.FromMinutes(30),
        RequestsPerSecond = 10,
        Incidents = incidents,
    };

    private static string Text(GeneratorOptions o)
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        LogGenerator.Write(o, w);
        return w.ToString();
    }

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    [Fact]
    public void Same_seed_gives_identical_output()
    {
        var o = Small(Incident.ConnectionRefused("10.0.2.22:9000", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)));
        var a = Text(o);
        var b = Text(o with { });
        Assert.Equal(a, b);
        Assert.Equal(a, string.Concat(LogGenerator.Lines(o).Select(l => l + "\n")));
        Assert.DoesNotContain("\r", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        var o = Small(Incident.SlowBackend("10.0.1.14:8080", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)));
        var expected = Text(o);
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(expected, Text(o));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Different_seeds_give_different_output()
    {
        Assert.NotEqual(Text(Small()), Text(Small() with { Seed = 43 }));
    }

    [Fact]
    public void Request_count_follows_the_rate_and_duration()
    {
        var count = LogGenerator.Lines(Small()).Count();
        Assert.InRange(count, 18000 * 0.9, 18000 * 1.1);
    }

    [Theory]
    [InlineData(LogLayout.Legacy, 22, "elb")]
    [InlineData(LogLayout.Full, 33, "elb_01")]
    [InlineData(LogLayout.Extended, 37, "elb_01")]
    public void Every_line_has_the_field_count_of_its_layout(LogLayout layout, int fields, string logVer)
    {
        var o = Small(
            Incident.ConnectionRefused("10.0.2.22:9000", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)),
            Incident.ListenerErrors("web", TimeSpan.FromMinutes(12), TimeSpan.FromMinutes(14))) with { Layout = layout, ClientAbortRate = 0.01 };
        var lines = LogLine.ReadAll(LogGenerator.Lines(o));
        Assert.All(lines, l => Assert.Equal(fields, l.Fields.Count));
        Assert.All(lines, l => Assert.Equal(logVer, l.LogVer));
        Assert.Equal(fields, AnswerKey.FieldCount(layout));
        if (layout == LogLayout.Extended)
            Assert.Contains(lines, l => l.Fields[36] == "\"pool_web\"");
    }

    [Fact]
    public void Lines_are_sorted_by_msec_and_time_iso8601_is_msec_in_the_start_offset()
    {
        var lines = LogLine.ReadAll(LogGenerator.Lines(Small(Incident.SlowBackend("10.0.1.14:8080", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3)))));
        for (var i = 1; i < lines.Count; i++)
            Assert.True(lines[i - 1].MsecMillis <= lines[i].MsecMillis, $"line {i + 1} is earlier than line {i}");
        Assert.All(lines, l =>
        {
            var local = DateTimeOffset.FromUnixTimeMilliseconds(l.MsecMillis).ToOffset(TimeSpan.FromHours(8));
            Assert.Equal("[" + local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+08:00]", l.TimeIso);
        });
        Assert.All(lines, l => Assert.InRange(l.ArrivalMillis, Ms(Start), Ms(Start.AddMinutes(30)) - 1));
    }

    [Fact]
    public void Upstream_lists_line_up_and_request_time_covers_every_attempt()
    {
        var o = Small(Incident.ConnectionRefused("10.0.1.11:8080", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10))) with { ClientAbortRate = 0.01 };
        foreach (var l in LogLine.ReadAll(LogGenerator.Lines(o)))
        {
            var n = l.UpstreamAddrs.Count;
            Assert.Equal(n, l.UpstreamStatus.Count);
            Assert.Equal(n, l.ConnectTimes.Count);
            Assert.Equal(n, l.HeaderTimes.Count);
            Assert.Equal(n, l.ResponseTimes.Count);
            Assert.Equal(l.UpstreamAddrs, l.UpstreamAddrsPriv);
            if (l.UpstreamAddrs[0] == "-") continue;
            var upstream = l.ResponseTimes.Sum(LogLine.Millis);
            Assert.True(l.RequestMillis >= upstream, $"request_time < upstream_response_time in {l.Text}");
            for (var i = 0; i < n; i++)
            {
                if (l.HeaderTimes[i] == "-") continue;
                Assert.True(LogLine.Millis(l.ResponseTimes[i]) >= LogLine.Millis(l.HeaderTimes[i]), l.Text);
                Assert.True(LogLine.Millis(l.HeaderTimes[i]) >= LogLine.Millis(l.ConnectTimes[i]), l.Text);
            }
        }
    }

    [Fact]
    public void Refused_backend_attempts_carry_502_and_GETs_are_retried_on_a_peer_of_the_same_pool()
    {
        var from = Start.AddMinutes(5);
        var to = Start.AddMinutes(15);
        var o = Small(Incident.ConnectionRefused("10.0.2.22:9000", from, to, timeoutShare: 0));
        var lines = LogLine.ReadAll(LogGenerator.Lines(o));
        var retried = lines.Where(l => l.UpstreamAddrs.Count == 2).ToArray();
        Assert.True(retried.Length > 100, $"only {retried.Length} retried requests");
        Assert.All(retried, l =>
        {
            Assert.Contains(l.Method, new[] { "GET", "HEAD" });
            Assert.Equal("10.0.2.22:9000", l.UpstreamAddrs[0]);
            Assert.Contains(l.UpstreamAddrs[1], new[] { "10.0.2.21:9000", "10.0.2.23:9000" });
            Assert.Equal("502", l.UpstreamStatus[0]);
            Assert.Equal("-", l.HeaderTimes[0]);
            Assert.InRange(LogLine.Millis(l.ConnectTimes[0]), 0, 2);
            Assert.Equal(l.UpstreamStatus[1], l.Status.ToString(CultureInfo.InvariantCulture));
            Assert.InRange(l.ArrivalMillis, Ms(from), Ms(to) - 1);
        });
        Assert.Contains(retried, l => l.Text.Contains("\"502, 200\"", StringComparison.Ordinal));
        // Most retried GETs end well for the client.
        Assert.True(retried.Count(l => l.Status == 200) > retried.Length * 0.8);
        // No attempt reaches the refused backend successfully inside the window.
        Assert.DoesNotContain(lines, l => l.ArrivalMillis >= Ms(from) && l.ArrivalMillis < Ms(to)
            && l.UpstreamAddrs.Zip(l.UpstreamStatus).Any(p => p.First == "10.0.2.22:9000" && p.Second != "502"));
        // And nothing is refused outside it.
        Assert.DoesNotContain(lines, l => (l.ArrivalMillis < Ms(from) || l.ArrivalMillis >= Ms(to)) && l.UpstreamAddrs.Count > 1);
    }

    [Fact]
    public void Requests_other_than_GET_and_HEAD_to_a_refused_backend_are_not_retried_and_get_502()
    {
        var o = Small(Incident.ConnectionRefused("10.0.2.22:9000", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), timeoutShare: 0));
        var failed = LogLine.ReadAll(LogGenerator.Lines(o)).Where(l => l.UpstreamAddrs.Contains("10.0.2.22:9000") && l.UpstreamStatus.Contains("502")).ToArray();
        var writes = failed.Where(l => l.Method is not ("GET" or "HEAD")).ToArray();
        Assert.True(writes.Length > 20, $"only {writes.Length} refused writes");
        Assert.All(writes, l =>
        {
            Assert.Single(l.UpstreamAddrs);
            Assert.Equal(502, l.Status);
            Assert.Equal("\"502\"", l.Fields[11]);
        });
        Assert.Contains(writes, l => l.Method == "POST");
    }

    [Fact]
    public void Connect_timeouts_are_written_504_after_5_seconds()
    {
        var o = Small(Incident.ConnectionRefused("10.0.2.22:9000", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), timeoutShare: 0.5));
        var timeouts = LogLine.ReadAll(LogGenerator.Lines(o)).Where(l => l.UpstreamStatus[0] == "504").ToArray();
        Assert.NotEmpty(timeouts);
        Assert.All(timeouts, l =>
        {
            Assert.Equal("5.000", l.ConnectTimes[0]);
            Assert.Equal("-", l.HeaderTimes[0]);
            Assert.True(l.RequestMillis >= 5000);
            if (l.UpstreamAddrs.Count == 1) Assert.Equal(504, l.Status);
        });
    }

    [Fact]
    public void Backend_errors_pass_500_through_on_that_backend_inside_the_window_only()
    {
        var from = Start.AddMinutes(10);
        var to = Start.AddMinutes(20);
        var lines = LogLine.ReadAll(LogGenerator.Lines(Small(Incident.BackendErrors("10.0.1.12:8080", from, to, share: 0.6))));
        bool Inside(LogLine l) => l.ArrivalMillis >= Ms(from) && l.ArrivalMillis < Ms(to);
        double Rate(IEnumerable<LogLine> ls)
        {
            var a = ls.ToArray();
            return a.Count(l => l.Status == 500) / (double)a.Length;
        }
        var target = lines.Where(l => l.UpstreamAddrs[0] == "10.0.1.12:8080").ToArray();
        Assert.InRange(Rate(target.Where(Inside)), 0.5, 0.7);
        Assert.InRange(Rate(target.Where(l => !Inside(l))), 0, 0.02);
        Assert.InRange(Rate(lines.Where(l => l.UpstreamAddrs[0] != "10.0.1.12:8080" && Inside(l))), 0, 0.02);
        Assert.All(target.Where(l => l.Status == 500), l => Assert.Equal(["500"], l.UpstreamStatus));
        // Passed through: header times stay normal.
        Assert.All(target.Where(l => l.Status == 500 && Inside(l)), l => Assert.True(LogLine.Millis(l.HeaderTimes[0]) < 2000, l.Text));
    }

    [Fact]
    public void Slow_backend_has_high_header_time_and_normal_connect_time()
    {
        var from = Start.AddMinutes(10);
        var to = Start.AddMinutes(20);
        var lines = LogLine.ReadAll(LogGenerator.Lines(Small(Incident.SlowBackend("10.0.1.14:8080", from, to, extraSeconds: 2.5))));
        var slow = lines.Where(l => l.UpstreamAddrs[0] == "10.0.1.14:8080" && l.ArrivalMillis >= Ms(from) && l.ArrivalMillis < Ms(to) && l.Status != 499).ToArray();
        Assert.True(slow.Length > 100);
        Assert.All(slow, l =>
        {
            Assert.InRange(LogLine.Millis(l.HeaderTimes[0]), 2000, 8000);
            Assert.InRange(LogLine.Millis(l.ConnectTimes[0]), 0, 2);
        });
        Assert.True(slow.Count(l => l.Status is >= 200 and < 400) > slow.Length * 0.95);
        var peers = lines.Where(l => l.UpstreamAddrs[0] == "10.0.1.13:8080" && l.Status != 499).Select(l => LogLine.Millis(l.HeaderTimes[0])).Order().ToArray();
        Assert.True(peers[peers.Length / 2] < 100, "peer median header time should stay small");
    }

    [Fact]
    public void Listener_errors_have_dash_upstream_fields_and_no_backend()
    {
        var from = Start.AddMinutes(10);
        var to = Start.AddMinutes(12);
        var o = Small(Incident.ListenerErrors("api", from, to, share: 0.5));
        var key = LogGenerator.Key(o);
        var api = key.Listeners.Single(l => l.Name == "api");
        var lines = LogLine.ReadAll(LogGenerator.Lines(o));
        var lb = lines.Where(l => l.UpstreamAddrs[0] == "-" && l.Status == 503).ToArray();
        Assert.True(lb.Length > 100, $"only {lb.Length} listener errors");
        Assert.All(lb, l =>
        {
            Assert.Equal(api.ListenerName, l.ListenerName);
            Assert.All(new[] { 11, 12, 13, 14, 15, 26 }, i => Assert.Equal("\"-\"", l.Fields[i]));
            Assert.Equal("-", l.PoolName);
            Assert.InRange(l.ArrivalMillis, Ms(from), Ms(to) - 1);
        });
        Assert.DoesNotContain(lines, l => l.UpstreamAddrs[0] == "-" && l.Status != 503);
    }

    [Fact]
    public void Client_aborts_are_499_with_no_upstream_status_on_every_backend()
    {
        var lines = LogLine.ReadAll(LogGenerator.Lines(Small() with { ClientAbortRate = 0.02 }));
        var aborts = lines.Where(l => l.Status == 499).ToArray();
        Assert.InRange(aborts.Length, lines.Count * 0.01, lines.Count * 0.03);
        Assert.All(aborts, l =>
        {
            Assert.Equal(["-"], l.UpstreamStatus);
            Assert.Equal(["-"], l.HeaderTimes);
            Assert.Equal("0", l.Fields[8]);
        });
        Assert.Equal(7, aborts.Select(l => l.UpstreamAddrs[0]).Distinct().Count());
    }

    [Fact]
    public void Baseline_errors_are_spread_over_all_backends()
    {
        var lines = LogLine.ReadAll(LogGenerator.Lines(Small() with { BaselineErrorRate = 0.01 }));
        var errors = lines.Where(l => l.Status is 500 or 503).ToArray();
        Assert.InRange(errors.Length, lines.Count * 0.006, lines.Count * 0.014);
        Assert.All(errors, l => Assert.Equal([l.Status.ToString(CultureInfo.InvariantCulture)], l.UpstreamStatus));
        Assert.Equal(7, errors.Select(l => l.UpstreamAddrs[0]).Distinct().Count());
    }

    [Fact]
    public void Ipv6_clients_are_written_address_colon_port()
    {
        var lines = LogLine.ReadAll(LogGenerator.Lines(Small()));
        var v6 = lines.Where(l => l.Client.Count(c => c == ':') > 1).ToArray();
        Assert.InRange(v6.Length, lines.Count * 0.01, lines.Count * 0.06);
        Assert.All(v6, l =>
        {
            var colon = l.Client.LastIndexOf(':');
            Assert.True(System.Net.IPAddress.TryParse(l.Client[..colon], out var ip), l.Client);
            Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, ip!.AddressFamily);
            Assert.InRange(int.Parse(l.Client[(colon + 1)..], CultureInfo.InvariantCulture), 1024, 65535);
            Assert.DoesNotContain("[", l.Client, StringComparison.Ordinal);
        });
        var v4 = lines.Select(l => l.Client[..l.Client.LastIndexOf(':')]).Where(a => !a.Contains(':', StringComparison.Ordinal)).Distinct().Count();
        Assert.InRange(v4, 150, 300);
    }

    [Fact]
    public void Traffic_mix_looks_like_a_real_site()
    {
        var lines = LogLine.ReadAll(LogGenerator.Lines(Small()));
        double Share(string m) => lines.Count(l => l.Method == m) / (double)lines.Count;
        Assert.InRange(Share("GET"), 0.72, 0.78);
        Assert.InRange(Share("POST"), 0.13, 0.17);
        Assert.True(Share("PUT") > 0.01 && Share("DELETE") > 0.01 && Share("HEAD") > 0.01);
        Assert.InRange(lines.Select(l => l.Url.Split('?')[0]).Select(u => System.Text.RegularExpressions.Regex.Replace(u, @"\d+", "N")).Distinct().Count(), 25, 80);
        Assert.InRange(lines.Count(l => l.Fields[25] == "121.64.212.1:443") / (double)lines.Count, 0.6, 0.7);
        Assert.All(lines.Where(l => l.Fields[25] == "121.64.212.1:443"), l =>
        {
            Assert.StartsWith("https://shop.example.com/", l.Url, StringComparison.Ordinal);
            Assert.StartsWith("TLSv1.", l.Fields[28], StringComparison.Ordinal);
            Assert.Equal("shop.example.com", l.Fields[30]);
        });
        Assert.All(lines.Where(l => l.Fields[25] == "121.64.212.1:80"), l => Assert.Equal("- - -", string.Join(' ', l.Fields[28], l.Fields[29], l.Fields[30])));
    }

    [Fact]
    public void One_backend_pool_cannot_retry_so_GETs_get_the_error_too()
    {
        var o = Small(Incident.ConnectionRefused("10.0.3.31:8080", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), timeoutShare: 0)) with
        {
            Listeners = [ListenerSpec.Web, ListenerSpec.Api, ListenerSpec.Admin],
        };
        var failed = LogLine.ReadAll(LogGenerator.Lines(o)).Where(l => l.UpstreamAddrs.Contains("10.0.3.31:8080") && l.UpstreamStatus[0] == "502").ToArray();
        Assert.Contains(failed, l => l.Method == "GET");
        Assert.All(failed, l =>
        {
            Assert.Single(l.UpstreamAddrs);
            Assert.Equal(502, l.Status);
        });
    }

    [Fact]
    public void Answer_key_windows_match_the_options()
    {
        var absoluteFrom = new DateTimeOffset(2024, 5, 1, 2, 20, 0, TimeSpan.Zero);
        var o = Small(
            Incident.BackendErrors("10.0.1.12:8080", absoluteFrom, absoluteFrom.AddMinutes(15)),
            Incident.ListenerErrors("api", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3)));
        var key = LogGenerator.Key(o);
        Assert.Equal(Start, key.StartLocal);
        Assert.Equal(Start.AddMinutes(30), key.EndLocal);
        Assert.Equal(TimeSpan.Zero, key.StartUtc.Offset);

        var errors = key.Incidents[0];
        Assert.Equal(IncidentKind.BackendErrors, errors.Kind);
        Assert.Equal("10.0.1.12:8080", errors.Backend);
        Assert.Equal("pool_web", errors.Pool);
        Assert.Equal("web", errors.Listener.Name);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 20, 0, TimeSpan.FromHours(8)), errors.FromLocal);
        Assert.Equal(TimeSpan.FromHours(8), errors.FromLocal.Offset);
        Assert.Equal(absoluteFrom, errors.FromUtc);
        Assert.Equal(absoluteFrom.AddMinutes(15), errors.ToUtc);
        Assert.Equal(0.6, errors.Share);
        Assert.Equal(500, errors.Status);

        var lb = key.Incidents[1];
        Assert.Null(lb.Backend);
        Assert.False(lb.BlamesBackend);
        Assert.Equal(Start.AddMinutes(1), lb.FromLocal);
        Assert.Equal(Start.AddMinutes(3), lb.ToLocal);

        Assert.Equal(["10.0.1.12:8080"], key.FailingBackends);
        Assert.Equal(6, key.HealthyBackends.Count);
        Assert.Equal(key, LogGenerator.Write(o, TextWriter.Null).Key with { Listeners = key.Listeners, Incidents = key.Incidents });
        Assert.Contains("\"fromLocal\": \"2024-05-01T10:20:00+08:00\"", key.ToJson(), StringComparison.Ordinal);
        Assert.Contains("10.0.1.12:8080 answers 60% of its requests with 500", key.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_stable_and_appear_in_the_lines()
    {
        var key = LogGenerator.Key(Small());
        Assert.Equal(key.LoadBalancerName, LogGenerator.Key(Small() with { Seed = 99 }).LoadBalancerName);
        Assert.Matches("^loadbalancer_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", key.LoadBalancerName);
        Assert.Matches("^[0-9a-f]{32}$", key.TenantId);
        Assert.All(key.Listeners, l =>
        {
            Assert.Equal("listener_" + l.ListenerId, l.ListenerName);
            Assert.StartsWith("pool_", l.PoolName, StringComparison.Ordinal);
        });
        var first = LogLine.Read(LogGenerator.Lines(Small()).First());
        Assert.Equal(key.LoadBalancerName, first.Fields[19]);
        Assert.Equal(key.TenantId, first.Fields[24]);
        Assert.Equal("\"-\"", first.Fields[23]);
        Assert.Equal("-", first.Fields[27]);
        Assert.Equal("-", first.Fields[32]);
        Assert.Matches("^[0-9]+$", first.Fields[31]);
    }

    [Theory]
    [InlineData("10.9.9.9:80")]
    [InlineData("not-a-backend")]
    public void Unknown_backend_in_an_incident_is_rejected(string backend)
    {
        var e = Assert.Throws<InvalidInputException>(() => LogGenerator.Lines(Small(Incident.SlowBackend(backend, TimeSpan.Zero, TimeSpan.FromMinutes(1)))));
        Assert.Contains(backend, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_window_is_rejected()
    {
        Assert.Throws<InvalidInputException>(() => LogGenerator.Key(Small(Incident.BackendErrors("10.0.1.12:8080", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)))));
    }

    [Fact]
    public void Gz_path_writes_gzip_of_the_same_text()
    {
        var o = Small() with { Duration = TimeSpan.FromMinutes(2) };
        var dir = Directory.CreateTempSubdirectory("elbgen");
        try
        {
            var plain = Path.Combine(dir.FullName, "a.log");
            var gz = Path.Combine(dir.FullName, "a.log.gz");
            var r1 = LogGenerator.WriteFile(o, plain);
            var r2 = LogGenerator.WriteFile(o, gz);
            Assert.Equal(r1.LineCount, r2.LineCount);
            using var g = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
            using var reader = new StreamReader(g);
            var text = reader.ReadToEnd();
            Assert.Equal(File.ReadAllText(plain), text);
            Assert.Equal(Text(o), text);
            Assert.NotEqual(0xEF, File.ReadAllBytes(plain)[0]); // no BOM
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Every_scenario_gives_a_valid_log(string name)
    {
        var o = Scenarios.Apply(name, Small() with { Duration = TimeSpan.FromMinutes(6) });
        var key = LogGenerator.Key(o);
        Assert.All(key.Incidents, i => Assert.True(i.FromLocal >= key.StartLocal && i.ToLocal <= key.EndLocal));
        var lines = LogLine.ReadAll(LogGenerator.Lines(o));
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal(33, l.Fields.Count));
        Assert.False(string.IsNullOrEmpty(Scenarios.Describe(name)));
    }

    public static TheoryData<string> ScenarioNames() => [.. Scenarios.Names];

    [Fact]
    public void Writing_reports_progress_every_10000_lines_and_the_final_count()
    {
        var seen = new List<long>();
        var options = new GeneratorOptions { Seed = 3, Duration = TimeSpan.FromMinutes(10), RequestsPerSecond = 40 };

        var result = LogGenerator.Write(options, TextWriter.Null, new InlineProgress(seen.Add));

        Assert.Equal([10_000, 20_000, result.LineCount], seen);
    }

    private sealed class InlineProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
