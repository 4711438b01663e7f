using System.Globalization;
using System.Text;
using CsCheck;

namespace ElbNotebooks.Tests.Fuzzing;

/// <summary>Generators and writers the per-format line models share.</summary>
internal static class FormatGens
{
    public static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Values that are awkward but valid: quotes, backslashes, edge spaces, non-ASCII (no lone surrogates).</summary>
    private static readonly Gen<string> Hostile = Gen.OneOf(
        "\"", "\\", "a\" b", "\" \"", "x\\", "\\\"", " leading", "trailing ", "ü 中文 😀", "\" - \"", "[x] \"y\" ", "a, b : c");

    private static readonly Gen<string> Unicode =
        Gen.Char.Array[0, 20].Select(c => new string(c.Where(ch => !char.IsSurrogate(ch) && ch != '\uFFFD' && ch >= ' ').ToArray()));

    /// <summary>A quoted field's value (user agent, referer): plain, printable ASCII with quotes, hostile, unicode.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.Char["abcdefgh XYZ/;.()0123456789-_"].Array[1, 60].Select(c => new string(c))),
        (2, Gen.Char[' ', '~'].Array[0, 40].Select(c => new string(c))),
        (1, Hostile),
        (1, Unicode));

    /// <summary>The same, with control characters too (nginx escapes them).</summary>
    public static readonly Gen<string> TextWithControls = Gen.Frequency(
        (6, Text),
        (1, Gen.Char['\u0001', '\u001f'].Array[1, 4].Select(Gen.Char['a', 'z'].Array[0, 4],
            (ctl, az) => new string(az) + new string(ctl) + new string(az))));

    public static readonly Gen<string> Ip = Gen.Frequency(
        (4, Gen.Int[0, 255].Array[4].Select(b => string.Join('.', b))),
        (1, Gen.Int[0, 0xffff].Array[3].Select(h => $"2001:db8:{h[0]:x}::{h[1]:x}:{h[2]:x}")));

    public static readonly Gen<string> BackendAddr =
        Gen.Int[1, 254].Select(Gen.Int[1, 65535], (host, port) => $"10.0.{host % 8}.{host}:{port}");

    /// <summary>Seconds with microseconds, as AWS writes them; null is -1.</summary>
    public static readonly Gen<double?> AwsSeconds = Gen.Int[0, 30_000_000].Select(us => us / 1e6).Nullable(0.15);

    public static readonly Gen<string> UrlPath = Gen.Char["abcdefghij/0123456789?=&._-%"].Array[0, 40].Select(c => "/" + new string(c));

    public static string AwsSecondsText(double? value) => value?.ToString("0.000000", C) ?? "-1";

    /// <summary>AWS escapes a quote and a backslash inside a quoted field with a backslash.</summary>
    public static string AwsEscape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>nginx's default escaping: a quote, a backslash, bytes below 32 and above 126 become \xHH.</summary>
    public static string NginxEscape(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
            text.Append(b is (byte)'"' or (byte)'\\' || b < 32 || b > 126 ? $"\\x{b:X2}" : (char)b);
        return text.ToString();
    }

    /// <summary>How every format writes an absent value: "-" is read back as null.</summary>
    public static string? Read(string value) => value == "-" ? null : value;
}
