using System.Text;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Loading;

/// <summary>
/// Columns whose values rarely repeat (URIs with ids, client addresses) are kept as bytes while a load parses and
/// given codes at its end: every row must read its own value, each distinct string must have one code, and attempts
/// must read the listener of their request, whichever round of coding (a large load codes in several) gave it.
/// </summary>
public class RarelyRepeatingValuesTests
{
    private const int Lines = 30_000;

    [Fact]
    public void A_load_reads_every_row_s_own_value_and_gives_each_distinct_value_one_code()
    {
        var (bytes, expected) = Log();

        var log = TestLines.Load(bytes);

        Assert.Equal(Lines, log.RequestCount);
        AssertRows(expected, log.RequestColumns, log.AttemptColumns);
    }

    [Fact]
    public void A_load_that_codes_its_values_in_many_rounds_reads_the_same()
    {
        var (bytes, expected) = Log();
        var rows = new RowSink();
        foreach (var column in rows.Requests.All.Concat(rows.Attempts.All).OfType<StringBuffer>()) column.PendingBytesLimit = 20_000;
        new LoadPipeline<NoSummary>(LoadOptions.Default, rows).Run(LoadPipeline.Inputs([LogSource.FromStream(new MemoryStream(bytes), "test.log")]));
        rows.Finish();

        Assert.Equal(Lines, rows.Requests.Count);
        AssertRows(expected, rows.Requests, rows.Attempts);
    }

    [Fact]
    public void Values_made_when_first_read_read_the_same_from_several_threads_at_once()
    {
        var (bytes, expected) = Log();
        var uris = (LogStringDataFrameColumn)TestLines.Load(bytes).Requests["router_request_uri"];

        // Four threads read every row, each from a different place, so most values are first read by two at once.
        var read = new string?[4][];
        Parallel.For(0, read.Length, new ParallelOptions { MaxDegreeOfParallelism = read.Length }, reader =>
        {
            read[reader] = new string?[Lines];
            for (var i = 0; i < Lines; i++)
            {
                var row = (i + reader * Lines / 8) % Lines;
                read[reader][row] = uris[row];
            }
        });

        foreach (var values in read) Assert.Equal(expected.Uris, values);
    }

    private sealed record Expected(string[] Uris, string[] Clients, string[] Listeners);

    /// <summary>
    /// Lines whose URIs, client addresses and listener names mostly never repeat; some URIs repeat far apart, some are
    /// not ASCII, and two different invalid bytes both read as U+FFFD.
    /// </summary>
    private static (byte[] Bytes, Expected Expected) Log()
    {
        var text = new MemoryStream();
        var uris = new string[Lines];
        var clients = new string[Lines];
        var listeners = new string[Lines];
        for (var i = 0; i < Lines; i++)
        {
            var uri = i % 5 == 0 ? $"/item/{i / 50}" : i % 11 == 0 ? $"/café/{i}" : i % 13 == 0 ? "/bad/§" : $"/item/{i}-{i * 7919 % 1000}";
            var client = $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}";
            var line = TestLines.WithField(TestLines.FullWithRetry, 7, $"\"GET https://www.test.com{uri} HTTP/1.1\"");
            line = TestLines.WithField(line, 5, $"{client}:{1024 + i % 6000}");
            line = TestLines.WithField(line, 21, listeners[i] = $"lsnr_{i}");
            var lineBytes = Encoding.UTF8.GetBytes(line + "\n");
            if (uri == "/bad/§")
            {
                // § is two bytes in UTF-8: swap them for one invalid byte and a space-free filler.
                var at = lineBytes.AsSpan().IndexOf("§"u8);
                lineBytes[at] = i % 2 == 0 ? (byte)0xFF : (byte)0xFE;
                lineBytes[at + 1] = (byte)'x';
                uri = "/bad/\uFFFDx";
            }
            text.Write(lineBytes);
            uris[i] = uri;
            clients[i] = client;
        }
        return (text.ToArray(), new Expected(uris, clients, listeners));
    }

    private static void AssertRows(Expected expected, RequestColumns requests, AttemptColumns attempts)
    {
        for (var row = 0; row < Lines; row++)
        {
            Assert.Equal(expected.Uris[row], requests.Uri[row]);
            Assert.Equal(expected.Clients[row], requests.ClientIp[row]);
            Assert.Equal(expected.Listeners[row], requests.ListenerName[row]);
        }
        for (var attempt = 0; attempt < attempts.Count; attempt++)
            Assert.Equal(expected.Listeners[attempts.Request[attempt]], attempts.Listener[attempt]);
        AssertOneCodePerValue(requests.Uri);
        AssertOneCodePerValue(requests.ClientIp);
        AssertOneCodePerValue(requests.ListenerName);
    }

    private static void AssertOneCodePerValue(StringBuffer column)
    {
        var values = column.Values;
        var codeOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var valueOf = new Dictionary<int, string>();
        for (var row = 0; row < values.Length; row++)
        {
            var value = values[row]!;
            var code = values.Codes[row];
            Assert.Equal(code, codeOf.TryAdd(value, code) ? code : codeOf[value]);
            Assert.Equal(value, valueOf.TryAdd(code, value) ? value : valueOf[code]);
        }
    }
}
