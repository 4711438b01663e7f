using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>Number and timestamp readers over UTF-8 bytes: no strings, no culture, no regex.</summary>
internal static class Utf8Values
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDash(ReadOnlySpan<byte> value) => value.Length == 1 && value[0] == (byte)'-';

    /// <summary>
    /// Digits with an optional minus sign, as <see cref="Utf8Parser"/> reads them. Plain digits (every status, port
    /// and size in a log) are read here, in code compiled with the hot path (see <see cref="Utf8Bytes"/> for why);
    /// anything else, and a value long enough to overflow, goes to the BCL, so the result is always the BCL's.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static bool TryInt(ReadOnlySpan<byte> value, out int result)
    {
        if (TryDigits(value, 9, out var digits))
        {
            result = (int)digits;
            return true;
        }
        return Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length;
    }

    /// <summary>Up to <paramref name="maxDigits"/> digits, after an optional '-'; false for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryDigits(ReadOnlySpan<byte> value, int maxDigits, out long result)
    {
        result = 0;
        var negative = value.Length > 0 && value[0] == (byte)'-';
        var digits = negative ? value[1..] : value;
        if (digits.Length is 0 || digits.Length > maxDigits) return false;
        long n = 0;
        foreach (var b in digits)
        {
            var d = (uint)(b - '0');
            if (d > 9) return false;
            n = n * 10 + d;
        }
        result = negative ? -n : n;
        return true;
    }

    /// <summary>An HTTP status code: an integer from 100 to 599 (999, 000 or -1 are damage, not statuses).</summary>
    public static bool TryStatus(ReadOnlySpan<byte> value, out int result) =>
        TryInt(value, out result) && result is >= 100 and <= 599;

    /// <summary>The longest time in seconds a request may take (a week); longer, negative or infinite is damage.</summary>
    public const double MaxDurationSeconds = 7 * 24 * 3600;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDuration(double seconds) => seconds is >= 0 and <= MaxDurationSeconds;

    /// <summary>As <see cref="TryInt"/>, for 64-bit values.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static bool TryLong(ReadOnlySpan<byte> value, out long result) =>
        TryDigits(value, 18, out result) || Utf8Parser.TryParse(value, out result, out var consumed) && consumed == value.Length;

    private static readonly double[] PowersOf10 =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];

    /// <summary>
    /// Plain decimals (<c>0.018</c>, <c>1714529730.482</c>) take a fast path: with at most 15 digits the mantissa and
    /// the power of ten are exact doubles, so one division is correctly rounded. Anything else goes to the BCL.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static bool TryDouble(ReadOnlySpan<byte> value, out double result)
    {
        if (value.Length is > 0 and <= 16)
        {
            long mantissa = 0;
            var digits = 0;
            var scale = -1;
            var i = value[0] == (byte)'-' ? 1 : 0;
            for (; i < value.Length; i++)
            {
                var b = value[i];
                var d = (uint)(b - '0');
                if (d <= 9)
                {
                    mantissa = mantissa * 10 + d;
                    digits++;
                    if (scale >= 0) scale++;
                }
                else if (b == (byte)'.' && scale < 0)
                {
                    scale = 0;
                }
                else
                {
                    digits = -1;
                    break;
                }
            }
            if (digits is > 0 and <= 15)
            {
                result = scale > 0 ? mantissa / PowersOf10[scale] : mantissa;
                if (value[0] == (byte)'-') result = -result;
                return true;
            }
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result);
    }

    /// <summary>
    /// Reads an ISO-8601 time with offset (<c>2024-05-01T10:15:30+08:00</c>, optional fraction, <c>Z</c>) into its UTC
    /// instant and its offset in minutes.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static bool TryIsoTimestamp(ReadOnlySpan<byte> s, out DateTime utc, out int offsetMinutes)
    {
        utc = default;
        offsetMinutes = 0;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
            return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day) ||
            !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
            return false;

        var pos = 19;
        long fractionTicks = 0;
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            var scale = TimeSpan.TicksPerSecond / 10;
            var start = pos;
            while (pos < s.Length && (uint)(s[pos] - '0') <= 9)
            {
                fractionTicks += (s[pos] - '0') * scale;
                scale /= 10;
                pos++;
            }
            if (pos == start) return false;
        }

        if (pos >= s.Length) return false;
        if (s[pos] == 'Z' && pos == s.Length - 1)
        {
            offsetMinutes = 0;
        }
        else if ((s[pos] == '+' || s[pos] == '-') && s.Length - pos is 6 or 5)
        {
            var sign = s[pos] == '-' ? -1 : 1;
            var colon = s.Length - pos == 6;
            if (colon && s[pos + 3] != ':') return false;
            if (!Digits(s, pos + 1, 2, out var oh) || !Digits(s, pos + (colon ? 4 : 3), 2, out var om) || oh > 18 || om > 59)
                return false;
            offsetMinutes = sign * (oh * 60 + om);
        }
        else
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 60)
            return false;
        if (second == 60) second = 59; // leap second: keep the line, clamp the instant
        if (year < 1) return false;
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var ticks = local.Ticks - offsetMinutes * TimeSpan.TicksPerMinute;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    /// <summary>
    /// Reads nginx's <c>$time_local</c> (<c>01/May/2024:10:15:30 +0000</c>, English month names) into its UTC instant
    /// and its offset in minutes.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static bool TryNginxLocalTime(ReadOnlySpan<byte> s, out DateTime utc, out int offsetMinutes)
    {
        utc = default;
        offsetMinutes = 0;
        if (s.Length != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' || s[20] != ' ')
            return false;
        if (!Digits(s, 0, 2, out var day) || !Digits(s, 7, 4, out var year) || !Digits(s, 12, 2, out var hour) ||
            !Digits(s, 15, 2, out var minute) || !Digits(s, 18, 2, out var second) ||
            !Digits(s, 22, 2, out var oh) || !Digits(s, 24, 2, out var om))
            return false;
        var month = Month(s.Slice(3, 3));
        if (month == 0 || (s[21] != '+' && s[21] != '-') || oh > 18 || om > 59) return false;
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return false;
        if (second == 60) second = 59;
        offsetMinutes = (s[21] == '-' ? -1 : 1) * (oh * 60 + om);
        var ticks = new DateTime(year, month, day, hour, minute, second).Ticks - offsetMinutes * TimeSpan.TicksPerMinute;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    /// <summary>Epoch seconds with an optional fraction (nginx <c>$msec</c>) as a UTC instant.</summary>
    public static bool TryEpochSeconds(double seconds, out DateTime utc)
    {
        utc = default;
        if (!(seconds >= 0 && seconds < 253_402_300_800)) return false;
        utc = DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    private static int Month(ReadOnlySpan<byte> m) => m switch
    {
        _ when m.SequenceEqual("Jan"u8) => 1,
        _ when m.SequenceEqual("Feb"u8) => 2,
        _ when m.SequenceEqual("Mar"u8) => 3,
        _ when m.SequenceEqual("Apr"u8) => 4,
        _ when m.SequenceEqual("May"u8) => 5,
        _ when m.SequenceEqual("Jun"u8) => 6,
        _ when m.SequenceEqual("Jul"u8) => 7,
        _ when m.SequenceEqual("Aug"u8) => 8,
        _ when m.SequenceEqual("Sep"u8) => 9,
        _ when m.SequenceEqual("Oct"u8) => 10,
        _ when m.SequenceEqual("Nov"u8) => 11,
        _ when m.SequenceEqual("Dec"u8) => 12,
        _ => 0,
    };

    [MethodImpl(HotPath.Optimized)]
    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (var i = start; i < start + count; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9) return false;
            value = value * 10 + (int)d;
        }
        return true;
    }
}

/// <summary>
/// The timestamp field a worker read last and its instant and offset. Logs written to the second repeat it line after
/// line (ten lines a second repeat it ten times), and one vectorised compare costs less than reading the date again:
/// the timestamps were about 3.5% of a streaming investigation of a Huawei log. Only fields that read are kept, and no
/// text reads as both an ISO time and nginx's local time: whichever kept it, the same bytes stand for the same instant.
/// </summary>
internal sealed class LastTimestamp
{
    private readonly LastValue<(DateTime Utc, int OffsetMinutes)> _last = new();

    /// <inheritdoc cref="Utf8Values.TryIsoTimestamp"/>
    [MethodImpl(HotPath.Optimized)]
    public bool TryIso(ReadOnlySpan<byte> s, out DateTime utc, out int offsetMinutes)
    {
        if (_last.TryGet(s, out var kept)) (utc, offsetMinutes) = kept;
        else if (Utf8Values.TryIsoTimestamp(s, out utc, out offsetMinutes)) _last.Set(s, (utc, offsetMinutes));
        else return false;
        return true;
    }

    /// <inheritdoc cref="Utf8Values.TryNginxLocalTime"/>
    [MethodImpl(HotPath.Optimized)]
    public bool TryNginxLocal(ReadOnlySpan<byte> s, out DateTime utc, out int offsetMinutes)
    {
        if (_last.TryGet(s, out var kept)) (utc, offsetMinutes) = kept;
        else if (Utf8Values.TryNginxLocalTime(s, out utc, out offsetMinutes)) _last.Set(s, (utc, offsetMinutes));
        else return false;
        return true;
    }
}
