using ElbNotebooks.Formatting;

// The project's result types name their formatter source here, in the Formatting stage, so the earlier stages
// keep no reference to it beyond being partial.

namespace ElbNotebooks.Loading
{
    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class AccessLog;

    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class ParseReport;

    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class LogFrame;
}
