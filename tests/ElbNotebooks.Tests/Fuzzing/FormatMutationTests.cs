using System.Text;
using CsCheck;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>
/// Damaged lines of every format never throw, never hang, and every line is accounted for, whether the format is
/// forced (so detection cannot skip the file) or detected from the lines.
/// </summary>
public class FormatMutationTests
{
    public static TheoryData<string, bool> Formats() => new()
    {
        { "huawei-elb", true }, { "aws-alb", true }, { "aws-clb", true }, { "nginx", true }, { "nginx-upstream", true }, { "nginx-bare", true },
        { "huawei-elb", false }, { "aws-alb", false }, { "aws-clb", false }, { "nginx", false }, { "nginx-upstream", false }, { "nginx-bare", false },
    };

    private static Gen<string> Lines(string format) => format switch
    {
        "huawei-elb" => HuaweiLineModel.Gen_.Select(m => m.ToLine()),
        "aws-alb" => AlbLineModel.Gen_.Select(m => m.ToLine()),
        "aws-clb" => ClbLineModel.Gen_.Select(m => m.ToLine()),
        "nginx" => NginxLineModel.Gen_(upstream: false).Select(m => m.ToLine()),
        "nginx-upstream" => NginxLineModel.Gen_(upstream: true).Select(m => m.ToLine()),
        "nginx-bare" => NginxLineModel.Gen_(upstream: true).Select(m => m.ToLine(quotedLists: false)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>
    /// The lines of one file: of one layout, as a load balancer writes them (a line shorter than the file's first is
    /// rejected as cut short).
    /// </summary>
    private static Gen<string[]> Files(string format) => format switch
    {
        "huawei-elb" => HuaweiLineModel.Gen_.Array[1, 30].Select(m => m.Select(l => (l with { Layout = m[0].Layout }).ToLine()).ToArray()),
        "aws-alb" => AlbLineModel.Gen_.Array[1, 30].Select(m => m.Select(l => (l with { Layout = m[0].Layout }).ToLine()).ToArray()),
        "aws-clb" => ClbLineModel.Gen_.Array[1, 30].Select(m => m.Select(l => (l with { Layout = m[0].Layout }).ToLine()).ToArray()),
        _ => Lines(format).Array[1, 30],
    };

    private static LoadOptions Options(string format, bool forced)
    {
        var name = format.StartsWith("nginx", StringComparison.Ordinal) ? "nginx" : format;
        var options = LoadOptions.Default with { Format = forced ? name : null };
        return format switch
        {
            "nginx-upstream" => options with { NginxLogFormat = TestLines.NginxUpstreamDirective },
            "nginx-bare" => options with { NginxLogFormat = NginxLineModel.BareListsDirective },
            _ => options,
        };
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_lines_never_throw_and_every_line_is_counted(string format, bool forced)
    {
        var options = Options(format, forced);
        var expectedFormat = format.StartsWith("nginx", StringComparison.Ordinal) ? "nginx" : format;
        Gen.Select(Lines(format), MutationTests.Mutations.Array[1, 4], Lines(format)).Sample(sample =>
        {
            var (line, mutations, neighbour) = sample;
            var damaged = mutations.Aggregate(Encoding.UTF8.GetBytes(line), MutationTests.Apply);
            var log = MutationTests.LoadsBetweenGoodNeighbours(damaged, Encoding.UTF8.GetBytes(neighbour),
                text => AccessLog.Load(new MemoryStream(text), "test.log", options));
            Assert.Equal(expectedFormat, log.Format);
        }, iter: 1000, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Valid_lines_of_every_format_all_parse(string format, bool forced)
    {
        var options = Options(format, forced);
        Files(format).Sample(batch =>
        {
            var log = TestLines.Load(string.Join('\n', batch), options);
            Assert.Equal(batch.Length, log.Report.Lines);
            Assert.Equal(batch.Length, log.Report.Parsed);
            Assert.Equal(batch.Length, log.RequestCount);
        }, iter: 200, seed: "0N0XIzNsQ0O2");
    }
}
