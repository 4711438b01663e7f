using System.Globalization;

namespace ElbNotebooks.Generation;

/// <summary>
/// The one reader of durations as people type them, for every command's options (<c>--duration</c>, <c>--bucket</c>)
/// and the generator's incident specs. It lives with the generator, which the CLI references, because the library
/// itself reads no typed durations.
/// </summary>
internal static class Durations
{
    /// <summary>The longest duration a <see cref="TimeSpan"/> holds, in whole days, as the options' messages give it.</summary>
    public static readonly string MaxDays = ((long)TimeSpan.MaxValue.TotalDays).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>1h</c>, <c>60m</c>, <c>3600s</c>, <c>1h30m</c>, <c>1d</c> or <c>hh:mm:ss</c>; false for more than <see cref="MaxDays"/>.</summary>
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
        try
        {
            duration = TimeSpan.FromSeconds(total);
        }
        catch (OverflowException)
        {
            return false; // longer than a TimeSpan holds (10,675,199 days): no duration either
        }
        return true;
    }
}
