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
    /// The candidate that parses the most sample lines; between formats that parse as many, the one that fills the
    /// most columns (a custom nginx format with upstream fields beats <c>combined</c> on the same lines); then the
    /// earlier candidate. Null when none parses any line.
    /// </summary>
    /// <remarks>
    /// Candidates are tried in parallel, and only on lines they might read (<see cref="ILogFormat.MightRead"/>): trying one
    /// first compiles its parser (optimised at once, see <see cref="HotPath"/>: tens of milliseconds for the larger
    /// ones), and nothing else can run before a file's format is known.
    /// </remarks>
    public static ILogFormat? Detect(IReadOnlyList<byte[]> sampleLines, IReadOnlyList<ILogFormat> candidates)
    {
        var scores = new (int Parsed, long Filled)[candidates.Count];
        Parallel.For(0, candidates.Count, i => scores[i] = Score(candidates[i], sampleLines));
        ILogFormat? best = null;
        (int Parsed, long Filled) bestScore = (0, 0);
        for (var i = 0; i < candidates.Count; i++)
        {
            var score = scores[i];
            if (score.Parsed > bestScore.Parsed || (score.Parsed == bestScore.Parsed && score.Filled > bestScore.Filled))
            {
                best = candidates[i];
                bestScore = score;
            }
        }
        return best;
    }

    private static (int Parsed, long Filled) Score(ILogFormat format, IReadOnlyList<byte[]> sampleLines)
    {
        var score = (Parsed: 0, Filled: 0L);
        var plausible = sampleLines.Where(line => format.MightRead(line)).ToList();
        if (plausible.Count == 0) return score; // its parser is not even compiled
        var target = new ParseTarget();
        foreach (var line in plausible)
        {
            if (format.TryParse(line, target, out _))
            {
                score.Parsed++;
                score.Filled += FilledColumns(target.Requests);
            }
            target.Requests.RollbackRow();
            target.Attempts.RollbackTo(0);
        }
        return score;
    }

    /// <summary>Columns the pending (uncommitted) row has a value in; <c>extra_fields</c>, text the format did not
    /// recognise, does not count.</summary>
    private static int FilledColumns(RequestColumns requests)
    {
        var filled = 0;
        foreach (var column in requests.All)
            if (!ReferenceEquals(column, requests.ExtraFields) && column.HasValue(requests.Count)) filled++;
        return filled;
    }
}
