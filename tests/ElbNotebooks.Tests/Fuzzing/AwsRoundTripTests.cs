using System.Text;
using CsCheck;
using ElbNotebooks.Parsing;
using static ElbNotebooks.Tests.Fuzzing.FormatGens;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>Random valid AWS ALB and CLB lines parse back to the values they were written from (docs/formats.md).</summary>
public class AwsRoundTripTests
{
    private static ParseTarget Parse(ILogFormat format, string text)
    {
        var target = new ParseTarget();
        Assert.True(format.TryParse(Encoding.UTF8.GetBytes(text), target, out var rejection), $"{rejection.Detail}: {text}");
        target.Requests.CommitRow();
        return target;
    }

    private static double Sum(double? a, double? b, double? c) => a is { } x && b is { } y && c is { } z ? x + y + z : double.NaN;

    [Fact]
    public void Random_valid_alb_requests_parse_back_to_the_same_values()
    {
        AlbLineModel.Gen_.Sample(m =>
        {
            var target = Parse(AwsAlbFormat.Instance, m.ToLine());
            var r = target.Requests;
            bool Has(int field) => m.Layout >= field;

            Assert.Equal(m.Utc, r.Time[0]);
            Assert.Equal(DateTimeKind.Utc, r.Time[0].Kind);
            Assert.Equal(0, r.OffsetMinutes[0]);
            Assert.Equal(m.Elb, r.LbName[0]);
            Assert.Equal(m.LbName, r.ListenerName[0]);
            Assert.Equal(m.ClientIp, r.ClientIp[0]);
            Assert.Equal(m.ClientPort, r.ClientPort[0]);
            Assert.Equal(m.Status ?? Missing.Int, r.Status[0]);
            Assert.Equal(m.Received, r.RequestLength[0]);
            Assert.Equal(m.Sent, r.BytesSent[0]);
            Assert.Equal(m.Method, r.Method[0]);
            Assert.Equal(m.Method is null ? null : m.Scheme, r.Scheme[0]);
            Assert.Equal(m.Method is null ? null : m.Host, r.Host[0]);
            Assert.Equal(m.Method is null ? null : m.Uri, r.Uri[0]);
            Assert.Equal(m.Method is null ? null : "HTTP/1.1", r.Protocol[0]);
            Assert.Equal(Has(14) ? Read(m.UserAgent) : null, r.UserAgent[0]);
            Assert.Equal(Has(15) ? m.Cipher : null, r.SslCipher[0]);
            Assert.Equal(Has(16) ? m.TlsProtocol : null, r.SslProtocol[0]);
            Assert.Equal(Has(17) ? m.TargetGroupArn : null, r.TargetGroupArn[0]);
            Assert.Equal(Has(17) ? m.GroupName : null, r.PoolName[0]);
            Assert.Equal(Has(18) ? m.TraceId : null, r.TraceId[0]);
            Assert.Equal(Has(19) ? m.Domain : null, r.SniDomainName[0]);
            Assert.Equal(Has(20) ? "arn:aws:acm:eu-west-1:123456789012:certificate/1234" : null, r.CertificateId[0]);
            Assert.Equal(Has(23) ? m.Actions : null, r.ActionsExecuted[0]);
            Assert.Equal(Has(25) ? Read(m.ErrorReason) : null, r.ErrorReason[0]);
            Assert.Equal(Has(30) ? m.ConnTraceId : null, r.ExtraFields[0]);
            var requestTime = Has(22) && m.CreationDeltaMicros is { } delta
                ? TimeSpan.FromTicks(delta * 10).TotalSeconds
                : Sum(m.RequestProcessing, m.TargetProcessing, m.ResponseProcessing);
            Assert.Equal(requestTime, r.RequestTime[0]);

            // Attempts: none when nothing was dispatched; earlier targets (status only), then the final one.
            var earlier = m.Target is not null && Has(27) ? m.Earlier : [];
            var count = m.Target is null ? 0 : earlier.Count + 1;
            Assert.Equal(count, r.UpstreamAttempts[0]);
            var a = target.Attempts;
            Assert.Equal(count, a.Count);
            for (var i = 0; i < count; i++)
            {
                var final = i == count - 1;
                Assert.Equal(final ? m.Target : earlier[i].Backend, a.Backend[i]);
                Assert.Equal(final ? m.TargetStatus ?? m.Status ?? Missing.Int : earlier[i].Status ?? Missing.Int, a.Status[i]);
                Assert.Equal(final && m.TargetStatus is not null ? m.TargetProcessing ?? double.NaN : double.NaN, a.HeaderTime[i]);
                Assert.Equal(double.NaN, a.ConnectTime[i]);
                Assert.Equal(double.NaN, a.ResponseTime[i]);
                Assert.Equal(final, a.IsFinal[i]);
                Assert.Equal(i, a.Attempt[i]);
                Assert.Equal(m.Status ?? Missing.Int, a.ClientStatus[i]);
                Assert.Equal(m.Utc, a.Time[i]);
                Assert.Equal(m.LbName, a.Listener[i]);
                Assert.Equal(Has(17) ? m.GroupName : null, a.Pool[i]);
                Assert.Equal(m.Method, a.Method[i]);
            }
        }, iter: 3000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Random_valid_clb_requests_and_tcp_connections_parse_back_to_the_same_values()
    {
        ClbLineModel.Gen_.Sample(m =>
        {
            var target = Parse(AwsClbFormat.Instance, m.ToLine());
            var r = target.Requests;
            var full = m.Layout >= 15;

            Assert.Equal(m.Utc, r.Time[0]);
            Assert.Equal(DateTimeKind.Utc, r.Time[0].Kind);
            Assert.Equal(0, r.OffsetMinutes[0]);
            Assert.Equal(m.Elb, r.LbName[0]);
            Assert.Equal(m.Elb, r.ListenerName[0]);
            Assert.Equal(m.ClientIp, r.ClientIp[0]);
            Assert.Equal(m.ClientPort, r.ClientPort[0]);
            Assert.Equal(m.Status ?? Missing.Int, r.Status[0]);
            Assert.Equal(m.Received, r.RequestLength[0]);
            Assert.Equal(m.Sent, r.BytesSent[0]);
            Assert.Equal(Sum(m.RequestProcessing, m.BackendProcessing, m.ResponseProcessing), r.RequestTime[0]);
            Assert.Equal(m.Tcp ? null : m.Method, r.Method[0]);
            Assert.Equal(m.Tcp ? null : m.Scheme, r.Scheme[0]);
            Assert.Equal(m.Tcp ? null : m.Host, r.Host[0]);
            Assert.Equal(m.Tcp ? null : m.Uri, r.Uri[0]);
            Assert.Equal(m.Tcp ? null : "HTTP/1.1", r.Protocol[0]);
            Assert.Equal(full && !m.Tcp ? Read(m.UserAgent) : null, r.UserAgent[0]);
            Assert.Equal(full ? m.Cipher : null, r.SslCipher[0]);
            Assert.Equal(full ? m.TlsProtocol : null, r.SslProtocol[0]);
            Assert.Null(r.PoolName[0]);
            Assert.Null(r.ExtraFields[0]);

            var count = m.Backend is null ? 0 : 1;
            Assert.Equal(count, r.UpstreamAttempts[0]);
            var a = target.Attempts;
            Assert.Equal(count, a.Count);
            if (count == 0) return;
            Assert.Equal(m.Backend, a.Backend[0]);
            Assert.Equal(m.BackendStatus ?? m.Status ?? Missing.Int, a.Status[0]);
            Assert.Equal(m.Tcp ? m.BackendProcessing ?? double.NaN : double.NaN, a.ConnectTime[0]); // TCP: the time to connect
            Assert.Equal(m.BackendStatus is not null ? m.BackendProcessing ?? double.NaN : double.NaN, a.HeaderTime[0]);
            Assert.Equal(double.NaN, a.ResponseTime[0]);
            Assert.True(a.IsFinal[0]);
            Assert.Equal(m.Status ?? Missing.Int, a.ClientStatus[0]);
            Assert.Equal(m.Elb, a.Listener[0]);
            Assert.Equal(m.Tcp ? null : m.Method, a.Method[0]);
        }, iter: 3000, seed: "0N0XIzNsQ0O2");
    }
}
