namespace ElbNotebooks.Parsing;

/// <summary>
/// Expands the upstream lists of one request into attempts, matched by position: the n-th status, connect, header
/// and response time and address belong to the n-th backend tried. The last attempt is what the client got, and
/// the request row carries it.
/// </summary>
internal static class Attempts
{
    public static void Expand(
        ReadOnlySpan<byte> line,
        FieldSpan statusField, FieldSpan connectField, FieldSpan headerField, FieldSpan responseField,
        FieldSpan addrField, FieldSpan privField,
        DateTime time, int clientStatus, string? listener, string? pool, string? method, ParseTarget target)
    {
        var statuses = line.Slice(statusField.Start, statusField.Length);
        var addrs = line.Slice(addrField.Start, addrField.Length);
        var privs = privField.Length > 0 ? line.Slice(privField.Start, privField.Length) : default;
        var count = Math.Max(UpstreamList.Count(statuses), UpstreamList.Count(addrs));

        var r = target.Requests;
        r.UpstreamAttempts.Add(count);
        if (count == 0) return; // answered by the load balancer itself: no backend to charge

        var statusList = new UpstreamList(statuses);
        var connectList = new UpstreamList(line.Slice(connectField.Start, connectField.Length));
        var headerList = new UpstreamList(line.Slice(headerField.Start, headerField.Length));
        var responseList = new UpstreamList(line.Slice(responseField.Start, responseField.Length));
        var addrList = new UpstreamList(Utf8Values.IsDash(addrs) ? default : addrs);
        var privList = new UpstreamList(Utf8Values.IsDash(privs) ? default : privs);

        var a = target.Attempts;
        var request = target.PendingRequest;
        for (var i = 0; i < count; i++)
        {
            var status = Int(ref statusList);
            var connect = Double(ref connectList);
            var header = Double(ref headerList);
            var response = Double(ref responseList);
            var backend = String(ref addrList, target.Strings);
            var backendPrivate = String(ref privList, target.Strings);
            var isFinal = i == count - 1;

            a.Request.Add(request);
            a.Attempt.Add(i);
            a.IsFinal.Add(isFinal);
            a.Time.Add(time);
            a.Listener.Add(listener);
            a.Pool.Add(pool);
            a.Backend.Add(backend);
            a.BackendPrivate.Add(backendPrivate);
            a.Status.Add(status);
            a.ConnectTime.Add(connect);
            a.HeaderTime.Add(header);
            a.ResponseTime.Add(response);
            a.ClientStatus.Add(clientStatus);
            a.Method.Add(method);
            a.CommitRow();

            if (!isFinal) continue;
            r.UpstreamStatus.Add(status);
            r.UpstreamConnectTime.Add(connect);
            r.UpstreamHeaderTime.Add(header);
            r.UpstreamResponseTime.Add(response);
            r.UpstreamAddr.Add(backend);
        }
    }

    private static int Int(ref UpstreamList list) =>
        list.TryNext(out var item) && Utf8Values.TryInt(item, out var value) ? value : Missing.Int;

    private static double Double(ref UpstreamList list) =>
        list.TryNext(out var item) && Utf8Values.TryDouble(item, out var value) ? value : Missing.Double;

    private static string? String(ref UpstreamList list, StringPool strings) =>
        list.TryNext(out var item) && !item.IsEmpty && !Utf8Values.IsDash(item) ? strings.Get(item) : null;
}
