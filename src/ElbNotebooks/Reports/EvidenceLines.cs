using System.Globalization;
using System.Text;
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

/// <summary>Re-reads a handful of lines from the logs' files (gzip decompressed and streamed to the line).</summary>
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
        return $"the client got {client} {madeBy}";
    }

    /// <summary>The wanted 1-based line numbers of a file (nothing when it cannot be read: the caller shows parsed fields).</summary>
    private static Dictionary<long, string> ReadLines(string path, HashSet<long> wanted)
    {
        var found = new Dictionary<long, string>();
        if (wanted.Count == 0 || !System.IO.File.Exists(path)) return found;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            Span<byte> magic = stackalloc byte[2];
            var gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            using var input = gzip ? new GzipMembers(file) : (Stream)file; // as the load read it: every member, the lines before damage
            var last = wanted.Max();
            var line = new MemoryStream();
            var number = 1L;
            var buffer = new byte[1 << 16];
            int read;
            while (number <= last && (read = input.Read(buffer)) > 0)
            {
                var rest = buffer.AsSpan(0, read);
                while (!rest.IsEmpty && number <= last)
                {
                    var newline = rest.IndexOf((byte)'\n');
                    var part = newline < 0 ? rest : rest[..newline];
                    if (wanted.Contains(number) && line.Length < MaxLineChars * 4) line.Write(part[..Math.Min(part.Length, MaxLineChars * 4 - (int)line.Length)]);
                    if (newline < 0) break;
                    if (wanted.Contains(number)) found[number] = Decode(line);
                    line.SetLength(0);
                    number++;
                    rest = rest[(newline + 1)..];
                }
            }
            if (line.Length > 0 && wanted.Contains(number)) found[number] = Decode(line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // Shown from the parsed fields instead.
        }
        return found;
    }

    private static string Decode(MemoryStream line)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (!bytes.IsEmpty && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
        return Cut(Encoding.UTF8.GetString(bytes));
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
