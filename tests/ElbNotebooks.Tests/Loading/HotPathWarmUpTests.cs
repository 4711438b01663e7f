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
        Assert.True(HotPathWarmUp.CompileAll() >= 40);
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
}
