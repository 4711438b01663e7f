namespace ElbNotebooks.Parsing;

/// <summary>
/// Picks a file's format from its first lines: the candidate that parses the most of them; between formats that parse
/// as many, the one that fills the most columns (a custom nginx format with upstream fields beats <c>combined</c> on
/// the same lines); then the earlier candidate.
/// </summary>
/// <remarks>
/// Only candidates that might read a line (<see cref="ILogFormat.MightRead"/>, their first cheap checks) parse it:
/// trying one first compiles its parser (optimised at once, see <see cref="HotPath"/>: tens of milliseconds for the
/// larger ones). When one candidate alone might read any line, as with every file of a folder of one format, it wins
/// if it parses one; otherwise the candidates are scored in parallel, since nothing else can run before a file's
/// format is known. Each candidate parses into a target of its own, kept for the next file: making a target's column
/// buffers for every file of a folder of a thousand small logs, and scoring them all, was half of that load's time.
/// </remarks>
internal sealed class FormatDetector(IReadOnlyList<ILogFormat> candidates)
{
    private readonly ParseTarget?[] _targets = new ParseTarget?[candidates.Count];
    private readonly int[] _uses = new int[candidates.Count];

    /// <summary>The best candidate for <paramref name="sampleLines"/>; null when none parses any.</summary>
    public ILogFormat? Detect(IReadOnlyList<byte[]> sampleLines) => Detect(sampleLines, out _);

    /// <summary>
    /// <see cref="Detect(IReadOnlyList{byte[]})"/>; when it finds none but one candidate alone might read the lines,
    /// that one is <paramref name="near"/>: its reasons for refusing them say more than "no known format". Not the
    /// file's format: its first checks are too weak to claim a file (an application log's lines pass the CLB's).
    /// </summary>
    public ILogFormat? Detect(IReadOnlyList<byte[]> sampleLines, out ILogFormat? near)
    {
        near = null;
        var plausible = new List<byte[]>[candidates.Count];
        var contenders = 0;
        var only = -1;
        for (var i = 0; i < candidates.Count; i++)
        {
            var format = candidates[i];
            plausible[i] = sampleLines.Where(line => format.MightRead(line)).ToList();
            if (plausible[i].Count == 0) continue;
            contenders++;
            only = i;
        }
        if (contenders == 0) return null;
        if (contenders == 1)
        {
            if (ParsesAny(only, plausible[only])) return candidates[only];
            near = candidates[only];
            return null;
        }

        var scores = new (int Parsed, long Filled)[candidates.Count];
        Parallel.For(0, candidates.Count, i => scores[i] = Score(i, plausible[i]));
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

    private bool ParsesAny(int candidate, List<byte[]> lines)
    {
        var target = Target(candidate);
        foreach (var line in lines)
            if (target.Reads(candidates[candidate], line, out _)) return true;
        return false;
    }

    private (int Parsed, long Filled) Score(int candidate, List<byte[]> lines)
    {
        var score = (Parsed: 0, Filled: 0L);
        if (lines.Count == 0) return score; // its parser is not even compiled
        var target = Target(candidate);
        foreach (var line in lines)
        {
            if (candidates[candidate].TryParse(line, target, out _))
            {
                score.Parsed++;
                score.Filled += FilledColumns(target.Requests);
            }
            Rollback(target);
        }
        return score;
    }

    /// <summary>
    /// The candidate's target, emptied every 64 files: rows are rolled back line by line, but the values they read
    /// stay in its columns' lists of distinct values.
    /// </summary>
    private ParseTarget Target(int candidate)
    {
        var target = _targets[candidate] ??= new ParseTarget();
        if (++_uses[candidate] % 64 == 0) target.Clear();
        return target;
    }

    private static void Rollback(ParseTarget target)
    {
        target.Requests.RollbackRow();
        target.Attempts.RollbackTo(0);
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
