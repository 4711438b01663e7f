namespace ElbNotebooks.Parsing;

/// <summary>The formats this version reads, and detection from a file's first lines.</summary>
internal static class LogFormats
{
    /// <summary>The built-in formats; nginx here is the predefined <c>combined</c> format.</summary>
    public static IReadOnlyList<ILogFormat> All { get; } =
        [HuaweiElbFormat.Instance, AwsAlbFormat.Instance, AwsClbFormat.Instance, NginxFormat.Combined];

    public static IEnumerable<string> Names => All.Select(f => f.Name);

    public static ILogFormat? Find(string name) => Find(name, All);

    /// <summary>The first of <paramref name="candidates"/> with that name (case-insensitive).</summary>
    public static ILogFormat? Find(string name, IReadOnlyList<ILogFormat> candidates) =>
        candidates.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// An nginx format from the <c>log_format</c> directive as written in nginx.conf
    /// (<c>log_format upstream '$remote_addr - $remote_user [$time_local] ...';</c>) or from its format string
    /// alone. It is compiled here, once; a directive without a time or <c>$status</c>, or with two variables not
    /// separated by any text, throws an <see cref="ArgumentException"/> that says so.
    /// </summary>
    public static ILogFormat Nginx(string logFormatDirective) => NginxFormat.FromDirective(logFormatDirective);

    /// <summary>The built-in format that best reads the sample lines; null when none parses any.</summary>
    public static ILogFormat? Detect(IReadOnlyList<byte[]> sampleLines) => Detect(sampleLines, All);

    /// <summary>
    /// The candidate that parses the most sample lines (see <see cref="FormatDetector"/>); null when none parses any.
    /// </summary>
    public static ILogFormat? Detect(IReadOnlyList<byte[]> sampleLines, IReadOnlyList<ILogFormat> candidates) =>
        new FormatDetector(candidates).Detect(sampleLines);
}
