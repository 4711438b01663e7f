using System.Buffers;
using System.Text;
using ElbNotebooks.Generation;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Loading;

/// <summary>
/// The loader parses 1 MiB blocks in parallel into a few targets that it empties and reuses; nothing a block left in a
/// reused target may leak into the next: every cell must equal a plain line-by-line parse into fresh columns.
/// </summary>
public class BlockReuseTests
{
    [Fact]
    public void A_multi_block_load_equals_a_line_by_line_parse_cell_for_cell()
    {
        var generated = LogGenerator.Lines(Scenarios.Apply("mixed", new GeneratorOptions { Seed = 3, RequestsPerSecond = 10 })).Take(12_000).ToList();
        // Shorter layouts and bad lines between full ones: a reused buffer must pad and roll back, not keep old values.
        // The file starts with the shorter layout, so its later lines are not cut ones.
        for (var i = 1000; i < generated.Count; i += 2500)
        {
            generated.Insert(i, TestLines.Seed);
            generated.Insert(i + 1, "not a log line");
            generated.Insert(i + 2, TestLines.WithField(generated[i + 3], 8, "12x"));
        }
        generated.Insert(0, TestLines.Seed);
        var text = string.Join("\n", generated) + "\n";
        Assert.True(Encoding.UTF8.GetByteCount(text) > 4 << 20, "the input must span several blocks");

        var log = TestLines.Load(text);
        var expected = LineByLine(generated, "test.log");

        Assert.Equal(expected.Requests.Count, log.RequestCount);
        Assert.Equal(expected.Attempts.Count, log.AttemptCount);
        Assert.Equal(generated.Count - expected.Requests.Count, log.Report.Rejected);
        AssertSameCells(expected.Requests.All, log.Requests);
        AssertSameCells(expected.Attempts.All, log.Attempts);
    }

    [Theory]
    [InlineData(2_000, 0)]
    [InlineData(1, 0)]
    [InlineData(50, 20_000)]
    public void Reading_an_input_to_its_end_gives_every_buffer_back(int lines, int tooLongLineBytes)
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++) text.Append(TestLines.Seed).Append('\n');
        if (tooLongLineBytes > 0) text.Append('x', tooLongLineBytes).Append('\n').Append(TestLines.Seed);
        var pool = new CountingPool();

        var reader = new BlockReader(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), 4096, 16_384, new PooledBlockBuffers(pool));
        var read = 0L;
        while (reader.TryRead(out var block))
        {
            read += block.LineCount;
            block.Release();
        }
        reader.Dispose();

        Assert.Equal(lines + (tooLongLineBytes > 0 ? 2 : 0), read);
        Assert.True(pool.Rented > 1, "the input spans more than one buffer");
        Assert.Equal(pool.Rented, pool.Returned);
    }

    /// <summary>Counts what the reader takes and gives back.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        private readonly ArrayPool<byte> _inner = Create();

        public int Rented { get; private set; }
        public int Returned { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Rented++;
            return _inner.Rent(minimumLength);
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Returned++;
            _inner.Return(array, clearArray);
        }
    }

    private static ParseTarget LineByLine(IReadOnlyList<string> lines, string file)
    {
        var target = new ParseTarget { LayoutFields = HuaweiElbFormat.Instance.Fields(Encoding.UTF8.GetBytes(lines[0])) };
        for (var i = 0; i < lines.Count; i++)
        {
            var attempts = target.Attempts.Count;
            if (!HuaweiElbFormat.Instance.TryParse(Encoding.UTF8.GetBytes(lines[i]), target, out _))
            {
                target.Requests.RollbackRow();
                target.Attempts.RollbackTo(attempts);
                continue;
            }
            target.Requests.File.Add(file);
            target.Requests.Line.Add(i + 1);
            target.Requests.CommitRow();
        }
        return target;
    }

    private static void AssertSameCells(IReadOnlyList<ColumnBuffer> expected, Microsoft.Data.Analysis.DataFrame actual)
    {
        Assert.Equal(expected.Count, actual.Columns.Count);
        foreach (var column in expected)
        {
            var frame = actual[column.Name];
            var reference = column.ToDataFrameColumn();
            Assert.Equal(reference.Length, frame.Length);
            for (long row = 0; row < frame.Length; row++)
                if (!Equals(reference[row], frame[row]))
                    Assert.Fail($"{column.Name}[{row}]: expected {reference[row] ?? "null"}, got {frame[row] ?? "null"}");
        }
    }
}
