using System.Text;
using BenchmarkDotNet.Attributes;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Benchmarks;

/// <summary>
/// Growing scopes, per line: split a line (naive string.Split baseline vs byte spans) → parse its fields into typed
/// columns (full and minimal) → load a log into DataFrames → investigate. Mean is nanoseconds per line.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ParserBenchmarks
{
    private readonly string[] _strings = BenchmarkData.LineBytes.Select(Encoding.UTF8.GetString).ToArray();

    [Benchmark(Baseline = true, OperationsPerInvoke = BenchmarkData.Lines)]
    public int NaiveSplit()
    {
        var fields = 0;
        foreach (var line in _strings) fields += line.Split(' ').Length;
        return fields;
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Lines)]
    public int SplitSpans()
    {
        Span<FieldSpan> spans = stackalloc FieldSpan[64];
        var fields = 0;
        foreach (var line in BenchmarkData.LineBytes) fields += LineFields.Split(line, spans, out _);
        return fields;
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Lines)]
    public int ParseFull() => Parse(minimal: false);

    [Benchmark(OperationsPerInvoke = BenchmarkData.Lines)]
    public int ParseMinimal() => Parse(minimal: true);

    [Benchmark(OperationsPerInvoke = BenchmarkData.Lines)]
    public long LoadIntoDataFrames()
    {
        var log = AccessLog.Load(new MemoryStream(BenchmarkData.Text), "bench.log");
        return log.Requests.Rows.Count + log.Attempts.Rows.Count;
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Lines)]
    public int InvestigateStreamed() =>
        AccessLogInvestigation.Investigate([LogSource.FromStream(new MemoryStream(BenchmarkData.Text), "bench.log")]).Backends.Count;

    private static int Parse(bool minimal)
    {
        var target = new ParseTarget(minimal: minimal);
        foreach (var line in BenchmarkData.LineBytes)
        {
            if (!HuaweiElbFormat.Instance.TryParse(line, target, out _)) continue;
            target.Requests.File.Add("bench.log");
            target.Requests.Line.Add(0);
            target.Requests.CommitRow();
        }
        return target.Requests.Count;
    }
}
