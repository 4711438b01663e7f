namespace ElbNotebooks.Parsing;

/// <summary>
/// Sentinels for a value the log wrote as <c>-</c> (or did not have) inside column buffers. They never reach a
/// DataFrame: buffers turn them into nulls, so a missing value is never mistaken for 0.
/// </summary>
internal static class Missing
{
    public const int Int = int.MinValue;
    public const long Long = long.MinValue;
    public const double Double = double.NaN;

    public static bool IsMissing(int value) => value == Int;
    public static bool IsMissing(long value) => value == Long;
    public static bool IsMissing(double value) => double.IsNaN(value);
}
