using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ElbNotebooks.Tests.Loading.Buckets;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the S3 server: it records every request line the client sends (what was
/// listed and fetched, seen on the wire) and can drop the connection in the middle of a response, as a flaky network
/// does. The client sends only GETs through it, which have no body, so request lines are all it has to find.
/// </summary>
internal sealed partial class RecordingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private int _cutsLeft;
    private string? _cutPath;
    private int _cutAfter;

    public RecordingProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Paths of the objects fetched (GETs without a query), URL-decoded.</summary>
    public IReadOnlyList<string> ObjectGets =>
        Requests.Where(r => r.StartsWith("GET ", StringComparison.Ordinal) && !r.Contains('?', StringComparison.Ordinal))
            .Select(r => Uri.UnescapeDataString(r[4..])).ToList();

    /// <summary>The next <paramref name="times"/> responses to a GET of a path ending with <paramref name="pathEnd"/> stop after <paramref name="bytes"/> bytes.</summary>
    public void Cut(string pathEnd, int bytes, int times)
    {
        _cutPath = pathEnd;
        _cutAfter = bytes;
        _cutsLeft = times;
    }

    /// <summary>The next <paramref name="times"/> GETs of a path ending with <paramref name="pathEnd"/> are answered
    /// 503 SlowDown by the proxy itself, as S3 answers a client it throttles.</summary>
    public void Throttle(string pathEnd, int times)
    {
        _throttlePath = pathEnd;
        _throttlesLeft = times;
    }

    private string? _throttlePath;
    private int _throttlesLeft;

    private static readonly byte[] SlowDown = System.Text.Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: 125\r\nConnection: close\r\n\r\n" +
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");

    [GeneratedRegex(@"(GET|HEAD|PUT|POST|DELETE) (\S+) HTTP/1\.1\r\n")]
    private static partial Regex RequestLine();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, _target);
        var fromClient = client.GetStream();
        var toServer = server.GetStream();
        var cut = new CutState();
        var up = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await fromClient.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    foreach (Match m in RequestLine().Matches(Encoding.ASCII.GetString(buffer, 0, n)))
                    {
                        var line = m.Groups[1].Value + " " + m.Groups[2].Value;
                        Requests.Enqueue(line);
                        if (_throttlePath is { } slow && m.Groups[1].Value == "GET" && Uri.UnescapeDataString(m.Groups[2].Value).EndsWith(slow, StringComparison.Ordinal)
                            && Interlocked.Decrement(ref _throttlesLeft) >= 0)
                        {
                            await fromClient.WriteAsync(SlowDown, _stop.Token);
                            client.Client.Shutdown(SocketShutdown.Both);
                            return;
                        }
                        if (_cutPath is { } end && m.Groups[1].Value == "GET" && Uri.UnescapeDataString(m.Groups[2].Value).EndsWith(end, StringComparison.Ordinal)
                            && Interlocked.Decrement(ref _cutsLeft) >= 0)
                            cut.Remaining = _cutAfter;
                    }
                    await toServer.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
        });
        var down = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = await toServer.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    if (cut.Remaining is { } left)
                    {
                        if (n >= left)
                        {
                            await fromClient.WriteAsync(buffer.AsMemory(0, left), _stop.Token);
                            // closed mid-response: the client has the bytes so far, then the connection ends
                            client.Client.Shutdown(SocketShutdown.Both);
                            client.Close();
                            server.Close();
                            return;
                        }
                        cut.Remaining = left - n;
                    }
                    await fromClient.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
        });
        await Task.WhenAny(up, down);
        client.Close();
        server.Close();
    }

    private sealed class CutState
    {
        public int? Remaining { get; set; }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
