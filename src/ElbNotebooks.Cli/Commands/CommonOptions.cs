using System.CommandLine;
using System.Globalization;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Cli.Commands;

/// <summary>The input options every command that reads logs shares.</summary>
internal sealed class CommonOptions
{
    public Argument<string[]> Paths { get; } = new("paths")
    {
        Description = "Access-log files, folders (read recursively), globs (logs/**/*.gz; .gz is read transparently) or - for standard input.",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string?> From { get; } = new("--from")
    {
        Description = "Keep requests at or after this time (ISO-8601). Without an offset it is read in the log's own offset, " +
            "the one every view shows (2024-05-01T14:00); Z or +08:00 mean what they say.",
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

    public void AddTo(Command command)
    {
        command.Arguments.Add(Paths);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Format);
        command.Options.Add(NginxLogFormat);
    }

    /// <summary>
    /// Turns the parsed values into load options; a bad value becomes a <see cref="UsageException"/>. A time given
    /// without an offset is read in the offset the logs are written in (found at the start of the first input that can
    /// be read again); for standard input alone it stays UTC, and <paramref name="stderr"/> says so.
    /// </summary>
    public LoadOptions ToLoadOptions(ParseResult result, IReadOnlyList<LogSource> sources, TextWriter stderr)
    {
        var format = result.GetValue(Format);
        if (format is not null && !format.Equals("detect", StringComparison.OrdinalIgnoreCase) && LogFormats.Find(format) is null)
            throw new UsageException($"Unknown --format '{format}'. Use detect or one of: {string.Join(", ", LogFormats.Names)}.");
        var nginx = result.GetValue(NginxLogFormat);
        if (nginx is not null)
        {
            try
            {
                LogFormats.Nginx(nginx);
            }
            catch (ArgumentException e)
            {
                throw new UsageException("--nginx-log-format: " + e.Message);
            }
        }
        var options = LoadOptions.Default with
        {
            NginxLogFormat = nginx,
            Format = format is null || format.Equals("detect", StringComparison.OrdinalIgnoreCase) ? null : format,
        };
        options = options with
        {
            From = Time(result.GetValue(From), "--from", sources, options, stderr),
            To = Time(result.GetValue(To), "--to", sources, options, stderr),
        };
        if (options.From is { } f && options.To is { } t && f >= t)
            throw new UsageException($"--from {f:O} is not before --to {t:O}.");
        return options;
    }

    /// <summary>Expands the paths, reading <c>-</c> as standard input.</summary>
    public IReadOnlyList<LogSource> Sources(ParseResult result, Func<Stream> stdin)
    {
        var sources = new List<LogSource>();
        foreach (var path in result.GetValue(Paths) ?? [])
        {
            if (path == "-")
            {
                sources.Add(LogSource.FromStream(stdin(), "stdin"));
                continue;
            }
            try
            {
                sources.AddRange(LogSource.FromPaths([path]));
            }
            catch (FileNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
        }
        return sources;
    }

    private Lazy<TimeSpan?>? _logOffset;

    private DateTimeOffset? Time(string? text, string option, IReadOnlyList<LogSource> sources, LoadOptions load, TextWriter stderr)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var parsed))
            throw new UsageException($"{option} '{text}' is not a time; use ISO-8601 such as 2024-05-01T10:20 (the log's offset) or 2024-05-01T10:20+08:00.");
        if (parsed.Kind != DateTimeKind.Unspecified)
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces);
        _logOffset ??= new Lazy<TimeSpan?>(() => LogCensus.ProbeOffset(sources, load));
        if (_logOffset.Value is { } offset) return new DateTimeOffset(parsed, offset);
        stderr.WriteLine($"{option} {text}: no offset given and none could be read from the inputs (standard input is read once): taken as UTC.");
        return new DateTimeOffset(parsed, TimeSpan.Zero);
    }
}

/// <summary>Bad usage the user can fix: the message says how. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
