using System.Text;
using CsCheck;
using static ElbNotebooks.Tests.Fuzzing.FormatGens;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>One nginx upstream attempt; <see cref="RedirectBefore"/>: separated from the previous one by " : ".</summary>
public sealed record NginxAttemptModel(string Backend, int? Status, double? Connect, double? Header, double? Response, bool RedirectBefore);

/// <summary>
/// A request with the values an nginx <c>combined</c> line carries, plus, for <see cref="TestLines.NginxUpstreamDirective"/>
/// (<see cref="Upstream"/>), the request time and upstream lists; and the line nginx would write (default escaping).
/// <see cref="GroupName"/>: no server could be selected, nginx wrote the upstream group's name as the last address.
/// </summary>
public sealed record NginxLineModel(
    string RemoteAddr, string RemoteUser, DateTime Utc, int OffsetMinutes, string Method, string Uri, string Protocol,
    int Status, long BodyBytes, string Referer, string UserAgent, bool Upstream, double? RequestTime,
    IReadOnlyList<NginxAttemptModel> Attempts, string? GroupName)
{
    /// <summary><see cref="TestLines.NginxUpstreamDirective"/> with the upstream lists unquoted: their ", " and " : "
    /// separators hold the spaces that otherwise end a value.</summary>
    public const string BareListsDirective =
        "log_format bare '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time $upstream_addr $upstream_status $upstream_connect_time $upstream_header_time $upstream_response_time';";

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <param name="quotedLists">false: the upstream lists are written bare, as <see cref="BareListsDirective"/> has them.</param>
    public string ToLine(bool quotedLists = true)
    {
        var q = quotedLists ? "\"" : "";
        var local = Utc.AddMinutes(OffsetMinutes);
        var offset = (OffsetMinutes < 0 ? "-" : "+") + TimeSpan.FromMinutes(Math.Abs(OffsetMinutes)).ToString("hhmm", C);
        var line = new StringBuilder()
            .Append(C, $"{RemoteAddr} - {RemoteUser} [{local.Day:00}/{Months[local.Month - 1]}/{local:yyyy:HH:mm:ss} {offset}] ")
            .Append('"').Append(NginxEscape($"{Method} {Uri} {Protocol}")).Append(C, $"\" {Status} {BodyBytes} ")
            .Append('"').Append(NginxEscape(Referer)).Append("\" \"").Append(NginxEscape(UserAgent)).Append('"');
        if (!Upstream) return line.ToString();

        var items = Attempts.Select(a => (a.Backend, a.Status, a.Connect, a.Header, a.Response, Redirect: a.RedirectBefore)).ToList();
        if (GroupName is not null) items.Add((GroupName, 502, null, null, null, false));
        string List(Func<(string Backend, int? Status, double? Connect, double? Header, double? Response, bool Redirect), string> show)
        {
            if (items.Count == 0) return "-";
            var text = new StringBuilder(show(items[0]));
            for (var i = 1; i < items.Count; i++) text.Append(items[i].Redirect ? " : " : ", ").Append(show(items[i]));
            return text.ToString();
        }
        static string Time(double? t) => t?.ToString("0.000", C) ?? "-";
        return line.Append(' ').Append(RequestTime?.ToString("0.000", C) ?? "-")
            .Append(" " + q).Append(List(i => i.Backend)).Append(q)
            .Append(" " + q).Append(List(i => i.Status?.ToString(C) ?? "-")).Append(q)
            .Append(" " + q).Append(List(i => Time(i.Connect))).Append(q)
            .Append(" " + q).Append(List(i => Time(i.Header))).Append(q)
            .Append(" " + q).Append(List(i => Time(i.Response))).Append(q)
            .ToString();
    }

    private static readonly Gen<double?> Seconds = Gen.Int[0, 30_000].Select(ms => ms / 1000.0).Nullable(0.2);

    private static readonly Gen<NginxAttemptModel> Attempt =
        Gen.Select(
            Gen.Frequency((9, BackendAddr), (1, Gen.OneOf("unix:/run/app.sock", "[2001:db8::7]:8080"))),
            Gen.OneOf(200, 201, 404, 499, 500, 502, 503, 504).Nullable(0.1), Seconds, Seconds, Seconds, Gen.Int[0, 5],
            (backend, status, connect, header, response, redirect) =>
                new NginxAttemptModel(backend, status, connect, header, response, redirect == 0));

    /// <summary>The request line's target: a path with query, spaces, quotes, non-ASCII (nginx escapes what needs it).</summary>
    private static readonly Gen<string> Target = Gen.Frequency(
        (6, UrlPath),
        (1, Gen.Char["abc /\"\\?=ü中"].Array[0, 20].Select(c => "/" + new string(c))));

    public static Gen<NginxLineModel> Gen_(bool upstream) =>
        Gen.Select(
            Ip, Gen.OneOf("-", "alice", "bob_1"),
            Gen.Long[0, 1_900_000_000].Select(s => DateTime.UnixEpoch.AddSeconds(s)),
            Gen.OneOf(-300, 0, 60, 120, 330, 345, 480, 600, -570),
            Gen.OneOf("GET", "POST", "PUT", "DELETE", "HEAD", "PROPFIND"), Target, Gen.OneOf("HTTP/1.0", "HTTP/1.1", "HTTP/2.0"),
            Gen.OneOf(200, 201, 301, 404, 499, 500, 502, 503, 504),
            (a, b, c, d, e, f, g, h) => (a, b, c, d, e, f, g, h))
        .Select(
            Gen.Select(Gen.Long[0, 1 << 24], Gen.Frequency((1, Gen.Const("-")), (3, TextWithControls)), TextWithControls,
                Seconds, Attempt.List[0, 4], Gen.OneOf("backend", "web_pool").Null(0.85)),
            (a, b) =>
            {
                var (ip, user, utc, offset, method, uri, protocol, status) = a;
                var (bytes, referer, agent, requestTime, attempts, group) = b;
                return new NginxLineModel(ip, user, utc, offset, method, uri, protocol, status, bytes, referer, agent,
                    upstream, upstream ? requestTime : null, upstream ? attempts : [], upstream ? group : null);
            });
}
