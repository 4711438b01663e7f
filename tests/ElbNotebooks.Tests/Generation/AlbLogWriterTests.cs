using System.IO.Compression;
using System.Text;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Generation;

public class AlbLogWriterTests
{
    /// <summary>The options of the committed ALB sample; sample-logs/README-alb.md describes its answer key.</summary>
    internal static readonly AlbLogOptions Sample = new()
    {
        Seed = 42,
        Incidents =
        [
            new AlbIncident(AlbIncidentKind.TargetErrors, "10.0.1.22:8080",
                new DateTime(2024, 5, 1, 10, 11, 30, DateTimeKind.Utc), new DateTime(2024, 5, 1, 10, 13, 30, DateTimeKind.Utc), 0.7),
        ],
    };


    private static string Decompressed(byte[] gz)
    {
        using var s = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var reader = new StreamReader(s, new UTF8Encoding(false));
        return reader.ReadToEnd();
    }

    private static byte[] Written(AlbLogOptions options)
    {
        using var buffer = new MemoryStream();
        AlbLogWriter.WriteGzip(buffer, options);
        return buffer.ToArray();
    }

    [Fact]
    public void The_file_name_is_the_one_AWS_gives_the_five_minutes_ending_at_10_15()
    {
        Assert.Equal("123456789012_elasticloadbalancing_eu-west-1_app.web-alb.50dc6c495c0c9188_20240501T1015Z_10.0.0.1_abc123.log.gz",
            AlbLogWriter.FileName(Sample));
    }

    [Fact]
    public void The_committed_sample_is_what_the_writer_generates()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "sample-logs", AlbLogWriter.FileName(Sample));
        // ELBNB_WRITE_SAMPLES=1 dotnet test --filter AlbLogWriterTests rewrites the file after a deliberate change.
        if (Environment.GetEnvironmentVariable("ELBNB_WRITE_SAMPLES") == "1") File.WriteAllBytes(path, Written(Sample));
        Assert.Equal(Decompressed(File.ReadAllBytes(path)), Decompressed(Written(Sample)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_lines_and_another_seed_other_lines()
    {
        Assert.Equal(AlbLogWriter.Lines(Sample), AlbLogWriter.Lines(Sample));
        Assert.NotEqual(AlbLogWriter.Lines(Sample).Take(5), AlbLogWriter.Lines(Sample with { Seed = 43 }).Take(5));
    }

    [Fact]
    public void Every_generated_line_parses_as_aws_alb()
    {
        var log = TestLines.Load(string.Join("\n", AlbLogWriter.Lines(Sample)));
        Assert.Equal("aws-alb", log.Format);
        Assert.Equal(0, log.Report.Rejected);
        Assert.Equal(log.RequestCount, log.AttemptCount);
    }

    [Fact]
    public void Each_incident_is_written_the_way_the_load_balancer_writes_it()
    {
        var from = new DateTime(2024, 5, 1, 10, 11, 0, DateTimeKind.Utc);
        var to = from.AddMinutes(2);
        var options = Sample with
        {
            Incidents =
            [
                new AlbIncident(AlbIncidentKind.ConnectionResets, "10.0.1.23:8080", from, to),
                new AlbIncident(AlbIncidentKind.NoHealthyTargets, null, to, to.AddMinutes(1), 0.5),
            ],
        };
        var lines = AlbLogWriter.Lines(options).ToArray();
        Assert.Contains(lines, l => l.Contains(" 10.0.1.23:8080 0.00", StringComparison.Ordinal) && l.Contains(" -1 -1 502 - ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" - -1 -1 -1 503 - ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" 500 500 ", StringComparison.Ordinal));
    }
}
