using System.Diagnostics;
using System.Text.Json;

namespace ElbNotebooks.Tests.Reports;

/// <summary>
/// A test that needs a real browser. Without Chromium it is skipped, with the reason, on a developer's machine; in
/// CI (<c>CI=true</c>) it runs anyway and fails, so a missing browser never passes as a skip.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.InCi)
            Skip = "Chromium not found on PATH (apt-get install -y chromium, or set CHROMIUM_PATH); with CI=true this test fails instead.";
    }
}

/// <summary>What headless Chromium made of a page: the DOM after scripts ran, console messages, and network requests the page made.</summary>
internal sealed record PageRun(string Dom, IReadOnlyList<string> Console, IReadOnlyList<string> NetworkRequests, string Stderr);

/// <summary>
/// Headless Chromium driven by its command line: <c>--dump-dom</c> with a virtual-time budget (scripts, plotly
/// included, finish first), console messages read from <c>--enable-logging=stderr</c>, and every request recorded in a
/// net log. The network is cut off (unresolvable hosts, a dead proxy): whatever the page asks for fails, and is seen.
/// </summary>
internal static class Chromium
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Path { get; } = Find();

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (var dir in dirs)
                if (File.Exists(System.IO.Path.Combine(dir, name))) return System.IO.Path.Combine(dir, name);
        return null;
    }

    private static string Require() =>
        Path ?? throw new InvalidOperationException("Chromium is required (CI=true) but was not found: apt-get install -y chromium.");

    private static readonly string[] Common =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--virtual-time-budget=10000",
    ];

    /// <summary>Opens <paramref name="htmlPath"/> from file:// offline in a 1280-pixel-wide window (a laptop's) and returns the DOM, console and requests.</summary>
    public static PageRun Open(string htmlPath)
    {
        var work = Directory.CreateTempSubdirectory("elb-chromium-").FullName;
        try
        {
            var netLog = System.IO.Path.Combine(work, "net-log.json");
            var (stdout, stderr) = Run([.. Common, "--user-data-dir=" + System.IO.Path.Combine(work, "profile"), "--window-size=1280,1000", "--enable-logging=stderr", "--v=0",
                "--log-net-log=" + netLog, "--dump-dom", new Uri(htmlPath).AbsoluteUri]);
            var console = stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
            return new PageRun(stdout, console, PageRequests(netLog), stderr);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Opens a copy of <paramref name="htmlPath"/> in which no script may run (a Content-Security-Policy of
    /// <c>script-src 'none'</c> first in its head), as a mail client, a code host or a print shows it. Chromium's own
    /// switch for that (<c>scriptEnabled=false</c>) also stops headless mode from writing the DOM.
    /// </summary>
    public static PageRun OpenWithoutScripts(string htmlPath)
    {
        var page = File.ReadAllText(htmlPath);
        var head = page.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        if (head < 0) throw new InvalidOperationException(htmlPath + " has no <head>.");
        var copy = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(htmlPath)!, System.IO.Path.GetFileNameWithoutExtension(htmlPath) + ".no-scripts.html");
        File.WriteAllText(copy, page[..(head + 6)] + "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">" + page[(head + 6)..]);
        try
        {
            return Open(copy);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>A PNG of the page's top <paramref name="height"/> pixels at 1280 wide.</summary>
    public static void Screenshot(string htmlPath, string pngPath, int height = 4000)
    {
        var work = Directory.CreateTempSubdirectory("elb-chromium-").FullName;
        try
        {
            Run([.. Common, "--user-data-dir=" + System.IO.Path.Combine(work, "profile"), $"--window-size=1280,{height}",
                "--screenshot=" + pngPath, new Uri(htmlPath).AbsoluteUri]);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (string Stdout, string Stderr) Run(string[] args)
    {
        var start = new ProcessStartInfo(Require()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 2 minutes: " + string.Join(' ', args));
        }
        process.WaitForExit();
        return (stdout.Result, stderr.Result);
    }

    /// <summary>
    /// URLs the PAGE asked for over the network (http, https, ws): requests whose network isolation key is the
    /// file:// page's, so Chromium's own background traffic is not counted.
    /// </summary>
    private static List<string> PageRequests(string netLog)
    {
        if (!File.Exists(netLog)) throw new InvalidOperationException("Chromium wrote no net log; cannot tell which requests the page made.");
        var text = File.ReadAllText(netLog);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            doc = JsonDocument.Parse(text.TrimEnd().TrimEnd(',') + "]}"); // a log cut short at exit lacks its end
        }
        using (doc)
        {
            var start = doc.RootElement.GetProperty("constants").GetProperty("logEventTypes").GetProperty("URL_REQUEST_START_JOB").GetInt32();
            var urls = new List<string>();
            foreach (var e in doc.RootElement.GetProperty("events").EnumerateArray())
            {
                if (e.GetProperty("type").GetInt32() != start || !e.TryGetProperty("params", out var p)) continue;
                var url = p.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
                var key = p.TryGetProperty("network_isolation_key", out var k) ? k.GetString() ?? "" : "";
                if (key.StartsWith("file://", StringComparison.Ordinal) && !url.StartsWith("file:", StringComparison.Ordinal) &&
                    !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal))
                    urls.Add(url);
            }
            return urls;
        }
    }
}
