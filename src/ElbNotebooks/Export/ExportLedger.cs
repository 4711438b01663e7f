using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>
/// What earlier exports into a folder read of each input (<c>_exported/*.json</c>, a name Hive readers and Spark
/// skip): its name, the export settings, how many raw bytes it had and their hash, the last line exported and the
/// ids' source key. A log that grew since (its first bytes are exactly what an earlier export read) is exported from
/// after that line, so exporting it again never writes a row twice.
/// </summary>
internal sealed class ExportLedger
{
    public const string Folder = "_exported";

    internal sealed record Entry(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("settings")] string Settings,
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("sha256")] string Sha256,
        [property: JsonPropertyName("last_line")] long LastLine,
        [property: JsonPropertyName("source_key")] string SourceKey);

    private readonly string _folder;
    private readonly List<Entry> _entries;

    private ExportLedger(string folder, List<Entry> entries) => (_folder, _entries) = (folder, entries);

    public static ExportLedger Read(string root)
    {
        var folder = Path.Combine(root, Folder);
        var entries = new List<Entry>();
        if (Directory.Exists(folder))
            foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
            {
                try
                {
                    if (JsonSerializer.Deserialize(File.ReadAllText(file), LedgerJson.Default.Entry) is { } entry) entries.Add(entry);
                }
                catch (JsonException)
                {
                    // not ours, or cut short by a crash: an input it described is exported as a new one
                }
            }
        return new ExportLedger(folder, entries);
    }

    /// <summary>
    /// The latest earlier export of <paramref name="source"/> that it has grown past: same name and settings, fewer
    /// bytes, and those bytes unchanged. Null when there is none (a new input, the same input again, or one that
    /// changed in place), or the input cannot be read twice.
    /// </summary>
    public Entry? GrownFrom(LogSource source, string baseName, string settings)
    {
        if (!source.CanReadAgain || source.Length is not { } length) return null;
        var candidates = _entries
            .Where(e => e.Source == baseName && e.Settings == settings && e.Bytes < length)
            .OrderByDescending(e => e.Bytes).ToList();
        foreach (var entry in candidates)
        {
            using var stream = source.Open();
            if (PrefixSha256(stream, entry.Bytes) == entry.Sha256) return entry;
        }
        return null;
    }

    public void Record(string partName, Entry entry)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, Path.ChangeExtension(partName, ".json"));
        if (File.Exists(path)) return;
        var temp = Path.Combine(_folder, $".writing-{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, JsonSerializer.Serialize(entry, LedgerJson.Default.Entry));
        File.Move(temp, path, overwrite: true);
        _entries.Add(entry);
    }

    private static string PrefixSha256(Stream stream, long bytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var left = bytes;
        while (left > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) return "";
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>The ledger's JSON, made at compile time: the Native AOT tool has no reflection-based serializer.</summary>
[JsonSerializable(typeof(ExportLedger.Entry))]
internal sealed partial class LedgerJson : JsonSerializerContext;
