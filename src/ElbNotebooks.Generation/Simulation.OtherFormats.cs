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
        sb.Clear();
        sb.Append(https ? w.Protocol == "HTTP/2.0" ? "h2" : "https" : "http").Append(' ');
        Utc(sb, w.EndMs);
        sb.Append(' ').Append(AnswerKey.AlbName(_o.LoadBalancer));
        sb.Append(' ').Append(w.Client.Address).Append(':').Append(w.ClientPort.ToString(Inv));
        sb.Append(' ').Append(attempt?.Backend ?? "-");
        // request, target and response processing times: -1 where the load balancer never had an answer to time
        sb.Append(' ').Append(attempt is null ? "-1" : _formatRng.Next(0, 2) == 0 ? "0.000" : "0.001");
        sb.Append(' ');
        if (answered) Seconds(sb, attempt!.Value.HeaderMs!.Value); else sb.Append("-1");
        sb.Append(' ').Append(answered ? "0.000" : "-1");
        StatusToTls(sb, w, w.Status == 499 ? "460" : w.Status.ToString(Inv), answered ? attempt : null);
        sb.Append(" arn:aws:elasticloadbalancing:").Append(Region).Append(':').Append(Account).Append(":targetgroup/")
            .Append(w.Spec.Pool).Append('/').Append(StableId.Hex32("targetgroup", _o.LoadBalancer + "/" + w.Spec.Pool)[..16]);
        sb.Append(" \"Root=1-").Append((w.ArrivalMs / 1000).ToString("x8", Inv)).Append('-').Append(_formatRng.NextInt64().ToString("x16", Inv))
            .Append(_formatRng.Next().ToString("x8", Inv)).Append('"');
        sb.Append(" \"").Append(https ? w.Listener.Host : "-").Append('"');
        sb.Append(" \"").Append(https ? $"arn:aws:acm:{Region}:{Account}:certificate/{StableId.Uuid("certificate", w.Listener.Host)}" : "-").Append('"');
        sb.Append(" 0 ");
        Utc(sb, w.ArrivalMs);
        sb.Append(" \"forward\" \"-\" \"-\"");
        sb.Append(" \"").Append(attempt?.Backend ?? "-").Append('"');
        sb.Append(" \"").Append(answered ? attempt!.Value.Status.ToString(Inv) : "-").Append('"');
        sb.Append(" \"-\" \"-\"");
        return sb.ToString();
    }

    /// <summary>A CLB line (15 fields); null for a request whose client gave up, which a CLB has no status for.</summary>
    private string? FormatClb(StringBuilder sb, Written w)
    {
        if (w.Status == 499) return null;
        var attempt = w.Attempts.Count > 0 ? w.Attempts[^1] : (Attempt?)null;
        var answered = attempt is { HeaderMs: not null };
        sb.Clear();
        Utc(sb, w.ArrivalMs); // a CLB's timestamp is when the request arrived
        sb.Append(' ').Append(_o.LoadBalancer);
        sb.Append(' ').Append(w.Client.Address).Append(':').Append(w.ClientPort.ToString(Inv));
        sb.Append(' ').Append(attempt?.Backend ?? "-");
        sb.Append(' ').Append(attempt is null ? "-1" : (0.00002 + _formatRng.Next(0, 40) / 1e6).ToString("0.000000", Inv));
        sb.Append(' ').Append(answered ? (attempt!.Value.HeaderMs!.Value / 1000.0).ToString("0.000000", Inv) : "-1");
        sb.Append(' ').Append(answered ? (0.00002 + _formatRng.Next(0, 30) / 1e6).ToString("0.000000", Inv) : "-1");
        StatusToTls(sb, w, w.Status.ToString(Inv), answered ? attempt : null);
        return sb.ToString();
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
    /// The fields an ALB line shares with a CLB's (the ALB's format grew from it), from the load balancer's status to the
    /// TLS protocol: <c>elb_status backend_status received sent "request" "user_agent" ssl_cipher ssl_protocol</c>.
    /// <paramref name="answered"/> is the attempt the backend answered, if any.
    /// </summary>
    private static void StatusToTls(StringBuilder sb, Written w, string elbStatus, Attempt? answered)
    {
        sb.Append(' ').Append(elbStatus);
        sb.Append(' ').Append(answered is { } a ? a.Status.ToString(Inv) : "-");
        sb.Append(' ').Append((w.RequestHeaders + w.RequestBody).ToString(Inv));
        sb.Append(' ').Append(w.BytesSent.ToString(Inv));
        sb.Append(" \"").Append(w.Method).Append(' ').Append(w.Listener.Scheme).Append("://").Append(w.Listener.Host).Append(':')
            .Append(w.Spec.Port.ToString(Inv)).Append(w.Path).Append(' ').Append(w.Protocol).Append('"');
        sb.Append(" \"").Append(w.Client.UserAgent).Append('"');
        sb.Append(w.Spec.Https ? Tls(w) : " - -");
    }

    /// <summary>AWS's <c>ssl_cipher ssl_protocol</c> (OpenSSL's cipher names), the version and strength the Huawei line has.</summary>
    private static string Tls(Written w) => w.Tls13
        ? w.StrongCipher ? " TLS_AES_256_GCM_SHA384 TLSv1.3" : " TLS_AES_128_GCM_SHA256 TLSv1.3"
        : w.StrongCipher ? " ECDHE-RSA-AES256-GCM-SHA384 TLSv1.2" : " ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2";

    private static void Utc(StringBuilder sb, long ms) => sb.Append(AlbLogWriter.Time(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime));
}
