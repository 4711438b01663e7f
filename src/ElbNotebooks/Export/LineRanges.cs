namespace ElbNotebooks.Export;

/// <summary>Line numbers as sorted, disjoint [first, last] ranges: the lines of an input an export wrote.</summary>
internal sealed class LineRanges
{
    private readonly List<(long First, long Last)> _ranges = [];

    public static LineRanges From(IEnumerable<long[]> ranges)
    {
        var result = new LineRanges();
        foreach (var range in ranges.Where(r => r.Length == 2 && r[0] <= r[1]).OrderBy(r => r[0]))
            result.Add(range[0], range[1]);
        return result;
    }

    public bool IsEmpty => _ranges.Count == 0;

    /// <summary>The highest line, 0 when empty.</summary>
    public long Last => _ranges.Count == 0 ? 0 : _ranges[^1].Last;

    /// <summary>Adds lines <paramref name="first"/>-<paramref name="last"/>, at or after the first line held so far.</summary>
    public void Add(long first, long last)
    {
        if (_ranges.Count > 0 && first < _ranges[^1].First) throw new ArgumentException("Lines must come in order.");
        if (_ranges.Count > 0 && first <= _ranges[^1].Last + 1)
            _ranges[^1] = (_ranges[^1].First, Math.Max(_ranges[^1].Last, last));
        else _ranges.Add((first, last));
    }

    /// <summary>Adds a line after every line held, joined to the last range when only <paramref name="joinGap"/> is between.</summary>
    public void Append(long line, bool joinGap)
    {
        if (_ranges.Count > 0 && joinGap && line > _ranges[^1].Last) _ranges[^1] = (_ranges[^1].First, line);
        else Add(line, line);
    }

    public bool Contains(long line)
    {
        int lo = 0, hi = _ranges.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (line < _ranges[mid].First) hi = mid - 1;
            else if (line > _ranges[mid].Last) lo = mid + 1;
            else return true;
        }
        return false;
    }

    public static LineRanges Union(IEnumerable<LineRanges> all)
    {
        var result = new LineRanges();
        foreach (var (first, last) in all.SelectMany(r => r._ranges).OrderBy(r => r.First)) result.Add(first, last);
        return result;
    }

    public List<long[]> ToList() => _ranges.Select(r => new[] { r.First, r.Last }).ToList();
}
