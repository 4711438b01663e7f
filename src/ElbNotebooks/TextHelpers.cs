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

/// <summary>Durations and instants as error messages and views write them: <c>7 s</c>, <c>2024-05-01 11:00:00 +08:00</c>.</summary>
internal static class TimeText
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary><c>7 s</c>, <c>1.5 min</c>, <c>2 h</c>, <c>3.5 days</c>.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(C, $"{span.TotalDays:0.#} days")
        : span.TotalHours >= 1 ? string.Create(C, $"{span.TotalHours:0.#} h")
        : span.TotalMinutes >= 1 ? string.Create(C, $"{span.TotalMinutes:0.#} min")
        : string.Create(C, $"{span.TotalSeconds:0.###} s");

    /// <summary>To the second, with its offset, fractions only where it has them.</summary>
    public static string Instant(DateTimeOffset time) =>
        time.ToString(time.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss zzz" : "yyyy-MM-dd HH:mm:ss.FFFFFFF zzz", C);
}

/// <summary>The one way a JSON document writes a time: ISO-8601 UTC, for `investigate --json` and `load --json` alike.</summary>
internal static class JsonTimes
{
    /// <summary>Whole seconds when there are no fractions: <c>2024-05-01T02:20:00Z</c>.</summary>
    public static string Utc(DateTime time)
    {
        var utc = DateTime.SpecifyKind(time, DateTimeKind.Utc);
        var format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The time, or null.</summary>
    public static void Write(System.Text.Json.Utf8JsonWriter w, string name, DateTime? value)
    {
        if (value is { } v) w.WriteString(name, Utc(v));
        else w.WriteNull(name);
    }
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

    /// <summary>
    /// A backend's health as a table shows it: <see cref="Of(Health)"/>, except "too few" for a backend that is healthy
    /// by the judge's rule only for want of attempts or responses (<see cref="Verdict.TooFew"/>): "healthy" beside
    /// 100% errors, or an 8 s p95, would say what its reason denies.
    /// </summary>
    public static string Label(Verdict v) => v.TooFew ? "too few" : Of(v.Health);
}

/// <summary>
/// The one way a pool is shown. Lines that carry no pool name (Huawei's legacy layout, CLB, nginx) are judged under
/// the key <see cref="InvestigationAggregator.Unknown"/> (<c>-</c>), which names no pool: JSON writes null, data frames
/// hold null, and words and views say <see cref="NotRecorded"/>, never a pool called <c>-</c>.
/// </summary>
internal static class PoolNames
{
    /// <summary>What a view or a report says where the log recorded no pool.</summary>
    public const string NotRecorded = "no pool recorded";

    /// <summary>Whether <paramref name="pool"/> is a pool's name (not null, not the key of lines without one).</summary>
    public static bool IsRecorded(string? pool) => pool is not null && pool != InvestigationAggregator.Unknown;

    /// <summary>The pool's name, or null where the log recorded none: for JSON and data frames.</summary>
    public static string? OrNull(string? pool) => IsRecorded(pool) ? pool : null;

    /// <summary>The pool's name, or <see cref="NotRecorded"/>: for words and views.</summary>
    public static string Text(string? pool) => IsRecorded(pool) ? pool! : NotRecorded;
}

/// <summary>
/// The one way words name a listener. An nginx log without <c>$server_name</c> or a host (<c>combined</c> with upstream
/// fields added) names none: its lines are judged under the key <see cref="InvestigationAggregator.Unknown"/>
/// (<c>-</c>), which words leave out rather than say "on -".
/// </summary>
internal static class ListenerNames
{
    /// <summary>Whether <paramref name="listener"/> is a listener's name (not null, not the key of lines without one).</summary>
    public static bool IsRecorded(string? listener) => listener is not null && listener != InvestigationAggregator.Unknown;

    /// <summary><c> on web-alb</c>, or nothing where the log names no listener.</summary>
    public static string On(string? listener) => IsRecorded(listener) ? " on " + listener : "";
}
