using System.Buffers.Text;
using System.Text;
using CsCheck;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>The hot path's own byte searches and number readers answer exactly as the base library's.</summary>
public class Utf8BytesTests
{
    // Few distinct bytes, so searches hit, miss and repeat; lengths around the 8- and 16-byte steps.
    private static readonly Gen<byte[]> Bytes = Gen.Byte[(byte)' ', (byte)'/'].Array[0, 70];
    private static readonly Gen<byte> Probe = Gen.Byte[(byte)' ', (byte)'/'];

    [Fact]
    public void Searches_find_what_the_base_library_finds() =>
        Gen.Select(Bytes, Probe, Probe).Sample((span, a, b) =>
        {
            Assert.Equal(span.AsSpan().IndexOf(a), Utf8Bytes.IndexOf(span, a));
            Assert.Equal(span.AsSpan().LastIndexOf(a), Utf8Bytes.LastIndexOf(span, a));
            Assert.Equal(span.AsSpan().IndexOfAny(a, b), Utf8Bytes.IndexOfAny(span, a, b));
            byte[] needle = [a, b, a];
            Assert.Equal(span.AsSpan().IndexOf(needle), Utf8Bytes.IndexOf(span, needle));
            Assert.Equal(span.AsSpan().IndexOf(needle.AsSpan(..1)), Utf8Bytes.IndexOf(span, needle.AsSpan(..1)));
        }, iter: 20_000);

    [Fact]
    public void Compares_agree_with_the_base_library() =>
        Gen.Select(Bytes, Gen.Int[0, 69], Probe).Sample((span, at, value) =>
        {
            var other = (byte[])span.Clone();
            Assert.True(Utf8Bytes.Equal(span, other));
            Assert.True(Utf8Bytes.EqualsAscii(span, Encoding.ASCII.GetString(span)));
            if (at < other.Length) other[at] = value;
            Assert.Equal(span.AsSpan().SequenceEqual(other), Utf8Bytes.Equal(span, other));
            Assert.Equal(span.AsSpan().SequenceEqual(other), Utf8Bytes.EqualsAscii(span, Encoding.ASCII.GetString(other)));
            Assert.Equal(span.AsSpan().StartsWith(other.AsSpan(..Math.Min(at, other.Length))),
                Utf8Bytes.StartsWith(span, other.AsSpan(..Math.Min(at, other.Length))));
            Assert.False(Utf8Bytes.Equal(span, [.. span, value]));
        }, iter: 20_000);

    [Fact]
    public void Ascii_is_found_at_every_position() =>
        Gen.Select(Gen.Byte[0x20, 0x7e].Array[0, 70], Gen.Int[0, 69], Gen.Byte[0x80, 0xff]).Sample((span, at, high) =>
        {
            Assert.True(Utf8Bytes.IsAscii(span));
            if (at >= span.Length) return;
            span[at] = high;
            Assert.False(Utf8Bytes.IsAscii(span));
            Assert.False(Utf8Bytes.EqualsAscii(span, new string('x', span.Length)));
        }, iter: 20_000);

    [Fact]
    public void A_line_end_is_found_with_whether_the_line_is_ascii() =>
        Gen.Select(Gen.Byte[(byte)'\n', (byte)'~'].Array[0, 100], Gen.Int[0, 99], Gen.Byte[0x80, 0xff]).Sample((span, at, high) =>
        {
            if (at < span.Length && span[at] != (byte)'\n') span[at] = high;
            var end = Utf8Bytes.IndexOfLineFeed(span, out var ascii);
            Assert.Equal(span.AsSpan().IndexOf((byte)'\n'), end);
            var line = end < 0 ? span : span[..end];
            // False may also come from a byte past the line's end, never true for a line that is not ASCII.
            if (!System.Text.Ascii.IsValid(line)) Assert.False(ascii);
            if (System.Text.Ascii.IsValid(span)) Assert.True(ascii);
        }, iter: 20_000);

    [Fact]
    public void Strings_and_copies_are_the_bytes() =>
        Gen.Select(Gen.Byte.Array[0, 70], Gen.Bool).Sample((bytes, ascii) =>
        {
            if (ascii) for (var i = 0; i < bytes.Length; i++) bytes[i] &= 0x7f;
            Assert.Equal(Encoding.UTF8.GetString(bytes), Utf8Bytes.String(bytes));
            var copy = new byte[bytes.Length + 3];
            Utf8Bytes.Copy(bytes, copy);
            Assert.Equal(bytes, copy[..bytes.Length]);
            Assert.Equal(new byte[3], copy[bytes.Length..]);
        }, iter: 20_000);

    [Theory]
    [InlineData("0"), InlineData("-0"), InlineData("007"), InlineData("+5"), InlineData("-"), InlineData(""), InlineData("12a")]
    [InlineData("2147483647"), InlineData("2147483648"), InlineData("-2147483648"), InlineData("999999999"), InlineData("1234567890")]
    [InlineData("9223372036854775807"), InlineData("9223372036854775808"), InlineData("-9223372036854775808"), InlineData("123456789012345678")]
    [InlineData(" 5"), InlineData("5 "), InlineData("1e3"), InlineData("--1")]
    public void Integers_read_as_the_base_library_reads_them(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var intOk = Utf8Parser.TryParse(bytes, out int expectedInt, out var consumed) && consumed == bytes.Length;
        Assert.Equal(intOk, Utf8Values.TryInt(bytes, out var actualInt));
        if (intOk) Assert.Equal(expectedInt, actualInt);
        var longOk = Utf8Parser.TryParse(bytes, out long expectedLong, out consumed) && consumed == bytes.Length;
        Assert.Equal(longOk, Utf8Values.TryLong(bytes, out var actualLong));
        if (longOk) Assert.Equal(expectedLong, actualLong);
    }

    [Fact]
    public void Random_integers_read_as_the_base_library_reads_them() =>
        Gen.OneOf(Gen.Long.Select(v => v.ToString()), Gen.Int.Select(v => v.ToString()), Gen.Char["0123456789-+"].Array[0, 21].Select(c => new string(c)))
            .Sample(Integers_read_as_the_base_library_reads_them, iter: 20_000);
}
