using ElbNotebooks.Formatting;
using Microsoft.DotNet.Interactive.Formatting;

// The project's result types name their formatter source here, with the Formatting package's own attribute (the
// kernel reads it), in the Formatting stage, so the earlier stages keep no reference to it beyond being partial.

namespace ElbNotebooks.Loading
{
    [TypeFormatterSource(typeof(ElbFormatterSource<AccessLog>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class AccessLog;

    [TypeFormatterSource(typeof(ElbFormatterSource<ParseReport>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class ParseReport;

    [TypeFormatterSource(typeof(ElbFormatterSource<LogFrame>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class LogFrame;
}

namespace ElbNotebooks.Analysis
{
    [TypeFormatterSource(typeof(ElbFormatterSource<Investigation>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class Investigation;

    [TypeFormatterSource(typeof(ElbFormatterSource<StreamedInvestigation>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class StreamedInvestigation;

    [TypeFormatterSource(typeof(ElbFormatterSource<BackendHealth>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial record BackendHealth;

    [TypeFormatterSource(typeof(ElbFormatterSource<Suspect>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial record Suspect;

    [TypeFormatterSource(typeof(ElbFormatterSource<Timeline>), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed partial class Timeline;
}
