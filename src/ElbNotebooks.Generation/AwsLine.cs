using System.Globalization;
using System.Text;

namespace ElbNotebooks.Generation;

/// <summary>
/// One request as an AWS load balancer logs it, each field as written (docs/formats.md): an ALB line, every documented
/// field up to <c>classification_reason</c>, or a CLB line (15 fields), whose fields from the status to the TLS
/// protocol an ALB line repeats (the ALB's format grew from it). <see cref="AlbLogWriter"/> and the generator's AWS
/// lines both write through it.
/// </summary>
internal readonly struct AwsLine
{
    /// <summary>ALB only: <c>http</c>, <c>https</c> or <c>h2</c>.</summary>
    public string Type { get; init; }

    /// <summary>The line's time, UTC: when an ALB sent the response, when a CLB received the request.</summary>
    public DateTime Time { get; init; }

    public string LoadBalancer { get; init; }
    public string ClientAddress { get; init; }
    public int ClientPort { get; init; }

    /// <summary>The target's <c>ip:port</c>, or <c>-</c>.</summary>
    public string Target { get; init; }

    /// <summary>The request, target and response processing times as written (<c>-1</c> where there was nothing to time).</summary>
    public string RequestProcessing { get; init; }
    public string TargetProcessing { get; init; }
    public string ResponseProcessing { get; init; }

    public string ElbStatus { get; init; }

    /// <summary>The target's status, or <c>-</c> when it sent none.</summary>
    public string TargetStatus { get; init; }

    public long Received { get; init; }
    public long Sent { get; init; }
    public string Method { get; init; }
    public string Scheme { get; init; }
    public string Host { get; init; }
    public int Port { get; init; }
    public string Path { get; init; }
    public string Protocol { get; init; }
    public string UserAgent { get; init; }

    /// <summary><c>ssl_cipher ssl_protocol</c>, OpenSSL's names, or <c>- -</c> for plain HTTP.</summary>
    public string Tls { get; init; }

    /// <summary>ALB only, as are the rest.</summary>
    public string TargetGroupArn { get; init; }
    public string Trace { get; init; }

    /// <summary>The TLS server name, or <c>-</c>.</summary>
    public string Domain { get; init; }

    public string CertificateArn { get; init; }
    public DateTime RequestCreationTime { get; init; }

    public string Alb(StringBuilder sb)
    {
        sb.Clear();
        sb.Append(Type).Append(' ');
        AppendTime(sb, Time);
        sb.Append(' ').Append(LoadBalancer);
        AppendClientToTls(sb);
        sb.Append(' ').Append(TargetGroupArn);
        sb.Append(" \"").Append(Trace).Append('"');
        sb.Append(" \"").Append(Domain).Append('"');
        sb.Append(" \"").Append(CertificateArn).Append('"');
        sb.Append(" 0 ");
        AppendTime(sb, RequestCreationTime);
        sb.Append(" \"forward\" \"-\" \"-\""); // actions_executed, redirect_url, error_reason
        sb.Append(" \"").Append(Target).Append("\" \"").Append(TargetStatus).Append('"');
        sb.Append(" \"-\" \"-\"");
        return sb.ToString();
    }

    public string Clb(StringBuilder sb)
    {
        sb.Clear();
        AppendTime(sb, Time);
        sb.Append(' ').Append(LoadBalancer);
        AppendClientToTls(sb);
        return sb.ToString();
    }

    private void AppendClientToTls(StringBuilder sb)
    {
        var c = CultureInfo.InvariantCulture;
        sb.Append(' ').Append(ClientAddress).Append(':').Append(ClientPort.ToString(c));
        sb.Append(' ').Append(Target);
        sb.Append(' ').Append(RequestProcessing).Append(' ').Append(TargetProcessing).Append(' ').Append(ResponseProcessing);
        sb.Append(' ').Append(ElbStatus).Append(' ').Append(TargetStatus);
        sb.Append(' ').Append(Received.ToString(c)).Append(' ').Append(Sent.ToString(c));
        sb.Append(" \"").Append(Method).Append(' ').Append(Scheme).Append("://").Append(Host).Append(':').Append(Port.ToString(c))
            .Append(Path).Append(' ').Append(Protocol).Append('"');
        sb.Append(" \"").Append(UserAgent).Append('"');
        sb.Append(' ').Append(Tls);
    }

    /// <summary><c>2024-05-01T02:00:00.123000Z</c>: AWS writes UTC to the microsecond (ALB and CLB alike).</summary>
    private static void AppendTime(StringBuilder sb, DateTime utc) =>
        sb.Append(CultureInfo.InvariantCulture, $"{utc:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}");
}
