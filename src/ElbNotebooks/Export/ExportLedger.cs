using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Export;

/// <summary>
/// What earlier exports into a folder wrote of each input (<c>_exported/*.json</c>, a name Hive readers and Spark
/// skip): its name, the export settings, how many raw bytes it had and their hash (and the hash of its first 64 KiB),
/// the same of its text as the load parsed it (<see cref="TextIdentity"/>: a <c>.gz</c> and the plain file it was
/// made of have the same text and the same line numbers), the lines whose rows were written and the ids' source key.
/// Rows are identified by their input's content and line, not by the input's name or the settings: an input whose
/// text starts with exactly the text an earlier export read (the same file again, the same file grown, renamed by log
/// rotation, compressed after that, exported before with another time range) has the rows that export wrote skipped,
/// so no row is ever exported twice.
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

        /// <summary>
        /// Bytes of the input's text as the load parsed it (<see cref="TextIdentity"/>: gunzipped, decoded, without a
        /// byte-order mark, lone CRs made LFs); null in ledgers written before it was kept (then the entry is known by
        /// its raw bytes only).
        /// </summary>
        [JsonPropertyName("text_bytes")]
        public long? TextBytes { get; init; }

        /// <summary>SHA-256 of that text; null in ledgers written before.</summary>
        [JsonPropertyName("text_sha256")]
        public string? TextSha256 { get; init; }

        /// <summary>SHA-256 of the first min(64 KiB, <see cref="TextBytes"/>) bytes of that text; null in ledgers written before.</summary>
        [JsonPropertyName("text_head_sha256")]
        public string? TextHeadSha256 { get; init; }

        /// <summary>The text's identity, when the ledger kept it.</summary>
        [JsonIgnore]
        public TextIdentity? Text => TextBytes is { } bytes && TextSha256 is { } sha && TextHeadSha256 is { } head ? new(bytes, sha, head) : null;

        /// <summary>How much of the input it describes: its text's bytes, or its raw bytes in a ledger from before.</summary>
        [JsonIgnore]
        public long Size => TextBytes ?? Bytes;

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
    /// The earlier exports of <paramref name="source"/>'s content, whatever its name was then: those whose text (what
    /// the load parsed, <see cref="TextIdentity"/>) is exactly its text's start (the same file, the file before it grew,
    /// the plain file it was compressed from), and those whose raw bytes are exactly its first bytes. Entries from
    /// before the text was kept are known by their raw bytes only; from before the head hash was kept, only under the
    /// same name, as then. None when the input cannot be read twice (standard input).
    /// </summary>
    public IReadOnlyList<Entry> ExportedBefore(LogSource source, string baseName)
    {
        if (!source.CanReadAgain || _entries.Count == 0) return [];
        var text = new TextMatch(source);
        var raw = source.Length is { } length ? new RawMatch(source, length) : null;
        var found = new List<Entry>();
        foreach (var entry in _entries)
        {
            if (entry.Text is { } known && text.IsPrefix(known)) found.Add(entry);
            else if (raw is not null && raw.IsPrefix(entry, baseName)) found.Add(entry);
        }
        return found;
    }

    /// <summary>Whether an input's text starts with an entry's text; reads the text's head once, and a longer prefix once per length.</summary>
    private sealed class TextMatch(LogSource source)
    {
        private byte[]? _head;
        private bool _headRead;
        private readonly Dictionary<long, string?> _hashes = [];

        public bool IsPrefix(TextIdentity known)
        {
            if (known.Bytes <= 0) return false;
            if (!_headRead)
            {
                _headRead = true;
                _head = TextIdentity.Head(source, ContentHash.PrefixBytes);
            }
            if (_head is null) return false;
            var headBytes = Math.Min(known.Bytes, ContentHash.PrefixBytes);
            if (headBytes > _head.Length || Hash(headBytes) != known.HeadSha256) return false;
            return Hash(known.Bytes) == known.Sha256;
        }

        private string? Hash(long bytes)
        {
            if (_hashes.TryGetValue(bytes, out var hash)) return hash;
            hash = bytes <= _head!.Length
                ? Convert.ToHexStringLower(SHA256.HashData(_head.AsSpan(0, (int)bytes)))
                : TextIdentity.PrefixSha256(source, bytes);
            return _hashes[bytes] = hash;
        }
    }

    /// <summary>Whether an input's raw bytes start with an entry's bytes (as before the text was kept).</summary>
    private sealed class RawMatch(LogSource source, long length)
    {
        private byte[]? _head;
        private readonly Dictionary<long, string> _heads = [];
        private readonly Dictionary<long, string> _prefixes = [];

        public bool IsPrefix(Entry entry, string baseName)
        {
            if (entry.Bytes <= 0 || entry.Bytes > length) return false;
            if (_head is null)
            {
                using var stream = source.Open();
                var head = new byte[(int)Math.Min(length, ContentHash.PrefixBytes)];
                _head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
            }
            var headBytes = Math.Min(entry.Bytes, ContentHash.PrefixBytes);
            if (headBytes > _head.Length) return false;
            if (entry.HeadSha256 is { } headHash)
            {
                if (HeadHash(headBytes) != headHash) return false;
            }
            else if (entry.Source != baseName) return false;
            string whole;
            if (entry.Bytes <= _head.Length) whole = HeadHash(entry.Bytes);
            else if (!_prefixes.TryGetValue(entry.Bytes, out whole!))
            {
                using var stream = source.Open();
                _prefixes[entry.Bytes] = whole = PrefixSha256(stream, entry.Bytes);
            }
            return whole == entry.Sha256;
        }

        private string HeadHash(long bytes) =>
            _heads.TryGetValue(bytes, out var hash) ? hash : _heads[bytes] = Convert.ToHexStringLower(SHA256.HashData(_head.AsSpan(0, (int)bytes)));
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
