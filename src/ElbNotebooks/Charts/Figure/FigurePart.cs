using System.Text.Json;
using System.Text.Json.Nodes;

namespace ElbNotebooks.Charts;

/// <summary>
/// A part of a plotly.js figure (a trace or the layout): typed properties for what this library sets, and
/// <see cref="Set"/> for any other attribute of the plotly.js figure reference, which wins over the typed ones.
/// </summary>
public abstract class FigurePart
{
    private readonly JsonObject _extra = [];

    /// <summary>
    /// Sets any plotly.js attribute by its dotted path, e.g. <c>Set("marker.line.width", 2)</c> or
    /// <c>Set("xaxis.range", new[] { 0, 10 })</c>; <c>null</c> removes what was set. Values are written as JSON.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("Serializes any value by reflection; pass a JsonNode to avoid it.")]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("Serializes any value by reflection; pass a JsonNode to avoid it.")]
    public FigurePart Set(string path, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var keys = path.Split('.');
        var target = _extra;
        foreach (var key in keys[..^1])
        {
            if (target[key] is not JsonObject next) target[key] = next = [];
            target = next;
        }
        if (value is null) target.Remove(keys[^1]);
        else target[keys[^1]] = value as JsonNode ?? JsonSerializer.SerializeToNode(value);
        return this;
    }

    /// <summary>The part as plotly.js figure JSON.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        WriteTyped(json);
        Merge(json, _extra);
        return json;
    }

    /// <summary>Writes the typed properties that are set.</summary>
    private protected abstract void WriteTyped(JsonObject json);

    private protected static void Put(JsonObject json, string key, JsonNode? value)
    {
        if (value is not null) json[key] = value;
    }

    private protected static JsonObject TitleObject(string text) => new() { ["text"] = text };

    private static void Merge(JsonObject target, JsonObject extra)
    {
        foreach (var (key, value) in extra)
        {
            if (value is JsonObject obj && target[key] is JsonObject existing) Merge(existing, obj);
            else target[key] = value?.DeepClone();
        }
    }
}
