using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// What every attempt of one request shares: when the request ended, the listener and pool it came through, the
/// status the client got and the method. Built once per request, on the stack, and passed by reference.
/// </summary>
internal readonly record struct AttemptRequest(DateTime Time, string? Listener, string? Pool, int ClientStatus, string? Method);

/// <summary>
/// One backend tried for a request: its address(es), the status it (or the load balancer for it) gave, and its
/// times in seconds. A value the log did not have is <see cref="Missing"/> (the defaults here), a missing address null.
/// </summary>
internal readonly struct Attempt
{
    public Attempt() { }

    /// <summary>The backend's <c>ip:port</c> as logged; null when none was written.</summary>
    public string? Backend { get; init; }

    /// <summary>The backend's private <c>ip:port</c> (Huawei shared load balancers); null otherwise.</summary>
    public string? BackendPrivate { get; init; }

    /// <summary>The attempt's status: the backend's, or the one the load balancer wrote for it (502, 504).</summary>
    public int Status { get; init; } = Missing.Int;

    /// <summary>Seconds to connect to the backend.</summary>
    public double Connect { get; init; } = Missing.Double;

    /// <summary>Seconds to the backend's response header; missing when the backend did not answer.</summary>
    public double Header { get; init; } = Missing.Double;

    /// <summary>Seconds to the backend's whole response.</summary>
    public double Response { get; init; } = Missing.Double;
}

/// <summary>
/// Expands the upstream lists of one request into attempts, matched by position: the n-th status, connect, header
/// and response time and address belong to the n-th backend tried. The last attempt is what the client got, and
/// the request row carries it.
/// </summary>
internal static class Attempts
{
    /// <summary>
    /// One attempt per item of the upstream lists. With <paramref name="skipGroupNames"/> (nginx), an address item
    /// that is not <c>host:port</c> or <c>unix:</c> is the upstream group's name, written when no server could be
    /// selected: it is no attempt, and the first such name is returned so the caller can use it as the pool. The
    /// statuses and times are those <see cref="Check"/> read from the same line.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static string? Expand(
        ReadOnlySpan<byte> line, FieldSpan addrField, FieldSpan privField,
        AttemptRequest request, ParseTarget target, bool skipGroupNames = false)
    {
        var values = target.Upstream;
        var addrs = line.Slice(addrField.Start, addrField.Length);
        var privs = privField.Length > 0 ? line.Slice(privField.Start, privField.Length) : default;
        var items = Math.Max(values.Status.Count, values.Addresses);
        var addrList = new UpstreamList(Utf8Values.IsDash(addrs) ? default : addrs);

        string? groupName = null;
        var count = items;
        if (skipGroupNames)
        {
            var scan = addrList;
            for (var i = 0; i < items && scan.TryNext(out var item); i++)
            {
                if (!IsGroupName(item)) continue;
                count--;
                groupName ??= target.Strings.Get(item);
            }
            if (request.Pool is null && groupName is not null) request = request with { Pool = groupName };
        }

        var r = target.Requests;
        r.UpstreamAttempts.Add(count);
        if (count == 0) return groupName; // answered by the load balancer itself: no backend to charge

        var privList = new UpstreamList(Utf8Values.IsDash(privs) ? default : privs);

        var attempt = 0;
        for (var i = 0; i < items; i++)
        {
            var status = values.Status.At(i);
            var connect = values.Connect.At(i);
            var header = values.Header.At(i);
            var response = values.Response.At(i);
            var hasAddr = addrList.TryNext(out var addr);
            // Judging never reads the private address: a minimal parse skips making it.
            var backendPrivate = target.Minimal ? Skip(ref privList) : String(ref privList, target.Strings);
            if (skipGroupNames && hasAddr && IsGroupName(addr)) continue;

            var backend = hasAddr && !addr.IsEmpty && !Utf8Values.IsDash(addr) ? target.Strings.Get(addr) : null;
            Add(target, request, attempt, attempt == count - 1, new Attempt
            {
                Backend = backend, BackendPrivate = backendPrivate, Status = status, Connect = connect, Header = header, Response = response,
            });
            attempt++;
        }
        return groupName;
    }

    /// <summary>
    /// Whether the upstream lists can be matched by position: every list has one item per address, or is a lone
    /// <c>-</c> (nothing measured); with no address (<c>-</c>) a list holds at most one item. Each status item is
    /// <c>-</c> or 100-599 and each time item <c>-</c> or a sane duration. Checked before anything of the line is kept.
    /// </summary>
    /// <remarks>
    /// The values it reads are kept in <paramref name="target"/>'s <see cref="ParseTarget.Upstream"/> for
    /// <see cref="Expand"/> of the same line, which would otherwise parse them all again.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    public static bool Check(
        ReadOnlySpan<byte> line, FieldSpan statusField, FieldSpan connectField, FieldSpan headerField, FieldSpan responseField,
        FieldSpan addrField, ParseTarget target, out LineRejection rejection)
    {
        var values = target.Upstream;
        var addrs = values.Addresses = UpstreamList.Count(line.Slice(addrField.Start, addrField.Length));
        if (!CheckList(line, statusField, "upstream_status", addrs, values.Status, out rejection) ||
            !CheckList(line, connectField, "upstream_connect_time", addrs, values.Connect, out rejection) ||
            !CheckList(line, headerField, "upstream_header_time", addrs, values.Header, out rejection) ||
            !CheckList(line, responseField, "upstream_response_time", addrs, values.Response, out rejection))
            return false;
        rejection = default;
        return true;
    }

    [MethodImpl(HotPath.Optimized)]
    private static bool CheckList<T>(ReadOnlySpan<byte> line, FieldSpan field, string name, int addrs, UpstreamValues.ListValues<T> values,
        out LineRejection rejection) where T : struct
    {
        rejection = default;
        values.Clear();
        var value = line.Slice(field.Start, field.Length);
        if (value.IsEmpty || Utf8Values.IsDash(value)) return true;
        var list = new UpstreamList(value);
        while (list.TryNext(out var item))
        {
            if (Utf8Values.IsDash(item))
            {
                values.AddMissing();
                continue;
            }
            if (typeof(T) == typeof(int))
            {
                if (Utf8Values.TryStatus(item, out var status))
                {
                    values.Add((T)(object)status);
                    continue;
                }
                rejection = LineRejection.BadStatus(item);
                return false;
            }
            if (Utf8Values.TryDouble(item, out var seconds) && Utf8Values.IsDuration(seconds))
            {
                values.Add((T)(object)seconds);
                continue;
            }
            rejection = LineRejection.BadDuration(name, item);
            return false;
        }
        if (values.Count == addrs || (addrs == 0 && values.Count == 1)) return true;
        rejection = LineRejection.UpstreamMismatch(name, values.Count, addrs);
        return false;
    }

    /// <summary>
    /// Appends one attempt of the pending request; the final one also fills the request's upstream columns
    /// (the caller adds <c>upstream_attempts</c>).
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static void Add(ParseTarget target, in AttemptRequest request, int index, bool isFinal, in Attempt attempt)
    {
        var a = target.Attempts;
        a.Request.Add(target.PendingRequest);
        a.Attempt.Add(index);
        a.IsFinal.Add(isFinal);
        a.Time.Add(request.Time);
        a.Listener.Add(request.Listener);
        a.Pool.Add(request.Pool);
        a.Backend.Add(attempt.Backend);
        a.BackendPrivate.Add(attempt.BackendPrivate);
        a.Status.Add(attempt.Status);
        a.ConnectTime.Add(attempt.Connect);
        a.HeaderTime.Add(attempt.Header);
        a.ResponseTime.Add(attempt.Response);
        a.ClientStatus.Add(request.ClientStatus);
        a.Method.Add(request.Method);
        a.CommitRow();

        if (!isFinal) return;
        var r = target.Requests;
        r.UpstreamStatus.Add(attempt.Status);
        r.UpstreamConnectTime.Add(attempt.Connect);
        r.UpstreamHeaderTime.Add(attempt.Header);
        r.UpstreamResponseTime.Add(attempt.Response);
        r.UpstreamAddr.Add(attempt.Backend);
    }

    /// <summary>An upstream group's name: neither <c>host:port</c>, <c>[v6]:port</c> nor <c>unix:/path</c>.</summary>
    private static bool IsGroupName(ReadOnlySpan<byte> addr) =>
        !addr.IsEmpty && !Utf8Values.IsDash(addr) && Utf8Bytes.IndexOf(addr, (byte)':') < 0;

    [MethodImpl(HotPath.Optimized)]
    private static string? Skip(ref UpstreamList list)
    {
        list.TryNext(out _);
        return null;
    }

    [MethodImpl(HotPath.Optimized)]
    private static string? String(ref UpstreamList list, StringPool strings) =>
        list.TryNext(out var item) && !item.IsEmpty && !Utf8Values.IsDash(item) ? strings.Get(item) : null;
}

/// <summary>
/// The upstream statuses and times of the line being parsed, as <see cref="Attempts.Check"/> read them, by position;
/// an item written as <c>-</c> is missing. Scratch space of one worker's <see cref="ParseTarget"/>.
/// </summary>
internal sealed class UpstreamValues
{
    /// <summary>Items of the address list (none for <c>-</c>).</summary>
    public int Addresses { get; set; }

    public ListValues<int> Status { get; } = new(Missing.Int);
    public ListValues<double> Connect { get; } = new(Missing.Double);
    public ListValues<double> Header { get; } = new(Missing.Double);
    public ListValues<double> Response { get; } = new(Missing.Double);

    /// <summary>One list's values; a list that is empty or a lone <c>-</c> has none.</summary>
    internal sealed class ListValues<T>(T missing) where T : struct
    {
        private T[] _items = new T[4];

        public int Count { get; private set; }

        public void Clear() => Count = 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(T value)
        {
            if (Count == _items.Length) Array.Resize(ref _items, Count * 2);
            _items[Count++] = value;
        }

        public void AddMissing() => Add(missing);

        /// <summary>The <paramref name="index"/>-th value; missing past the list's end, as for a <c>-</c> item.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T At(int index) => (uint)index < (uint)Count ? _items[index] : missing;
    }
}
