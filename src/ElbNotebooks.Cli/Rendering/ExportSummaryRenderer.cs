using System.Globalization;
using ElbNotebooks.Export;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Cli.Rendering;

/// <summary>The <c>export</c> command's output: what was read, what was written where, and the rejected lines.</summary>
internal static class ExportSummaryRenderer
{
    public static void Write(ExportResult export, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(export.Report.Summary);
        output.WriteLine(string.Create(c,
            $"{export.Requests:N0} requests, {export.Attempts:N0} attempts exported in {export.Partitions:N0} partition(s) under {export.Directory}; " +
            $"{export.AlreadyExportedRequests:N0} requests ({export.AlreadyExportedAttempts:N0} attempts) skipped: already exported into this folder"));
        output.WriteLine(string.Create(c,
            $"{export.Written.Count():N0} file(s) written, {export.AlreadyPresent.Count():N0} already present (left untouched)"));
        foreach (var input in export.AlreadyExported)
            output.WriteLine(string.Create(c,
                $"already exported {input.Source}: {input.Requests:N0} request(s) skipped, exported before as {string.Join(", ", input.ExportedAs)}"));
        foreach (var file in export.Report.Damaged)
            output.WriteLine($"{file.ErrorKind ?? ProblemKinds.Unreadable} {file.File}: {file.Error}");
        foreach (var skipped in export.Report.SkippedFiles)
            output.WriteLine($"skipped {skipped.File}: {skipped.Reason}");
        foreach (var file in export.Report.Files.Where(f => f.Note is not null))
            output.WriteLine($"note {file.File}: {file.Note}");
        if (export.Report.Examples.Count > 0)
        {
            output.WriteLine("Rejected lines (first examples of each reason):");
            foreach (var example in export.Report.Examples)
                output.WriteLine($"  {example}");
        }
    }
}
