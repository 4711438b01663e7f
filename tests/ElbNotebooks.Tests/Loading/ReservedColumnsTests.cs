using System.Text;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Loading;

/// <summary>
/// A large load makes its columns once, from its first block: a string column that block left empty is made only at
/// its first value, and one that never gets a value reads its rows from an array of missing values the load's empty
/// columns share. Either way every cell must read as if every column had been made at once.
/// </summary>
public class ReservedColumnsTests
{
    /// <summary>The seed document's short layout: it stops after the listener, so the pool, TLS and later columns are empty.</summary>
    private static readonly string ShortLine = File.ReadLines(TestPaths.SampleLog("seed-line.log")).First();

    private static readonly string[] FullLines = File.ReadLines(TestPaths.SampleLog("elb-web-incident.log")).Take(50).ToArray();

    [Fact]
    public void Columns_made_at_their_first_value_or_never_read_back_as_if_all_were_made_at_once()
    {
        // More rows without a value than a column's first array holds (256), before and after the values come.
        var blocks = new[]
        {
            Enumerable.Repeat(ShortLine, 300).ToArray(),
            FullLines,
            Enumerable.Repeat(ShortLine, 400).ToArray(),
            FullLines,
        };
        var sink = new RowSink();
        sink.Reserve(2_000, 2_200, Parse(blocks[0]));
        foreach (var block in blocks) sink.Accept(LogSource.FromStream(Stream.Null, "test.log"), Parse(block), default);
        sink.Finish();

        var reference = Parse(blocks.SelectMany(lines => lines).ToArray());
        AssertSameCells(reference.Requests.All, sink.Requests.All);
        AssertSameCells(reference.Attempts.All, sink.Attempts.All);

        // Filled only after the first block, never filled at all, and filled from the start.
        Assert.Equal(blocks.SelectMany(lines => lines.Select(line => line != ShortLine)), sink.Requests.PoolName.Values.ToArray().Select(v => v is not null));
        Assert.All(sink.Requests.TraceId.Values.ToArray(), Assert.Null);
        Assert.Equal(reference.Requests.Count, sink.Requests.TraceId.Values.Length);
        Assert.All(sink.Requests.ListenerName.Values.ToArray(), Assert.NotNull);
    }

    [Fact]
    public void Columns_that_share_the_missing_values_change_apart_in_their_frames()
    {
        var sink = new RowSink();
        var block = Enumerable.Repeat(ShortLine, 300).ToArray();
        sink.Reserve(1_000, 1_100, Parse(block));
        sink.Accept(LogSource.FromStream(Stream.Null, "test.log"), Parse(block), default);
        sink.Finish();

        var traceIds = sink.Requests.TraceId.ToDataFrameColumn();
        var arns = sink.Requests.TargetGroupArn.ToDataFrameColumn();
        traceIds[0] = "changed";

        Assert.Equal("changed", traceIds[0]);
        Assert.Null(arns[0]);
        Assert.Null(sink.Requests.TraceId[0]);
        Assert.Equal(299, traceIds.NullCount);
        Assert.Equal(300, arns.NullCount);
    }

    private static ParseTarget Parse(IReadOnlyList<string> lines)
    {
        var target = new ParseTarget();
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(HuaweiElbFormat.Instance.TryParse(Encoding.UTF8.GetBytes(lines[i]), target, out _), lines[i]);
            target.Requests.File.Add("test.log");
            target.Requests.Line.Add(i + 1);
            target.Requests.CommitRow();
        }
        return target;
    }

    private static void AssertSameCells(IReadOnlyList<ColumnBuffer> expected, IReadOnlyList<ColumnBuffer> actual)
    {
        Assert.Equal(expected.Select(c => c.Name), actual.Select(c => c.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Name == "line") continue; // numbered per block here
            var want = expected[i].ToDataFrameColumn();
            var got = actual[i].ToDataFrameColumn();
            Assert.Equal(want.Length, got.Length);
            Assert.Equal(want.NullCount, got.NullCount);
            for (long row = 0; row < want.Length; row++) Assert.True(Equals(want[row], got[row]), $"{want.Name} row {row}: {want[row]} != {got[row]}");
        }
    }
}
