using System.CommandLine;
using System.Globalization;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Cli.Commands;

/// <summary>The input options every command that reads logs shares.</summary>
internal sealed partial class CommonOptions
{
    public Argument<string[]> Paths { get; } = new("paths")
    {
        Description = "Access-log files, folders (read recursively), globs (logs/**/*.gz; .gz is read transparently), " +
            "s3://bucket/prefix/ (objects, prefixes, globs on keys; AWS S3, Huawei OBS or any S3-compatible store) or - for standard input.",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string?> From { get; } = new("--from")
    {
        Description = "Keep requests at or after this time (ISO-8601). Without an offset it is read in the log's own offset, " +
            "the one every view shows (2024-05-01T14:00), and a time alone (14:00, or 06:00Z) is on the logs' day when they span one; Z or +08:00 mean what they say.",
    };

    public Option<string?> To { get; } = new("--to")
    {
        Description = "Keep requests before this time (ISO-8601; without an offset, in the log's own offset, as --from).",
    };

    public Option<string> Format { get; } = new("--format")
    {
        Description = $"Log format: detect, or one of {string.Join(", ", LogFormats.Names)}.",
        DefaultValueFactory = _ => "detect",
    };

    public Option<string?> NginxLogFormat { get; } = new("--nginx-log-format")
    {
        Description = "Your nginx log_format directive as in nginx.conf (log_format upstream '...';), or just its format " +
            "string: nginx logs are then read with it instead of the predefined combined format.",
    };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "S3-compatible endpoint for s3:// paths, e.g. https://obs.ap-southeast-1.myhuaweicloud.com " +
            "(default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS S3).",
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "AWS profile (shared config/credentials files) for s3:// paths (default: AWS_PROFILE, else the standard chain).",
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "Region to sign s3:// requests for (default: AWS_REGION, the profile's region, else us-east-1).",
    };

    public Option<bool> PathStyle { get; } = new("--path-style")
    {
        Description = "Address buckets as endpoint/bucket/key (default for an endpoint on an IP address or localhost).",
    };

    public Option<string?> Cache { get; } = new("--cache")
    {
        Description = "Keep fetched s3:// objects in this folder, so a second run of the same incident reads them from disk.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(EndpointUrl);
        command.Options.Add(Profile);
        command.Options.Add(Region);
        command.Options.Add(PathStyle);
        command.Options.Add(Cache);
        command.Arguments.Add(Paths);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Format);
        command.Options.Add(NginxLogFormat);
    }

    /// <summary>
    /// The load options and the inputs, in three steps: the options (a bad value is a <see cref="InvalidInputException"/>),
    /// the inputs they list, then the times. A time given without an offset is read in the log's own offset, the one
    /// every view shows (<see cref="AccessLog.UtcOffset"/>: the offset most of the inputs' lines are written in, in the
    /// range or out of it), found by a pass over the inputs that can be read again (<see cref="LogCensus"/>, handed
    /// back in <paramref name="census"/> when it read them all); for standard input alone it stays UTC, and
    /// <paramref name="stderr"/> says so. Until then such a time is widened by the largest offset (14 h) each way, so
    /// a bucket listing prunes nothing it needs.
    /// </summary>
    public (LoadOptions Load, IReadOnlyList<LogSource> Sources) Inputs(ParseResult result, Func<Stream> stdin, TextWriter stderr) =>
        Inputs(result, stdin, stderr, out _);

    /// <inheritdoc cref="Inputs(ParseResult, Func{Stream}, TextWriter)"/>
    public (LoadOptions Load, IReadOnlyList<LogSource> Sources) Inputs(ParseResult result, Func<Stream> stdin, TextWriter stderr, out LogCensus? census)
    {
        census = null;
        var load = ToLoadOptions(result);
        var (from, to) = (Time(result.GetValue(From), "--from"), Time(result.GetValue(To), "--to"));
        var widen = TimeSpan.FromHours(14);
        // A time of day alone cannot prune a bucket's listing: its day is known only once the logs are read.
        var listing = load with
        {
            From = from is { } f0 && f0.TimeOfDay is null ? f0.Wall ? f0.Value - widen : f0.Value : null,
            To = to is { } t0 && t0.TimeOfDay is null ? t0.Wall ? t0.Value + widen : t0.Value : null,
        };
        var sources = Sources(result, stdin, listing, stderr);
        TimeSpan? offset = null;
        LogCensus? taken = null;
        var unparsable = false;
        if (from is { Wall: true } or { TimeOfDay: not null } || to is { Wall: true } or { TimeOfDay: not null })
        {
            // The whole inputs, not their first lines: across a DST change or with logs of several zones, the offset
            // the first lines are written in is not always the one the views show.
            var again = sources.Where(s => s.CanReadAgain).ToList();
            if (again.Count > 0)
            {
                try
                {
                    taken = LogCensus.Take(again, load);
                    if (taken.Report.Parsed > 0) offset = taken.UtcOffset;
                    if (again.Count == sources.Count) census = taken;
                }
                catch (LogLoadException)
                {
                    // Nothing parses: the load says so, naming the inputs.
                    unparsable = true;
                }
            }
            // A time of day alone then has no day either: that error says it all.
            if (offset is null && from?.TimeOfDay is null && to?.TimeOfDay is null)
                stderr.WriteLine("--from/--to: no offset given and none could be read from the inputs (standard input is read once): taken as UTC.");
        }
        DateTimeOffset? Resolve(TypedTime? t, string option) => t switch
        {
            null => null,
            // Where nothing parses any day will do: the load then says that nothing parses, which is the news.
            { TimeOfDay: { } time } when unparsable => new DateTimeOffset(DateOnly.FromDateTime(DateTime.UnixEpoch).ToDateTime(time), TimeSpan.Zero),
            // 02:25Z or 10:25+08:00: the logs' day in the offset typed.
            { TimeOfDay: { } time, Typed: { } typed } => new DateTimeOffset(TheLogsDay(taken, typed, option, time).ToDateTime(time), typed),
            { TimeOfDay: { } time } => new DateTimeOffset(TheLogsDay(taken, offset, option, time).ToDateTime(time), offset ?? TimeSpan.Zero),
            { Wall: true } x => new DateTimeOffset(x.Value.DateTime, offset ?? TimeSpan.Zero),
            { } x => x.Value,
        };
        load = load with { From = Resolve(from, "--from"), To = Resolve(to, "--to") };
        if (load.From is { } f && load.To is { } t && f >= t)
            throw new InvalidInputException($"--from {TimeText.Instant(f)} is not before --to {TimeText.Instant(t)}.");
        return (load, sources);
    }

    /// <summary>
    /// What every command loads with before its options apply. The command owns its process, so it holds off
    /// collection during a large load (off in the library, where the host's runtime is shared): measured on a
    /// 551,534-line log, 6-12% less processor time and 40 MB less memory (docs/big-data.md, "Loading a large log").
    /// </summary>
    internal static LoadOptions BaseLoadOptions { get; } = LoadOptions.Default with { PauseCollection = true };

    /// <summary>The load options without the time range (see <see cref="Inputs"/>).</summary>
    private LoadOptions ToLoadOptions(ParseResult result)
    {
        var format = result.GetValue(Format);
        if (format is not null && !format.Equals("detect", StringComparison.OrdinalIgnoreCase) && LogFormats.Find(format) is null)
            throw new InvalidInputException($"Unknown --format '{format}'. Use detect or one of: {string.Join(", ", LogFormats.Names)}.");
        var nginx = result.GetValue(NginxLogFormat);
        if (nginx is not null)
        {
            try
            {
                LogFormats.Nginx(nginx);
            }
            catch (InvalidInputException e)
            {
                throw new InvalidInputException("--nginx-log-format: " + e.Message, e);
            }
        }
        var options = BaseLoadOptions with
        {
            NginxLogFormat = nginx,
            Format = format is null || format.Equals("detect", StringComparison.OrdinalIgnoreCase) ? null : format,
            Buckets = BucketOptions.Default with
            {
                EndpointUrl = result.GetValue(EndpointUrl),
                Profile = result.GetValue(Profile),
                Region = result.GetValue(Region),
                PathStyle = result.GetValue(PathStyle) ? true : null,
                CacheFolder = result.GetValue(Cache),
            },
        };
        return options;
    }

    /// <summary>
    /// Expands the paths, reading <c>-</c> as standard input; bucket paths are listed with the load's time range
    /// and options, with a count of objects listed on stderr when stderr is a terminal.
    /// </summary>
    private IReadOnlyList<LogSource> Sources(ParseResult result, Func<Stream> stdin, LoadOptions load, TextWriter stderr)
    {
        var paths = result.GetValue(Paths) ?? [];
        var listing = ListingProgress.For(stderr, paths);
        var options = listing is null ? load : load with { Buckets = load.Buckets with { ListingProgress = listing } };
        var sources = new List<LogSource>();
        var rest = new List<string>();
        try
        {
            foreach (var path in paths)
            {
                if (path != "-")
                {
                    rest.Add(path);
                    continue;
                }
                sources.AddRange(LogSource.FromPaths(rest, options));
                rest.Clear();
                sources.Add(LogSource.FromStream(stdin(), "stdin"));
            }
            sources.AddRange(LogSource.FromPaths(rest, options));
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidInputException(e.Message);
        }
        finally
        {
            listing?.Done();
        }
        // An empty folder (or a listing with nothing in the range): say which, not only that none was named.
        if (sources.Count == 0 && paths.Length > 0)
            throw new InvalidInputException($"No input: {string.Join(", ", paths.Select(p => $"'{p}'"))} {(paths.Length == 1 ? "holds" : "hold")} no file to read.");
        return sources;
    }

    /// <summary>
    /// A time as typed: with an offset (or Z) it is that instant; without one it is a wall-clock time (<c>Wall</c>), kept
    /// as UTC until the log's offset is known; a time of day alone (<c>14:05</c>; <c>06:05Z</c> with its offset) has the
    /// logs' day (<c>TimeOfDay</c>, see <see cref="TheLogsDay"/>), not today's, which the runtime's parsing would give it.
    /// </summary>
    private static TypedTime? Time(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (TimeOnly.TryParseExact(trimmed, TimesOfDay, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return new TypedTime(default, Wall: true, time);
        if (TimeOfDayWithOffset().Match(trimmed) is { Success: true } m &&
            TimeOnly.TryParseExact(m.Groups["time"].Value, TimesOfDay, CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
            return new TypedTime(default, Wall: false, time, TypedOffset(m.Groups["offset"].Value, option, text));
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var parsed))
            throw new InvalidInputException($"{option} '{text}' is not a time; use ISO-8601 such as 2024-05-01T10:20 (the log's offset) or 2024-05-01T10:20+08:00, or 10:20 on the logs' one day.");
        // Far enough from the calendar's ends that an offset (up to 14 h) or the listing's widening never overflows it.
        if (parsed.Year is < 2 or > 9998)
            throw new InvalidInputException($"{option} '{text}' is outside the years 0002 to 9998 that a log's time can be compared with.");
        return parsed.Kind != DateTimeKind.Unspecified
            ? new TypedTime(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces), Wall: false, null)
            : new TypedTime(new DateTimeOffset(parsed, TimeSpan.Zero), Wall: true, null);
    }

    private static readonly string[] TimesOfDay = ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"];

    /// <summary><c>Z</c>, <c>+08:00</c> or <c>-0530</c> as an offset.</summary>
    private static TimeSpan TypedOffset(string text, string option, string typed)
    {
        if (text is "Z" or "z") return TimeSpan.Zero;
        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        var (hours, minutes) = (int.Parse(digits[..2], CultureInfo.InvariantCulture), int.Parse(digits[2..], CultureInfo.InvariantCulture));
        var offset = new TimeSpan(hours, minutes, 0);
        if (minutes >= 60 || offset > TimeSpan.FromHours(14)) throw new InvalidInputException($"{option} '{typed}': {text} is not a UTC offset (at most ±14:00).");
        return text[0] == '-' ? -offset : offset;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<time>\d{1,2}:\d{2}(:\d{2})?)\s*(?<offset>Z|[+-]\d{2}:?\d{2})$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex TimeOfDayWithOffset();

    /// <summary>
    /// The day a time of day alone falls on: the one day the logs span in their own offset. Logs spanning several days,
    /// or none read (standard input, nothing parsed), leave it unknown: the user is asked for the date.
    /// </summary>
    private static DateOnly TheLogsDay(LogCensus? census, TimeSpan? offset, string option, TimeOnly time)
    {
        var c = CultureInfo.InvariantCulture;
        var typed = time.ToString(time.Second == 0 ? "HH:mm" : "HH:mm:ss", c);
        if (census is null)
            throw new InvalidInputException($"{option} {typed} names no day, and the inputs cannot be read for theirs before the load (standard input is read once): give the date too, e.g. 2024-05-01T{typed}.");
        if (census is not { From: { } from, To: { } to } || offset is not { } o)
            throw new InvalidInputException($"{option} {typed} names no day, and no request of the inputs could be read for theirs: give the date too, e.g. 2024-05-01T{typed}.");
        // A stray line days away (a clock that said 1970, the seed line of 2019 beside today's logs) is set aside by the
        // judgement as a time outlier: by the same rule, on the census's quarter-hours, it decides neither the logs' day
        // nor the date suggested.
        var (spanFrom, spanTo) = WithoutTimeOutliers(census.QuarterHours, from, to);
        var (first, last) = (DateOnly.FromDateTime(spanFrom + o), DateOnly.FromDateTime(spanTo + o));
        if (first == last) return first;
        var example = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays)
            .FirstOrDefault(d => d.ToDateTime(time) - o is var utc && utc >= spanFrom && utc <= spanTo, first);
        throw new InvalidInputException(string.Create(c, $"{option} {typed} names no day, and the logs span {first:yyyy-MM-dd} to {last:yyyy-MM-dd} ({Offsets.Format(o)}): ") +
            string.Create(c, $"give the date too, e.g. {example:yyyy-MM-dd}T{typed}."));
    }

    /// <summary>
    /// The span of the requests the judgement keeps (<see cref="Analysis.TimeOutliers"/>), to the quarter-hour, within the
    /// requests' own first and last.
    /// </summary>
    private static (DateTime From, DateTime To) WithoutTimeOutliers(IReadOnlyList<(DateTime StartUtc, long Requests)> quarters, DateTime from, DateTime to)
    {
        var quarter = TimeSpan.FromMinutes(15);
        var (_, first, last) = Analysis.TimeOutliers.Find(quarters.Select(q =>
            new Analysis.BucketRequests(q.StartUtc.Ticks / quarter.Ticks, q.StartUtc, q.StartUtc + quarter - TimeSpan.FromTicks(1), q.Requests, null, 0)));
        var (keptFrom, keptTo) = (new DateTime(first * quarter.Ticks, DateTimeKind.Utc), new DateTime((last + 1) * quarter.Ticks - 1, DateTimeKind.Utc));
        return (keptFrom > from ? keptFrom : from, keptTo < to ? keptTo : to);
    }

    /// <summary>
    /// A time as <see cref="Time"/> read it; <c>TimeOfDay</c> is set, and <c>Value</c> not, when no date was given, with
    /// <c>Typed</c>, the offset typed after it (<c>02:25Z</c>), if any.
    /// </summary>
    private readonly record struct TypedTime(DateTimeOffset Value, bool Wall, TimeOnly? TimeOfDay, TimeSpan? Typed = null);
}

/// <summary>"listing s3://...: 1,234 objects" on a terminal's stderr, rewritten in place, while a long listing runs.</summary>
internal sealed class ListingProgress(TextWriter stderr) : IProgress<long>
{
    private long _shown = -1;
    private DateTime _last;

    public static ListingProgress? For(TextWriter stderr, IEnumerable<string> paths) =>
        paths.Any(p => p.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) && !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error)
            ? new ListingProgress(stderr)
            : null;

    public void Report(long listed)
    {
        if (DateTime.UtcNow - _last < TimeSpan.FromMilliseconds(200)) return;
        _last = DateTime.UtcNow;
        _shown = listed;
        stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\rlisting objects: {listed:N0}"));
    }

    public void Done()
    {
        if (_shown >= 0) stderr.Write("\r\u001b[K");
    }
}
