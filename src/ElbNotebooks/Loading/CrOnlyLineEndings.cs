namespace ElbNotebooks.Loading;

/// <summary>
/// Turns the lone CRs of a file whose lines end with CR alone (old Mac tools, some exports) into LFs, so its records
/// are lines instead of one long line. A file is taken as CR-only when its first bytes hold a CR that is not the last
/// byte read and no LF; CRLF files and LF files pass through untouched.
/// </summary>
internal sealed class CrOnlyLineEndings(Stream inner) : ForwardOnlyStream
{
    private bool? _translate;

    /// <summary>True once the file was found to end its lines with CR alone.</summary>
    public bool Translated => _translate == true;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        var bytes = buffer[..read];
        if (_translate is null && read > 0)
        {
            if (bytes.Contains((byte)'\n')) _translate = false;
            else if (bytes.IndexOf((byte)'\r') is var cr && cr >= 0 && cr < read - 1) _translate = true;
        }
        if (_translate == true) bytes.Replace((byte)'\r', (byte)'\n');
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
