using System.Text;

namespace ElbNotebooks.Generation;

/// <summary>
/// The same simulated requests as AWS and nginx write them (docs/formats.md maps each field back). Only what the load
/// balancer does differently changes the traffic: AWS load balancers do not retry on a peer.
/// </summary>
internal sealed partial class Simulation
{
    /// <summary>Whether a refused idempotent request is retried on a peer: Huawei ELB and nginx do, ALB and CLB do not.</summary>
    private bool Retries => _o.Format is GeneratedFormat.HuaweiElb or GeneratedFormat.Nginx;

    private const string Account = "123456789012";
    private const string Region = "eu-west-1";

    /// <summary>An ALB line, every documented field up to <c>classification_reason</c>.</summary>
    private string FormatAlb(StringBuilder sb, Written w)
    {
        var attempt = w.Attempts.Count > 0 ? w.Attempts[^1] : (Attempt?)null;
        var answered = attempt is { HeaderMs: not null };
        var https = w.Spec.Https;
        return (Aws(w, answered ? attempt : null) with
        {
            Type = https ? w.Protocol == "HTTP/2.0" ? "h2" : "https" : "http",
            Time = Utc(w.EndMs),
            LoadBalancer = AnswerKey.AlbName(_o.LoadBalancer),
            Target = attempt?.Backend ?? "-",
            // request, target and response processing times: -1 where the load balancer never had an answer to time
            RequestProcessing = attempt is null ? "-1" : _formatRng.Next(0, 2) == 0 ? "0.000" : "0.001",
            TargetProcessing = answered ? SecondsText(attempt!.Value.HeaderMs!.Value) : "-1",
            ResponseProcessing = answered ? "0.000" : "-1",
            ElbStatus = w.Status == 499 ? "460" : w.Status.ToString(Inv),
            TargetGroupArn = $"arn:aws:elasticloadbalancing:{Region}:{Account}:targetgroup/{w.Spec.Pool}/{StableId.Hex32("targetgroup", _o.LoadBalancer + "/" + w.Spec.Pool)[..16]}",
            Trace = $"Root=1-{(w.ArrivalMs / 1000).ToString("x8", Inv)}-{_formatRng.NextInt64().ToString("x16", Inv)}{_formatRng.Next().ToString("x8", Inv)}",
            Domain = https ? w.Listener.Host : "-",
            CertificateArn = https ? $"arn:aws:acm:{Region}:{Account}:certificate/{StableId.Uuid("certificate", w.Listener.Host)}" : "-",
            RequestCreationTime = Utc(w.ArrivalMs),
        }).Alb(sb);
    }

    /// <summary>A CLB line (15 fields); null for a request whose client gave up, which a CLB has no status for.</summary>
    private string? FormatClb(StringBuilder sb, Written w)
    {
        if (w.Status == 499) return null;
        var attempt = w.Attempts.Count > 0 ? w.Attempts[^1] : (Attempt?)null;
        var answered = attempt is { HeaderMs: not null };
        return (Aws(w, answered ? attempt : null) with
        {
            Time = Utc(w.ArrivalMs), // a CLB's timestamp is when the request arrived
            LoadBalancer = _o.LoadBalancer,
            Target = attempt?.Backend ?? "-",
            RequestProcessing = attempt is null ? "-1" : (0.00002 + _formatRng.Next(0, 40) / 1e6).ToString("0.000000", Inv),
            TargetProcessing = answered ? (attempt!.Value.HeaderMs!.Value / 1000.0).ToString("0.000000", Inv) : "-1",
            ResponseProcessing = answered ? (0.00002 + _formatRng.Next(0, 30) / 1e6).ToString("0.000000", Inv) : "-1",
            ElbStatus = w.Status.ToString(Inv),
        }).Clb(sb);
    }

    /// <summary>An nginx line in <see cref="LogGenerator.NginxLogFormat"/>.</summary>
    private string FormatNginx(StringBuilder sb, Written w)
    {
        var routed = w.Attempts.Count > 0;
        sb.Clear();
        sb.Append(w.Client.Address).Append(" - - [")
            .Append(DateTimeOffset.FromUnixTimeMilliseconds(w.EndMs).ToOffset(_o.Start.Offset).ToString("dd/MMM/yyyy:HH:mm:ss zzz", Inv).Remove(24, 1))
            .Append("] \"").Append(w.Method).Append(' ').Append(w.Path).Append(' ').Append(w.Protocol).Append('"');
        sb.Append(' ').Append(w.Status.ToString(Inv)).Append(' ').Append(w.Body.ToString(Inv));
        sb.Append(" \"").Append(w.Referer).Append("\" \"").Append(w.Client.UserAgent).Append('"');
        sb.Append(' ');
        Seconds(sb, w.RequestMs);
        sb.Append(' ').Append(w.Listener.Host).Append(' ').Append(_o.Eip).Append(':').Append(w.Spec.Port.ToString(Inv));
        sb.Append(' ').Append(routed ? w.Spec.Pool : "-");
        sb.Append(' ');
        List(sb, w.Attempts, static (s, a) => s.Append(a.Backend));
        sb.Append(' ');
        List(sb, w.Attempts, static (s, a) => s.Append(a.Status == 0 ? "-" : a.Status.ToString(Inv)));
        sb.Append(' ');
        List(sb, w.Attempts, static (s, a) => Seconds(s, a.ConnectMs));
        sb.Append(' ');
        List(sb, w.Attempts, static (s, a) => { if (a.HeaderMs is { } h) Seconds(s, h); else s.Append('-'); });
        sb.Append(' ');
        List(sb, w.Attempts, static (s, a) => Seconds(s, a.ResponseMs));
        return sb.ToString();
    }

    /// <summary>
    /// The fields an ALB line shares with a CLB's: the client, and from the target's status to the TLS protocol.
    /// <paramref name="answered"/> is the attempt the backend answered, if any.
    /// </summary>
    private static AwsLine Aws(Written w, Attempt? answered) => new()
    {
        ClientAddress = w.Client.Address, ClientPort = w.ClientPort,
        TargetStatus = answered is { } a ? a.Status.ToString(Inv) : "-",
        Received = w.RequestHeaders + w.RequestBody, Sent = w.BytesSent,
        Method = w.Method, Scheme = w.Listener.Scheme, Host = w.Listener.Host, Port = w.Spec.Port, Path = w.Path, Protocol = w.Protocol,
        UserAgent = w.Client.UserAgent,
        Tls = w.Spec.Https ? Tls(w) : "- -",
    };

    /// <summary>AWS's <c>ssl_cipher ssl_protocol</c> (OpenSSL's cipher names), the version and strength the Huawei line has.</summary>
    private static string Tls(Written w) => w.Tls13
        ? w.StrongCipher ? "TLS_AES_256_GCM_SHA384 TLSv1.3" : "TLS_AES_128_GCM_SHA256 TLSv1.3"
        : w.StrongCipher ? "ECDHE-RSA-AES256-GCM-SHA384 TLSv1.2" : "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2";

    private static DateTime Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    private static string SecondsText(long ms) => string.Create(Inv, $"{ms / 1000}.{ms % 1000:D3}");
}
