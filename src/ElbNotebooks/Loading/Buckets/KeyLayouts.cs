using System.Globalization;
using System.Text.RegularExpressions;

namespace ElbNotebooks.Loading;

/// <summary>What a folder of a bucket is to time pruning (docs/loading.md, "Buckets").</summary>
internal enum FolderKind
{
    /// <summary>Nothing known: listed whole, objects pruned by name only.</summary>
    Unknown,

    /// <summary>May hold a layout root below it: listed one level at a time.</summary>
    Ancestor,

    /// <summary><c>AWSLogs/&lt;account&gt;/elasticloadbalancing/&lt;region&gt;/</c>: year/month/day folders below, UTC.</summary>
    ElbRoot,

    /// <summary><c>LogTanks/&lt;region&gt;/</c>: Huawei LTS transfers to OBS, year/month/day folders below.</summary>
    LtsRoot,
}

/// <summary>
/// The key layouts whose names tell the time: AWS ELB (ALB, NLB, CLB) access-log keys and Huawei LTS transfers to
/// OBS. Each rule is conservative: it may read an object that holds nothing in the range, never skip one that does.
/// </summary>
internal static partial class KeyLayouts
{
    /// <summary>How far around a day folder of an ELB root its files' times reach: CLB files cover up to 60 minutes.</summary>
    private static readonly TimeSpan ElbDayMargin = TimeSpan.FromHours(1);

    /// <summary>
    /// LTS names its date folders by when it transferred (every 2 minutes to 12 hours) in the region's local time, so a
    /// day folder may hold the day before's lines and be a day off UTC either way.
    /// </summary>
    private static readonly TimeSpan LtsDayMargin = TimeSpan.FromDays(1);

    /// <summary>How late after its interval's end a line may be delivered, or how early before its start it may lie.</summary>
    private static readonly TimeSpan ElbFileSlack = TimeSpan.FromMinutes(5);

    [GeneratedRegex(@"^\d{12}_elasticloadbalancing_[a-z0-9-]+_(?<lb>[^_]+)_(?<end>\d{8}T\d{4}Z)_[^_]+_[^_]+\.log(\.gz)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ElbFileName();

    public static FolderKind Classify(string folder)
    {
        var segments = folder.Length == 0 ? [] : folder.TrimEnd('/').Split('/');
        var aws = Array.LastIndexOf(segments, "AWSLogs");
        if (aws >= 0)
        {
            var below = segments.Length - aws - 1;
            if (below == 0 || (below == 1 && IsAccount(segments[aws + 1]))) return FolderKind.Ancestor;
            if (below >= 2 && IsAccount(segments[aws + 1]) && segments[aws + 2] == "elasticloadbalancing")
                return below == 2 ? FolderKind.Ancestor : below == 3 ? FolderKind.ElbRoot : FolderKind.Unknown;
            return FolderKind.Unknown;
        }
        var lts = Array.LastIndexOf(segments, "LogTanks");
        if (lts >= 0)
            return (segments.Length - lts - 1) switch { 0 => FolderKind.Ancestor, 1 => FolderKind.LtsRoot, _ => FolderKind.Unknown };
        // A prefix of the owner's choice may sit above AWSLogs/ (ALB's "prefix") or LogTanks/: look two levels down.
        return segments.Length < 3 ? FolderKind.Ancestor : FolderKind.Unknown;
    }

    /// <summary>
    /// Whether a date folder below a root (<c>2024/</c>, <c>2024/05/</c>, <c>2024/05/01/</c>, given as its date
    /// segments) can hold requests in [from, to), with the root's margin; true for a folder that is not a date.
    /// </summary>
    public static bool DateFolderMayHold(FolderKind root, IReadOnlyList<string> dateSegments, DateTime from, DateTime to)
    {
        if (DateFolderSpan(dateSegments) is not var (start, end)) return true;
        var margin = root == FolderKind.LtsRoot ? LtsDayMargin : ElbDayMargin;
        return (start - margin) < to && (end + margin) > from;
    }

    /// <summary>The UTC span of <c>yyyy</c>, <c>yyyy/MM</c> or <c>yyyy/MM/dd</c>; null when they are not a date.</summary>
    public static (DateTime Start, DateTime End)? DateFolderSpan(IReadOnlyList<string> segments)
    {
        if (segments.Count is 0 or > 3 || !IsYear(segments[0])) return null;
        var year = int.Parse(segments[0], CultureInfo.InvariantCulture);
        if (segments.Count == 1) return (new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        if (!TwoDigits(segments[1], 1, 12, out var month)) return null;
        var monthStart = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        if (segments.Count == 2) return (monthStart, monthStart.AddMonths(1));
        if (!TwoDigits(segments[2], 1, DateTime.DaysInMonth(year, month), out var day)) return null;
        var dayStart = monthStart.AddDays(day - 1);
        return (dayStart, dayStart.AddDays(1));
    }

    private static bool IsYear(string name) =>
        name.Length == 4 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1970 and <= 2200;

    private static bool TwoDigits(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && text.Length == 2 && value >= min && value <= max;

    /// <summary>
    /// False when the key is an ELB access-log file whose name puts all its lines outside [from, to): the name holds
    /// the end of its interval, 5 minutes for an ALB (<c>app.</c>) or NLB (<c>net.</c>), up to 60 for a CLB.
    /// </summary>
    public static bool MayHold(string key, DateTime from, DateTime to)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        var match = ElbFileName().Match(name);
        if (!match.Success ||
            !DateTime.TryParseExact(match.Groups["end"].Value, "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var end))
            return true;
        var lb = match.Groups["lb"].Value;
        var interval = lb.StartsWith("app.", StringComparison.Ordinal) || lb.StartsWith("net.", StringComparison.Ordinal)
            ? TimeSpan.FromMinutes(5)
            : TimeSpan.FromMinutes(60);
        var first = end - interval - ElbFileSlack;
        var last = end + ElbFileSlack;
        return first < to && last > from;
    }

    private static bool IsAccount(string segment) => segment.Length == 12 && segment.All(char.IsAsciiDigit);

}
