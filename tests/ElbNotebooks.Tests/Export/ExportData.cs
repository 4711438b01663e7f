using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ElbNotebooks.Tests.Loading;

namespace ElbNotebooks.Tests.Export;

/// <summary>
/// Hand-built Huawei ELB lines (from <see cref="TestLines.FullWithRetry"/>) over several days and hours, written at
/// +08:00 so local and UTC dates differ: healthy backends, one answering 500 itself, one the load balancer gave up on
/// (502/504 with no header time), retries rescued by a peer, and requests the load balancer answered alone.
/// </summary>
internal static class ExportData
{
    public static readonly string[] Backends = ["10.0.1.21:8080", "10.0.1.22:8080", "10.0.1.23:8080", "10.0.1.24:8080"];

    /// <summary>
    /// One day's log file: local (+08:00) hours 0, 5, 9, 17 and 23, and two lines just after midnight, as a rotated
    /// file has; deterministic for a day.
    /// </summary>
    public static string Day(int day)
    {
        var random = new Random(day);
        var text = new StringBuilder();
        var midnight = new DateTimeOffset(2024, 5, day, 0, 0, 0, TimeSpan.FromHours(8));
        foreach (var hour in new[] { 0, 5, 9, 17, 23, 24 })
            for (var i = 0; i < (hour == 24 ? 2 : 12); i++)
            {
                var local = midnight.AddHours(hour).AddMinutes(4 * i).AddSeconds(random.Next(60));
                text.Append(Line(local, random)).Append('\n');
            }
        text.Append("this line is not an access log line\n");
        return text.ToString();
    }

    private static string Line(DateTimeOffset time, Random random)
    {
        var header = (0.005 + random.Next(200) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        var healthy = Backends[random.Next(2)];
        var listener = random.Next(4) == 0 ? "lsnr_api" : "lsnr_web";
        return random.Next(10) switch
        {
            0 => Make(time, 500, "500", "0.001", header, header, Backends[2], listener),                       // backend-made 5xx
            1 => Make(time, 502, "502", "0.001", "-", "0.002", Backends[3], listener),                         // LB-made: no answer
            2 => Make(time, 200, "504, 200", "0.001, 0.001", "-, " + header, "5.000, " + header,                // retried on a peer
                Backends[3] + ", " + healthy, listener),
            3 => Make(time, 503, "-", "-", "-", "-", "-", listener),                                           // no backend at all
            4 => Make(time, 404, "404", "0.001", header, header, healthy, listener),
            _ => Make(time, 200, "200", "0.001", header, header, healthy, listener),
        };
    }

    private static string Make(DateTimeOffset time, int status, string upstreamStatus, string connect, string header,
        string response, string addrs, string listener)
    {
        var c = CultureInfo.InvariantCulture;
        var line = TestLines.FullWithRetry;
        line = TestLines.WithField(line, 1, (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", c));
        line = TestLines.WithField(line, 3, "[" + time.ToString("yyyy-MM-ddTHH:mm:sszzz", c) + "]");
        line = TestLines.WithField(line, 6, status.ToString(c));
        line = TestLines.WithField(line, 12, Quote(upstreamStatus));
        line = TestLines.WithField(line, 13, Quote(connect));
        line = TestLines.WithField(line, 14, Quote(header));
        line = TestLines.WithField(line, 15, Quote(response));
        line = TestLines.WithField(line, 16, Quote(addrs));
        line = TestLines.WithField(line, 21, listener);
        line = TestLines.WithField(line, 27, Quote("-"));
        return line;
    }

    private static string Quote(string value) => "\"" + value + "\"";

    /// <summary>Writes days as <c>logs/elb-2024-05-DD.log</c> (the last one gzipped, as LTS delivers them).</summary>
    public static string[] WriteDays(TempFolder folder, params int[] days) =>
        days.Select(d => d % 2 == 0
            ? folder.WriteGzip($"logs/elb-2024-05-{d:00}.log.gz", Day(d))
            : folder.Write($"logs/elb-2024-05-{d:00}.log", Day(d))).ToArray();

    /// <summary>Every file under a folder: relative path, size, last write time and SHA-256.</summary>
    public static IReadOnlyDictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(
                f => Path.GetRelativePath(root, f).Replace('\\', '/'),
                f => $"{new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}");
}
