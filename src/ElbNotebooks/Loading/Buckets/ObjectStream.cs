using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ElbNotebooks.Loading;

/// <summary>
/// An object's bytes as they arrive. A connection that drops mid-transfer is resumed where it stopped (a ranged GET
/// that must match the listed ETag), after a backoff, up to <see cref="BucketOptions.MaxAttempts"/> times; the
/// SDK retries the requests themselves (throttling, 5xx, refused connections) with its own backoff.
/// </summary>
internal sealed class ObjectStream(IAmazonS3 client, BucketObject o, BucketOptions options, CancellationToken cancel) : ForwardOnlyStream
{
    private GetObjectResponse? _response;
    private Stream? _body;
    private long _position;
    private int _drops;

    /// <summary>Opens the object now, so a missing object or a denial is reported when the input is opened.</summary>
    public ObjectStream Start()
    {
        _body ??= Open();
        return this;
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (buffer.IsEmpty) return 0;
            _body ??= Open();
            int n;
            try
            {
                n = _body.Read(buffer);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                Dropped(e.Message);
                continue;
            }
            if (n > 0)
            {
                _position += n;
                o.Fetched(n);
                return n;
            }
            if (_position >= o.Size) return 0;
            Dropped($"the response ended after {_position:N0} of {o.Size:N0} bytes");
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (buffer.IsEmpty) return 0;
            _body ??= await OpenAsync().ConfigureAwait(false);
            int n;
            try
            {
                n = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                await Task.Delay(Drop(e.Message), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (n > 0)
            {
                _position += n;
                o.Fetched(n);
                return n;
            }
            if (_position >= o.Size) return 0;
            await Task.Delay(Drop($"the response ended after {_position:N0} of {o.Size:N0} bytes"), cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Dropped(string why) => Thread.Sleep(Drop(why));

    /// <summary>Counts a dropped transfer; the backoff before resuming, or the error naming the object when it is the last try.</summary>
    private TimeSpan Drop(string why)
    {
        Close(_body);
        _body = null;
        _drops++;
        if (_drops >= options.MaxAttempts)
            throw new IOException($"{o.Name}: the transfer dropped {_drops} times, last after {_position:N0} of {o.Size:N0} bytes: {why}");
        return TimeSpan.FromMilliseconds(100 * (1 << _drops) + Random.Shared.Next(100));
    }

    private Stream Open() => OpenAsync().GetAwaiter().GetResult();

    private async Task<Stream> OpenAsync()
    {
        var request = new GetObjectRequest { BucketName = o.Bucket, Key = o.Key };
        if (_position > 0)
        {
            request.ByteRange = new ByteRange(_position, o.Size - 1);
            if (o.ETag is { } etag) request.EtagToMatch = etag;
        }
        try
        {
            _response = await client.GetObjectAsync(request, cancel).ConfigureAwait(false);
            return _response.ResponseStream;
        }
        catch (Exception e) when (Describe(e, o, options.MaxAttempts) is { } described)
        {
            throw described;
        }
    }

    /// <summary>What went wrong, as the exception the load pipeline reports for that input, naming the object.</summary>
    internal static Exception? Describe(Exception e, BucketObject o, int tries) => e switch
    {
        AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } s =>
            new FileNotFoundException($"{o.Name} was listed but is not there any more ({s.ErrorCode}): deleted after the listing?", o.Name),
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } s =>
            new UnauthorizedAccessException($"access denied to {o.Name} ({s.ErrorCode}: {s.Message})", s),
        AmazonServiceException { StatusCode: HttpStatusCode.PreconditionFailed } s =>
            new IOException($"{o.Name} changed while it was read: it no longer has the listed ETag {o.ETag}", s),
        AmazonServiceException s =>
            new IOException($"{o.Name}: {(int)s.StatusCode} {s.ErrorCode}: {s.Message} (up to {tries} tries)", s),
        AmazonClientException or HttpRequestException or IOException =>
            new IOException($"{o.Name}: {e.Message} (up to {tries} tries)", e),
        _ => null,
    };

    private void Close(Stream? body)
    {
        try
        {
            body?.Dispose();
            _response?.Dispose();
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // the connection is gone already
        }
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close(_body);
        base.Dispose(disposing);
    }
}
