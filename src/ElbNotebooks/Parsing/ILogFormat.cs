using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// One access-log format. A parser reads one line's UTF-8 bytes and appends the request (and its attempts) to the
/// target's columns; it never commits: the loader commits or rolls back, so a rejected line leaves no trace.
/// </summary>
internal interface ILogFormat
{
    /// <summary>Stable name, as in the JSON output: <c>huawei-elb</c>.</summary>
    string Name { get; }

    /// <summary>
    /// A cheap first test for format detection: false only for a line <see cref="TryParse"/> rejects. Detection parses
    /// sample lines only with formats that might read them, so a load compiles the parsers of plausible formats only
    /// (each is compiled optimised on first use, see <see cref="HotPath"/>: 15-35 ms of processor time apiece).
    /// </summary>
    bool MightRead(ReadOnlySpan<byte> line);

    /// <summary>
    /// Fields 1..N a line needs to count as a request; a line with fewer fields than the file's layout
    /// (<see cref="ParseTarget.LayoutFields"/>) is rejected as cut short.
    /// </summary>
    bool TryParse(ReadOnlySpan<byte> line, ParseTarget target, out LineRejection rejection);

    /// <summary>
    /// How many fields <paramref name="line"/> has, as <see cref="TryParse"/> counts them (up to the fields the format
    /// names; trailing unknown ones are not counted). 0 for a format whose lines are matched against a fixed text (nginx):
    /// a cut line already misses the text after the cut.
    /// </summary>
    int Fields(ReadOnlySpan<byte> line);
}

/// <summary>What a parser writes into: the columns of one worker, its string pool and scratch space.</summary>
internal sealed class ParseTarget
{
    private byte[] _scratch = new byte[4096];

    public RequestColumns Requests { get; }
    public AttemptColumns Attempts { get; } = new();
    public StringPool Strings { get; }

    /// <summary>The current line's upstream statuses and times, from <see cref="Attempts.Check"/> to <see cref="Attempts.Expand"/>.</summary>
    public UpstreamValues Upstream { get; } = new();

    /// <summary>The previous line's timestamp and what it read as.</summary>
    public LastTimestamp Timestamps { get; } = new();

    /// <summary>
    /// Only what judging backends needs: time, offset, status, listener, pool, the upstream attempts, and the client's
    /// address where whom a backend hurt may be asked (<see cref="WantsClient"/>). Lines are validated exactly as in a
    /// full parse, so counts and rejections do not change; the other columns stay empty.
    /// </summary>
    public bool Minimal { get; }

    /// <summary>
    /// For a minimal parse: a final response at least this slow (seconds) has its client's address read, as a 5xx
    /// has; infinite, only a 5xx's (see <see cref="WantsClient"/>).
    /// </summary>
    public double ClientsFromHeader { get; }

    /// <summary>
    /// The fields every line of the file being parsed has: its first request's (<see cref="ILogFormat.Fields"/>), 0
    /// while not known. A file's lines share one layout, so a line with fewer was cut short. Set for each block, since
    /// a target parses blocks of any file.
    /// </summary>
    public int LayoutFields { get; set; }

    public ParseTarget(StringPool? strings = null, bool minimal = false, double clientsFromHeader = double.PositiveInfinity)
    {
        Strings = strings ?? new StringPool();
        Minimal = minimal;
        ClientsFromHeader = clientsFromHeader;
        Requests = new RequestColumns(minimal);
    }

    /// <summary>
    /// Whether the request being parsed, whose attempts are rows <paramref name="firstAttempt"/> on, needs its client's
    /// address: always in a full parse; in a minimal one, when the client got a 5xx, an attempt was answered 5xx, or the
    /// final response took <see cref="ClientsFromHeader"/> or more (what whom a failing or slow backend hurt is counted from).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool WantsClient(int status, int firstAttempt)
    {
        if (!Minimal || status >= 500) return true;
        var a = Attempts;
        for (var k = firstAttempt; k < a.Count; k++)
            if (a.Status[k] >= 500 || (a.IsFinal[k] && a.HeaderTime[k] >= ClientsFromHeader)) return true;
        return false;
    }

    /// <summary>Row index the request being parsed will get.</summary>
    public int PendingRequest => Requests.Count;

    /// <summary>Room for <paramref name="lines"/> requests and about as many attempts, so parsing never grows a buffer.</summary>
    public void EnsureCapacity(int lines)
    {
        if (lines <= _capacity) return;
        // Blocks differ by a few lines; room to spare keeps each longer block than the last from resizing every column
        // (measured: 24 times in a 500,000-line load, 9 MB of copies).
        _capacity = lines + lines / 8;
        Requests.EnsureCapacity(_capacity);
        Attempts.EnsureCapacity(_capacity + _capacity / 4);
    }

    private int _capacity;

    /// <summary>
    /// Whether <paramref name="format"/> reads <paramref name="line"/>, and why not, leaving the rows as they were: a trial
    /// parse (detecting a format, finding a file's layout, naming a near miss). Its values stay in the columns' lists of
    /// distinct values.
    /// </summary>
    public bool Reads(ILogFormat format, ReadOnlySpan<byte> line, out LineRejection refused)
    {
        var attempts = Attempts.Count;
        var parsed = format.TryParse(line, this, out refused);
        Requests.RollbackRow();
        Attempts.RollbackTo(attempts);
        return parsed;
    }

    /// <summary>Empties the columns and keeps their buffers and the string pool, for the next block.</summary>
    public void Clear()
    {
        Requests.Clear();
        Attempts.Clear();
    }

    internal Span<byte> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        return _scratch;
    }
}
