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
        ("rollout-2", "a bad deploy reaches the first 2 backends of the 1st listener one after another (3/60 apart from 10/60): each answers 35% 500s until the rollback at 40/60"),
        ("rollout-3", "the same rollout reaching the first 3 of the 1st listener's backends; the last one stays clean"),
        ("rollout-4", "the same rollout reaching every backend of the 1st listener (all 4 by default)"),
        ("pool-outage", "every backend of the 2nd listener's pool answers 40% 503s from 20/60 to 35/60: a dependency they share died"),
        ("mixed-scopes", "one incident of every scope: rollout to 3 of 4 web backends (8/60 to 24/60, 3/60 apart), the last web backend slow (30/60-50/60), " +
                         "every backend of the 2nd pool 40% 503s (30/60-45/60), the 'admin' pool of one refusing (15/60-27/60), " +
                         "listener 503s on the 2nd listener (52/60-57/60, 40%)"),
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
        if (listeners.Count == 0) throw new InvalidInputException("The options have no listener.", nameof(options));
        TimeSpan At(int sixtieths) => TimeSpan.FromSeconds(Math.Round(options.Duration.TotalSeconds * sixtieths / 60));
        string Second(ListenerSpec l) => l.Backends[Math.Min(1, l.Backends.Count - 1)];
        var first = listeners[0];
        var second = listeners.Count > 1 ? listeners[1] : listeners[0];
        Incident Refused() => Incident.ConnectionRefused(Second(second), At(5), At(25));
        Incident Slow() => Incident.SlowBackend(first.Backends[^1], At(30), At(50));

        GeneratorOptions Add(GeneratorOptions o, params Incident[] incidents) => o with { Incidents = [.. o.Incidents, .. incidents] };
        // A rollout reaches its backends one after another and is rolled back for all at once.
        IEnumerable<Incident> Rollout(ListenerSpec l, int count, int from, int to) =>
            l.Backends.Take(count).Select((b, k) => Incident.BackendErrors(b, At(from + 3 * k), At(to), share: 0.35));
        IEnumerable<Incident> PoolOutage(ListenerSpec l, int from, int to) =>
            l.Backends.Select(b => Incident.BackendErrors(b, At(from), At(to), share: 0.4, status: 503));

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
                var (o, single) = WithPoolOfOne(options);
                return Add(o, Incident.ConnectionRefused(single.Backends[0], At(15), At(27)));
            }
            case "rollout-2" or "rollout-3" or "rollout-4":
                return Add(options, [.. Rollout(first, name[^1] - '0', 10, 40)]);
            case "pool-outage":
                return Add(options, [.. PoolOutage(second, 20, 35)]);
            case "mixed-scopes":
            {
                var (o, single) = WithPoolOfOne(options);
                return Add(o,
                [
                    .. Rollout(first, Math.Max(1, first.Backends.Count - 1), 8, 24), Slow(), .. PoolOutage(second, 30, 45),
                    Incident.ConnectionRefused(single.Backends[0], At(15), At(27)), Incident.ListenerErrors(second.Name, At(52), At(57), share: 0.4),
                ]);
            }
            case "mixed":
                return Add(options with { ClientAbortRate = 0.01 }, Refused(), Slow(),
                    Incident.ListenerErrors(listeners[^1].Name, At(52), At(57), share: 0.4));
            default:
                throw Unknown(name);
        }
    }

    /// <summary>The options' listener whose pool has a single backend, adding <see cref="ListenerSpec.Admin"/> when none has.</summary>
    private static (GeneratorOptions Options, ListenerSpec Single) WithPoolOfOne(GeneratorOptions options)
    {
        var single = options.Listeners.FirstOrDefault(l => l.Backends.Count == 1);
        return single is null ? (options with { Listeners = [.. options.Listeners, ListenerSpec.Admin] }, ListenerSpec.Admin) : (options, single);
    }

    private static ArgumentException Unknown(string name) =>
        new($"Unknown scenario '{name}'; known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));
}
