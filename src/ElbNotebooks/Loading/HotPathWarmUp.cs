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
/// </summary>
internal static class HotPathWarmUp
{
    private static int _started;

    /// <summary>Starts the compiling once per process; nothing where code is compiled ahead of time (Native AOT).</summary>
    public static void Start()
    {
        if (!RuntimeFeature.IsDynamicCodeCompiled || Interlocked.Exchange(ref _started, 1) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            // Only ever a head start: the load compiles whatever this did not, and an exception on a pool thread would
            // end the host (a notebook's kernel), so none leaves here. A test runs CompileAll itself, where one shows.
            try
            {
                CompileAll();
            }
            catch (Exception)
            {
            }
        }, null);
    }

    /// <summary>Compiles every shared hot-path method now, on this thread.</summary>
    internal static int CompileAll()
    {
        var compiled = 0;
        foreach (var method in Methods())
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
            .Concat(Declared(typeof(SeededHash))).Concat(Declared(typeof(StringBuffer))).Concat(Declared(typeof(RequestColumns)))
            .Concat(Declared(typeof(AttemptColumns))).Concat(Declared(typeof(BlockParser)))
            .Where(m => m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization) && !m.ContainsGenericParameters);

    private static IEnumerable<MethodBase> Declared(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods |
            DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.NonPublicConstructors)] Type type)
    {
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic |
            BindingFlags.Instance | BindingFlags.Static;
        return type.GetMethods(all).Concat<MethodBase>(type.GetConstructors(all));
    }
}
