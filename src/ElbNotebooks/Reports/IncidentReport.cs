using System.Text;
using ElbNotebooks.Analysis;
using ElbNotebooks.Formatting;
using Microsoft.DotNet.Interactive.Formatting;
using ElbNotebooks.Reports;

namespace ElbNotebooks.Reports
{
    /// <summary>
    /// The shareable write-up of an investigation: the answer first (which backend, how, from when to when), whom it
    /// hurt, the evidence against its peers with raw log lines, the charts, the backend table, how the verdict was
    /// reached and where the data came from. <see cref="ToHtml"/> is one self-contained page (CSS and plotly.js inline,
    /// opens offline, prints); <see cref="ToMarkdown"/> tells the same story in tables for a ticket or a chat.
    /// </summary>
    [TypeFormatterSource(typeof(ReportFormatterSource), PreferredMimeTypes = [ElbFormatterSource.Html, ElbFormatterSource.PlainText])]
    public sealed class IncidentReport
    {
        private readonly ReportFacts _facts;

        internal IncidentReport(Investigation investigation, ReportOptions options)
        {
            ArgumentNullException.ThrowIfNull(investigation);
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            _facts = new ReportFacts(investigation, options);
        }

        /// <summary>The investigation the report tells.</summary>
        public Investigation Investigation => _facts.Investigation;

        /// <summary>The options the report was made with.</summary>
        public ReportOptions Options => _facts.Options;

        /// <summary>The report's title: <see cref="ReportOptions.Title"/>, or one naming the suspects.</summary>
        public string Title => _facts.Title;

        /// <summary>When the report was made (from <see cref="ReportOptions.Clock"/>), UTC.</summary>
        public DateTimeOffset GeneratedAt => _facts.GeneratedAt;

        /// <summary>Whom each suspect hurt, most severe suspect first (the numbers both forms show).</summary>
        public IReadOnlyList<SuspectImpact> Impacts => _facts.Suspects.Select(s => s.Impact).ToList();

        /// <summary>The raw log lines shown as evidence for each suspect, in the order of <see cref="Impacts"/>.</summary>
        public IReadOnlyList<IReadOnlyList<EvidenceLine>> Evidence => _facts.Suspects.Select(s => s.Evidence).ToList();

        internal ReportFacts Facts => _facts;

        /// <summary>
        /// The whole report as one HTML document (about 1.5 MB: plotly.js is inline so it opens without a network; each
        /// chart also holds a static SVG, which shows where scripts do not run).
        /// </summary>
        public string ToHtml() => HtmlReport.Write(_facts);

        /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> (UTF-8), replacing the file.</summary>
        public void SaveHtml(string path) => Save(path, ToHtml());

        /// <summary>
        /// The report in GitHub-flavoured Markdown: text and tables, values escaped; no images (<see cref="SaveMarkdown"/>
        /// writes the charts beside it and shows them).
        /// </summary>
        public string ToMarkdown() => MarkdownReport.Write(_facts);

        /// <summary>
        /// Writes the Markdown to <paramref name="path"/> (UTF-8), replacing the file, with its charts as SVG images in
        /// a folder beside it (<c>incident.md</c>: <c>incident-charts/*.svg</c>) that the Markdown shows.
        /// </summary>
        public void SaveMarkdown(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            var folder = ChartsFolder(path);
            var folderName = Path.GetFileName(folder);
            Directory.CreateDirectory(folder);
            var images = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, _, make) in HtmlReport.ChartList(_facts))
            {
                Save(Path.Combine(folder, name + ".svg"), make().ToSvg());
                images[name] = folderName + "/" + name + ".svg";
            }
            Save(path, MarkdownReport.Write(_facts, images));
        }

        /// <summary>The folder <see cref="SaveMarkdown"/> writes the charts of <paramref name="markdownPath"/> to: <c>incident-charts</c> beside <c>incident.md</c>.</summary>
        internal static string ChartsFolder(string markdownPath) =>
            Path.Combine(Path.GetDirectoryName(markdownPath) ?? "", Path.GetFileNameWithoutExtension(markdownPath) + "-charts");

        /// <summary>The answer in a few lines.</summary>
        public override string ToString() => ReportPreview.Text(_facts);

        private static void Save(string path, string content)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }
}

namespace ElbNotebooks.Analysis
{
    /// <summary><c>investigation.Report()</c>.</summary>
    public static class InvestigationReportExtensions
    {
        extension(Investigation investigation)
        {
            /// <summary>The shareable incident write-up of this investigation (see <see cref="IncidentReport"/>).</summary>
            public IncidentReport Report(ReportOptions? options = null) => new(investigation, options ?? ReportOptions.Default);
        }
    }
}
