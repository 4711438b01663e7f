using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ElbNotebooks.Charts;

namespace ElbNotebooks.Formatting;

/// <summary>Where a rendered chart gets plotly.js from.</summary>
public enum PlotlyJsSource
{
    /// <summary>From a CDN (the same file the package carries), through require.js when the page has it.</summary>
    Cdn,

    /// <summary>The plotly.js the package carries, written into each output: for machines without internet.</summary>
    Inline,
}

/// <summary>
/// A chart as notebook HTML: a div with a deterministic id and a script that loads plotly.js (CDN or inline) and
/// calls <c>Plotly.newPlot</c> with the chart's figure JSON.
/// </summary>
internal static class ChartView
{
    private static long _sequence;

    /// <summary>Restarts chart ids at 1 (tests, for comparable output).</summary>
    internal static void ResetIds() => Interlocked.Exchange(ref _sequence, 0);

    public static void WriteHtml(HtmlWriter html, PlotlyChart chart, PlotlyJsSource source)
    {
        var figure = chart.ToJson();
        var id = NextId(figure);
        WriteContainer(html, chart, id, "elb-chart");
        if (source == PlotlyJsSource.Inline) WriteInlinePlotlyJs(html);
        html.Raw("<script type=\"text/javascript\">(function(){");
        WriteRender(html, figure, id);
        if (source == PlotlyJsSource.Inline)
        {
            html.Raw("render();");
        }
        else
        {
            // The bundle sets window.Plotly itself; under require.js it is loaded as a module path, else by a script tag.
            html.Raw("if(typeof Plotly!=='undefined'){render();return;}")
                .Raw("if(typeof requirejs!=='function'||typeof requirejs.config!=='function'){")
                .Raw("var s=document.createElement('script');s.setAttribute('src','").Raw(PlotlyJsBundle.CdnUrl).Raw("');s.setAttribute('charset','utf-8');")
                .Raw("s.onload=render;document.getElementsByTagName('head')[0].appendChild(s);}")
                .Raw("else{var r=requirejs.config({context:'plotly-").Raw(PlotlyJsBundle.Version).Raw("',paths:{plotly:'")
                .Raw(PlotlyJsBundle.CdnUrl[..^3]).Raw("'}})||require;r(['plotly'],function(p){window.Plotly=p||window.Plotly;render();});}");
        }
        html.Raw("})();</script>");
    }

    /// <summary>
    /// The plotly.js the package carries, as one script element; a page that holds several charts (the incident
    /// report) writes it once and then each chart with <see cref="WriteChart"/>.
    /// </summary>
    public static void WriteInlinePlotlyJs(HtmlWriter html) =>
        // Shadow AMD/CommonJS so the bundle always sets window.Plotly, also under require.js.
        html.Raw("<script type=\"text/javascript\">(function(define,exports,module){if(typeof window.Plotly!=='undefined'){return;}\n")
            .Raw(PlotlyJsBundle.Script)
            .Raw("\n})(undefined,undefined,undefined);</script>");

    /// <summary>
    /// A chart for a page that already holds plotly.js (<see cref="WriteInlinePlotlyJs"/>): a div with the caller's
    /// <paramref name="id"/> (deterministic per page) and the script that draws it.
    /// </summary>
    public static void WriteChart(HtmlWriter html, PlotlyChart chart, string id, string cssClass = "elb-chart")
    {
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException("A chart id is letters, digits, '-' and '_' (it is written into a script).", nameof(id));
        WriteContainer(html, chart, id, cssClass);
        html.Raw("<script type=\"text/javascript\">(function(){");
        WriteRender(html, chart.ToJson(), id);
        html.Raw("render();})();</script>");
    }

    /// <summary>
    /// The chart's div, holding the chart as a static SVG: what shows where no script runs (a notebook on a code host,
    /// an exported page offline, a mail client, a print). plotly.js replaces it with the interactive chart.
    /// </summary>
    private static void WriteContainer(HtmlWriter html, PlotlyChart chart, string id, string cssClass)
    {
        html.Open("div", cssClass, ("id", id)).Open("div", StaticClass);
        html.Raw(chart.ToSvg());
        html.Close("div").Close("div");
    }

    /// <summary>The class of the div that holds a chart's static SVG inside its container.</summary>
    public const string StaticClass = "elb-chart-static";

    /// <summary>Declares <c>render</c>, which draws <paramref name="figure"/> into the div <paramref name="id"/> in place of its static SVG.</summary>
    private static void WriteRender(HtmlWriter html, string figure, string id) =>
        html.Raw("var render=function(){var fig=").Raw(ScriptSafe(figure)).Raw(";")
            .Raw("var el=document.getElementById('").Raw(id).Raw("'),s=el.querySelector('.").Raw(StaticClass).Raw("');if(s){s.remove();}")
            .Raw("Plotly.newPlot(el,fig.data,fig.layout,fig.config);};");

    public static string Text(PlotlyChart chart) => chart + "; open in a notebook, or get its figure with ToJson()";

    /// <summary>A content hash keeps ids stable across runs; the sequence keeps two outputs of one chart apart.</summary>
    private static string NextId(string figure)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(figure));
        var n = Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture, $"elb-chart-{Convert.ToHexStringLower(hash.AsSpan(0, 4))}-{n}");
    }

    /// <summary>
    /// JSON inside a script element: '&lt;' only occurs in JSON strings, where <c>\u003c</c> means the same, so no
    /// value can close the script (a <c>&lt;/script&gt;</c> in a URL or user agent stays data).
    /// </summary>
    internal static string ScriptSafe(string json) =>
        json.Replace("<", "\\u003c", StringComparison.Ordinal).Replace("\u2028", "\\u2028", StringComparison.Ordinal).Replace("\u2029", "\\u2029", StringComparison.Ordinal);
}
