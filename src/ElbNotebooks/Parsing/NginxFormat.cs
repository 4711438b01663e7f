using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// nginx access logs: the built-in <c>combined</c> format, or any <c>log_format</c> the user gives
/// (<see cref="LogFormats.Nginx"/>). The format is compiled once; a line is matched against its literal text,
/// each variable's value running to the next literal, and variables are mapped onto the schema by name.
/// </summary>
/// <remarks>
/// The upstream variables (<c>$upstream_addr</c>, <c>_status</c>, <c>_connect_time</c>, <c>_header_time</c>,
/// <c>_response_time</c>) become attempts, matched by position across their <c>", "</c> and <c>" : "</c> lists.
/// When no server could be selected nginx writes 502 and the upstream group's name as the address: that item is
/// no attempt (the request is answered by nginx itself) and the group's name becomes the pool. A format without
/// upstream variables (<c>combined</c>) has no attempts at all. Text after the last literal (a
/// <c>main</c> format's <c>"$http_x_forwarded_for"</c> read as combined) is kept in <c>extra_fields</c>.
/// </remarks>
internal sealed class NginxFormat : ILogFormat
{
    /// <summary>nginx's predefined <c>combined</c> format.</summary>
    public const string CombinedFormat =
        "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    private const int TimeLocalLength = 26; // 01/May/2024:10:15:30 +0000

    private readonly NginxLogFormat _plan;

    private NginxFormat(NginxLogFormat plan) => _plan = plan;

    /// <summary>The predefined <c>combined</c> format.</summary>
    public static NginxFormat Combined { get; } = new(NginxLogFormat.Parse("log_format combined '" + CombinedFormat + "';"));

    /// <summary>Compiles a <c>log_format</c> directive (or a bare format string); throws <see cref="ArgumentException"/>
    /// saying what is wrong with it.</summary>
    public static NginxFormat FromDirective(string logFormatDirective) => new(NginxLogFormat.Parse(logFormatDirective));

    public string Name => "nginx";

    /// <summary>The <c>log_format</c>'s own name: <c>combined</c>, <c>upstream</c>, ... (<c>custom</c> for a bare string).</summary>
    public string LogFormatName => _plan.Name;

    /// <summary>The format string the plan was compiled from.</summary>
    public string FormatString => _plan.Format;

    /// <summary>The variables, in order, without <c>$</c>.</summary>
    public IReadOnlyList<string> Variables => _plan.VariableNames;

    public override string ToString() => $"nginx log_format {LogFormatName}";

    /// <summary>
    /// False when the format's literal texts do not all occur in the line, in order and without overlapping: a line
    /// the parser reads has each where a variable ends, so the earliest place each can be found is never later.
    /// </summary>
    public bool MightRead(ReadOnlySpan<byte> line)
    {
        var literals = _plan.Literals;
        if (!line.StartsWith(literals[0])) return false;
        var pos = literals[0].Length;
        for (var i = 1; i < literals.Length; i++)
        {
            if (literals[i].Length == 0) continue;
            var at = line[pos..].IndexOf(literals[i]);
            if (at < 0) return false;
            pos += at + literals[i].Length;
        }
        return true;
    }

    /// <inheritdoc/>
    public int Fields(ReadOnlySpan<byte> line) => 0;

    [MethodImpl(HotPath.Optimized)]
    public bool TryParse(ReadOnlySpan<byte> line, ParseTarget target, out LineRejection rejection)
    {
        // The assembly skips locals init: stackalloc memory is not zeroed, and unset variables must read as absent.
        Span<bool> seen = stackalloc bool[NginxVars.Count];
        Span<FieldSpan> spans = stackalloc FieldSpan[NginxVars.Count];
        seen.Clear();
        spans.Clear();
        var v = new Values(spans, seen);
        var literals = _plan.Literals;
        var variables = _plan.Variables;

        if (!line.StartsWith(literals[0]))
        {
            rejection = Mismatch(0, literals[0]);
            return false;
        }
        var pos = literals[0].Length;
        for (var i = 0; i < variables.Length; i++)
        {
            var variable = variables[i];
            var next = literals[i + 1];
            var rest = line[pos..];
            int length;
            if (variable == NginxVar.TimeLocal) // holds a space: its fixed length says where it ends
                length = rest.Length >= TimeLocalLength && rest[TimeLocalLength..].StartsWith(next) ? TimeLocalLength : -1;
            else if (next.Length == 0 && i + 1 < variables.Length)
                length = rest.IndexOf((byte)'/'); // $host$request_uri: the URI begins at the first '/'
            else if (next.Length == 0)
                length = rest.Length; // the last variable runs to the end of the line
            else
                length = End(rest, next, NginxVars.IsList(variable));
            if (length < 0)
            {
                rejection = LineRejection.FormatMismatch(
                    $"no '{LineRejection.Excerpt(next)}' after ${_plan.VariableNames[i]} (byte {pos + 1}), as the log_format has it");
                return false;
            }
            var value = rest[..length];
            if (variable != NginxVar.Other) v.Set(variable, new FieldSpan(pos, length, FieldKind.Bare, value.IndexOf((byte)'\\') >= 0));
            pos += length + next.Length;
        }

        // Time, then status: without both the line is no request.
        var r = target.Requests;
        var row = target.PendingRequest;
        DateTime time;
        int offset;
        var msec = Missing.Double;
        if (v.Has(NginxVar.Msec) && Utf8Values.TryDouble(Slice(line, v[NginxVar.Msec]), out var m)) msec = m;
        var timeVar = v.Has(NginxVar.TimeLocal) ? NginxVar.TimeLocal : v.Has(NginxVar.TimeIso8601) ? NginxVar.TimeIso8601 : NginxVar.Msec;
        var timeText = Slice(line, v[timeVar]);
        var ok = timeVar switch
        {
            NginxVar.TimeLocal => target.Timestamps.TryNginxLocal(timeText, out time, out offset),
            NginxVar.TimeIso8601 => target.Timestamps.TryIso(timeText, out time, out offset),
            _ => TimeFromMsec(msec, out time, out offset),
        };
        if (!ok)
        {
            rejection = LineRejection.BadTimestamp(timeText);
            return false;
        }
        var statusField = Slice(line, v[NginxVar.Status]);
        if (!Utf8Values.TryStatus(statusField, out var status))
        {
            rejection = LineRejection.BadStatus(statusField);
            return false;
        }

        var s = new FieldReader(line, target);
        var bodyBytes = Missing.Long;
        var bytes = Missing.Long;
        var requestLength = Missing.Long;
        var requestTime = Missing.Double;
        if ((v.Has(NginxVar.BodyBytesSent) && !s.Long(v[NginxVar.BodyBytesSent], "body_bytes_sent", out bodyBytes)) ||
            (v.Has(NginxVar.BytesSent) && !s.Long(v[NginxVar.BytesSent], "bytes_sent", out bytes)) ||
            (v.Has(NginxVar.RequestLength) && !s.Long(v[NginxVar.RequestLength], "request_length", out requestLength)) ||
            (v.Has(NginxVar.RequestTime) && !s.Duration(v[NginxVar.RequestTime], "request_time", out requestTime)))
        {
            rejection = s.Rejection;
            return false;
        }

        if (!Attempts.Check(line, v[NginxVar.UpstreamStatus], v[NginxVar.UpstreamConnectTime], v[NginxVar.UpstreamHeaderTime],
                v[NginxVar.UpstreamResponseTime], v[NginxVar.UpstreamAddr], target, out rejection))
            return false;

        r.Time.Add(time);
        r.OffsetMinutes.Add(offset);
        r.Status.Add(status);
        // A minimal parse (a streamed investigation) keeps none of these: the numbers above are still read, so it
        // rejects the lines a load rejects.
        if (!target.Minimal) ReadDescriptiveFields(line, pos, v, ref s, r, row, msec, bodyBytes, bytes, requestLength, requestTime);
        if (v.Has(NginxVar.ServerAddr)) r.EipAddress.Add(s.String(v[NginxVar.ServerAddr]));
        if (v.Has(NginxVar.ServerPort)) r.EipPort.Add(s.LenientInt(v[NginxVar.ServerPort]));

        // The listener is the virtual server: $server_name, else the host the client asked for.
        s.AddIfUnset(r.ListenerName, row, v[NginxVar.ServerName], v.Has(NginxVar.ServerName));
        s.AddIfUnset(r.ListenerName, row, v[NginxVar.Host], v.Has(NginxVar.Host));
        s.AddIfUnset(r.ListenerName, row, v[NginxVar.HttpHost], v.Has(NginxVar.HttpHost));
        var listener = r.ListenerName.At(row);
        var pool = v.Has(NginxVar.ProxyHost) ? s.String(v[NginxVar.ProxyHost]) : null;
        var method = target.Minimal ? null : r.Method.At(row);
        var firstAttempt = target.Attempts.Count;

        string? group = null;
        if (v.Has(NginxVar.UpstreamAddr) || v.Has(NginxVar.UpstreamStatus))
            group = Attempts.Expand(line, v[NginxVar.UpstreamAddr], default,
                new AttemptRequest(time, listener, pool, status, method), target, skipGroupNames: true);
        else
            r.UpstreamAttempts.Add(Missing.Int); // the log_format records no upstream: whether one was tried is unknown, not "none"
        r.PoolName.Add(pool ?? group);
        // $remote_addr and the request's endpoint: whom a failing or slow backend hurt; a minimal parse reads them only
        // where that may be asked.
        if (target.WantsClient(status, firstAttempt))
        {
            if (v.Has(NginxVar.RemoteAddr)) r.ClientIp.Add(s.String(v[NginxVar.RemoteAddr]));
            if (v.Has(NginxVar.RemotePort)) r.ClientPort.Add(s.LenientInt(v[NginxVar.RemotePort]));
            if (target.Minimal) MethodAndUri(v, ref s, r, row, methodAndUriOnly: true);
        }
        else FieldReader.NoClient(r);

        rejection = default;
        return true;
    }

    /// <summary>
    /// The request's method and URI: <c>$request</c> first, the separate variables fill only what it did not. The rest of
    /// <c>$request</c> (scheme, host, protocol) too unless <paramref name="methodAndUriOnly"/> (a minimal parse's endpoint).
    /// </summary>
    private static void MethodAndUri(scoped Values v, ref FieldReader s, RequestColumns r, int row, bool methodAndUriOnly)
    {
        if (v.Has(NginxVar.Request)) s.RequestLine(v[NginxVar.Request], r, methodAndUriOnly);
        s.AddIfUnset(r.Method, row, v[NginxVar.RequestMethod], v.Has(NginxVar.RequestMethod));
        s.AddIfUnset(r.Uri, row, v[NginxVar.RequestUri], v.Has(NginxVar.RequestUri));
        s.AddIfUnset(r.Uri, row, v[NginxVar.Uri], v.Has(NginxVar.Uri));
    }

    /// <summary>The fields only a full load keeps: what the request was, from whom and over what.</summary>
    [MethodImpl(HotPath.Optimized)]
    private static void ReadDescriptiveFields(scoped ReadOnlySpan<byte> line, int pos, scoped Values v, ref FieldReader s,
        RequestColumns r, int row, double msec, long bodyBytes, long bytes, long requestLength, double requestTime)
    {
        r.Msec.Add(msec);
        r.BodyBytesSent.Add(bodyBytes);
        r.BytesSent.Add(bytes);
        r.RequestLength.Add(requestLength);
        r.RequestTime.Add(requestTime);

        MethodAndUri(v, ref s, r, row, methodAndUriOnly: false);
        s.AddIfUnset(r.Scheme, row, v[NginxVar.Scheme], v.Has(NginxVar.Scheme));
        s.AddIfUnset(r.Host, row, v[NginxVar.Host], v.Has(NginxVar.Host));
        s.AddIfUnset(r.Host, row, v[NginxVar.HttpHost], v.Has(NginxVar.HttpHost));
        s.AddIfUnset(r.Protocol, row, v[NginxVar.ServerProtocol], v.Has(NginxVar.ServerProtocol));

        // Unique values ($request_id) are kept as bytes and made strings when read, repeated ones pooled.
        if (v.Has(NginxVar.HttpUserAgent)) s.AddString(v[NginxVar.HttpUserAgent], r.UserAgent);
        if (v.Has(NginxVar.HttpReferer)) s.AddString(v[NginxVar.HttpReferer], r.Referer);
        if (v.Has(NginxVar.HttpXForwardedFor)) s.AddString(v[NginxVar.HttpXForwardedFor], r.XForwardedFor);
        if (v.Has(NginxVar.SslProtocol)) s.AddString(v[NginxVar.SslProtocol], r.SslProtocol);
        if (v.Has(NginxVar.SslCipher)) s.AddString(v[NginxVar.SslCipher], r.SslCipher);
        if (v.Has(NginxVar.SslServerName)) s.AddString(v[NginxVar.SslServerName], r.SniDomainName);
        if (v.Has(NginxVar.RequestId)) s.AddString(v[NginxVar.RequestId], r.TraceId);

        if (pos < line.Length && line[pos..].Trim((byte)' ') is { IsEmpty: false } extra)
            s.AddText(extra, r.ExtraFields);
    }

    /// <summary>
    /// Where a value ends: the first place the next literal follows. Inside an upstream list a space that belongs
    /// to a <c>", "</c> or <c>" : "</c> separator ends nothing.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private static int End(ReadOnlySpan<byte> rest, ReadOnlySpan<byte> next, bool list)
    {
        var from = 0;
        while (true)
        {
            var at = rest[from..].IndexOf(next);
            if (at < 0) return -1;
            at += from;
            if (!list || next[0] != (byte)' ' || !IsListSeparator(rest, at)) return at;
            from = at + 1;
        }
    }

    private static bool IsListSeparator(ReadOnlySpan<byte> rest, int space) =>
        (space > 0 && rest[space - 1] == (byte)',') ||
        (rest.Length > space + 2 && rest[space + 1] == (byte)':' && rest[space + 2] == (byte)' ') ||
        (space > 1 && rest[space - 1] == (byte)':' && rest[space - 2] == (byte)' ');

    private static bool TimeFromMsec(double msec, out DateTime time, out int offset)
    {
        offset = 0;
        return Utf8Values.TryEpochSeconds(msec, out time);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> line, FieldSpan field) => line.Slice(field.Start, field.Length);

    private static LineRejection Mismatch(int position, ReadOnlySpan<byte> expected) =>
        LineRejection.FormatMismatch($"expected '{LineRejection.Excerpt(expected)}' at byte {position + 1}, as the log_format has it");

    /// <summary>Where each mapped variable's value is in the line, and whether the format had it.</summary>
    private readonly ref struct Values(Span<FieldSpan> spans, Span<bool> seen)
    {
        private readonly Span<FieldSpan> _spans = spans;
        private readonly Span<bool> _seen = seen;

        public FieldSpan this[NginxVar variable] => _spans[(int)variable];

        public bool Has(NginxVar variable) => _seen[(int)variable];

        public void Set(NginxVar variable, FieldSpan value)
        {
            _spans[(int)variable] = value;
            _seen[(int)variable] = true;
        }
    }
}
