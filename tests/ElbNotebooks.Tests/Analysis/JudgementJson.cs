using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// An investigation's <c>--json</c> less what only rows or the parse give (the parse report, example request rows,
/// where an outlier is written), times to the millisecond (the Parquet export keeps milliseconds): the judgement
/// a bucket table must reproduce.
/// </summary>
internal static partial class JudgementJson
{
    private static readonly string[] Judgement =
        ["from", "to", "utc_offset", "bucket_minutes", "requests", "time_outliers", "backends", "no_backend_errors", "listener_errors", "suspects", "incidents"];

    public static string Of(string json)
    {
        var all = JsonNode.Parse(json)!.AsObject();
        var kept = new JsonObject();
        foreach (var key in Judgement) kept[key] = all[key]?.DeepClone();
        foreach (var suspect in kept["suspects"]!.AsArray()) suspect!.AsObject().Remove("example_request_rows");
        foreach (var outlier in kept["time_outliers"]!.AsArray())
        {
            outlier!.AsObject().Remove("file");
            outlier.AsObject().Remove("line");
            outlier.AsObject().Remove("text");
        }
        return Millis().Replace(kept.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }),
            m => m.Groups[1].Value + "." + (m.Groups[2].Value + "000")[..3] + "Z");
    }

    /// <summary>A UTC time with or without a fraction of a second.</summary>
    [GeneratedRegex(@"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z")]
    private static partial Regex Millis();
}
