namespace ElbNotebooks.Parsing;

/// <summary>Why a line is not a request. The kebab-case codes are stable: reports and docs use them.</summary>
internal enum RejectReason
{
    TooFewFields,
    UnterminatedQuote,
    BadTimestamp,
    BadStatus,
    BadNumber,
    LineTooLong,
    UnknownFormat,
    FormatMismatch,
    BadDuration,
    UpstreamMismatch,
    CutShort,
    TwoRecords,
}

internal static class RejectReasons
{
    public static string Code(this RejectReason reason) => reason switch
    {
        RejectReason.TooFewFields => "too-few-fields",
        RejectReason.UnterminatedQuote => "unterminated-quote",
        RejectReason.BadTimestamp => "bad-timestamp",
        RejectReason.BadStatus => "bad-status",
        RejectReason.BadNumber => "bad-number",
        RejectReason.LineTooLong => "line-too-long",
        RejectReason.UnknownFormat => "unknown-format",
        RejectReason.FormatMismatch => "format-mismatch",
        RejectReason.BadDuration => "bad-duration",
        RejectReason.UpstreamMismatch => "upstream-mismatch",
        RejectReason.CutShort => "cut-short",
        RejectReason.TwoRecords => "two-records",
        _ => reason.ToString(),
    };
}

/// <summary>A rejected line's reason, with a detail that names the field and what was found.</summary>
internal readonly record struct LineRejection(RejectReason Reason, string Detail)
{
    public static LineRejection TooFewFields(int found, int needed) =>
        new(RejectReason.TooFewFields, $"found {found} fields, a request needs at least {needed}");

    private static readonly string UnknownFormatDetail = "not a line of a known format (" + string.Join(", ", LogFormats.Names) + ")";

    /// <summary>A line of a named file whose format is none this version reads; one detail string for every such line.</summary>
    public static LineRejection UnknownFormat() => new(RejectReason.UnknownFormat, UnknownFormatDetail);

    /// <summary>
    /// Such a line that <paramref name="near"/> alone might have read, with its reason for refusing it: a file of
    /// damaged lines of one format says what is wrong with them.
    /// </summary>
    public static LineRejection UnknownFormat(string near, LineRejection refused) =>
        new(RejectReason.UnknownFormat, $"{UnknownFormatDetail}; read as {near}: {refused.Text}");

    /// <summary><c>code: detail</c>, as a message quotes a rejection.</summary>
    public string Text => $"{Reason.Code()}: {Detail}";

    public static LineRejection UnterminatedQuote() =>
        new(RejectReason.UnterminatedQuote, "a quoted or bracketed value is not closed");

    public static LineRejection Unquoted(int field, string name) =>
        new(RejectReason.UnterminatedQuote, $"field {field} ({name}) is not quoted: a quote before it is not closed, so the fields after it would shift");

    public static LineRejection BadTimestamp(ReadOnlySpan<byte> value) =>
        new(RejectReason.BadTimestamp, $"time is not ISO-8601 with an offset: '{Excerpt(value)}'");

    public static LineRejection BadStatus(ReadOnlySpan<byte> value) =>
        new(RejectReason.BadStatus, $"status is not an HTTP status code (100-599): '{Excerpt(value)}'");

    public static LineRejection BadNumber(string field, ReadOnlySpan<byte> value) =>
        new(RejectReason.BadNumber, $"{field} is not a number: '{Excerpt(value)}'");

    public static LineRejection BadDuration(string field, ReadOnlySpan<byte> value) =>
        new(RejectReason.BadDuration, $"{field} is not a time of 0 to {Utf8Values.MaxDurationSeconds:0} seconds: '{Excerpt(value)}'");

    public static LineRejection UpstreamMismatch(string list, int items, int addresses) =>
        new(RejectReason.UpstreamMismatch, $"{list} has {items} item(s) but upstream_addr has {addresses}: attempts cannot be matched");

    /// <summary>
    /// The line has fewer fields than the file's layout (<see cref="ParseTarget.LayoutFields"/>): it was cut short, as
    /// the last line of a log still being written or of a copy made while it grew.
    /// </summary>
    public static LineRejection CutShort(int found, int layout) =>
        new(RejectReason.CutShort, $"found {found} fields, the file's lines have {layout}: the line was cut short (written or copied while it was being written?)");

    /// <summary>A second record starts inside the line (at 1-based <paramref name="at"/>): the line ending between them was lost.</summary>
    public static LineRejection TwoRecords(int at, ReadOnlySpan<byte> start) =>
        new(RejectReason.TwoRecords, $"a second record starts at byte {at:N0} ('{Excerpt(start)}'): two records on one line, the line ending between them is missing");

    /// <summary>The line does not have the shape the format describes (a separator or a keyword is not where expected).</summary>
    public static LineRejection FormatMismatch(string detail) => new(RejectReason.FormatMismatch, detail);

    public static LineRejection LineTooLong(long bytes, long limit) =>
        new(RejectReason.LineTooLong, $"line of {bytes:N0}+ bytes is longer than the {limit:N0}-byte limit");

    internal static string Excerpt(ReadOnlySpan<byte> value, int max = 60)
    {
        var text = Printable(System.Text.Encoding.UTF8.GetString(value.Length > max ? value[..max] : value));
        return value.Length > max ? text + "…" : text;
    }

    /// <summary>
    /// The text with its control characters written as <c>\xHH</c> (tab kept): an excerpt of a damaged line is shown on
    /// terminals, and an escape sequence in it (ESC, BEL) would otherwise act there, retitling or clearing the screen.
    /// </summary>
    internal static string Printable(string text)
    {
        if (!text.Any(IsControl)) return text;
        var printable = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
            if (IsControl(c)) printable.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else printable.Append(c);
        return printable.ToString();
    }

    private static bool IsControl(char c) => c != '\t' && char.IsControl(c);
}
