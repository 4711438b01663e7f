using ElbNotebooks.Loading;
using System.Security.Cryptography;
using System.Text;

namespace ElbNotebooks.Export;

/// <summary>
/// Reads an input through, hashing its raw bytes (before any gunzip) on the way. Its first <see cref="PrefixBytes"/>
/// are read ahead and hashed on the first read, so <see cref="SourceKey"/> is known before the first row is written;
/// <see cref="PartName"/> needs the whole content and is known at the end.
/// </summary>
internal sealed class ContentHash(Stream inner, string baseName, string settings) : ForwardOnlyStream
{
    public const int PrefixBytes = 64 * 1024;

    private readonly IncrementalHash _content = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _prefix;
    private int _prefixServed;
    private string? _sourceKey;
    private string? _headSha256;
    private byte[]? _contentHash;

    /// <summary>Raw bytes read.</summary>
    public long Bytes { get; private set; }

    /// <summary>SHA-256 of every raw byte, hex. Call after the input was read.</summary>
    public string ContentSha256 => Convert.ToHexStringLower(_contentHash ?? _content.GetCurrentHash());

    /// <summary>SHA-256 of the first <see cref="PrefixBytes"/> raw bytes (all of them, if fewer), hex.</summary>
    public string HeadSha256 => _headSha256 ?? throw new InvalidOperationException("Nothing was read yet.");

    /// <summary>16 hex digits of SHA-256(base name, 0, the first 64 KiB): the prefix of every <c>request_id</c>.</summary>
    public string SourceKey => _sourceKey ?? throw new InvalidOperationException("Nothing was read yet.");

    /// <summary>
    /// Call after the input was read (the reader disposes it).
    /// <c>part-</c> + 16 hex digits of SHA-256(schema version, export settings, base name, every byte) + <c>.parquet</c>:
    /// the same input exported again maps to the same names, a changed or new input to new ones.
    /// </summary>
    public string PartName()
    {
        var header = Encoding.UTF8.GetBytes($"elb-notebooks/parquet/{ExportSchema.Version}\n{settings}\n{baseName}\n");
        var body = _contentHash ?? _content.GetCurrentHash();
        var all = SHA256.HashData([.. header, .. body]);
        return "part-" + Convert.ToHexStringLower(all.AsSpan(0, 8)) + ".parquet";
    }

    public override int Read(Span<byte> buffer)
    {
        if (_prefix is null) ReadPrefix();
        if (_prefixServed < _prefix!.Length)
        {
            var n = Math.Min(buffer.Length, _prefix.Length - _prefixServed);
            _prefix.AsSpan(_prefixServed, n).CopyTo(buffer);
            _prefixServed += n;
            return n;
        }
        var read = inner.Read(buffer);
        _content.AppendData(buffer[..read]);
        Bytes += read;
        return read;
    }

    private void ReadPrefix()
    {
        var prefix = new byte[PrefixBytes];
        var n = inner.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        _prefix = prefix[..n];
        _content.AppendData(_prefix);
        Bytes += n;
        var key = SHA256.HashData([.. Encoding.UTF8.GetBytes(baseName), 0, .. _prefix]);
        _sourceKey = Convert.ToHexStringLower(key.AsSpan(0, 8));
        _headSha256 = Convert.ToHexStringLower(SHA256.HashData(_prefix));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _contentHash ??= _content.GetHashAndReset();
            _content.Dispose();
        }
        base.Dispose(disposing);
    }
}
