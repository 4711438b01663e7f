using System.Text;
using ElbNotebooks.Loading;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Formatting;

/// <summary>
/// A DataFrame as a compact table: "n of N rows × C columns", each column's name and type, the first rows with
/// values encoded, nulls and NaN marked, long strings cut. Plain HTML, no script, so a saved notebook renders.
/// </summary>
internal static class DataFrameView
{
    public static void WriteHtml(HtmlWriter html, DataFrame frame, int rowLimit, int maxCellLength)
    {
        var rows = frame.Rows.Count;
        var shown = (int)Math.Min(rows, Math.Max(0, rowLimit));
        var columns = frame.Columns;

        html.Open("div", "elb-view elb-frame").Style();
        html.Open("div", "elb-title")
            .Text(frame is LogFrame ? "LogFrame" : "DataFrame")
            .Open("span", "elb-muted").Text($": {shown:N0} of {rows:N0} rows × {columns.Count:N0} columns").Close("span")
            .Close("div");
        if (columns.Count == 0)
        {
            html.Close("div");
            return;
        }

        html.Open("div", "elb-scroll").Open("table", "elb-table").Open("thead").Open("tr");
        html.Element("th", "#", "elb-muted");
        foreach (var column in columns)
            html.Open("th").Text(DisplayText.Cut(column.Name ?? "", maxCellLength)).Element("span", TypeName(column.DataType), "elb-type").Close("th");
        html.Close("tr").Close("thead").Open("tbody");
        for (var row = 0; row < shown; row++)
        {
            html.Open("tr").Element("td", row.ToString(System.Globalization.CultureInfo.InvariantCulture), "elb-muted elb-num");
            foreach (var column in columns)
            {
                var value = DisplayText.Of(Cell(column, row), maxCellLength);
                html.Element("td", value.Text, value.IsMissing ? "elb-null" : value.IsNumber ? "elb-num" : null);
            }
            html.Close("tr");
        }
        html.Close("tbody").Close("table").Close("div");
        if (rows > shown)
            html.Element("div", $"… {rows - shown:N0} more rows (ElbFormatters.RowLimit = {rowLimit}; frame.Head(n) or frame.Filter(...) to see others)", "elb-muted");
        html.Close("div");
    }

    public static void WriteText(StringBuilder text, DataFrame frame, int rowLimit, int maxCellLength)
    {
        var rows = frame.Rows.Count;
        var shown = (int)Math.Min(rows, Math.Max(0, rowLimit));
        var columns = frame.Columns;
        text.Append(frame is LogFrame ? "LogFrame" : "DataFrame")
            .Append(System.Globalization.CultureInfo.InvariantCulture, $": {shown:N0} of {rows:N0} rows × {columns.Count:N0} columns");
        if (columns.Count == 0) return;
        text.AppendLine();

        var table = new TextTable(columns.Select(c => c.Name ?? "").ToArray());
        for (var row = 0; row < shown; row++)
        {
            var cells = new string[columns.Count];
            var numeric = new bool[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                var value = DisplayText.Of(Cell(columns[c], row), Math.Min(maxCellLength, 32));
                cells[c] = value.Text;
                numeric[c] = value.IsNumber;
            }
            table.Add(cells, numeric);
        }
        table.WriteTo(text);
        if (rows > shown) text.AppendLine().Append(System.Globalization.CultureInfo.InvariantCulture, $"… {rows - shown:N0} more rows");
    }

    private static object? Cell(DataFrameColumn column, long row)
    {
        try
        {
            return column[row];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"({e.GetType().Name})";
        }
    }

    internal static string TypeName(Type type) => type switch
    {
        _ when type == typeof(int) => "int",
        _ when type == typeof(long) => "long",
        _ when type == typeof(double) => "double",
        _ when type == typeof(float) => "float",
        _ when type == typeof(bool) => "bool",
        _ when type == typeof(string) => "string",
        _ when type == typeof(DateTime) => "DateTime",
        _ => type.Name,
    };
}
