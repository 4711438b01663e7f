using System.Text;

namespace ElbNotebooks.Charts;

/// <summary>
/// The plotly.js this library draws with: the npm package <c>plotly.js-cartesian-dist-min</c> (MIT, its LICENSE
/// beside it), embedded in the assembly for offline pages, and the same file on a CDN for notebook outputs. The
/// cartesian bundle holds every trace type of <see cref="PlotlyChart"/> at well under half the full bundle's size.
/// </summary>
internal static class PlotlyJsBundle
{
    public const string Version = "3.7.0";
    public const string CdnUrl = "https://cdn.jsdelivr.net/npm/plotly.js-cartesian-dist-min@" + Version + "/plotly-cartesian.min.js";
    internal const string ResourceName = "ElbNotebooks.plotly-cartesian.min.js";

    private static readonly Lazy<string> Text = new(Read);

    /// <summary>The bundle's text, safe inside a script element.</summary>
    public static string Script => Text.Value;

    private static string Read()
    {
        using var stream = typeof(PlotlyJsBundle).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The assembly does not carry plotly.js (" + ResourceName + ").");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
