using System.Globalization;

namespace ElbNotebooks.Tests.Generation;

/// <summary>Test-side reading of a generated line from its text alone (no dependency on the real parser).</summary>
internal sealed class LogLine
{
    private LogLine(string text, IReadOnlyList<string> fields) { Text = text; Fields = fields; }

    public string Text { get; }
    /// <summary>Space-separated fields; a double-quoted field counts once and keeps its quotes.</summary>
    public IReadOnlyList<string> Fields { get; }

    public static LogLine Read(string text)
    {
        var fields = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ') { i++; continue; }
            var start = i;
            if (text[i] == '"')
            {
                i = text.IndexOf('"', i + 1);
                Assert.True(i > 0, $"unterminated quote in: {text}");
                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ' ') i++;
            }
            fields.Add(text[start..i]);
        }
        return new LogLine(text, fields);
    }

    public static IReadOnlyList<LogLine> ReadAll(IEnumerable<string> lines) => lines.Select(Read).ToArray();

    private string Unquoted(int index)
    {
        var f = Fields[index];
        Assert.True(f.Length >= 2 && f[0] == '"' && f[^1] == '"', $"field {index + 1} is not quoted: {f}");
        return f[1..^1];
    }

    private IReadOnlyList<string> List(int index) => Unquoted(index).Split(", ");

    public long MsecMillis => Millis(Fields[0]);
    public string TimeIso => Fields[2];
    public string LogVer => Fields[3];
    public string Client => Fields[4];
    public int Status => int.Parse(Fields[5], CultureInfo.InvariantCulture);
    public string Method => Unquoted(6).Split(' ')[0];
    public string Url => Unquoted(6).Split(' ')[1];
    public long RequestMillis => Millis(Fields[10]);
    /// <summary>Request arrival: the line is written when the request ends.</summary>
    public long ArrivalMillis => MsecMillis - RequestMillis;
    public IReadOnlyList<string> UpstreamStatus => List(11);
    public IReadOnlyList<string> ConnectTimes => List(12);
    public IReadOnlyList<string> HeaderTimes => List(13);
    public IReadOnlyList<string> ResponseTimes => List(14);
    public IReadOnlyList<string> UpstreamAddrs => List(15);
    public string ListenerName => Fields[20];
    public string PoolName => Fields[22];
    public IReadOnlyList<string> UpstreamAddrsPriv => List(26);

    public static long Millis(string seconds)
    {
        Assert.Matches(@"^\d+\.\d{3}$", seconds);
        return long.Parse(seconds.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }
}
