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

namespace ElbNotebooks.Analysis
{
    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class Investigation;

    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class StreamedInvestigation;

    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial record BackendHealth;

    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial record Suspect;

    [TypeFormatterSource(typeof(ElbFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class Timeline;
}
