using System.Globalization;

namespace ElbNotebooks.Generation;

/// <summary>Text forms used on the command line: incident specs and durations.</summary>
public static class Specs
{
    /// <summary>Grammar of an incident spec, for help texts.</summary>
    public const string IncidentGrammar =
        "KIND:TARGET@FROM-TO[,share=S][,status=N][,extra=SECONDS][,timeout=S] with KIND errors|refused|slow|listener, " +
        "TARGET ip:port (or a listener name for 'listener'), FROM/TO HH:mm[:ss] local to --start's offset (or +20m style offsets from the start). " +
        "Example: errors:10.0.1.12:8080@10:20-10:35,share=0.6";

    /// <summary>Parses e.g. <c>errors:10.0.1.12:8080@10:20-10:35</c>. Clock times are in <paramref name="start"/>'s offset, on its date
    /// (a time earlier than the start's time of day means the next day); a window that ends at or before its start is rejected.</summary>
    public static bool TryParseIncident(string spec, DateTimeOffset start, out Incident? incident, out string error)
    {
        incident = null;
        error = "";
        if (string.IsNullOrWhiteSpace(spec)) { error = "--incident is empty"; return false; }
        var parts = spec.Trim().Split(',');
        var head = parts[0];
        var colon = head.IndexOf(':');
        var at = head.LastIndexOf('@');
        if (colon <= 0 || at < colon + 2 || at == head.Length - 1)
        {
            error = $"--incident '{spec}' is not KIND:TARGET@FROM-TO";
            return false;
        }
        var kindText = head[..colon].ToLowerInvariant();
        var target = head[(colon + 1)..at];
        var window = head[(at + 1)..].Split('-');
        if (window.Length != 2 || !TryParseBound(window[0], start, out var from) || !TryParseBound(window[1], start, out var to))
        {
            error = $"--incident '{spec}': window '{head[(at + 1)..]}' is not FROM-TO with HH:mm[:ss] or +<duration>";
            return false;
        }
        // Each bound is resolved on its own (a clock time before the start's time of day is the next day, so 23:50-00:10
        // crosses midnight); a window that then ends at or before its start is a mistake, never a day-long window.
        if (to <= from)
        {
            var nextDay = from.Date != start.Date || to.Date != start.Date
                ? string.Create(CultureInfo.InvariantCulture, $"; a clock time before --start's time of day, {start:HH:mm:ss}, is the next day")
                : "";
            error = string.Create(CultureInfo.InvariantCulture,
                $"--incident '{spec}': window '{head[(at + 1)..]}' {(to == from ? "is empty" : "ends before it starts")} ({from:yyyy-MM-dd HH:mm:ss} to {to:yyyy-MM-dd HH:mm:ss} {from:zzz}{nextDay})");
            return false;
        }

        double? share = null, extra = null, timeout = null;
        int? status = null;
        foreach (var p in parts.Skip(1))
        {
            var kv = p.Split('=', 2);
            var key = kv[0].Trim().ToLowerInvariant();
            var value = kv.Length == 2 ? kv[1].Trim() : "";
            bool okD = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d);
            switch (key)
            {
                case "share" when okD && d is > 0 and <= 1: share = d; break;
                case "extra" when okD && d > 0: extra = d; break;
                case "timeout" when okD && d is >= 0 and <= 1: timeout = d; break;
                case "status" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 400 and <= 599: status = n; break;
                default:
                    error = $"--incident '{spec}': bad parameter '{p}' (share in (0,1], status 400-599, extra > 0 seconds, timeout in [0,1])";
                    return false;
            }
        }

        incident = kindText switch
        {
            "errors" or "500" => Incident.BackendErrors(target, from, to, share ?? 0.6, status ?? 500),
            "refused" => Incident.ConnectionRefused(target, from, to, share ?? 1.0, timeout ?? 0.1),
            "slow" => Incident.SlowBackend(target, from, to, extra ?? 2.5, share ?? 1.0),
            "listener" => Incident.ListenerErrors(target, from, to, share ?? 0.5, status ?? 503),
            _ => null,
        };
        if (incident is null)
        {
            error = $"--incident '{spec}': unknown kind '{kindText}' (errors, refused, slow, listener)";
            return false;
        }
        return true;
    }

    /// <summary>Like <see cref="TryParseIncident"/> but throws <see cref="FormatException"/>.</summary>
    public static Incident ParseIncident(string spec, DateTimeOffset start) =>
        TryParseIncident(spec, start, out var i, out var e) ? i! : throw new FormatException(e);

    private static bool TryParseBound(string text, DateTimeOffset start, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim();
        if (text.StartsWith('+'))
        {
            if (!TryParseDuration(text[1..], out var offset)) return false;
            return TryAdd(start, offset, out value);
        }
        if (!TimeSpan.TryParseExact(text, ["h\\:mm", "hh\\:mm", "h\\:mm\\:ss", "hh\\:mm\\:ss"], CultureInfo.InvariantCulture, out var time)
            || time >= TimeSpan.FromDays(1)) return false;
        return TryAdd(new DateTimeOffset(start.Date, start.Offset), time < start.TimeOfDay ? time + TimeSpan.FromDays(1) : time, out value);
    }

    /// <summary><paramref name="start"/> + <paramref name="offset"/>; false past the last date there is (9999-12-31), rather than an exception.</summary>
    private static bool TryAdd(DateTimeOffset start, TimeSpan offset, out DateTimeOffset value)
    {
        try
        {
            value = start + offset;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Parses <c>1h</c>, <c>60m</c>, <c>3600s</c>, <c>1h30m</c>, <c>1d</c> or <c>hh:mm:ss</c> (<see cref="Durations.TryParse"/>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration) => Durations.TryParse(text, out duration);
}
