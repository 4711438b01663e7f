using System.Globalization;
using ElbNotebooks.Analysis;

namespace ElbNotebooks.Formatting;

/// <summary>How one value reads in a view: its text, and whether it is missing or a number (right-aligned).</summary>
internal readonly record struct DisplayValue(string Text, bool IsMissing, bool IsNumber);

/// <summary>Value-to-text rules shared by the HTML and the plain-text views, so both read the same.</summary>
internal static partial class DisplayText
{
    public const string Ellipsis = "…";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// A generated id as people read it: <c>pool_948c13ac-a1b4-4a27-9116-3f0468829e83</c> becomes <c>pool_948c13ac</c>
    /// (a UUID by its first group, which is what tells two apart); anything else is left as it is.
    /// </summary>
    public static string ShortId(string? text)
    {
        if (text is null) return "";
        var match = UuidAtEnd().Match(text);
        return match.Success ? text[..match.Index] + match.Groups[1].Value : text;
    }

    /// <summary>A listener by its address and port where the log has them, <c>121.64.212.1:443 (listener_08ff6ee9)</c>, else by its short id.</summary>
    public static string Listener(string listener, string? address) =>
        address is null ? ShortId(listener) : $"{address} ({ShortId(listener)})";

    [System.Text.RegularExpressions.GeneratedRegex("([0-9a-fA-F]{8})-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial System.Text.RegularExpressions.Regex UuidAtEnd();

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, the last being an ellipsis.</summary>
    public static string Cut(string text, int max)
    {
        if (max < 1) max = 1;
        if (text.Length <= max) return text;
        var keep = max - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }

    public static DisplayValue Of(object? value, int maxLength)
    {
        try
        {
            return value switch
            {
                null => new("null", true, false),
                double d when double.IsNaN(d) => new("NaN", true, false),
                float f when float.IsNaN(f) => new("NaN", true, false),
                double d => new(Number(d), false, true),
                float f => new(Number(f), false, true),
                decimal m => new(m.ToString(C), false, true),
                int or long or short or byte or sbyte or uint or ulong or ushort => new(((IFormattable)value).ToString(null, C), false, true),
                bool b => new(b ? "true" : "false", false, false),
                DateTime t => new(Time(t), false, false),
                DateTimeOffset t => new(t.ToString("yyyy-MM-dd HH:mm:ss.FFFzzz", C), false, false),
                TimeSpan t => new(t.ToString("c", C), false, false),
                string s => new(OneLine(Cut(s, maxLength)), false, false),
                IFormattable f => new(OneLine(Cut(f.ToString(null, C), maxLength)), false, false),
                _ => new(OneLine(Cut(value.ToString() ?? "", maxLength)), false, false),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new($"({e.GetType().Name})", true, false);
        }
    }

    /// <summary>Shortest round-trip text, with infinities spelled out.</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "-∞" : value.ToString("R", C);

    /// <summary>UTC instants end in Z; others are shown as they are.</summary>
    public static string Time(DateTime t) =>
        t.ToString(t.Millisecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.fff", C) + (t.Kind == DateTimeKind.Utc ? "Z" : "");

    /// <summary>A local time in the log's own offset: <c>2024-05-01 10:20:00 +08:00</c>.</summary>
    public static string Local(DateTime utc, TimeSpan offset) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) + offset, offset).ToString("yyyy-MM-dd HH:mm:ss zzz", C);

    public static string Count(long n) => n.ToString("N0", C);

    /// <summary>
    /// A suspect's endpoints hurt most, and the rest: <c>POST /api/events × 58, POST /api/orders × 49; 180 more on other
    /// endpoints</c>; null when it has none (judged from a bucket table).
    /// </summary>
    public static string? EndpointsHurt(Suspect s, int shown)
    {
        if (s.EndpointsHurt is not { Count: > 0 } endpoints) return null;
        var listed = endpoints.Take(shown).ToList();
        var text = string.Join(", ", listed.Select(e => $"{e.Endpoint} × {Count(e.Requests)}"));
        var more = s.RequestsHurt - listed.Sum(e => e.Requests);
        return more > 0 ? text + $"; {Count(more)} more on other endpoints" : text;
    }

    /// <summary>
    /// Why no backend is known for errors: the log records no upstream, or (its nginx log_format not given) its lines
    /// carry fields after the format's that may hold it, which the parse report's note shows.
    /// </summary>
    public static string NoUpstream(bool mayBeUnread) =>
        mayBeUnread ? "no upstream read, as the parse report's note says" : "the log records no upstream";

    /// <inheritdoc cref="NoUpstream(bool)"/>
    public static string NoUpstream(InvestigationResult investigation) => NoUpstream(investigation.UpstreamMayBeUnread);

    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "NaN" : (fraction * 100).ToString(fraction is > 0 and < 0.001 ? "0.###" : "0.#", C) + " %";

    public static string Seconds(double? seconds) =>
        seconds is null || double.IsNaN(seconds.Value) ? "–" : seconds.Value.ToString("0.###", C) + " s";

    /// <summary>The CSS class of a health in views and reports: <c>elb-bad</c>, <c>elb-warn</c> or <c>elb-good</c>.</summary>
    public static string HealthClass(Analysis.Health health) => health switch
    {
        Analysis.Health.Failing => "elb-bad",
        Analysis.Health.Slow => "elb-warn",
        _ => "elb-good",
    };

    /// <summary>A backend's class beside <see cref="HealthNames.Label"/>: muted for too few attempts (or responses) to judge.</summary>
    public static string HealthClass(Analysis.Verdict v) => v.TooFew ? "elb-muted" : HealthClass(v.Health);

    /// <summary>Control characters (newlines, tabs, escapes) would break a table row: shown as spaces.</summary>
    /// <summary>
    /// Bidirectional controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069) reorder the text shown around them, so a
    /// hostile user agent or path could make a table read differently: they are shown as visible <c>\u202E</c> escapes.
    /// </summary>
    public static string VisibleBidi(string s)
    {
        if (s.AsSpan().IndexOfAny(BidiControls) < 0) return s;
        var text = new System.Text.StringBuilder(s.Length + 12);
        foreach (var ch in s)
        {
            if (BidiControls.Contains(ch)) text.Append(C, $"\\u{(int)ch:X4}");
            else text.Append(ch);
        }
        return text.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> BidiControls =
        System.Buffers.SearchValues.Create("\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    private static string OneLine(string s)
    {
        foreach (var ch in s)
        {
            if (char.IsControl(ch)) return string.Create(s.Length, s, static (span, src) =>
            {
                for (var i = 0; i < src.Length; i++) span[i] = char.IsControl(src[i]) ? ' ' : src[i];
            });
        }
        return s;
    }
}
