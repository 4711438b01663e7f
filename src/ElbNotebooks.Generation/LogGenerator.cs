using System.IO.Compression;
using System.Text;

namespace ElbNotebooks.Generation;

/// <summary>
/// Deterministic generator of load-balancer access logs with injected incidents: Huawei Cloud ELB layer 7 by default,
/// or the same traffic as an AWS ALB, an AWS CLB or nginx writes it (<see cref="GeneratorOptions.Format"/>).
/// </summary>
public static class LogGenerator
{
    /// <summary>
    /// The <c>log_format</c> of generated nginx lines: <c>combined</c>, then the request time, the listener
    /// (<c>$server_name</c>, <c>$server_addr:$server_port</c>), the pool (<c>$proxy_host</c>) and the upstream lists.
    /// Read them with it (<c>--nginx-log-format</c>, <c>LoadOptions.NginxLogFormat</c>).
    /// </summary>
    public const string NginxLogFormat =
        "log_format lb '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" " +
        "\"$http_user_agent\" $request_time $server_name $server_addr:$server_port $proxy_host \"$upstream_addr\" \"$upstream_status\" " +
        "\"$upstream_connect_time\" \"$upstream_header_time\" \"$upstream_response_time\"';";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The log's lines, sorted by <c>$msec</c>, without line terminators. Streams; same options give the same lines.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (unknown backend, empty window, ...).</exception>
    public static IEnumerable<string> Lines(GeneratorOptions options)
    {
        var key = Key(options); // validates eagerly
        return new Simulation(options, key).Run();
    }

    /// <summary>The answer key for the options, without generating the log.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static AnswerKey Key(GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var topology = Topology.From(options);
        var incidents = options.Incidents.Select(i => ResolveIncident(i, options, topology)).ToArray();
        return new AnswerKey(
            options.Seed, options.Layout, options.Start, options.Start + options.Duration, topology.LbName, topology.TenantId,
            topology.Listeners, incidents, options.BaselineErrorRate, options.ClientAbortRate)
        {
            Format = options.Format,
            AwsName = options.Format is GeneratedFormat.AwsAlb or GeneratedFormat.AwsClb ? options.LoadBalancer : null,
        };
    }

    /// <summary>Writes the lines, each ended by <c>\n</c>; <paramref name="progress"/> hears the count of lines written every 10,000.</summary>
    public static GeneratedLog Write(GeneratorOptions options, TextWriter writer, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var key = Key(options);
        long count = 0;
        foreach (var line in new Simulation(options, key).Run())
        {
            writer.Write(line);
            writer.Write('\n');
            if (++count % 10_000 == 0) progress?.Report(count);
        }
        progress?.Report(count);
        writer.Flush();
        return new GeneratedLog(count, key);
    }

    /// <summary>Writes the log to <paramref name="path"/> as UTF-8 without BOM; gzip-compressed if the path ends with <c>.gz</c>.</summary>
    public static GeneratedLog WriteFile(GeneratorOptions options, string path, IProgress<long>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Key(options); // fail before creating the file
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.SmallestSize, leaveOpen: false)
            : file;
        using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16);
        return Write(options, writer, progress);
    }

    /// <summary>
    /// Where a log must end: a day before the last instant a <see cref="DateTimeOffset"/> holds, leaving room for the
    /// last requests' durations and for the start's offset (up to 14 hours) in its local times.
    /// </summary>
    internal static readonly DateTimeOffset LastEnd = DateTimeOffset.MaxValue.UtcDateTime.Date.AddDays(-1);

    private static void Validate(GeneratorOptions o)
    {
        if (o.Duration <= TimeSpan.Zero) throw new InvalidInputException($"Duration must be positive, got {o.Duration}.", nameof(o));
        if (o.Format != GeneratedFormat.HuaweiElb && o.Layout != LogLayout.Full)
            throw new InvalidInputException($"A layout ({o.Layout}) is chosen for Huawei ELB lines only, not for {o.Format}.", nameof(o));
        if (o.Duration > LastEnd - o.Start)
            throw new InvalidInputException(
                $"A log from {o.Start:yyyy-MM-dd'T'HH:mm:sszzz} lasting {o.Duration:c} would end after {LastEnd:yyyy-MM-dd HH:mm} UTC, the latest a generated log can end: start earlier or shorten the duration.", nameof(o));
        if (!(o.RequestsPerSecond > 0) || double.IsInfinity(o.RequestsPerSecond)) throw new InvalidInputException($"RequestsPerSecond must be positive, got {o.RequestsPerSecond}.", nameof(o));
        if (o.BaselineErrorRate is < 0 or > 1) throw new InvalidInputException("BaselineErrorRate must be in [0, 1].", nameof(o));
        if (o.ClientAbortRate is < 0 or > 1) throw new InvalidInputException("ClientAbortRate must be in [0, 1].", nameof(o));
        if (o.Listeners.Count == 0) throw new InvalidInputException("At least one listener is needed.", nameof(o));
        var names = new HashSet<string>(StringComparer.Ordinal);
        var backends = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in o.Listeners)
        {
            if (!names.Add(l.Name)) throw new InvalidInputException($"Listener name '{l.Name}' is used twice.", nameof(o));
            if (l.Backends.Count == 0) throw new InvalidInputException($"Listener '{l.Name}' has no backends.", nameof(o));
            if (!(l.Weight > 0)) throw new InvalidInputException($"Listener '{l.Name}' needs a positive weight.", nameof(o));
            foreach (var b in l.Backends)
            {
                if (!IsIpPort(b)) throw new InvalidInputException($"Backend '{b}' of listener '{l.Name}' is not ip:port.", nameof(o));
                if (!backends.Add(b)) throw new InvalidInputException($"Backend '{b}' is in more than one pool.", nameof(o));
            }
        }
    }

    private static bool IsIpPort(string s)
    {
        var colon = s.LastIndexOf(':');
        return colon > 0 && System.Net.IPAddress.TryParse(s[..colon], out _) && int.TryParse(s[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536;
    }

    private static IncidentKey ResolveIncident(Incident i, GeneratorOptions o, Topology t)
    {
        DateTimeOffset Resolve(WindowBound bound)
        {
            try
            {
                return bound.Resolve(o.Start);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new InvalidInputException($"Incident {i.Kind} on {i.Target}: its window bound {bound} is past the last date there is (9999-12-31).", nameof(o));
            }
        }
        var from = Resolve(i.From);
        var to = Resolve(i.To);
        if (to <= from) throw new InvalidInputException($"Incident {i.Kind} on {i.Target}: window end {to:O} is not after its start {from:O}.", nameof(o));
        if (from >= o.Start + o.Duration || to <= o.Start)
            throw new InvalidInputException(
                $"Incident {i.Kind} on {i.Target}: its window {from:yyyy-MM-dd'T'HH:mm:sszzz} to {to:yyyy-MM-dd'T'HH:mm:sszzz} lies outside the log " +
                $"({o.Start:yyyy-MM-dd'T'HH:mm:sszzz} + {o.Duration:c}): no line would show it, yet the answer key would list it.", nameof(o));
        if (i.Share is <= 0 or > 1) throw new InvalidInputException($"Incident {i.Kind} on {i.Target}: share must be in (0, 1], got {i.Share}.", nameof(o));
        if (i.Kind == IncidentKind.ListenerErrors)
        {
            var listener = t.Listeners.FirstOrDefault(l => l.Name == i.Target || l.ListenerName == i.Target || l.ListenerId == i.Target)
                ?? throw new InvalidInputException($"Incident {i.Kind}: unknown listener '{i.Target}'; known: {string.Join(", ", t.Listeners.Select(l => l.Name))}.", nameof(o));
            if (i.Status is < 400 or > 599) throw new InvalidInputException($"Incident {i.Kind}: status {i.Status} is not an error status.", nameof(o));
            return new IncidentKey(i.Kind, null, listener, from, to, i.Share, i.Status, 0, 0);
        }
        var owner = t.Listeners.FirstOrDefault(l => l.Backends.Contains(i.Target))
            ?? throw new InvalidInputException($"Incident {i.Kind}: unknown backend '{i.Target}'; known: {string.Join(", ", t.Listeners.SelectMany(l => l.Backends))}.", nameof(o));
        switch (i.Kind)
        {
            case IncidentKind.BackendErrors when i.Status is < 400 or > 599:
                throw new InvalidInputException($"Incident {i.Kind}: status {i.Status} is not an error status.", nameof(o));
            case IncidentKind.SlowBackend when !(i.ExtraSeconds > 0):
                throw new InvalidInputException($"Incident {i.Kind}: extra seconds must be positive.", nameof(o));
            case IncidentKind.ConnectionRefused when i.TimeoutShare is < 0 or > 1:
                throw new InvalidInputException($"Incident {i.Kind}: timeout share must be in [0, 1].", nameof(o));
        }
        var status = i.Kind switch
        {
            IncidentKind.SlowBackend => 0,
            IncidentKind.ConnectionRefused => 502,
            _ => i.Status,
        };
        return new IncidentKey(i.Kind, i.Target, owner, from, to, i.Share, status, i.ExtraSeconds, i.Kind == IncidentKind.ConnectionRefused ? i.TimeoutShare : 0);
    }
}
