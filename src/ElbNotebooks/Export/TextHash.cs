using System.Security.Cryptography;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>
/// An input's text as the load parses it (<see cref="LogText"/>: gunzipped, decoded to UTF-8, without a byte-order
/// mark, lone CRs made line endings): how many bytes, their SHA-256 and that of the first
/// <see cref="ContentHash.PrefixBytes"/>. A <c>.gz</c> and the plain file it was made of have the same text, and line N
/// of one is line N of the other.
/// </summary>
internal sealed record TextIdentity(long Bytes, string Sha256, string HeadSha256)
{
    /// <summary>Reads the input's text through again; null when it cannot be read whole.</summary>
    public static TextIdentity? Read(LogSource source)
    {
        try
        {
            using var text = new LogText(source.Open());
            using var hash = new TextHash(text, always: true);
            var buffer = new byte[1 << 16];
            while (hash.Read(buffer) > 0) { }
            return hash.Hashed();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The input's first <paramref name="bytes"/> bytes of text (fewer if it holds fewer); null when it cannot be read.</summary>
    public static byte[]? Head(LogSource source, int bytes)
    {
        try
        {
            using var text = new LogText(source.Open());
            var head = new byte[bytes];
            return head[..text.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>SHA-256 of the input's first <paramref name="bytes"/> bytes of text, hex; null when it holds fewer or cannot be read.</summary>
    public static string? PrefixSha256(LogSource source, long bytes)
    {
        try
        {
            using var text = new LogText(source.Open());
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            var left = bytes;
            while (left > 0)
            {
                var n = text.Read(buffer.AsSpan(0, (int)Math.Min(buffer.Length, left)));
                if (n == 0) return null;
                hash.AppendData(buffer, 0, n);
                left -= n;
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>
/// Passes an input's text to the load and hashes it on the way, but only when it differs from the raw bytes from its
/// start (gzip, UTF-16/32, a UTF-8 byte-order mark): a plain UTF-8 file's text is its bytes, which
/// <see cref="ContentHash"/> hashes already, so it is not hashed twice. Does not dispose the text: the load does.
/// </summary>
internal sealed class TextHash(LogText text, bool always = false) : ForwardOnlyStream
{
    private IncrementalHash? _content;
    private IncrementalHash? _head;
    private long _headBytes;
    private bool? _hashing;

    /// <summary>Bytes of text read.</summary>
    public long Bytes { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = text.Read(buffer);
        // Known once the first read returned: whether the input was gzip, wide text, or began with a byte-order mark.
        _hashing ??= always || text.Gzip || text.Decoded is not null || text.BomSkipped;
        if (_hashing == true && n > 0)
        {
            var read = buffer[..n];
            (_content ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).AppendData(read);
            if (_headBytes < ContentHash.PrefixBytes)
            {
                var take = (int)Math.Min(n, ContentHash.PrefixBytes - _headBytes);
                (_head ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).AppendData(read[..take]);
                _headBytes += take;
            }
        }
        Bytes += n;
        return n;
    }

    /// <summary>
    /// The text read, after the load read it: its own hashes when it was hashed, the raw bytes' (<paramref name="raw"/>)
    /// when they are the text (a plain UTF-8 file without a lone CR, read whole); null otherwise (a plain file with lone
    /// CRs: the caller reads its text again).
    /// </summary>
    public TextIdentity? Identity(ContentHash raw)
    {
        using (this)
        {
            if (_hashing == true) return Hashed();
            if (_hashing == false && !text.CrTranslated && raw.Bytes == Bytes) return new TextIdentity(raw.Bytes, raw.ContentSha256, raw.HeadSha256);
            return null;
        }
    }

    /// <summary>The hashes of the text read (empty text when nothing was).</summary>
    internal TextIdentity Hashed()
    {
        var content = _content?.GetHashAndReset() ?? SHA256.HashData([]);
        var head = _head?.GetHashAndReset() ?? SHA256.HashData([]);
        return new TextIdentity(Bytes, Convert.ToHexStringLower(content), Convert.ToHexStringLower(head));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content?.Dispose();
            _head?.Dispose();
        }
        base.Dispose(disposing);
    }
}
