using System.Text;
using CsCheck;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Fuzzing;

public class HuaweiRoundTripTests
{
    [Fact]
    public void Random_valid_requests_parse_back_to_the_same_values()
    {
        HuaweiLineModel.Gen_.Sample(model =>
        {
            var target = new ParseTarget();
            var line = Encoding.UTF8.GetBytes(model.ToLine());
            Assert.True(HuaweiElbFormat.Instance.TryParse(line, target, out var rejection), $"{rejection.Detail}: {model.ToLine()}");
            target.Requests.CommitRow();
            var r = target.Requests;

            Assert.Equal(model.MsecMillis / 1000.0, r.Msec[0], 6);
            Assert.Equal(model.Utc, r.Time[0]);
            Assert.Equal(model.OffsetMinutes, r.OffsetMinutes[0]);
            Assert.Equal(model.ClientIp, r.ClientIp[0]);
            Assert.Equal(model.ClientPort, r.ClientPort[0]);
            Assert.Equal(model.Status, r.Status[0]);
            Assert.Equal(model.Method, r.Method[0]);
            Assert.Equal(model.Host, r.Host[0]);
            Assert.Equal(model.Uri, r.Uri[0]);
            Assert.Equal(model.RequestLength ?? Missing.Long, r.RequestLength[0]);
            Assert.Equal(model.BytesSent, r.BytesSent[0]);
            Assert.Equal(model.RequestTime ?? double.NaN, r.RequestTime[0]);
            Assert.Equal(model.UserAgent == "-" ? null : model.UserAgent, r.UserAgent[0]); // "-" is how the log writes no value
            Assert.Equal(model.Listener, r.ListenerName[0]);
            Assert.Equal(model.Layout >= 33 ? model.Pool : null, r.PoolName[0]);
            Assert.Equal(model.Layout >= 33 ? model.Rtt : Missing.Long, r.TcpInfoRtt[0]);
            Assert.Equal(model.Layout >= 37 ? 120 : Missing.Long, r.RequestHeaderLength[0]);
            Assert.Equal(model.Attempts.Count, r.UpstreamAttempts[0]);

            var a = target.Attempts;
            Assert.Equal(model.Attempts.Count, a.Count);
            for (var i = 0; i < a.Count; i++)
            {
                var expected = model.Attempts[i];
                Assert.Equal(expected.Backend, a.Backend[i]);
                Assert.Equal(expected.Status ?? Missing.Int, a.Status[i]);
                Assert.Equal(expected.Connect ?? double.NaN, a.ConnectTime[i]);
                Assert.Equal(expected.Header ?? double.NaN, a.HeaderTime[i]);
                Assert.Equal(expected.Response ?? double.NaN, a.ResponseTime[i]);
                Assert.Equal(i == a.Count - 1, a.IsFinal[i]);
                Assert.Equal(model.Status, a.ClientStatus[i]);
            }
        }, iter: 3000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void The_fast_decimal_path_agrees_with_the_framework_parser()
    {
        Gen.Long[0, 999_999_999_999_999].Select(Gen.Int[0, 15], Gen.Bool, (mantissa, scale, negative) =>
        {
            var digits = mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
            var text = (negative ? "-" : "") + (scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..]);
            return text;
        }).Sample(text =>
        {
            Assert.True(Utf8Values.TryDouble(Encoding.ASCII.GetBytes(text), out var fast));
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), fast);
        }, iter: 20_000, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("-0")]
    [InlineData("-.25")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1-2")]
    [InlineData("1e3")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("0.0000000000000001")]
    [InlineData("1234567890123456")]
    [InlineData("NaN")]
    public void Odd_decimals_read_as_the_framework_reads_them(string text)
    {
        var framework = double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var expected)
            && double.IsFinite(expected);
        Assert.Equal(framework, Utf8Values.TryDouble(Encoding.ASCII.GetBytes(text), out var fast));
        if (framework) Assert.Equal(expected, fast);
    }
}
