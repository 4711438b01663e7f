using System.Buffers;
using System.Text;
using CsCheck;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>
/// <see cref="LineFields.Split"/> finds exactly the fields, counts and remainders of the plain byte-by-byte algorithm
/// it replaced, on lines dense in the bytes its grammar turns on.
/// </summary>
public class LineFieldsSplitTests
{
    // Bytes the grammar turns on, heavily weighted; and a sparse mix that makes long tokens and values.
    private static readonly Gen<byte[]> DenseLine = LineOf("   \"\"\"\\\\[[]]ab");
    private static readonly Gen<byte[]> SparseLine = LineOf("aaaaaaaaaaaaaaaaaaaa    \"\\[]xyz\u00e9");

    // Lines of well-formed fields joined by runs of spaces; a rare quote or backslash inside a field makes some of
    // them irregular.
    private static readonly Gen<string> Field = Gen.Frequency(
        (4, Gen.Char["aaaaabbbbb[]\\\"-"].Array[1, 12].Select(c => new string(c))),
        (4, Gen.Char["aaaaabbbbb    []\\\"-"].Array[0, 70].Select(c => "\"" + new string(c) + "\"")),
        (1, Gen.Char["aaaaabbbbb    \"\\[]-"].Array[0, 30].Select(c => "[" + new string(c) + "]")),
        (1, Gen.OneOf("a", "b", " ", "\" ", " \"", "\"", "\\\"", "\\\\", "[", "] ").Array[0, 12].Select(c => "\"" + string.Concat(c) + "\"")),
        (1, Gen.OneOf("[", "a", " ", "] ", " \"", "\" ", "\"", "]").Array[1, 10].Select(string.Concat)));
    private static readonly Gen<byte[]> FieldsLine =
        Gen.Select(Field, Gen.Int[1, 3], (field, spaces) => new string(' ', spaces) + field).Array[0, 20]
            .Select(Gen.Int[0, 2], Gen.Bool, (fields, trailing, trimStart) =>
            {
                var line = string.Concat(fields) + new string(' ', trailing);
                return Encoding.Latin1.GetBytes(trimStart ? line.TrimStart(' ') : line);
            });

    private static readonly Gen<byte[]> AnyLine = Gen.Frequency((1, DenseLine), (1, SparseLine), (3, FieldsLine));

    private static Gen<byte[]> LineOf(string alphabet) => Gen.Char[alphabet].Array[0, 300].Select(Encoding.Latin1.GetBytes);

    private static void AssertSameAsReference(byte[] line, int fieldCount)
    {
        var expected = new FieldSpan[fieldCount];
        var actual = new FieldSpan[fieldCount];
        var expectedCount = ReferenceSplit.Split(line, expected, out var expectedRest);
        var actualCount = LineFields.Split(line, actual, out var actualRest);
        var shown = Encoding.Latin1.GetString(line);
        Assert.True(expectedCount == actualCount, $"count {actualCount}, expected {expectedCount}: «{shown}» into {fieldCount}");
        Assert.True(expectedRest == actualRest, $"restStart {actualRest}, expected {expectedRest}: «{shown}» into {fieldCount}");
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"fields differ: «{shown}» into {fieldCount}");
    }

    [Fact]
    public void Random_lines_split_as_the_reference_does()
    {
        Gen.Select(AnyLine, Gen.Int[0, 40]).Sample(sample => AssertSameAsReference(sample.Item1, sample.Item2),
            iter: 50_000);
    }

    [Fact]
    public void Lines_shifted_across_block_boundaries_split_as_the_reference_does()
    {
        // Leading spaces move every byte by one place, so each quote and space meets each position in a block.
        Gen.Select(AnyLine, Gen.Int[0, 40]).Sample(sample =>
        {
            var (line, fieldCount) = sample;
            for (var shift = 0; shift < 64; shift++) AssertSameAsReference([.. Enumerable.Repeat((byte)' ', shift), .. line], fieldCount);
        }, iter: 2_000);
    }

    [Fact]
    public void Lines_around_the_vector_path_limit_split_as_the_reference_does()
    {
        // Longer lines take the plain path; both sides of the limit must agree with the reference.
        var lengths = Gen.Int[LineFields.MaxClassifiedLength - 200, LineFields.MaxClassifiedLength + 200];
        Gen.Select(lengths, Gen.Int[0, 10_000], Gen.Int[1, 400]).Sample(sample =>
        {
            var (length, seed, fieldCount) = sample;
            var random = new Random(seed);
            var alphabet = "aaaaaaaaaaaa   \"\"\\[]"u8;
            var line = new byte[length];
            for (var i = 0; i < length; i++) line[i] = alphabet[random.Next(alphabet.Length)];
            AssertSameAsReference(line, fieldCount);
        }, iter: 2_000);
    }

    [Theory]
    [InlineData(TestLines.Seed)]
    [InlineData(TestLines.FullWithRetry)]
    [InlineData(TestLines.Alb)]
    [InlineData(TestLines.Clb)]
    [InlineData(TestLines.NginxCombined)]
    [InlineData(TestLines.NginxUpstreamRetry)]
    [InlineData("[a \"b] c\" d")] // the quotes pair up across the bracket's end, but the first one is inside it
    [InlineData("x [a \"b\" c] \"d e\" f")] // quotes inside brackets
    [InlineData("\"a\"b \"c\"")] // a quote inside a value, not followed by a space
    [InlineData("\"a\\\" b\" c")] // an escaped quote
    [InlineData("a\"b \"c d\"")] // a quote inside a bare token
    [InlineData("[2001:db8::7]:443 \"x\"")] // a '[' that opens no bracketed value
    [InlineData("  \"\" \"\"  ")]
    public void Example_lines_split_as_the_reference_does(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        for (var fieldCount = 0; fieldCount <= 40; fieldCount++) AssertSameAsReference(bytes, fieldCount);
    }

    /// <summary>The byte-by-byte algorithm <see cref="LineFields.Split"/> had before it was vectorized, kept verbatim.</summary>
    private static class ReferenceSplit
    {
        private static readonly SearchValues<byte> QuoteOrBackslash = SearchValues.Create("\"\\"u8);

        public static int Split(ReadOnlySpan<byte> line, Span<FieldSpan> fields, out int restStart)
        {
            restStart = -1;
            var count = 0;
            var pos = 0;
            while (true)
            {
                while (pos < line.Length && line[pos] == (byte)' ') pos++;
                if (pos >= line.Length) return count;
                if (count == fields.Length)
                {
                    restStart = pos;
                    return count;
                }

                var c = line[pos];
                if (c == (byte)'"')
                {
                    var end = FindClosingQuote(line, pos + 1, out var hasEscape);
                    if (end < 0) return -1;
                    fields[count++] = new FieldSpan(pos + 1, end - pos - 1, FieldKind.Quoted, hasEscape);
                    pos = end + 1;
                }
                else if (c == (byte)'[' && ClosingBracket(line, pos) is var close and >= 0)
                {
                    fields[count++] = new FieldSpan(pos + 1, close - pos - 1, FieldKind.Bracketed, false);
                    pos = close + 1;
                }
                else
                {
                    var space = line[pos..].IndexOf((byte)' ');
                    var length = space < 0 ? line.Length - pos : space;
                    fields[count++] = new FieldSpan(pos, length, FieldKind.Bare, false);
                    pos += length;
                }
            }
        }

        private static int ClosingBracket(ReadOnlySpan<byte> line, int open)
        {
            var close = line[(open + 1)..].IndexOf((byte)']');
            if (close < 0) return -1;
            close += open + 1;
            return close + 1 == line.Length || line[close + 1] == (byte)' ' ? close : -1;
        }

        private static int FindClosingQuote(ReadOnlySpan<byte> line, int from, out bool hasEscape)
        {
            hasEscape = false;
            var pos = from;
            while (pos < line.Length)
            {
                var next = line[pos..].IndexOfAny(QuoteOrBackslash);
                if (next < 0) return -1;
                pos += next;
                if (line[pos] == (byte)'\\')
                {
                    hasEscape = true;
                    pos += 2;
                    continue;
                }
                if (pos + 1 == line.Length || line[pos + 1] == (byte)' ') return pos;
                pos++;
            }
            return -1;
        }
    }
}
