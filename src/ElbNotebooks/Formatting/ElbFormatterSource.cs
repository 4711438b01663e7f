using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Formatting;

/// <summary>
/// The formatter source that <see cref="TypeFormatterSourceAttribute"/> names on this project's result types
/// (<c>FormattedTypes.cs</c>): the kernel creates it the first time it displays a <typeparamref name="T"/> and
/// registers its two views, so the types show without any registration call.
/// </summary>
internal sealed class ElbFormatterSource<T> : ITypeFormatterSource
{
    public IEnumerable<ITypeFormatter> CreateTypeFormatters() =>
    [
        new ViewFormatter(typeof(T), ElbFormatterSource.Html, ElbViews.Html),
        new ViewFormatter(typeof(T), ElbFormatterSource.PlainText, ElbViews.Text),
    ];
}

/// <summary>The MIME types this project's views are written in.</summary>
internal static class ElbFormatterSource
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";
}

/// <summary>One view of one type in one MIME type; declines (false) when the view has nothing to show.</summary>
internal sealed class ViewFormatter(Type type, string mimeType, Func<object?, string?> view) : ITypeFormatter
{
    public string MimeType { get; } = mimeType;

    public Type Type { get; } = type;

    public bool Format(object instance, FormatContext context)
    {
        var output = view(instance);
        if (output is null) return false;
        context.Writer.Write(output);
        return true;
    }
}
