namespace ElbNotebooks.Analysis;

/// <summary>
/// One row of a bucket table (docs/bucket-table.md). Which fields are set depends on <see cref="Kind"/>; the others
/// are null. Counts and ports are read as 64-bit integers whatever width an engine wrote.
/// </summary>
internal sealed class BucketRow
{
    public string Kind = "";
    public DateTime? BucketStart;
    public long? BucketSeconds;
    public string? Listener, Pool, Backend;
    public long? Status;
    public string? ListenerIp;
    public long? ListenerPort;
    public long? UtcOffsetMinutes;
    public long? Requests, Requests1xx, Requests2xx, Requests3xx, Requests4xx, Requests5xx, NoBackend5xx;
    public long? Attempts, Backend5xx, Lb5xx, Status4xx, ClientAborts, HurtErrors, RescuedErrors;
    public DateTime? FirstRequest, LastRequest, FirstError, LastError;
    public string? Timing;
    public long? Bin;
    public long? Samples;
    public long? MinMicroseconds, MaxMicroseconds;
    public long? WholeMilliseconds;

    /// <summary>Where the row is in its table: the CSV line its record starts on, or its Parquet or DataFrame row (from 1); 0 for a row the library counted.</summary>
    public long Line;

    public BucketRow Copy() => (BucketRow)MemberwiseClone();
}

internal enum BucketColumnType { Text, Integer, Time }

/// <summary>A column of the bucket table: its name, type and field of <see cref="BucketRow"/>.</summary>
internal sealed record BucketColumn(string Name, BucketColumnType Type, Func<BucketRow, object?> Get, Action<BucketRow, object?> Set)
{
    /// <summary>Typed setters, one of them set: a Parquet column of the table's own type is read without boxing each value.</summary>
    public Action<BucketRow, string?>? SetText { get; private init; }
    public Action<BucketRow, long?>? SetInteger { get; private init; }
    public Action<BucketRow, DateTime?>? SetTime { get; private init; }

    private static BucketColumn Text(string name, Func<BucketRow, string?> get, Action<BucketRow, string?> set) =>
        new(name, BucketColumnType.Text, get, (r, v) => set(r, BucketValues.Text(v))) { SetText = (r, v) => set(r, v is "" ? null : v) };

    private static BucketColumn Integer(string name, Func<BucketRow, long?> get, Action<BucketRow, long?> set) =>
        new(name, BucketColumnType.Integer, r => get(r), (r, v) => set(r, BucketValues.Integer(v))) { SetInteger = set };

    private static BucketColumn Time(string name, Func<BucketRow, DateTime?> get, Action<BucketRow, DateTime?> set) =>
        new(name, BucketColumnType.Time, r => get(r), (r, v) => set(r, BucketValues.Time(v)))
        {
            SetTime = (r, v) => set(r, v is { } t ? (DateTime?)BucketValues.Time(t) : null),
        };

    /// <summary>
    /// Columns a table may leave out: the listeners' addresses (names to show), the log's offset (0, as AWS writes)
    /// and the latency bins' smallest and largest values and whether they were whole milliseconds (percentiles then
    /// stand for their bins, as tables made before these columns have them). Without any other column the judge would
    /// count nothing, or nothing of something, and answer as if nothing were wrong: such a table is refused
    /// (<see cref="Require"/>).
    /// </summary>
    private static readonly HashSet<string> Optional = new(StringComparer.OrdinalIgnoreCase)
    {
        "listener_ip", "listener_port", "utc_offset_minutes", "min_microseconds", "max_microseconds", "whole_milliseconds",
    };

    /// <summary>Refuses a table whose columns (<paramref name="names"/>, case ignored) lack one the judge counts from, naming every one missing.</summary>
    public static void Require(IEnumerable<string> names, string source)
    {
        var present = new HashSet<string>(names.Select(n => n.Trim()), StringComparer.OrdinalIgnoreCase);
        var missing = All.Where(c => !Optional.Contains(c.Name) && !present.Contains(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new InvalidInputException(
                $"The bucket table {source} lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}: every column but " +
                "listener_ip, listener_port, utc_offset_minutes, min_microseconds, max_microseconds and whole_milliseconds must be there, null where a row's kind has no value (docs/bucket-table.md).");
    }

    /// <summary>
    /// Sets the column of <paramref name="row"/> from a value read at <paramref name="unit"/> <paramref name="number"/>
    /// (<c>line 3</c>, <c>row 3</c>) of <paramref name="source"/>; a value it cannot read is bad input naming all three.
    /// </summary>
    public void Read(BucketRow row, object? value, string source, string unit, long number)
    {
        try
        {
            Set(row, value);
        }
        catch (FormatException e)
        {
            throw Unreadable(source, $"{unit} {number}", e);
        }
    }

    /// <summary>A value this column cannot read, as bad input naming the table, the line or row it is on and the column.</summary>
    public InvalidInputException Unreadable(string source, string where, Exception e) =>
        new($"The bucket table {source}, {where}, column {Name}: {e.Message}", e);

    /// <summary>The table's columns in their documented order.</summary>
    public static readonly BucketColumn[] All =
    [
        Text("kind", r => r.Kind, (r, v) => r.Kind = v ?? ""),
        Time("bucket_start", r => r.BucketStart, (r, v) => r.BucketStart = v),
        Integer("bucket_seconds", r => r.BucketSeconds, (r, v) => r.BucketSeconds = v),
        Text("listener", r => r.Listener, (r, v) => r.Listener = v),
        Text("pool", r => r.Pool, (r, v) => r.Pool = v),
        Text("backend", r => r.Backend, (r, v) => r.Backend = v),
        Integer("status", r => r.Status, (r, v) => r.Status = v),
        Text("listener_ip", r => r.ListenerIp, (r, v) => r.ListenerIp = v),
        Integer("listener_port", r => r.ListenerPort, (r, v) => r.ListenerPort = v),
        Integer("utc_offset_minutes", r => r.UtcOffsetMinutes, (r, v) => r.UtcOffsetMinutes = v),
        Integer("requests", r => r.Requests, (r, v) => r.Requests = v),
        Integer("requests_1xx", r => r.Requests1xx, (r, v) => r.Requests1xx = v),
        Integer("requests_2xx", r => r.Requests2xx, (r, v) => r.Requests2xx = v),
        Integer("requests_3xx", r => r.Requests3xx, (r, v) => r.Requests3xx = v),
        Integer("requests_4xx", r => r.Requests4xx, (r, v) => r.Requests4xx = v),
        Integer("requests_5xx", r => r.Requests5xx, (r, v) => r.Requests5xx = v),
        Integer("no_backend_5xx", r => r.NoBackend5xx, (r, v) => r.NoBackend5xx = v),
        Integer("attempts", r => r.Attempts, (r, v) => r.Attempts = v),
        Integer("backend_5xx", r => r.Backend5xx, (r, v) => r.Backend5xx = v),
        Integer("lb_5xx", r => r.Lb5xx, (r, v) => r.Lb5xx = v),
        Integer("status_4xx", r => r.Status4xx, (r, v) => r.Status4xx = v),
        Integer("client_aborts", r => r.ClientAborts, (r, v) => r.ClientAborts = v),
        Integer("hurt_errors", r => r.HurtErrors, (r, v) => r.HurtErrors = v),
        Integer("rescued_errors", r => r.RescuedErrors, (r, v) => r.RescuedErrors = v),
        Time("first_request", r => r.FirstRequest, (r, v) => r.FirstRequest = v),
        Time("last_request", r => r.LastRequest, (r, v) => r.LastRequest = v),
        Time("first_error", r => r.FirstError, (r, v) => r.FirstError = v),
        Time("last_error", r => r.LastError, (r, v) => r.LastError = v),
        Text("timing", r => r.Timing, (r, v) => r.Timing = v),
        Integer("bin", r => r.Bin, (r, v) => r.Bin = v),
        Integer("samples", r => r.Samples, (r, v) => r.Samples = v),
        Integer("min_microseconds", r => r.MinMicroseconds, (r, v) => r.MinMicroseconds = v),
        Integer("max_microseconds", r => r.MaxMicroseconds, (r, v) => r.MaxMicroseconds = v),
        Integer("whole_milliseconds", r => r.WholeMilliseconds, (r, v) => r.WholeMilliseconds = v),
    ];
}

/// <summary>Values as engines write them (any integer width, timestamps with or without zone, CSV text) to the row's types.</summary>
internal static class BucketValues
{
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    public static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        string s => s.Length == 0 ? null : s,
        _ => Convert.ToString(value, Invariant),
    };

    public static long? Integer(object? value) => value switch
    {
        null or DBNull => null,
        long l => l,
        string s when s.Length == 0 => null,
        string s when long.TryParse(s, System.Globalization.NumberStyles.Integer, Invariant, out var l) => l,
        string s when double.TryParse(s, System.Globalization.NumberStyles.Float, Invariant, out var d) && d == Math.Floor(d) =>
            d >= long.MinValue && d < long.MaxValue ? (long)d : throw new FormatException($"{s} is too large for a 64-bit integer."),
        string s => throw new FormatException($"'{s}' is not a whole number."),
        double d when d != Math.Floor(d) => throw new FormatException($"{d} is not a whole number."),
        IConvertible c => ToInt64(c),
        _ => throw new FormatException($"a {value.GetType().Name} is not a whole number."),
    };

    /// <summary>A time without a zone is UTC, as the table's times are.</summary>
    public static DateTime? Time(object? value) => value switch
    {
        null or DBNull => null,
        DateTime t => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateTimeOffset t => t.UtcDateTime,
        string s when s.Length == 0 => null,
        // Trino's text for a timestamp with time zone: 2024-05-01 02:20:00.000 UTC
        string s when s.EndsWith(" UTC", StringComparison.Ordinal) => Time(s[..^4] + "Z"),
        string s when DateTimeOffset.TryParse(s, Invariant,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) => t.UtcDateTime,
        _ => throw new FormatException($"'{value}' is not a time."),
    };

    private static long ToInt64(IConvertible value)
    {
        try
        {
            return value.ToInt64(Invariant);
        }
        catch (OverflowException)
        {
            throw new FormatException($"{value} is too large for a 64-bit integer.");
        }
    }
}
