using System.Globalization;
using System.Net;
using System.Text;

namespace ElbNotebooks.Formatting;

/// <summary>
/// The one way this project writes HTML: every text and attribute value is encoded unless it goes through
/// <see cref="Raw"/>; the shared <c>elb-</c> stylesheet is written at most once per output.
/// Tag and attribute NAMES are the caller's constants, never data. Not PocketView: its tags are <c>dynamic</c> members
/// bound at run time, so a misspelt tag compiles and the binder runs in every view; this builder is typed and small.
/// </summary>
internal sealed class HtmlWriter
{
    private readonly StringBuilder _html = new();
    private bool _styleWritten;

    /// <summary>Writes the shared stylesheet, once per writer.</summary>
    public HtmlWriter Style()
    {
        if (_styleWritten) return this;
        _styleWritten = true;
        _html.Append("<style>").Append(ElbStyles.Css).Append("</style>");
        return this;
    }

    public HtmlWriter Open(string tag, string? cssClass = null) => Open(tag, cssClass, []);

    public HtmlWriter Open(string tag, string? cssClass, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        _html.Append('<').Append(tag);
        if (cssClass is not null) Attribute("class", cssClass);
        foreach (var (name, value) in attributes)
            if (value is not null) Attribute(name, value);
        _html.Append('>');
        return this;
    }

    public HtmlWriter Close(string tag)
    {
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element holding encoded text: <c>&lt;tag class&gt;text&lt;/tag&gt;</c>.</summary>
    public HtmlWriter Element(string tag, string? text, string? cssClass = null) => Open(tag, cssClass).Text(text).Close(tag);

    /// <summary>Encoded text; a null writes nothing.</summary>
    public HtmlWriter Text(string? text)
    {
        if (!string.IsNullOrEmpty(text)) _html.Append(WebUtility.HtmlEncode(DisplayText.VisibleBidi(text)));
        return this;
    }

    public HtmlWriter Text(FormattableString text) => Text(text.ToString(CultureInfo.InvariantCulture));

    /// <summary>A generated id shortened (<see cref="DisplayText.ShortId"/>), the full id on hover; other text as it is.</summary>
    public HtmlWriter Id(string? text)
    {
        var shortId = DisplayText.ShortId(text);
        return shortId == (text ?? "") ? Text(text) : Open("span", null, ("title", text)).Text(shortId).Close("span");
    }

    /// <summary>A listener by its address and port where the log has them (its id on hover), else by its id.</summary>
    public HtmlWriter Listener(string listener, string? address) =>
        address is null ? Id(listener) : Open("span", null, ("title", listener)).Text(address).Close("span");

    /// <summary>Markup that is written as it is: only for HTML this project built itself.</summary>
    public HtmlWriter Raw(string html)
    {
        _html.Append(html);
        return this;
    }

    private void Attribute(string name, string value) =>
        _html.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(DisplayText.VisibleBidi(value))).Append('"');

    public override string ToString() => _html.ToString();
}
