using ElbNotebooks.Loading;
using Spectre.Console;

namespace ElbNotebooks.Cli.Commands;

/// <summary>Turns what can go wrong in a command into a message on stderr and an exit code.</summary>
internal static class CommandRunner
{
    /// <summary>
    /// Runs a command's action. Bad input or usage (<see cref="InvalidInputException"/>, whoever threw it) is exit 2;
    /// inputs that hold nothing parseable exit 3; an I/O fault (a full disk, a file that cannot be read) or running out
    /// of memory exit 1 with the message. Anything else is not expected, whatever its type (an
    /// <see cref="ArgumentException"/> from deep inside is a bug, not bad usage): exit 1 with the message and a
    /// request to report it.
    /// </summary>
    public static int Run(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (InvalidInputException e)
        {
            stderr.WriteLine($"error: {UsageMessage(e)}");
            return ExitCodes.Usage;
        }
        catch (LogLoadException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.NothingParsed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            stderr.WriteLine(OutOfMemoryMessage);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(BugHint(e));
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The message of bad input without the " (Parameter 'o')" an <see cref="ArgumentException"/> adds when it names
    /// a parameter: the name of a method's parameter means nothing to someone who typed options.
    /// </summary>
    internal static string UsageMessage(ArgumentException e)
    {
        if (e.ParamName is null) return e.Message;
        // The suffix as the runtime words it (it may be translated): the message of an empty one naming the same parameter.
        var suffix = new ArgumentException("", e.ParamName).Message;
        return suffix.Length > 0 && e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message;
    }

    /// <summary>What to do about an exception nobody expected: it is a bug, so ask for a report that can reproduce it.</summary>
    internal static string BugHint(Exception e) =>
        $"this is a bug in elb-notebooks ({e.GetType().FullName}): please report it with the command you ran, this message, " +
        "and if you can a few lines of the input. The stack trace:\n" + e;

    internal const string OutOfMemoryMessage =
        "error: out of memory: these inputs do not fit in memory as rows. `investigate` streams them (it keeps no rows), " +
        "`export --parquet <dir>` streams them into Parquet for DuckDB, Spark or Athena; or load a smaller range with --from/--to " +
        "or fewer files.";

    /// <summary>Out of memory, also when a parsing worker ran out and its task wrapped the exception.</summary>
    private static bool IsOutOfMemory(Exception e) => e switch
    {
        OutOfMemoryException => true,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.Any(IsOutOfMemory),
        _ => e.InnerException is { } inner && IsOutOfMemory(inner),
    };

    /// <summary>Loads the sources, with a progress bar on stderr when stderr is a terminal.</summary>
    public static AccessLog Load(IReadOnlyList<LogSource> sources, LoadOptions options, TextWriter stderr) =>
        WithProgress(sources, options, stderr, o => AccessLog.Load(sources, o));

    /// <summary>
    /// Runs <paramref name="read"/> over the sources with a progress bar on stderr when stderr is a terminal (never
    /// when it is redirected, so logs and pipes stay clean).
    /// </summary>
    public static T WithProgress<T>(IReadOnlyList<LogSource> sources, LoadOptions options, TextWriter stderr, Func<LoadOptions, T> read,
        string what = "reading logs")
    {
        if (sources.Count == 0) throw new InvalidInputException("No input: name log files, folders, globs or - for standard input.");
        return WithProgress(stderr, what, sources.Sum(s => s.Length ?? 0), bytes => read(bytes is null
            ? options
            : options with { Progress = new SynchronousProgress<LoadProgress>(p => bytes.Report(p.BytesRead)) }));
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a bar of the units it reports done (lines, bytes) against
    /// <paramref name="expected"/> on stderr when stderr is a terminal; redirected, it runs as it is.
    /// </summary>
    public static T WithProgress<T>(TextWriter stderr, string what, long expected, Func<IProgress<long>?, T> work)
    {
        if (Console.IsErrorRedirected || !ReferenceEquals(stderr, Console.Error)) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(what, maxValue: Math.Max(1, expected));
                result = work(new SynchronousProgress<long>(n => task.Value = Math.Min(n, task.MaxValue)));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class SynchronousProgress<TValue>(Action<TValue> report) : IProgress<TValue>
    {
        public void Report(TValue value) => report(value);
    }
}
