using System.Text;

namespace ElbNotebooks.Parsing;

/// <summary>
/// An nginx <c>log_format</c> compiled once into a plan: the literal text between variables, and which schema
/// column each variable fills. Built from the directive as written in nginx.conf
/// (<c>log_format upstream '$remote_addr - ...';</c>, several strings concatenated, <c>escape=</c> accepted) or
/// from the format string alone.
/// </summary>
internal sealed class NginxLogFormat
{
    private NginxLogFormat(string name, string format, byte[][] literals, NginxVar[] variables, string[] variableNames)
    {
        Name = name;
        Format = format;
        Literals = literals;
        Variables = variables;
        VariableNames = variableNames;
    }

    /// <summary>The directive's name (<c>combined</c>, <c>upstream</c>), or <c>custom</c> for a bare format string.</summary>
    public string Name { get; }

    /// <summary>The format string, strings concatenated and config escapes undone.</summary>
    public string Format { get; }

    /// <summary><c>Literals[i]</c> precedes <c>Variables[i]</c>; the last literal follows the last variable.</summary>
    public byte[][] Literals { get; }

    public NginxVar[] Variables { get; }

    public string[] VariableNames { get; }

    public static NginxLogFormat Parse(string directive)
    {
        ArgumentNullException.ThrowIfNull(directive);
        var text = directive.Trim();
        string name = "custom";
        string format;
        if (text.StartsWith("log_format", StringComparison.Ordinal) && text.Length > 10 && char.IsWhiteSpace(text[10]))
        {
            var tokens = Tokens(text[10..], directive);
            if (tokens.Count < 2)
                throw Invalid(directive, "a log_format directive needs a name and a format string");
            name = tokens[0].Text;
            var rest = tokens.Skip(1).ToList();
            if (rest.Count > 0 && !rest[0].Quoted && rest[0].Text.StartsWith("escape=", StringComparison.Ordinal)) rest.RemoveAt(0);
            if (rest.Count == 0) throw Invalid(directive, "the log_format directive has no format string");
            format = string.Concat(rest.Select(t => t.Text));
        }
        else if (text.StartsWith('\'') || text.StartsWith('"'))
        {
            format = string.Concat(Tokens(text, directive).Select(t => t.Text));
        }
        else
        {
            format = text;
        }

        var literals = new List<byte[]>();
        var variables = new List<NginxVar>();
        var names = new List<string>();
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '$' || i + 1 >= format.Length)
            {
                literal.Append(c);
                continue;
            }
            int start, end;
            if (format[i + 1] == '{')
            {
                start = i + 2;
                end = format.IndexOf('}', start);
                if (end < 0) throw Invalid(directive, $"'${{' at position {i} is not closed");
            }
            else
            {
                start = end = i + 1;
                while (end < format.Length && (char.IsAsciiLetterOrDigit(format[end]) || format[end] == '_')) end++;
            }
            if (end == start)
            {
                literal.Append(c);
                continue;
            }
            var variable = format[start..end];
            // $host$request_uri is common: the URI starts at the first '/'. Other neighbours cannot be split.
            if (literal.Length == 0 && variables.Count > 0 && NginxVars.Of(variable) is not (NginxVar.RequestUri or NginxVar.Uri))
                throw Invalid(directive, $"${names[^1]} and ${variable} are not separated: a line could not be split between them");
            literals.Add(Encoding.UTF8.GetBytes(literal.ToString()));
            literal.Clear();
            variables.Add(NginxVars.Of(variable));
            names.Add(variable);
            i = format[i + 1] == '{' ? end : end - 1;
        }
        literals.Add(Encoding.UTF8.GetBytes(literal.ToString()));

        if (!variables.Any(v => v is NginxVar.TimeLocal or NginxVar.TimeIso8601 or NginxVar.Msec))
            throw Invalid(directive, "it has no $time_local, $time_iso8601 or $msec: a request needs a time");
        if (!variables.Contains(NginxVar.Status))
            throw Invalid(directive, "it has no $status: a request needs the status the client got");
        return new NginxLogFormat(name, format, literals.ToArray(), variables.ToArray(), names.ToArray());
    }

    private static InvalidInputException Invalid(string directive, string why) =>
        new($"The nginx log_format cannot be used: {why}. It was: {(directive.Length > 200 ? directive[..200] + "…" : directive)}");

    private readonly record struct Token(string Text, bool Quoted);

    /// <summary>nginx config tokens up to <c>;</c>: bare words and quoted strings with <c>\</c> escapes.</summary>
    private static List<Token> Tokens(string text, string directive)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == ';') break;
            if (c is '\'' or '"')
            {
                var value = new StringBuilder();
                var j = i + 1;
                for (; j < text.Length && text[j] != c; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length)
                    {
                        j++;
                        value.Append(text[j] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                        continue;
                    }
                    value.Append(text[j]);
                }
                if (j >= text.Length) throw Invalid(directive, $"the string starting at position {i} is not closed");
                tokens.Add(new Token(value.ToString(), true));
                i = j + 1;
                continue;
            }
            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != ';') end++;
            tokens.Add(new Token(text[i..end], false));
            i = end;
        }
        return tokens;
    }
}

/// <summary>The nginx variables the schema has a column for; any other variable is read past and not kept.</summary>
internal enum NginxVar : byte
{
    Other,
    RemoteAddr,
    RemotePort,
    TimeLocal,
    TimeIso8601,
    Msec,
    Request,
    RequestMethod,
    Scheme,
    Host,
    HttpHost,
    ServerName,
    RequestUri,
    Uri,
    ServerProtocol,
    Status,
    BodyBytesSent,
    BytesSent,
    RequestLength,
    RequestTime,
    HttpReferer,
    HttpUserAgent,
    HttpXForwardedFor,
    UpstreamAddr,
    UpstreamStatus,
    UpstreamConnectTime,
    UpstreamHeaderTime,
    UpstreamResponseTime,
    ServerAddr,
    ServerPort,
    SslProtocol,
    SslCipher,
    SslServerName,
    RequestId,
    ProxyHost,
}

internal static class NginxVars
{
    public const int Count = (int)NginxVar.ProxyHost + 1;

    public static NginxVar Of(string name) => name switch
    {
        "remote_addr" => NginxVar.RemoteAddr,
        "remote_port" => NginxVar.RemotePort,
        "time_local" => NginxVar.TimeLocal,
        "time_iso8601" => NginxVar.TimeIso8601,
        "msec" => NginxVar.Msec,
        "request" => NginxVar.Request,
        "request_method" => NginxVar.RequestMethod,
        "scheme" => NginxVar.Scheme,
        "host" => NginxVar.Host,
        "http_host" => NginxVar.HttpHost,
        "server_name" => NginxVar.ServerName,
        "request_uri" => NginxVar.RequestUri,
        "uri" or "document_uri" => NginxVar.Uri,
        "server_protocol" => NginxVar.ServerProtocol,
        "status" => NginxVar.Status,
        "body_bytes_sent" => NginxVar.BodyBytesSent,
        "bytes_sent" => NginxVar.BytesSent,
        "request_length" => NginxVar.RequestLength,
        "request_time" => NginxVar.RequestTime,
        "http_referer" => NginxVar.HttpReferer,
        "http_user_agent" => NginxVar.HttpUserAgent,
        "http_x_forwarded_for" => NginxVar.HttpXForwardedFor,
        "upstream_addr" => NginxVar.UpstreamAddr,
        "upstream_status" => NginxVar.UpstreamStatus,
        "upstream_connect_time" => NginxVar.UpstreamConnectTime,
        "upstream_header_time" => NginxVar.UpstreamHeaderTime,
        "upstream_response_time" => NginxVar.UpstreamResponseTime,
        "server_addr" => NginxVar.ServerAddr,
        "server_port" => NginxVar.ServerPort,
        "ssl_protocol" => NginxVar.SslProtocol,
        "ssl_cipher" => NginxVar.SslCipher,
        "ssl_server_name" => NginxVar.SslServerName,
        "request_id" => NginxVar.RequestId,
        "proxy_host" => NginxVar.ProxyHost,
        _ => NginxVar.Other,
    };

    /// <summary>Upstream lists: their values hold <c>", "</c> and <c>" : "</c>, so a space there ends nothing.</summary>
    public static bool IsList(NginxVar v) => v is NginxVar.UpstreamAddr or NginxVar.UpstreamStatus or
        NginxVar.UpstreamConnectTime or NginxVar.UpstreamHeaderTime or NginxVar.UpstreamResponseTime;
}
