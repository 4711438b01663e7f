using System.Globalization;
using System.Text;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Support;

/// <summary>Builds Huawei ELB access-log lines by hand (layout of the seed line) and loads them.</summary>
internal static class TestLogs
{
    public static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// One line. Upstream lists are written as given (e.g. <c>"502, 200"</c>); <c>"-"</c> means the request never
    /// reached a backend.
    /// </summary>
    public static string Line(DateTimeOffset time, int status, string upstreamStatus, string connect, string header, string response,
        string upstreamAddr, string path = "/", string method = "GET", string userAgent = "curl/8.0", string listener = "listener_a")
    {
        var c = CultureInfo.InvariantCulture;
        var msec = (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", c);
        var iso = time.ToString("yyyy-MM-ddTHH:mm:sszzz", c);
        return $"{msec} - [{iso}] elb 10.9.9.9:51527 {status} \"{method} http://shop.example.com{path} HTTP/1.1\" 411 3726 3545 0.050 " +
               $"\"{upstreamStatus}\" \"{connect}\" \"{header}\" \"{response}\" \"{upstreamAddr}\" \"{userAgent}\" \"\" \"-\" " +
               $"loadbalancer_1 {listener} 6b6aaf84d72b40fcb2d2b9b28f6a0b83";
    }

    public static AccessLog Load(IEnumerable<string> lines, string name = "test.log") =>
        AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n")), name);

    public const string A = "10.0.0.1:80";
    public const string B = "10.0.0.2:80";
    public const string C = "10.0.0.3:80";

    /// <summary>
    /// The known scenario, three minutes from 10:00 (+08:00):
    /// minute 0: A answers 4 × 200; B answers 2 × 500 on POST /api/orders (backend-made 5xx).
    /// minute 1: 3 requests try B first (502, no header: B unreachable) and A serves them (rescued);
    ///           1 request tries B (504) then C (502): the client gets 502 (not rescued, LB-made);
    ///           1 × 503 by the load balancer with no backend; 1 × 404 from C.
    /// minute 2: A 2 × 200 (header 0.010, 0.030), C 1 × 301.
    /// </summary>
    public static AccessLog Scenario() => Load(ScenarioLines());

    public static IEnumerable<string> ScenarioLines()
    {
        var m0 = T0;
        var m1 = T0.AddMinutes(1);
        var m2 = T0.AddMinutes(2);
        for (var i = 0; i < 4; i++) yield return Line(m0.AddSeconds(i), 200, "200", "0.001", "0.020", "0.021", A, "/home");
        for (var i = 0; i < 2; i++) yield return Line(m0.AddSeconds(10 + i), 500, "500", "0.001", "1.500", "1.500", B, "/api/orders?id=" + i, "POST");
        for (var i = 0; i < 3; i++) yield return Line(m1.AddSeconds(i), 200, "502, 200", "-, 0.001", "-, 0.040", "0.001, 0.041", $"{B}, {A}", "/api/cart");
        yield return Line(m1.AddSeconds(5), 502, "504, 502", "5.000, -", "-, -", "5.000, 0.001", $"{B}, {C}", "/api/cart");
        yield return Line(m1.AddSeconds(6), 503, "-", "-", "-", "-", "-", "/api/pay");
        yield return Line(m1.AddSeconds(7), 404, "404", "0.001", "0.005", "0.005", C, "/missing");
        yield return Line(m2, 200, "200", "0.001", "0.010", "0.010", A, "/home");
        yield return Line(m2.AddSeconds(1), 200, "200", "0.001", "0.030", "0.030", A, "/home");
        yield return Line(m2.AddSeconds(2), 301, "301", "0.001", "0.002", "0.002", C, "/old");
    }
}
