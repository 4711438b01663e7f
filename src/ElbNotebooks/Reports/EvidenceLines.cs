using System.Globalization;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Reports;

/// <summary>
/// A log line shown as evidence: where it is (<see cref="File"/>, 1-based <see cref="Line"/>) and either its
/// <see cref="Raw"/> text, re-read from the file, or, when the file cannot be read again (the log came from a stream,
/// or the file changed), the <see cref="Parsed"/> fields of the request.
/// </summary>
public sealed record EvidenceLine(long Row, string File, long Line, string? Raw, string Parsed)
{
    /// <summary>What to show: the raw line when there is one.</summary>
    public string Text => Raw ?? Parsed;

    /// <summary>What the line shows about the suspect, e.g. <c>a failed attempt on 10.0.2.22:9000, rescued by a retry: the client got 200</c>.</summary>
    public string Shows { get; init; } = "";
}

/// <summary>Re-reads a handful of lines from the logs' files, as the load read them (<see cref="LogLines"/>).</summary>
internal static class EvidenceReader
{
    /// <summary>A longer line is cut (with an ellipsis): evidence is to read, not to replay.</summary>
    public const int MaxLineChars = 2000;

    public static IReadOnlyList<EvidenceLine> Read(AccessLog log, IEnumerable<long> rows, string? backend = null, Analysis.Health health = Analysis.Health.Failing)
    {
        var r = log.RequestColumns;
        var wanted = rows.Where(row => row >= 0 && row < r.Count).Distinct().ToList();
        var raw = new Dictionary<long, string>();
        foreach (var file in wanted.GroupBy(row => r.File[(int)row]))
        {
            if (file.Key is null) continue;
            var lines = ReadLines(file.Key, file.Select(row => r.Line[(int)row]).Where(l => l > 0).ToHashSet());
            foreach (var row in file)
            {
                // The file must still hold this request's line: it names the client address and port.
                if (lines.TryGetValue(r.Line[(int)row], out var text) && text.Contains(Client(r, (int)row), StringComparison.Ordinal))
                    raw[row] = text;
            }
        }
        return wanted.Select(row => new EvidenceLine(row, r.File[(int)row] ?? "-", r.Line[(int)row], raw.GetValueOrDefault(row), Parsed(r, (int)row))
        {
            Shows = backend is null ? "" : Shows(r, (int)row, backend, health),
        }).ToList();
    }

    /// <summary>What a request's line shows about <paramref name="backend"/>: the failure the client saw, or the one a retry hid.</summary>
    private static string Shows(RequestColumns r, int row, string backend, Analysis.Health health)
    {
        var c = CultureInfo.InvariantCulture;
        var status = r.Status[row];
        var client = status == Missing.Int ? "no status" : status.ToString(c);
        if (health == Analysis.Health.Slow)
            return double.IsNaN(r.UpstreamHeaderTime[row])
                ? $"a slow request to {backend} (client got {client})"
                : string.Create(c, $"{backend} took {r.UpstreamHeaderTime[row]:0.###} s to answer (client got {client})");
        var attempts = r.UpstreamAttempts[row];
        if (status is >= 100 and < 500 && attempts > 1)
            return $"a failed attempt on {backend}, rescued by a retry on a peer: the client got {client}";
        var final = r.UpstreamAddr[row];
        var madeBy = !string.Equals(final, backend, StringComparison.Ordinal) && attempts > 1 ? "after a retry also failed"
            : double.IsNaN(r.UpstreamHeaderTime[row]) ? $"from the load balancer, {backend} did not answer" : $"from {backend} itself";
        // An ALB says why it answered for the target (LambdaUnhandled, LambdaThrottling...): the cause, in the log's words.
        var why = r.ErrorReason.At(row) is { Length: > 0 } reason ? $" ({reason})" : "";
        return $"the client got {client} {madeBy}{why}";
    }

    /// <summary>
    /// The wanted 1-based lines of a file, read as the load read it (<see cref="LogLines"/>), so each is the line the
    /// load parsed under that number; nothing when the file cannot be read: the caller shows parsed fields.
    /// </summary>
    private static Dictionary<long, string> ReadLines(string path, HashSet<long> wanted)
    {
        var found = new Dictionary<long, string>();
        try
        {
            foreach (var (number, text) in LogLines.Read(path, wanted, MaxLineChars * 4)) found[number] = Cut(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // The lines read before the failure are kept; the others are shown from the parsed fields.
        }
        return found;
    }

    private static string Cut(string text) => text.Length <= MaxLineChars ? text : string.Concat(text.AsSpan(0, MaxLineChars - 1), "…");

    private static string Client(RequestColumns r, int row) =>
        r.ClientPort[row] == Missing.Int ? r.ClientIp[row] ?? "" : $"{r.ClientIp[row]}:{r.ClientPort[row].ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The request's fields that tell its story, as <c>name=value</c> pairs.</summary>
    private static string Parsed(RequestColumns r, int row)
    {
        var c = CultureInfo.InvariantCulture;
        string S(string? v) => v ?? "-";
        string I(int v) => v == Missing.Int ? "-" : v.ToString(c);
        string D(double v) => double.IsNaN(v) ? "-" : v.ToString("0.###", c);
        var minutes = r.OffsetMinutes[row] == Missing.Int ? 0 : Math.Clamp(r.OffsetMinutes[row], -14 * 60, 14 * 60);
        var local = new DateTimeOffset(DateTime.SpecifyKind(r.Time[row], DateTimeKind.Utc)).ToOffset(TimeSpan.FromMinutes(minutes));
        return Cut(string.Create(c,
            $"time={local:yyyy-MM-ddTHH:mm:sszzz} client={Client(r, row)} status={I(r.Status[row])} request=\"{S(r.Method[row])} {S(r.Uri[row])}\" " +
            $"upstream_status={I(r.UpstreamStatus[row])} upstream_addr={S(r.UpstreamAddr[row])} attempts={I(r.UpstreamAttempts[row])} " +
            $"connect={D(r.UpstreamConnectTime[row])} header={D(r.UpstreamHeaderTime[row])} response={D(r.UpstreamResponseTime[row])} " +
            $"request_time={D(r.RequestTime[row])} user_agent=\"{S(r.UserAgent[row])}\" listener={S(r.ListenerName[row])} pool={S(r.PoolName[row])}"));
    }
}
