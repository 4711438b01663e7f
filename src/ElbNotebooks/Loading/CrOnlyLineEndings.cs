namespace ElbNotebooks.Loading;

/// <summary>
/// Turns the lone CRs of a file whose lines end with CR alone (old Mac tools, some exports) into LFs, so its records
/// are lines instead of one long line. A file is taken as CR-only when the first line ending in it is a CR not followed by an LF; CRLF files and LF files pass through untouched.
/// </summary>
internal sealed class CrOnlyLineEndings(Stream inner) : ForwardOnlyStream
{
    private bool? _translate;
    private int _held = -1; // a byte read ahead to see what follows a CR that ended a read

    /// <summary>True once the file was found to end its lines with CR alone.</summary>
    public bool Translated => _translate == true;

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
        if (_translate is null && read > 0) Decide(bytes);
        if (_translate == true) bytes.Replace((byte)'\r', (byte)'\n');
        return read;
    }

    /// <summary>CR-only when the first line ending seen is a CR not followed by LF.</summary>
    private void Decide(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0) return;
        if (bytes[end] == (byte)'\n')
        {
            _translate = false;
            return;
        }
        if (end < bytes.Length - 1)
        {
            _translate = bytes[end + 1] != (byte)'\n';
            return;
        }
        Span<byte> next = stackalloc byte[1];
        if (inner.Read(next) == 0)
        {
            _translate = true; // the file ends with this CR: as a line ending it changes nothing
            return;
        }
        _held = next[0];
        _translate = next[0] != (byte)'\n';
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
