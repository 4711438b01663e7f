using System.Reflection;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Loading;

public class HotPathWarmUpTests
{
    private static readonly string[] Names = HotPathWarmUp.Methods().Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToArray();

    [Fact]
    public void It_compiles_every_shared_per_line_method_without_failing()
    {
        // Start() swallows a failure (the load compiles the methods anyway); here it shows: a listed method that cannot
        // be compiled on its own (an open generic one, say) throws.
        Assert.True(HotPathWarmUp.Compile(HotPathWarmUp.Methods()) >= 40);
        foreach (var expected in new[]
                 {
                     "LineFields.TrySplitClassified", "ClassifiedLine..ctor", "Utf8Values.TryIsoTimestamp", "Utf8Values.TryDouble",
                     "Attempts.Expand", "UpstreamList.TryNext", "FieldReader.AddString", "FieldReader.RequestLine",
                     "StringPool.Get", "StringCodes.GetOrAdd", "StringBuffer.AddUnpooled", "RequestColumns.CommitRow", "BlockParser.ParseLine",
                 })
            Assert.Contains(expected, Names);
    }

    [Fact]
    public void It_leaves_each_format_s_own_parser_to_detection()
    {
        var formats = typeof(ILogFormat).Assembly.GetTypes().Where(t => typeof(ILogFormat).IsAssignableFrom(t) && !t.IsInterface).ToList();
        Assert.NotEmpty(formats);
        Assert.DoesNotContain(HotPathWarmUp.Methods(), m => formats.Contains(m.DeclaringType!));
        Assert.All(HotPathWarmUp.Methods(), m => Assert.True(m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization)));
    }

    [Fact]
    public void The_notebook_warm_up_compiles_every_method_marked_for_the_hot_path()
    {
        Assert.True(HotPathWarmUp.Compile(HotPathWarmUp.Everything()) >= 70);

        var everything = HotPathWarmUp.Everything().Select(Key).ToHashSet();
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        var marked = typeof(ILogFormat).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(all).Concat<MethodBase>(t.GetConstructors(all)))
            .Where(m => m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization))
            .ToList();
        Assert.NotEmpty(marked);
        // A generic method (Attempts.CheckList<T>) is compiled per type argument, at its first call.
        marked.RemoveAll(m => m.IsGenericMethodDefinition);
        // A generic type's methods count as listed when one of its instantiations is.
        Assert.All(marked, m => Assert.Contains(Key(m), everything));
        Assert.Superset(HotPathWarmUp.Methods().Select(Key).ToHashSet(), everything);
    }

    /// <summary>A method by its declaring type's generic definition and its signature as declared there.</summary>
    private static string Key(MethodBase method)
    {
        var type = method.DeclaringType!;
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var declared = type.IsGenericType ? MethodBase.GetMethodFromHandle(method.MethodHandle, definition.TypeHandle)! : method;
        return $"{definition.FullName}::{declared}";
    }
}
