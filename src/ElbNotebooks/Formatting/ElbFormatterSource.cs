namespace ElbNotebooks.Formatting;

/// <summary>
/// Named by <see cref="TypeFormatterSourceAttribute"/> on this project's types. The Formatting library creates it
/// and calls <see cref="CreateTypeFormatters"/> the first time it displays one of them; the formatters bind to the
/// type being displayed (they have no <c>Type</c> property) and pick the view by the value's runtime type.
/// </summary>
internal sealed class ElbFormatterSource
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    public IEnumerable<object> CreateTypeFormatters() => [new ConventionFormatter(Html), new ConventionFormatter(PlainText)];

    /// <summary>The shape the Formatting library looks for by convention: <c>MimeType</c> and one <c>Format</c>.</summary>
    internal sealed class ConventionFormatter(string mimeType)
    {
        public string MimeType { get; } = mimeType;

        public bool Format(object value, TextWriter writer)
        {
            var output = MimeType == Html ? ElbViews.Html(value) : ElbViews.Text(value);
            if (output is null) return false;
            writer.Write(output);
            return true;
        }
    }
}
