using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ElbNotebooks.Tests.Loading.Buckets;

/// <summary>
/// A test that needs the S3 server (npm package s3rver, installed by <c>npm ci --prefix tests/s3</c>). Without it the
/// test is skipped, with the reason, on a developer's machine; in CI (<c>CI=true</c>) it runs and fails loudly.
/// </summary>
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (S3Server.Missing() is { } why && !Reports.Chromium.InCi) Skip = why + " With CI=true this test fails instead.";
    }
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>
{
    public const string Name = "s3rver on loopback";
}

/// <summary>
/// s3rver, a real S3 API, started once for the bucket tests on a free port of 127.0.0.1 as a child process and
/// killed after them, with its data in a temporary folder. s3rver checks the access key (S3RVER) but not v4
/// signatures: a wrong key is refused with 403 InvalidAccessKeyId.
/// </summary>
public sealed class S3Server : IDisposable
{
    public const string AccessKey = "S3RVER";
    private static readonly string Folder = Path.Combine(TestPaths.RepoRoot, "tests", "s3");
    private static readonly string Script = Path.Combine(Folder, "node_modules", "s3rver", "bin", "s3rver.js");

    private readonly Process? _process;
    private readonly string _data = Directory.CreateTempSubdirectory("elb-s3rver-").FullName;

    public S3Server()
    {
        if (Missing() is { } why)
        {
            StartError = why;
            return;
        }
        Port = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // s3rver makes continuation tokens with DES, which OpenSSL 3 (Node 17 and later) keeps in its legacy provider.
        foreach (var a in new[] { "--openssl-legacy-provider", Script, "-d", _data, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
            start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!Listening() && DateTime.UtcNow < until && !_process.HasExited) Thread.Sleep(100);
        if (!Listening()) StartError = $"s3rver did not start on 127.0.0.1:{Port}: {string.Join('\n', _stderr)}";
        Endpoint = $"http://127.0.0.1:{Port}";
        // Before any client reads the shared files: the SDK keeps what it read.
        S3Profile.Ensure();
        Client = NewClient(Endpoint, AccessKey);
    }

    private readonly List<string> _stderr = [];

    public int Port { get; }
    public string Endpoint { get; } = "";
    public string? StartError { get; }
    public AmazonS3Client Client { get; } = null!;

    /// <summary>Why the server cannot run here, or null.</summary>
    public static string? Missing() =>
        File.Exists(Script) ? null : $"s3rver is not installed ({Script} missing): run npm ci --prefix tests/s3.";

    /// <summary>Throws, failing the test, when the server could not be started.</summary>
    public void Require()
    {
        if (StartError is not null) throw new InvalidOperationException(StartError);
    }

    public static AmazonS3Client NewClient(string endpoint, string accessKey) =>
        new(new BasicAWSCredentials(accessKey, accessKey), new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });

    public string NewBucket()
    {
        Require();
        var name = "elb-" + Guid.NewGuid().ToString("N")[..12];
        Client.PutBucketAsync(name).GetAwaiter().GetResult();
        return name;
    }

    public void Put(string bucket, string key, byte[] bytes)
    {
        using var body = new MemoryStream(bytes);
        Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, UseChunkEncoding = false })
            .GetAwaiter().GetResult();
    }

    public void Delete(string bucket, string key) =>
        Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }).GetAwaiter().GetResult();

    private bool Listening()
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
