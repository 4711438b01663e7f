using System.Text;
using System.Text.Json;

namespace ElbNotebooks.Loading;

/// <summary>
/// The parse report as JSON keys, the same in <c>investigate --json</c> and <c>load --json</c>: parse_report (the
/// terminal's line), out_of_range, replaced_encoding, rejected_by_reason, formats{name: files, lines, parsed},
/// inputs[...] (each file's format, counts, error and note), problems[...] (file, kind, message) and examples[...] (the
/// first rejected lines of each reason: file, line, reason, detail, text).
/// </summary>
internal static class ParseReportJson
{
    /// <summary>One JSON document written by <paramref name="write"/>, in the style of every <c>--json</c>.</summary>
    public static string Document(bool indented, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            // Readable (+08:00, not \u002B08:00); still valid JSON: quotes, backslashes and control characters are escaped.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
            write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The <c>load --json</c> document: the log's counts and span, and the parse report.</summary>
    public static string Load(AccessLog log, bool indented) => Document(indented, w =>
    {
        var report = log.Report;
        w.WriteStartObject();
        w.WriteString("format", log.Format);
        w.WriteNumber("lines", report.Lines);
        w.WriteNumber("parsed", report.Parsed);
        w.WriteNumber("rejected", report.Rejected);
        w.WriteNumber("blank", report.Blank);
        w.WriteNumber("requests", log.RequestCount);
        w.WriteNumber("attempts", log.AttemptCount);
        JsonTimes.Write(w, "from", log.From);
        JsonTimes.Write(w, "to", log.To);
        w.WriteString("utc_offset", Offsets.Format(log.UtcOffset));
        WriteKeys(log.Report, w);
        w.WriteEndObject();
    });

    /// <summary>The parse report's keys, inside an object the caller opened.</summary>
    public static void WriteKeys(ParseReport report, Utf8JsonWriter w)
    {
        w.WriteString("parse_report", report.Summary);
        w.WriteNumber("out_of_range", report.OutOfRange);
        w.WriteNumber("replaced_encoding", report.ReplacedEncoding);
        Counts(w, "rejected_by_reason", report.RejectionsByReason);

        w.WriteStartObject("formats");
        foreach (var format in report.ByFormat)
        {
            w.WriteStartObject(format.Format);
            w.WriteNumber("files", format.Files);
            w.WriteNumber("lines", format.Lines);
            w.WriteNumber("parsed", format.Parsed);
            w.WriteEndObject();
        }
        w.WriteEndObject();

        w.WriteStartArray("inputs");
        foreach (var file in report.Files)
        {
            w.WriteStartObject();
            w.WriteString("file", file.File);
            w.WriteString("format", file.Format);
            w.WriteNumber("lines", file.Lines);
            w.WriteNumber("parsed", file.Parsed);
            w.WriteNumber("rejected", file.Rejected);
            w.WriteNumber("blank", file.Blank);
            w.WriteNumber("out_of_range", file.OutOfRange);
            w.WriteNumber("replaced_encoding", file.ReplacedEncoding);
            Counts(w, "rejected_by_reason", file.RejectionsByReason);
            w.WriteString("error", file.Error);
            w.WriteString("note", file.Note);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("problems");
        foreach (var problem in report.Problems)
        {
            w.WriteStartObject();
            w.WriteString("file", problem.File);
            w.WriteString("kind", problem.Kind);
            w.WriteString("message", problem.Message);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("examples");
        foreach (var example in report.Examples)
        {
            w.WriteStartObject();
            w.WriteString("file", example.File);
            w.WriteNumber("line", example.Line);
            w.WriteString("reason", example.Reason);
            w.WriteString("detail", example.Detail);
            w.WriteString("text", example.Text);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Counts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts) w.WriteNumber(key, count);
        w.WriteEndObject();
    }
}
