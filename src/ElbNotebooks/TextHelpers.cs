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
}

/// <summary>
/// The one reader of durations as people type them, for every command's options (<c>--duration</c>, <c>--bucket</c>)
/// and the generator's incident specs.
/// </summary>
internal static class Durations
{
    /// <summary>Parses <c>1h</c>, <c>60m</c>, <c>3600s</c>, <c>1h30m</c>, <c>1d</c> or <c>hh:mm:ss</c>.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (text.Contains(':'))
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
        var total = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var j = i;
            while (j < text.Length && (char.IsAsciiDigit(text[j]) || text[j] == '.')) j++;
            if (j == i || j == text.Length) return false;
            if (!double.TryParse(text.AsSpan(i, j - i), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
            var unit = char.ToLowerInvariant(text[j]);
            total += unit switch { 'd' => n * 86400, 'h' => n * 3600, 'm' => n * 60, 's' => n, _ => double.NaN };
            if (double.IsNaN(total)) return false;
            i = j + 1;
        }
        if (!(total > 0)) return false;
        duration = TimeSpan.FromSeconds(total);
        return true;
    }
}
