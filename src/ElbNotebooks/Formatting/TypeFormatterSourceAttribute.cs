namespace ElbNotebooks.Formatting;

/// <summary>
/// Names the formatter source that renders a type in a notebook. The Formatting library
/// (Microsoft.DotNet.Interactive.Formatting) finds an attribute of this NAME on the type being displayed and calls
/// the source's public <c>CreateTypeFormatters()</c> by convention, so our types show without any registration and
/// without this library depending on the kernel. The source must have a public parameterless constructor; each
/// formatter it returns needs a public <c>MimeType</c> and one public <c>bool Format(object, TextWriter)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    /// <summary>Read by the Formatting library, by name.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>The MIME types a notebook should produce for the type, read by name too.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}
