using System.Numerics;
using System.Runtime.Intrinsics;

namespace ElbNotebooks.Loading;

/// <summary>
/// Turns every lone CR (a CR not followed by an LF) into an LF, wherever it is: the records of a file whose lines end
/// with CR alone (old Mac tools, some exports), or of a CR-only section appended to an LF file, are lines instead of one
/// long line whose records after the first would be lost. nginx, and the Huawei ELB built on it, escape control
/// characters inside values (a CR is written <c>\x0D</c>), so a raw CR is no part of a value. LF and CRLF endings pass
/// through untouched; a CR that ends the input is left to the parser, which drops a CR at a line's end.
/// </summary>
internal sealed class CrOnlyLineEndings(Stream inner) : ForwardOnlyStream
{
    private int _held = -1; // a byte read ahead to see what follows a CR that ended a read

    /// <summary>True once a lone CR was read as a line ending.</summary>
    public bool Translated { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        int read;
        if (_held >= 0)
        {
            buffer[0] = (byte)_held;
            _held = -1;
            read = 1 + inner.Read(buffer[1..]);
        }
        else
        {
            read = inner.Read(buffer);
        }
        var bytes = buffer[..read];
        // An LF file holds no CR: one vectorised search, and it is returned as read.
        var cr = bytes.IndexOf((byte)'\r');
        while (cr >= 0 && IndexOfLoneCr(bytes[cr..]) is var lone and >= 0)
        {
            cr += lone;
            if (cr == bytes.Length - 1 && !EndsLine()) break;
            bytes[cr] = (byte)'\n';
            Translated = true;
            cr++;
        }
        return read;
    }

    /// <summary>
    /// Whether a CR that ended a read is a lone one: reads the byte after it and holds it for the next read. A CR that
    /// ends the input is left as it is: the parser drops it, and a CRLF file cut between CR and LF is no CR-only file.
    /// </summary>
    private bool EndsLine()
    {
        Span<byte> next = stackalloc byte[1];
        if (inner.Read(next) == 0) return false;
        _held = next[0];
        return next[0] != (byte)'\n';
    }

    /// <summary>
    /// The first CR not followed by an LF, else -1; a CR in the last byte counts (what follows it is not known here).
    /// A CRLF file has a CR on every line: compared 32 bytes at a time, with the bytes one further, it is one pass.
    /// </summary>
    internal static int IndexOfLoneCr(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var cr = Vector256.Create((byte)'\r');
            var lf = Vector256.Create((byte)'\n');
            for (; i + Vector256<byte>.Count < bytes.Length; i += Vector256<byte>.Count)
            {
                var lone = Vector256.Equals(Vector256.Create(bytes.Slice(i, Vector256<byte>.Count)), cr)
                    & ~Vector256.Equals(Vector256.Create(bytes.Slice(i + 1, Vector256<byte>.Count)), lf);
                if (lone != Vector256<byte>.Zero) return i + BitOperations.TrailingZeroCount(lone.ExtractMostSignificantBits());
            }
        }
        for (; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\r' && (i + 1 == bytes.Length || bytes[i + 1] != (byte)'\n'))
                return i;
        return -1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
