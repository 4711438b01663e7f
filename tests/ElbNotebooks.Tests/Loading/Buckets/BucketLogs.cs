using System.IO.Compression;
using ElbNotebooks.Generation;
using ElbNotebooks.Tests.Generation;

namespace ElbNotebooks.Tests.Loading.Buckets;

/// <summary>
/// Logs laid out under real key layouts, uploaded to a fresh bucket and written to a local folder under the same
/// relative paths, so every answer from the bucket can be compared with the answer from the files.
/// </summary>
internal sealed class BucketLogs : IDisposable
{
    public const string AlbRoot = "AWSLogs/123456789012/elasticloadbalancing/eu-west-1/";
    public const string LtsDay = "LogTanks/cn-north-4/2024/05/01/elb-logs/elb-access/";
    public const string LtsDecoy = "LogTanks/cn-north-4/2024/04/20/elb-logs/elb-access/elb-2024-04-20.log";

    private readonly S3Server _server;
    private readonly TempFolder _local = new();

    public BucketLogs(S3Server server)
    {
        _server = server;
        Bucket = server.NewBucket();
    }

    public string Bucket { get; }
    public string LocalRoot => _local.Path;
    public List<string> Keys { get; } = [];

    public string Local(string key) => Path.Combine(_local.Path, key);
    public string S3(string key = "") => $"s3://{Bucket}/{key}";

    public string Put(string key, byte[] bytes)
    {
        _server.Put(Bucket, key, bytes);
        _local.Write(key, bytes);
        Keys.Add(key);
        return key;
    }

    /// <summary>Six ALB files of 5 minutes (ending 10:00 to 10:25 UTC on 2024-05-01), one from the day before, and
    /// the test file AWS writes when access logging is switched on.</summary>
    public BucketLogs WithAlb()
    {
        var starts = Enumerable.Range(0, 6).Select(i => new DateTime(2024, 5, 1, 9, 55, 0, DateTimeKind.Utc).AddMinutes(5 * i))
            .Append(new DateTime(2024, 4, 30, 12, 0, 0, DateTimeKind.Utc));
        foreach (var start in starts)
        {
            var options = AlbLogWriterTests.Sample with { StartUtc = start, Seed = 42 + start.Minute + start.Day };
            using var buffer = new MemoryStream();
            AlbLogWriter.WriteGzip(buffer, options);
            var end = start + options.Duration;
            Put(AlbRoot + end.ToString("yyyy'/'MM'/'dd'/'", System.Globalization.CultureInfo.InvariantCulture) + AlbLogWriter.FileName(options), buffer.ToArray());
        }
        Put("AWSLogs/123456789012/ELBAccessLogTestFile", "Enable AccessLog for ELB: web-alb at 2024-04-01T00:00:00.000Z"u8.ToArray());
        return this;
    }

    public static string AlbKey(string end) =>
        AlbRoot + "2024/05/01/123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T" + end + "Z_10.0.0.1_abc123.log.gz";

    /// <summary>The two Huawei samples where an LTS transfer to OBS puts them, and a log of another day.</summary>
    public BucketLogs WithLts()
    {
        Put(LtsDay + "elb-web-incident.log", File.ReadAllBytes(TestPaths.SampleLog("elb-web-incident.log")));
        Put(LtsDay + "elb-refused-and-slow.log.gz", File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz")));
        Put(LtsDecoy, File.ReadAllBytes(TestPaths.SampleLog("seed-line.log")));
        return this;
    }

    public static byte[] Gzip(byte[] text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(text);
        return buffer.ToArray();
    }

    public void Dispose() => _local.Dispose();
}
