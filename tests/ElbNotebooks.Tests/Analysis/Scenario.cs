using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>Generates a log (ElbNotebooks.Generation), loads it from memory and investigates it.</summary>
internal static class Scenario
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(2);

    public static GeneratorOptions Options(int seed, params Incident[] incidents) => new()
    {
        Seed = seed,
        Start = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(8)),
        Duration = TimeSpan.FromHours(1),
        RequestsPerSecond = 4,
        Incidents = incidents,
    };

    public static AccessLog Load(GeneratorOptions options)
    {
        var text = string.Join("\n", LogGenerator.Lines(options)) + "\n";
        return AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)), $"seed-{options.Seed}.log");
    }

    public static Investigation Investigate(GeneratorOptions options, InvestigationOptions? investigation = null) =>
        Load(options).Investigate(investigation);

    public static TimeSpan At(int minutes) => TimeSpan.FromMinutes(minutes);

    /// <summary>Start of the generated log in UTC plus <paramref name="minutes"/>.</summary>
    public static DateTime Utc(int minutes) => new DateTime(2024, 5, 1, 2, 0, 0, DateTimeKind.Utc).AddMinutes(minutes);

    public static void AssertWindow(Suspect suspect, int fromMinute, int toMinute)
    {
        Assert.InRange(suspect.Window.StartUtc, Utc(fromMinute) - Tolerance, Utc(fromMinute) + Tolerance);
        Assert.InRange(suspect.Window.EndUtc, Utc(toMinute) - Tolerance, Utc(toMinute) + Tolerance);
    }

    public static string Describe(Investigation i) =>
        string.Join("\n", i.Backends.Select(b => $"{b.Health}: {b.Reason}"));
}
