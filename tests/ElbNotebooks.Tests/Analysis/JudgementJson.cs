using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// An investigation's <c>--json</c> less what only rows or the parse give (the parse report, example request rows and
/// where they and an outlier are written; who the clients were, requests per listener and 5xx by status, which a bucket table
/// does not count), times to the millisecond (the Parquet export keeps milliseconds): the judgement a bucket table
/// must reproduce.
/// </summary>
internal static partial class JudgementJson
{
    private static readonly string[] Judgement =
        ["from", "to", "utc_offset", "bucket_minutes", "requests", "time_outliers", "backends", "no_backend_errors", "listener_errors", "suspects", "incidents", "traffic"];

    public static string Of(string json)
    {
        var all = JsonNode.Parse(json)!.AsObject();
        var kept = new JsonObject();
        foreach (var key in Judgement) kept[key] = all[key]?.DeepClone();
        kept["traffic"]!.AsObject().Remove("clients_5xx");
        foreach (var suspect in kept["suspects"]!.AsArray())
        {
            foreach (var rowsOnly in new[] { "example_request_rows", "example_lines", "clients_hurt", "listener_requests", "share_of_listener_requests", "endpoints_hurt", "requests_hurt_elsewhere", "error_statuses" })
                suspect!.AsObject().Remove(rowsOnly);
            foreach (var peer in suspect!["peers"]!.AsArray()) peer!.AsObject().Remove("error_statuses");
        }
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
