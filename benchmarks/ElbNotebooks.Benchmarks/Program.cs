using System.Diagnostics;
using BenchmarkDotNet.Running;
using ElbNotebooks.Analysis;
using ElbNotebooks.Benchmarks;
using ElbNotebooks.Loading;

// `load-frames <file>`: AccessLog.Load into the DataFrames once, for the end-to-end script (run under /usr/bin/time).
// `investigate <file>`: the streamed investigation once, likewise. Anything else goes to BenchmarkDotNet.
if (args is ["load-frames", var path])
{
    var clock = Stopwatch.StartNew();
    var log = AccessLog.Load(path);
    var parsed = clock.Elapsed;
    var rows = log.Requests.Rows.Count + log.Attempts.Rows.Count;
    Console.WriteLine($"{log.Report.Lines} lines, {rows} rows in {clock.Elapsed.TotalSeconds:F3} s (parse {parsed.TotalSeconds:F3} s, frames {(clock.Elapsed - parsed).TotalSeconds:F3} s)");
    return 0;
}
if (args is ["investigate", var file])
{
    var clock = Stopwatch.StartNew();
    var investigation = AccessLogInvestigation.Investigate(LogSource.FromPaths([file]));
    Console.WriteLine($"{investigation.Log.Report.Lines} lines, {investigation.Suspects.Count} suspects in {clock.Elapsed.TotalSeconds:F3} s");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args);
return 0;
