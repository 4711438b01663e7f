using System.Text;
using ElbNotebooks.Generation;

namespace ElbNotebooks.Benchmarks;

/// <summary>Realistic full-layout lines from the project's own generator (the mixed incident scenario), in memory.</summary>
internal static class BenchmarkData
{
    public const int Lines = 20_000;

    public static byte[][] LineBytes { get; } = Generate();

    public static byte[] Text { get; } = Encoding.UTF8.GetBytes(string.Join("\n", LineBytes.Select(Encoding.UTF8.GetString)) + "\n");

    private static byte[][] Generate()
    {
        var options = Scenarios.Apply("mixed", new GeneratorOptions { Seed = 11, Duration = TimeSpan.FromSeconds(Lines / 10.0), RequestsPerSecond = 10 });
        return LogGenerator.Lines(options).Take(Lines).Select(Encoding.UTF8.GetBytes).ToArray();
    }
}
