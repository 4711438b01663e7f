using System.Text;
using System.Text.RegularExpressions;

namespace ElbNotebooks.Tests.Reports;

/// <summary>A GitHub-flavoured Markdown table as a reader sees it: header cells, row cells (unescaped), and the heading above it.</summary>
internal sealed record MarkdownTable(string Heading, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public IReadOnlyList<string> Column(string header) => Rows.Select(r => r[Headers.ToList().IndexOf(header)]).ToList();
}

/// <summary>
/// Reads the tables of a Markdown document the way GFM does: a header row, a delimiter row, then rows until a line
/// that does not start with a pipe; cells split on pipes not escaped with a backslash.
/// </summary>
internal static partial class MarkdownTables
{
    [GeneratedRegex(@"^\|(\s*:?-+:?\s*\|)+$")]
    private static partial Regex Delimiter();

    public static List<MarkdownTable> Parse(string markdown)
    {
        var lines = markdown.Split('\n');
        var tables = new List<MarkdownTable>();
        var heading = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#')) heading = lines[i].TrimStart('#').Trim();
            if (!lines[i].StartsWith('|') || i + 1 >= lines.Length || !Delimiter().IsMatch(lines[i + 1])) continue;
            var headers = Cells(lines[i]);
            var rows = new List<IReadOnlyList<string>>();
            i += 2;
            while (i < lines.Length && lines[i].StartsWith('|')) rows.Add(Cells(lines[i++]));
            tables.Add(new MarkdownTable(heading, headers, rows));
        }
        return tables;
    }

    /// <summary>Cells of one row, unescaped (backslash escapes, &amp;lt; &amp;gt; &amp;amp;), bold markers removed.</summary>
    public static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var body = line.Trim();
        body = body[1..];
        if (body.EndsWith('|') && !IsEscaped(body, body.Length - 1)) body = body[..^1];
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '|' && !IsEscaped(body, i))
            {
                cells.Add(Unescape(cell.ToString().Trim()));
                cell.Clear();
            }
            else cell.Append(body[i]);
        }
        cells.Add(Unescape(cell.ToString().Trim()));
        return cells;
    }

    private static bool IsEscaped(string s, int i)
    {
        var n = 0;
        for (var j = i - 1; j >= 0 && s[j] == '\\'; j--) n++;
        return n % 2 == 1;
    }

    private static string Unescape(string s)
    {
        if (s.Length >= 4 && s.StartsWith("**") && s.EndsWith("**") && !IsEscaped(s, s.Length - 2)) s = s[2..^2];
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length && char.IsAsciiLetterOrDigit(s[i + 1]) == false && s[i + 1] < 128) sb.Append(s[++i]);
            else sb.Append(s[i]);
        }
        return sb.ToString().Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&");
    }
}

/// <summary>Markdown with its fenced code blocks taken out, and what those blocks hold.</summary>
internal static class MarkdownCode
{
    private static readonly System.Text.RegularExpressions.Regex Fence =
        new(@"^[ ]*(`{3,})text\n[ ]*(?<code>.*)\n[ ]*\1\n", System.Text.RegularExpressions.RegexOptions.Multiline);

    public static string Outside(string md) => Fence.Replace(md, "");

    public static IReadOnlyList<string> Blocks(string md) => Fence.Matches(md).Select(m => m.Groups["code"].Value).ToList();
}
