using System.Text;

namespace ElbNotebooks.Formatting;

/// <summary>A plain-text table with aligned columns (numbers right-aligned), for terminals.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<(string[] Cells, bool[] Numeric)> _rows = [];

    public int Count => _rows.Count;

    public TextTable Add(string[] cells, bool[]? numeric = null)
    {
        _rows.Add((cells, numeric ?? new bool[cells.Length]));
        return this;
    }

    /// <summary>Cells that parse as numbers (or end in % or s after one) are right-aligned.</summary>
    public TextTable AddRow(params string[] cells) =>
        Add(cells, cells.Select(c => c.Length > 0 && (char.IsDigit(c[0]) || c[0] == '-' && c.Length > 1 && char.IsDigit(c[1]))).ToArray());

    public void WriteTo(StringBuilder text)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var (cells, _) in _rows)
            for (var c = 0; c < widths.Length && c < cells.Length; c++) widths[c] = Math.Max(widths[c], cells[c].Length);

        WriteLine(text, headers, new bool[headers.Length], widths);
        text.AppendLine().Append(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var (cells, numeric) in _rows)
        {
            text.AppendLine();
            WriteLine(text, cells, numeric, widths);
        }
    }

    private static void WriteLine(StringBuilder text, string[] cells, bool[] numeric, int[] widths)
    {
        var line = new StringBuilder();
        for (var c = 0; c < widths.Length; c++)
        {
            if (c > 0) line.Append("  ");
            var cell = c < cells.Length ? cells[c] : "";
            line.Append(c < numeric.Length && numeric[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
        }
        text.Append(line.ToString().TrimEnd());
    }
}
