namespace ElbNotebooks.Generation;

/// <summary>Named incident presets, placed relative to the log's start and duration so they fit any length.</summary>
public static class Scenarios
{
    private static readonly (string Name, string Description)[] All =
    [
        ("baseline", "no incident: only baseline 500/503 noise and client aborts"),
        ("backend-500", "2nd backend of the 1st listener answers 60% 500s from 20/60 to 35/60 of the duration"),
        ("refused", "2nd backend of the 2nd listener refuses connections (502, 10% 504 timeouts) from 5/60 to 25/60; GET/HEAD retried on peers"),
        ("slow", "last backend of the 1st listener gets +2.5 s header time from 30/60 to 50/60"),
        ("listener-only", "the last listener answers 50% of its requests with 503 by itself from 10/60 to 15/60: no backend to blame"),
        ("client-aborts", "3% of requests end 499 (client closed), spread over all backends: no backend to blame"),
        ("one-backend-pool", "adds listener 'admin' whose pool has the single backend 10.0.3.31:8080; it refuses connections from 15/60 to 27/60, nothing to retry on"),
        ("mixed", "refused + slow as above, listener 503s on the last listener from 52/60 to 57/60 (40%), 1% client aborts"),
    ];

    /// <summary>Preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    /// <summary>One-line description of a preset.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static string Describe(string name) =>
        All.FirstOrDefault(a => a.Name == name).Description ?? throw Unknown(name);

    /// <summary>The options with the preset applied: its incidents are added to <see cref="GeneratorOptions.Incidents"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static GeneratorOptions Apply(string name, GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listeners = options.Listeners;
        if (listeners.Count == 0) throw new ArgumentException("The options have no listener.", nameof(options));
        TimeSpan At(int sixtieths) => TimeSpan.FromSeconds(Math.Round(options.Duration.TotalSeconds * sixtieths / 60));
        string Second(ListenerSpec l) => l.Backends[Math.Min(1, l.Backends.Count - 1)];
        var first = listeners[0];
        var second = listeners.Count > 1 ? listeners[1] : listeners[0];
        Incident Refused() => Incident.ConnectionRefused(Second(second), At(5), At(25));
        Incident Slow() => Incident.SlowBackend(first.Backends[^1], At(30), At(50));

        GeneratorOptions Add(GeneratorOptions o, params Incident[] incidents) => o with { Incidents = [.. o.Incidents, .. incidents] };

        switch (name)
        {
            case "baseline":
                return options;
            case "backend-500":
                return Add(options, Incident.BackendErrors(Second(first), At(20), At(35)));
            case "refused":
                return Add(options, Refused());
            case "slow":
                return Add(options, Slow());
            case "listener-only":
                return Add(options, Incident.ListenerErrors(listeners[^1].Name, At(10), At(15), share: 0.5));
            case "client-aborts":
                return options with { ClientAbortRate = 0.03 };
            case "one-backend-pool":
            {
                var single = listeners.FirstOrDefault(l => l.Backends.Count == 1);
                var o = options;
                if (single is null)
                {
                    single = ListenerSpec.Admin;
                    o = o with { Listeners = [.. listeners, single] };
                }
                return Add(o, Incident.ConnectionRefused(single.Backends[0], At(15), At(27)));
            }
            case "mixed":
                return Add(options with { ClientAbortRate = 0.01 }, Refused(), Slow(),
                    Incident.ListenerErrors(listeners[^1].Name, At(52), At(57), share: 0.4));
            default:
                throw Unknown(name);
        }
    }

    private static ArgumentException Unknown(string name) =>
        new($"Unknown scenario '{name}'; known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));
}
