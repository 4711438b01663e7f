using System.Diagnostics;
using ElbNotebooks.Loading;

// AccessLog.Load of the given logs, as any program that references the ElbNotebooks package runs it: default runtime
// settings (tiered compilation with PGO, as a notebook kernel has), no environment variables, no special publish.
// benchmarks/run.sh builds it in a folder of its own on the packed package. Prints lines, seconds, lines/s, and what
// the JIT and the collector did.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: load-console <log>...");
    return 2;
}
var clock = Stopwatch.StartNew();
var log = AccessLog.Load(args);
var rows = log.Requests.Rows.Count;
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"{log.Report.Lines} lines, {rows} rows in {seconds:F3} s: {log.Report.Lines / seconds:F0} lines/s; " +
    $"JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods in {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F3} s; " +
    $"GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalSeconds:F3} s");
return 0;
