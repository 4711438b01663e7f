namespace ElbNotebooks.Loading;

/// <summary>
/// What inputs hold, from one streamed pass that keeps no rows: the span of their requests, the offset their times
/// are written in, and the listeners with their request counts. It lets a caller read times and listener names the
/// way the log writes them, and say what a selection that matched nothing could have matched.
/// </summary>
internal sealed class LogCensus
{
    private LogCensus(DateTime? from, DateTime? to, TimeSpan offset, IReadOnlyDictionary<string, long> listeners,
        IReadOnlyDictionary<string, string> addresses, ParseReport report, IReadOnlyDictionary<long, long> quarters) =>
        (From, To, UtcOffset, Listeners, ListenerAddresses, Report, _quarters) = (from, to, offset, listeners, addresses, report, quarters);

    /// <summary>Requests per quarter of an hour (UTC): every UTC offset is a whole number of them.</summary>
    private readonly IReadOnlyDictionary<long, long> _quarters;

    private static readonly long QuarterTicks = TimeSpan.FromMinutes(15).Ticks;

    /// <summary>The first request's time, UTC (null: none parsed).</summary>
    public DateTime? From { get; }

    /// <summary>The last request's time, UTC.</summary>
    public DateTime? To { get; }

    /// <summary>The offset most lines are written in: the one every view of these inputs shows.</summary>
    public TimeSpan UtcOffset { get; }

    /// <summary>Requests per listener (listener_name as written; requests without one are not counted), most first.</summary>
    public IReadOnlyDictionary<string, long> Listeners { get; }

    /// <summary>Each listener's address and port as the log writes them (<c>121.64.212.1:443</c>), where it does.</summary>
    public IReadOnlyDictionary<string, string> ListenerAddresses { get; }

    /// <summary>What the pass read.</summary>
    public ParseReport Report { get; }

    /// <summary>Requests per quarter of an hour (its start, UTC), earliest first.</summary>
    public IReadOnlyList<(DateTime StartUtc, long Requests)> QuarterHours =>
        _quarters.OrderBy(q => q.Key).Select(q => (new DateTime(q.Key * QuarterTicks, DateTimeKind.Utc), q.Value)).ToList();

    /// <summary>Reads <paramref name="sources"/> once, whole: a From/To in <paramref name="load"/> is not applied.</summary>
    public static LogCensus Take(IEnumerable<LogSource> sources, LoadOptions? load = null)
    {
        var listeners = new Dictionary<string, long>(StringComparer.Ordinal);
        var addresses = new ListenerAddresses();
        var quarters = new Dictionary<long, long>();
        var log = AccessLog.Stream(sources, (load ?? LoadOptions.Default) with { From = null, To = null }, minimal: true,
            new CensusSink(listeners, addresses, quarters));
        var ordered = listeners.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new LogCensus(log.From, log.To, log.UtcOffset, ordered, addresses.MostUsed(), log.Report, quarters);
    }

    /// <summary>Counts each block's listeners and quarter-hours on its worker and adds the counts up in input order.</summary>
    private sealed class CensusSink(Dictionary<string, long> listeners, ListenerAddresses addresses, Dictionary<long, long> quarters)
        : IBlockSink<CensusSink.Counts>
    {
        public sealed record Counts(ListenerCounts Listeners, Dictionary<long, long> Quarters);

        public Counts Summarize(Parsing.ParseTarget block) => new(Count(block.Requests), CountQuarters(block.Requests.Time.Values));

        public void Accept(LogSource source, Parsing.ParseTarget block, Counts counts)
        {
            foreach (var (name, n) in counts.Listeners.Listeners) listeners[name] = listeners.GetValueOrDefault(name) + n;
            addresses.Add(counts.Listeners.Addresses);
            foreach (var (quarter, n) in counts.Quarters) quarters[quarter] = quarters.GetValueOrDefault(quarter) + n;
        }

        /// <summary>Requests per quarter-hour; a block's times mostly run in order, so each run is one lookup.</summary>
        private static Dictionary<long, long> CountQuarters(ReadOnlySpan<DateTime> times)
        {
            var counts = new Dictionary<long, long>();
            var (current, run) = (long.MinValue, 0L);
            foreach (var time in times)
            {
                if (time == DateTime.MinValue) continue;
                var quarter = time.Ticks / QuarterTicks;
                if (quarter != current)
                {
                    if (run > 0) counts[current] = counts.GetValueOrDefault(current) + run;
                    (current, run) = (quarter, 0);
                }
                run++;
            }
            if (run > 0) counts[current] = counts.GetValueOrDefault(current) + run;
            return counts;
        }
    }

    /// <summary>Requests per listener, and the listeners' addresses, of one block or a loaded log.</summary>
    internal static ListenerCounts Count(Parsing.RequestColumns requests)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var addresses = new ListenerAddresses();
        var names = requests.ListenerName.Values;
        var ips = requests.EipAddress.Values;
        var ports = requests.EipPort.Values;
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] is not { } name) continue;
            counts[name] = counts.GetValueOrDefault(name) + 1;
            if (i < ips.Length && ips[i] is { } ip) addresses.Add(name, ip, ports[i]);
        }
        return new ListenerCounts(counts, addresses);
    }

    /// <summary>
    /// The listener <paramref name="text"/> names: its full listener_name, its address and port as the log writes them
    /// (<c>121.64.212.1:443</c>), or the start of its name or of its id (the part after <c>listener_</c>), when exactly
    /// one listener has it. Null when none or several do.
    /// </summary>
    public string? FindListener(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return MatchListener(Listeners.Keys, text, ListenerAddresses);
    }

    /// <summary>
    /// Listeners with their addresses and request counts, most first:
    /// <c>listener_a at 121.64.212.1:443 (6,010), listener_b at 121.64.212.1:80 (3,057)</c>.
    /// </summary>
    internal static string Describe(IEnumerable<KeyValuePair<string, long>> listeners, IReadOnlyDictionary<string, string>? addresses = null) =>
        string.Join(", ", listeners.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{kv.Key}{(addresses?.GetValueOrDefault(kv.Key) is { } address ? " at " + address : "")} ({kv.Value:N0})")));

    /// <summary>The one of <paramref name="names"/> that <paramref name="text"/> names (see <see cref="FindListener"/>).</summary>
    internal static string? MatchListener(IEnumerable<string> names, string text, IReadOnlyDictionary<string, string>? addresses = null)
    {
        var all = names.ToList();
        if (all.Contains(text, StringComparer.Ordinal)) return text;
        var byAddress = all.Where(name => addresses?.GetValueOrDefault(name) is { } a && a.Equals(text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byAddress.Count > 0) return byAddress.Count == 1 ? byAddress[0] : null;
        var matches = all.Where(name =>
            name.StartsWith(text, StringComparison.OrdinalIgnoreCase) ||
            (name.StartsWith("listener_", StringComparison.Ordinal) && name["listener_".Length..].StartsWith(text, StringComparison.OrdinalIgnoreCase))).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }
}

/// <summary>Requests per listener and the listeners' addresses (see <see cref="LogCensus.Count"/>).</summary>
internal sealed record ListenerCounts(Dictionary<string, long> Listeners, ListenerAddresses Addresses);
