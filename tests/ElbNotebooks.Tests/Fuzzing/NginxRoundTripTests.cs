using System.Text;
using CsCheck;
using ElbNotebooks.Parsing;
using static ElbNotebooks.Tests.Fuzzing.FormatGens;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>Random valid nginx lines (<c>combined</c> and the upstream log_format) parse back to the same values.</summary>
public class NginxRoundTripTests
{
    internal static readonly ILogFormat UpstreamFormat = LogFormats.Nginx(TestLines.NginxUpstreamDirective);

    internal static readonly ILogFormat BareListsFormat = LogFormats.Nginx(NginxLineModel.BareListsDirective);

    private static void Check(ILogFormat format, NginxLineModel m, bool quotedLists = true)
    {
        var target = new ParseTarget();
        var text = m.ToLine(quotedLists);
        Assert.True(format.TryParse(Encoding.UTF8.GetBytes(text), target, out var rejection), $"{rejection.Detail}: {text}");
        target.Requests.CommitRow();
        var r = target.Requests;

        Assert.Equal(m.Utc, r.Time[0]);
        Assert.Equal(DateTimeKind.Utc, r.Time[0].Kind);
        Assert.Equal(m.OffsetMinutes, r.OffsetMinutes[0]);
        Assert.Equal(double.NaN, r.Msec[0]);
        Assert.Equal(m.RemoteAddr, r.ClientIp[0]);
        Assert.Equal(Missing.Int, r.ClientPort[0]);
        Assert.Equal(m.Status, r.Status[0]);
        Assert.Equal(m.BodyBytes, r.BodyBytesSent[0]);
        Assert.Equal(Missing.Long, r.BytesSent[0]);
        Assert.Equal(m.Method, r.Method[0]);
        Assert.Null(r.Scheme[0]);
        Assert.Null(r.Host[0]);
        Assert.Equal(m.Uri, r.Uri[0]);
        Assert.Equal(m.Protocol, r.Protocol[0]);
        Assert.Equal(Read(m.Referer), r.Referer[0]);
        Assert.Equal(Read(m.UserAgent), r.UserAgent[0]);
        Assert.Null(r.ListenerName[0]);
        Assert.Equal(m.RequestTime ?? double.NaN, r.RequestTime[0]);
        Assert.Equal(m.GroupName, r.PoolName[0]);
        Assert.Null(r.ExtraFields[0]);

        // One attempt per list item; a group name is no attempt (nginx answered 502 itself) but names the pool. A format
        // without upstream variables does not say whether one was tried: missing, not 0.
        Assert.Equal(m.Upstream ? m.Attempts.Count : Missing.Int, r.UpstreamAttempts[0]);
        var a = target.Attempts;
        Assert.Equal(m.Attempts.Count, a.Count);
        for (var i = 0; i < a.Count; i++)
        {
            var e = m.Attempts[i];
            Assert.Equal(e.Backend, a.Backend[i]);
            Assert.Equal(e.Status ?? Missing.Int, a.Status[i]);
            Assert.Equal(e.Connect ?? double.NaN, a.ConnectTime[i]);
            Assert.Equal(e.Header ?? double.NaN, a.HeaderTime[i]);
            Assert.Equal(e.Response ?? double.NaN, a.ResponseTime[i]);
            Assert.Equal(i == a.Count - 1, a.IsFinal[i]);
            Assert.Equal(m.Status, a.ClientStatus[i]);
            Assert.Equal(m.GroupName, a.Pool[i]);
            Assert.Equal(m.Method, a.Method[i]);
        }
        if (a.Count > 0)
        {
            var last = m.Attempts[^1];
            Assert.Equal(last.Backend, r.UpstreamAddr[0]);
            Assert.Equal(last.Status ?? Missing.Int, r.UpstreamStatus[0]);
            Assert.Equal(last.Header ?? double.NaN, r.UpstreamHeaderTime[0]);
        }
    }

    [Fact]
    public void Random_valid_combined_requests_parse_back_to_the_same_values() =>
        NginxLineModel.Gen_(upstream: false).Sample(m => Check(NginxFormat.Combined, m), iter: 3000, seed: "0N0XIzNsQ0O2");

    [Fact]
    public void Random_valid_upstream_log_format_requests_parse_back_to_the_same_values() =>
        NginxLineModel.Gen_(upstream: true).Sample(m => Check(UpstreamFormat, m), iter: 3000, seed: "0N0XIzNsQ0O2");

    [Fact]
    public void Random_valid_requests_with_bare_upstream_lists_parse_back_to_the_same_values() =>
        NginxLineModel.Gen_(upstream: true).Sample(m => Check(BareListsFormat, m, quotedLists: false), iter: 3000, seed: "0N0XIzNsQ0O2");
}
