using ElbNotebooks.Formatting;
using Microsoft.DotNet.Interactive.Formatting;

namespace ElbNotebooks.Tests.Formatting;

/// <summary>The Formatter registry and the view settings are global: these tests run one at a time.</summary>
[CollectionDefinition("Formatter", DisableParallelization = true)]
public sealed class FormatterCollection;

/// <summary>Resets the global formatter state before and after each test.</summary>
public abstract class FormatterTestBase : IDisposable
{
    protected FormatterTestBase() => Reset();

    public void Dispose()
    {
        Reset();
        GC.SuppressFinalize(this);
    }

    private static void Reset()
    {
        Formatter.ResetToDefault();
        ElbFormatters.UseCdnPlotlyJs();
        ElbFormatters.RowLimit = 20;
        ElbFormatters.MaxCellLength = 80;
        ChartView.ResetIds();
    }

    protected static AngleSharp.Dom.IDocument Parse(string html) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
}
