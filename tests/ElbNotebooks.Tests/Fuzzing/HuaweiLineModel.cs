using System.Globalization;
using System.Text;
using CsCheck;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>One attempt as the log writes it; null is <c>-</c>.</summary>
public sealed record AttemptModel(string? Backend, int? Status, double? Connect, double? Header, double? Response);

/// <summary>A request with the values a Huawei ELB line carries, and the line nginx would write for it.</summary>
public sealed record HuaweiLineModel(
    long MsecMillis, DateTime Utc, int OffsetMinutes, string ClientIp, int ClientPort, int Status,
    string Method, string Host, string Uri, long? RequestLength, long BytesSent, double? RequestTime,
    IReadOnlyList<AttemptModel> Attempts, string UserAgent, string Listener, string Pool, long Rtt, int Layout)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public string ToLine()
    {
        var local = Utc.AddMinutes(OffsetMinutes);
        var offset = (OffsetMinutes < 0 ? "-" : "+") + TimeSpan.FromMinutes(Math.Abs(OffsetMinutes)).ToString(@"hh\:mm", C);
        string List<T>(Func<AttemptModel, T?> pick, Func<T, string> show) where T : struct =>
            Attempts.Count == 0 ? "-" : string.Join(", ", Attempts.Select(a => pick(a) is { } v ? show(v) : "-"));
        var addrs = Attempts.Count == 0 ? "-" : string.Join(", ", Attempts.Select(a => a.Backend ?? "-"));
        var line = new StringBuilder()
            .Append(C, $"{MsecMillis / 1000}.{MsecMillis % 1000:000} - [{local:yyyy-MM-ddTHH:mm:ss}{offset}] elb_01 ")
            .Append(C, $"{ClientIp}:{ClientPort} {Status} \"{Method} https://{Host}{Uri} HTTP/1.1\" ")
            .Append(RequestLength?.ToString(C) ?? "-").Append(C, $" {BytesSent} {BytesSent / 2} ")
            .Append(RequestTime?.ToString("0.000", C) ?? "-")
            .Append(" \"").Append(List(a => a.Status, v => v.ToString(C))).Append('"')
            .Append(" \"").Append(List(a => a.Connect, v => v.ToString("0.000", C))).Append('"')
            .Append(" \"").Append(List(a => a.Header, v => v.ToString("0.000", C))).Append('"')
            .Append(" \"").Append(List(a => a.Response, v => v.ToString("0.000", C))).Append('"')
            .Append(" \"").Append(addrs).Append('"')
            .Append(" \"").Append(Escape(UserAgent)).Append("\" \"-\" \"-\" loadbalancer_1 ").Append(Listener).Append(" id1");
        if (Layout >= 33)
            line.Append(' ').Append(Pool).Append(C, $" \"-\" tenant 121.64.212.1:443 \"{addrs}\" - TLSv1.2 AES128 {Host} {Rtt} -");
        if (Layout >= 37)
            line.Append(" 120 - - \"-\"");
        return line.ToString();
    }

    /// <summary>nginx escapes a quote, a backslash and control bytes as \xHH.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value)
            text.Append(c is '"' or '\\' || c < ' ' ? $"\\x{(int)c:X2}" : c);
        return text.ToString();
    }

    public static readonly Gen<double?> Seconds = Gen.Int[0, 30_000].Select(ms => ms / 1000.0).Nullable(0.2);

    private static readonly Gen<AttemptModel> Attempt =
        Gen.Select(
            Gen.Int[1, 254].Select(Gen.Int[1, 65535], (host, port) => $"10.0.{host % 8}.{host}:{port}").Null(0.05),
            Gen.OneOf(200, 204, 404, 499, 500, 502, 503, 504).Nullable(0.1),
            Seconds, Seconds, Seconds,
            (backend, status, connect, header, response) => new AttemptModel(backend, status, connect, header, response));

    private static readonly Gen<string> Ip = Gen.Frequency(
        (4, Gen.Int[0, 255].Array[4].Select(b => string.Join('.', b))),
        (1, Gen.Int[0, 0xffff].Array[3].Select(h => $"2001:db8:{h[0]:x}::{h[1]:x}:{h[2]:x}")));

    private static readonly Gen<string> Agent = Gen.Frequency(
        (4, Gen.Char["abcdefgh XYZ/;.()0123456789-_"].Array[1, 80].Select(c => new string(c))),
        (1, Gen.Char[' ', '~'].Array[0, 60].Select(c => new string(c))),
        (1, Gen.Char.Array[0, 20].Select(c => new string(c.Where(ch => !char.IsSurrogate(ch) && ch != '\uFFFD').ToArray()))));

    public static readonly Gen<HuaweiLineModel> Gen_ =
        Gen.Select(
            Gen.Long[1_500_000_000_000, 1_900_000_000_000], Gen.OneOf(-300, 0, 60, 330, 480, 600), Ip, Gen.Int[1, 65535],
            Gen.OneOf(200, 301, 404, 499, 500, 502, 503, 504),
            Gen.OneOf("GET", "POST", "PUT", "DELETE", "HEAD"),
            Gen.Char["abcdefghij/0123456789?=&._-"].Array[0, 40].Select(c => "/" + new string(c)),
            Gen.Long[0, 1 << 20].Nullable(0.1),
            (a, b, c, d, e, f, g, h) => (a, b, c, d, e, f, g, h))
        .Select(
            Gen.Select(Gen.Long[0, 1 << 24], Seconds, Attempt.List[0, 4], Agent, Gen.OneOf("listener_a", "listener_b"),
                Gen.OneOf("pool_a", "pool_b"), Gen.Long[0, 10_000_000], Gen.OneOf(22, 33, 37),
                (a, b, c, d, e, f, g, h) => (a, b, c, d, e, f, g, h)),
            (a, b) =>
            {
                var (millis, offset, ip, port, status, method, uri, length) = a;
                var (bytes, requestTime, attempts, agent, listener, pool, rtt, layout) = b;
                var utc = DateTime.UnixEpoch.AddMilliseconds(millis / 1000 * 1000);
                // An attempt list where every item is '-' reads as no attempt, as the log's own '-' does.
                var kept = attempts.Count == 1 && attempts[0] is { Backend: null, Status: null } ? [] : attempts;
                return new HuaweiLineModel(millis, utc, offset, ip, port, status, method, "shop.example.com", uri, length, bytes,
                    requestTime, kept, agent, listener, pool, rtt, layout);
            });
}
