using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Loading;

/// <summary>
/// Compiles the per-line code every format shares (field splitting, numbers and timestamps, strings and their codes,
/// upstream lists, rows and blocks) on the thread pool as a load starts. These methods are compiled optimised on their
/// first call (<see cref="HotPath"/>): about 45 ms of compiling, one method after another, on the thread that parses the
/// first line while the file's format is detected, when nothing else can run. Started first, the compiling runs on the
/// other core while the load finds its files and reads the first block. A format's own methods are left to detection,
/// which compiles only the parsers that might read the file (<see cref="ILogFormat.MightRead"/>). Measured in a console
/// program with default settings, ten interleaved runs: the 500,000-line load 1.09 → 0.99 s (median) for the same
/// processor time, a one-line log 0.23 → 0.19 s (0.04 s more processor time).
/// A notebook gets more (<see cref="StartEverything"/>): the kernel loads the package a cell or more before the first
/// load, so every format's methods and the frames' are compiled then.
/// </summary>
internal static class HotPathWarmUp
{
    private static int _started;
    private static int _startedEverything;
    private static int _startedParallelLoops;

    /// <summary>
    /// Starts compiling the shared methods (<see cref="Methods"/>), once per process, as a load starts; nothing where
    /// code is compiled ahead of time (Native AOT).
    /// </summary>
    public static void Start()
    {
        if (Volatile.Read(ref _startedEverything) != 0) return;
        StartOnce(ref _started, () => Compile(Methods()));
    }

    /// <summary>
    /// Starts compiling every per-line method of the library (<see cref="Everything"/>: the shared ones, every built-in
    /// format's, reading blocks and building frames), once per process, for a host that loads the package before it
    /// loads a log: the notebook extension (Formatting/NotebookExtension.cs) runs it. 97 methods, 0.1 s of
    /// one core. Measured in the real kernel, the first load of the 500,000-line log in the cell right after the
    /// package's, six kernels each, taking turns: medians 1.34 → 1.21 s (docs/big-data.md). The parallel loops' own
    /// code too (<see cref="StartParallelLoops"/>).
    /// </summary>
    public static void StartEverything()
    {
        StartOnce(ref _startedEverything, () => Compile(Everything()));
        StartParallelLoops();
    }

    /// <summary>
    /// Runs an empty parallel loop on the pool, once per process, for a load large enough to give its values codes at
    /// its end on every core (<see cref="PendingValues.Resolve"/>): the runtime compiles
    /// <see cref="Parallel.For(int, int, Action{int})"/>'s own code at its first use, which would otherwise fall at the
    /// load's end, when a core is partly idle. Measured in a console program, the 500,000-line load's end-of-load coding
    /// (<see cref="Parsing.StringBuffer.ResolvePending"/>) took 62 ms instead of 72 ms, and 80 ms instead of 88 ms in a
    /// slow spell (medians of six and eight runs each). Started for large loads only: started as every load starts, it
    /// made a one-line load 0.145 → 0.156 s, whose own loop then waited for it.
    /// </summary>
    public static void StartParallelLoops() => StartOnce(ref _startedParallelLoops, static () => Parallel.For(0, 2, static _ => { }));

    private static void StartOnce(ref int started, Action warmUp)
    {
        if (!RuntimeFeature.IsDynamicCodeCompiled || Interlocked.Exchange(ref started, 1) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            // Only ever a head start: the load compiles whatever this did not, and an exception on a pool thread would
            // end the host (a notebook's kernel), so none leaves here. A test runs Compile itself, where one shows.
            try
            {
                warmUp();
            }
            catch (Exception)
            {
            }
        }, null);
    }

    /// <summary>Compiles <paramref name="methods"/> now, on this thread; returns how many.</summary>
    internal static int Compile(IEnumerable<MethodBase> methods)
    {
        var compiled = 0;
        foreach (var method in methods)
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
            compiled++;
        }
        return compiled;
    }

    /// <summary>
    /// The shared types' methods marked <see cref="HotPath.Optimized"/>, in the order a line calls them. None in a
    /// build that compiles them ahead of time (ELB_PRECOMPILED: the mark is then 0).
    /// </summary>
    internal static IEnumerable<MethodBase> Methods() =>
        Declared(typeof(LineFields)).Concat(Declared(typeof(LineFields.ClassifiedLine))).Concat(Declared(typeof(Utf8Values)))
            .Concat(Declared(typeof(Utf8Bytes))).Concat(Declared(typeof(Attempts))).Concat(Declared(typeof(UpstreamList)))
            .Concat(Declared(typeof(FieldReader))).Concat(Declared(typeof(StringPool))).Concat(Declared(typeof(StringCodes)))
            .Concat(Declared(typeof(SeededHash))).Concat(Declared(typeof(StringBuffer))).Concat(Declared(typeof(PendingValues)))
            .Concat(Declared(typeof(RequestColumns))).Concat(Declared(typeof(AttemptColumns))).Concat(Declared(typeof(BlockParser)))
            .Where(IsHotPath);

    /// <summary>
    /// <see cref="Methods"/> and the rest of the library's methods marked <see cref="HotPath.Optimized"/>: each
    /// built-in format's, timestamps, the column buffers (generic ones for the types the columns use), reading
    /// blocks, a load's time span and the frames' string columns. A test checks that no marked method is missing.
    /// </summary>
    internal static IEnumerable<MethodBase> Everything() =>
        Methods().Concat(
            Declared(typeof(HuaweiElbFormat)).Concat(Declared(typeof(AwsAlbFormat))).Concat(Declared(typeof(AwsClbFormat)))
                .Concat(Declared(typeof(NginxFormat))).Concat(Declared(typeof(LastTimestamp))).Concat(Declared(typeof(ColumnBuffer)))
                .Concat(Declared(typeof(ColumnBuffer<int>))).Concat(Declared(typeof(ColumnBuffer<long>)))
                .Concat(Declared(typeof(ColumnBuffer<double>))).Concat(Declared(typeof(ColumnBuffer<bool>)))
                .Concat(Declared(typeof(ColumnBuffer<DateTime>))).Concat(Declared(typeof(IntBuffer))).Concat(Declared(typeof(LongBuffer)))
                .Concat(Declared(typeof(DoubleBuffer))).Concat(Declared(typeof(BoolBuffer))).Concat(Declared(typeof(DateTimeBuffer)))
                .Concat(Declared(typeof(LastValue<string>))).Concat(Declared(typeof(LastValue<(DateTime, int)>)))
                .Concat(Declared(typeof(BlockReader))).Concat(Declared(typeof(RowSpan))).Concat(Declared(typeof(LogStringDataFrameColumn)))
                .Where(IsHotPath));

    private static bool IsHotPath(MethodBase method) =>
        method.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization) && !method.ContainsGenericParameters;

    private static IEnumerable<MethodBase> Declared(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods |
            DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.NonPublicConstructors)] Type type)
    {
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic |
            BindingFlags.Instance | BindingFlags.Static;
        return type.GetMethods(all).Concat<MethodBase>(type.GetConstructors(all));
    }
}
