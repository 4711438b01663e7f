using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// An nginx log whose format names no listener (no <c>$server_name</c>, no host: <c>combined</c> with the upstream
/// fields added) is judged under the listener key <c>-</c>. Regression: the words said "its 1 peer on -", "every backend
/// of the pool of -" and "1 request on - got 502".
/// </summary>
public class UnnamedListenerWordsTests
{
    private static readonly LoadOptions Options = new()
    {
        NginxLogFormat = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" " +
                         "\"$http_user_agent\" ua=\"$upstream_addr\" us=\"$upstream_status\" uht=\"$upstream_header_time\"",
    };

    private static string Line(int second, int status, string upstream, string upstreamStatus, string header) =>
        $"203.0.113.7 - - [01/May/2024:10:15:{second:00} +0000] \"GET /cart HTTP/1.1\" {status} 612 \"-\" \"curl/8.5.0\" " +
        $"ua=\"{upstream}\" us=\"{upstreamStatus}\" uht=\"{header}\"";

    [Fact]
    public void Words_leave_out_a_listener_the_log_does_not_name()
    {
        var lines = new[]
        {
            Line(1, 500, "10.0.0.1:8080", "500", "0.010"),
            Line(2, 500, "10.0.0.2:8080", "500", "0.010"),
            Line(3, 502, "backend_pool", "502", "-"), // no server could be selected: a no-backend error
        };
        var investigation = TestLines.Load(string.Join("\n", lines) + "\n", Options).Investigate();

        Assert.Equal("-", investigation.Backends[0].Listener);
        var words = investigation.Backends.Select(b => b.Reason).Concat(investigation.Incidents.Select(n => n.Reason)).ToList();
        Assert.Contains(words, w => w.Contains("in this log", StringComparison.Ordinal));
        Assert.Contains(words, w => w.Contains("of the pool (2)", StringComparison.Ordinal));
        Assert.All(words, w => Assert.DoesNotContain(" on -", w));
        Assert.All(words, w => Assert.DoesNotContain(" of -", w));
    }
}
