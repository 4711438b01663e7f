using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>
/// What earlier exports into a folder wrote of each input (<c>_exported/*.json</c>, a name Hive readers and Spark
/// skip): its name, the export settings, how many raw bytes it had and their hash (and the hash of its first 64 KiB),
/// the lines whose rows were written and the ids' source key. Rows are identified by their input's content and line,
/// not by the input's name or the settings: an input whose first bytes are exactly those an earlier export read (the
/// same file again, the same file grown, renamed by log rotation, exported before with another time range) has the
/// rows that export wrote skipped, so no row is ever exported twice.
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
        [property: JsonPropertyName("source_key")] string SourceKey)
    {
        /// <summary>SHA-256 of the first min(64 KiB, <see cref="Bytes"/>) bytes; null in ledgers written before it was kept.</summary>
        [JsonPropertyName("head_sha256")]
        public string? HeadSha256 { get; init; }

        /// <summary>The lines whose rows were written, as [first, last] ranges; null in ledgers written before.</summary>
        [JsonPropertyName("lines")]
        public List<long[]>? Lines { get; init; }

        /// <summary>
        /// The lines written. A ledger from before <see cref="Lines"/> was kept only says the last one: without a time
        /// range every line up to it was (a line that was not a request then is not one now), with one only for the
        /// same settings is that enough (the lines outside the range were not written, and are not wanted).
        /// </summary>
        public LineRanges? Written(string settings)
        {
            if (Lines is not null) return LineRanges.From(Lines);
            if (Settings.StartsWith("from=;to=;", StringComparison.Ordinal) || Settings == settings)
                return LineRanges.From([[1, LastLine]]);
            return null;
        }
    }

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
    /// The earlier exports of <paramref name="source"/>'s content, whatever its name was then: those whose bytes are
    /// exactly its first bytes (the same file, or the file before it grew). Entries from before the head hash was kept
    /// are looked at only under the same name, as then. None when the input cannot be read twice (standard input).
    /// </summary>
    public IReadOnlyList<Entry> ExportedBefore(LogSource source, string baseName)
    {
        if (!source.CanReadAgain || source.Length is not { } length || _entries.Count == 0) return [];
        byte[] head;
        using (var stream = source.Open())
        {
            head = new byte[(int)Math.Min(length, ContentHash.PrefixBytes)];
            head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }
        var heads = new Dictionary<long, string>();
        string HeadHash(long bytes) =>
            heads.TryGetValue(bytes, out var hash) ? hash : heads[bytes] = Convert.ToHexStringLower(SHA256.HashData(head.AsSpan(0, (int)bytes)));
        var prefixes = new Dictionary<long, string>();
        var found = new List<Entry>();
        foreach (var entry in _entries)
        {
            if (entry.Bytes <= 0 || entry.Bytes > length) continue;
            var headBytes = Math.Min(entry.Bytes, ContentHash.PrefixBytes);
            if (headBytes > head.Length) continue;
            if (entry.HeadSha256 is { } headHash)
            {
                if (HeadHash(headBytes) != headHash) continue;
            }
            else if (entry.Source != baseName) continue;
            string whole;
            if (entry.Bytes <= head.Length) whole = HeadHash(entry.Bytes);
            else if (!prefixes.TryGetValue(entry.Bytes, out whole!))
            {
                using var stream = source.Open();
                prefixes[entry.Bytes] = whole = PrefixSha256(stream, entry.Bytes);
            }
            if (whole == entry.Sha256) found.Add(entry);
        }
        return found;
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
[JsonSerializable(typeof(List<long[]>))]
internal sealed partial class LedgerJson : JsonSerializerContext;
