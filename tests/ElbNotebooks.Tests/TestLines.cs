using System.Text;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests;

/// <summary>Documented example lines, and a way to load text as a log.</summary>
internal static class TestLines
{
    /// <summary>The seed document's line, with its addresses intact (log-formats.md §1).</summary>
    public const string Seed =
        "1554944564.344 - [2019-04-11T09:02:44+08:00] elb 10.133.251.171:51527 500 \"GET http://10.154.73.58:5971/ HTTP/1.1\" 411 3726 3545 19.028 \"500\" \"0.009\" \"19.028\" \"19.028\" \"172.17.0.82:3000\" \"Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/73.0.3683.103 Safari/537.36\" \"\" \"-\" loadbalancer_ed0f790b-e194-4657-9f97-53426227099e listener_b21dd0a9-690a-4945-950e-b134095c6bd9 6b6aaf84d72b40fcb2d2b9b28f6a0b83";

    /// <summary>A full-layout line (fields 1-33) of an HTTPS listener whose first attempt timed out.</summary>
    public const string FullWithRetry =
        "1714529730.482 eb11c5a9-7f1e-4d2c-9a8b-1c2d3e4f5a6b [2024-05-01T10:15:30+08:00] elb_01 192.168.1.1:888 200 \"POST https://www.test.com/example/?id=7 HTTP/1.1\" 1411 251 3 5.031 \"504, 200\" \"0.001, 0.001\" \"-, 0.018\" \"5.000, 0.020\" \"10.0.1.23:8080, 10.0.1.24:8080\" \"curl/8.5.0\" \"https://www.test.com/\" \"203.0.113.9\" loadbalancer_0a1b lsnr_web 6b6aaf84 pool_web \"-\" tenant42 121.64.212.1:443 \"10.1.1.23:8080, 10.1.1.24:8080\" - TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 www.test.com 56704 -";

    public static AccessLog Load(string text, LoadOptions? options = null, string name = "test.log") =>
        AccessLog.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, options);

    public static AccessLog Load(byte[] bytes, LoadOptions? options = null, string name = "test.log") =>
        AccessLog.Load(new MemoryStream(bytes), name, options);

    /// <summary>A copy of a line with field <paramref name="field"/> (1-based, as in the docs) replaced.</summary>
    public static string WithField(string line, int field, string value)
    {
        var spans = new ElbNotebooks.Parsing.FieldSpan[64];
        var bytes = Encoding.UTF8.GetBytes(line);
        var n = ElbNotebooks.Parsing.LineFields.Split(bytes, spans, out _);
        if (field > n) throw new ArgumentOutOfRangeException(nameof(field));
        var f = spans[field - 1];
        var start = f.Kind == ElbNotebooks.Parsing.FieldKind.Bare ? f.Start : f.Start - 1;
        var end = f.Kind == ElbNotebooks.Parsing.FieldKind.Bare ? f.Start + f.Length : f.Start + f.Length + 1;
        return Encoding.UTF8.GetString(bytes[..start]) + value + Encoding.UTF8.GetString(bytes[end..]);
    }
}
