namespace ElbNotebooks.Generation;

/// <summary>The kinds of trouble the generator can inject.</summary>
public enum IncidentKind
{
    /// <summary>A backend's application answers a share of its requests with an error code (passed through).</summary>
    BackendErrors,
    /// <summary>Connections to a backend are refused (502) or time out (504); idempotent requests are retried on a peer.</summary>
    ConnectionRefused,
    /// <summary>A backend's header time rises; status stays 200.</summary>
    SlowBackend,
    /// <summary>The load balancer answers by itself on a listener; no backend involved.</summary>
    ListenerErrors,
}

/// <summary>A bound of an incident window: either an offset from <see cref="GeneratorOptions.Start"/> or an absolute time.</summary>
public readonly record struct WindowBound
{
    private WindowBound(TimeSpan? offset, DateTimeOffset? at) { Offset = offset; At = at; }

    /// <summary>Offset from the log's start, when relative.</summary>
    public TimeSpan? Offset { get; }
    /// <summary>Absolute instant, when absolute.</summary>
    public DateTimeOffset? At { get; }

    /// <summary>The instant this bound names for a log starting at <paramref name="start"/>, in the start's offset.</summary>
    public DateTimeOffset Resolve(DateTimeOffset start) =>
        At is { } at ? at.ToOffset(start.Offset) : start + Offset!.Value;

    /// <summary>A bound relative to the log's start: <c>TimeSpan.FromMinutes(20)</c> is 20 minutes in.</summary>
    public static implicit operator WindowBound(TimeSpan offset) => new(offset, null);

    /// <summary>A bound at an absolute instant.</summary>
    public static implicit operator WindowBound(DateTimeOffset at) => new(null, at);

    /// <summary>The instant in ISO 8601 (<c>O</c>), or <c>+hh:mm:ss</c> for an offset.</summary>
    public override string ToString() => At is { } at ? at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "+" + Offset!.Value.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One injected incident on a backend or a listener, active for requests arriving in [From, To).</summary>
public sealed record Incident
{
    /// <summary>What happens.</summary>
    public required IncidentKind Kind { get; init; }
    /// <summary><c>ip:port</c> of the backend, or the listener's friendly name for <see cref="IncidentKind.ListenerErrors"/>.</summary>
    public required string Target { get; init; }
    /// <summary>Start of the window (inclusive).</summary>
    public required WindowBound From { get; init; }
    /// <summary>End of the window (exclusive).</summary>
    public required WindowBound To { get; init; }
    /// <summary>Share of the affected requests (or attempts) that go wrong.</summary>
    public double Share { get; init; } = 1.0;
    /// <summary>Status written for errors (500 for backend errors, 503 for listener errors, 502 for refused).</summary>
    public int Status { get; init; }
    /// <summary>Extra header time in seconds for <see cref="IncidentKind.SlowBackend"/>.</summary>
    public double ExtraSeconds { get; init; }
    /// <summary>For <see cref="IncidentKind.ConnectionRefused"/>: share of failed attempts that are connect timeouts (5 s, 504) rather than refusals.</summary>
    public double TimeoutShare { get; init; }

    /// <summary>The backend answers <paramref name="share"/> of its requests with <paramref name="status"/>, header time normal.</summary>
    public static Incident BackendErrors(string backend, WindowBound from, WindowBound to, double share = 0.6, int status = 500) =>
        new() { Kind = IncidentKind.BackendErrors, Target = backend, From = from, To = to, Share = share, Status = status };

    /// <summary>Attempts to the backend fail: 502 after ~1 ms (refused), or 504 after 5 s for <paramref name="timeoutShare"/> of them.
    /// GET and HEAD are retried on a healthy peer of the same pool; other methods get the error.</summary>
    public static Incident ConnectionRefused(string backend, WindowBound from, WindowBound to, double share = 1.0, double timeoutShare = 0.1) =>
        new() { Kind = IncidentKind.ConnectionRefused, Target = backend, From = from, To = to, Share = share, Status = 502, TimeoutShare = timeoutShare };

    /// <summary>The backend's header time rises by about <paramref name="extraSeconds"/>; connect time and status stay normal.</summary>
    public static Incident SlowBackend(string backend, WindowBound from, WindowBound to, double extraSeconds = 2.5, double share = 1.0) =>
        new() { Kind = IncidentKind.SlowBackend, Target = backend, From = from, To = to, Share = share, ExtraSeconds = extraSeconds };

    /// <summary>The load balancer answers <paramref name="share"/> of the listener's requests itself with <paramref name="status"/>; upstream fields are <c>-</c>.</summary>
    public static Incident ListenerErrors(string listener, WindowBound from, WindowBound to, double share = 0.5, int status = 503) =>
        new() { Kind = IncidentKind.ListenerErrors, Target = listener, From = from, To = to, Share = share, Status = status };
}
