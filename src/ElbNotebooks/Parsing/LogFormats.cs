namespace ElbNotebooks.Parsing;

/// <summary>The formats this version reads, and detection from a file's first lines.</summary>
public static class LogFormats
{
    public static IReadOnlyList<ILogFormat> All { get; } = [HuaweiElbFormat.Instance];

    public static IEnumerable<string> Names => All.Select(f => f.Name);

    public static ILogFormat? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The format that parses most of the sample lines; null when none parses any.</summary>
    public static ILogFormat? Detect(IReadOnlyList<byte[]> sampleLines)
    {
        ILogFormat? best = null;
        var bestScore = 0;
        foreach (var format in All)
        {
            var target = new ParseTarget();
            var score = 0;
            foreach (var line in sampleLines)
            {
                if (format.TryParse(line, target, out _)) score++;
                target.Requests.RollbackRow();
                target.Attempts.RollbackTo(0);
            }
            if (score > bestScore)
            {
                best = format;
                bestScore = score;
            }
        }
        return best;
    }
}
