using System.Runtime.CompilerServices;

namespace ElbNotebooks.Parsing;

/// <summary>
/// For the methods a load runs for every line (and the per-block loops around them). Under the runtime's default
/// tiered compilation, which notebooks and most hosts run, a method starts as unoptimised code and is recompiled
/// optimised only after 30 calls and a quiet spell of the JIT, and a loop is swapped mid-way for on-stack-replacement
/// code; a load of a few seconds spent most of its lines in such code. These are compiled optimised on their first
/// call instead (measured: a 500,000-line load in a plain console program took 1.6 s instead of 2.5 s). The library
/// cannot choose its host's JIT settings, so it asks for this itself.
/// The command-line tool's RID packages (Native AOT for linux-x64, ReadyToRun for the others) build the library with
/// ELB_PRECOMPILED: crossgen2 leaves methods marked AggressiveOptimization to the JIT, which would then compile them at
/// every start (about 0.06 s); Native AOT compiles everything ahead of time either way.
/// </summary>
internal static class HotPath
{
#if ELB_PRECOMPILED
    public const MethodImplOptions Optimized = 0;
#else
    public const MethodImplOptions Optimized = MethodImplOptions.AggressiveOptimization;
#endif
}
