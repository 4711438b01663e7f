using System.Globalization;
using ElbNotebooks.Analysis;

namespace ElbNotebooks;

/// <summary>
/// The one way a UTC offset is written, for the terminal, JSON, reports, charts and notebook views alike.
/// </summary>
internal static class Offsets
{
    /// <summary><c>+08:00</c>, <c>-05:30</c>, <c>+00:00</c>.</summary>
    public static string Format(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary><c>UTC+08:00</c>: as chart axes and views name the log's offset.</summary>
    public static string Utc(TimeSpan offset) => "UTC" + Format(offset);
}

/// <summary>The one word for each <see cref="Analysis.Health"/>, as JSON, reports and views write it.</summary>
internal static class HealthNames
{
    /// <summary><c>failing</c>, <c>slow</c> or <c>healthy</c>.</summary>
    public static string Of(Health health) => health switch
    {
        Health.Failing => "failing",
        Health.Slow => "slow",
        _ => "healthy",
    };
}
