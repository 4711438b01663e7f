namespace ElbNotebooks.Generation;

/// <summary>A listener as it appears in the log: friendly names plus the derived ids.</summary>
/// <param name="Name">Friendly listener name from <see cref="ListenerSpec.Name"/>.</param>
/// <param name="ListenerName">Field 21, <c>listener_&lt;uuid&gt;</c>.</param>
/// <param name="ListenerId">Field 22, the uuid.</param>
/// <param name="Pool">Friendly pool name (field 37 <c>pool_usr_name</c>).</param>
/// <param name="PoolName">Field 23, <c>pool_&lt;uuid&gt;</c>.</param>
/// <param name="Backends">Members, <c>ip:port</c>.</param>
/// <param name="Scheme"><c>http</c> or <c>https</c>.</param>
/// <param name="Host">Host in the request line.</param>
/// <param name="Eip">Field 26, <c>eip:port</c>.</param>
public sealed record ListenerKey(
    string Name, string ListenerName, string ListenerId, string Pool, string PoolName,
    IReadOnlyList<string> Backends, string Scheme, string Host, string Eip);

internal sealed record Topology(string LbName, string TenantId, string TopicId, IReadOnlyList<ListenerKey> Listeners)
{
    public static Topology From(GeneratorOptions o)
    {
        var listeners = o.Listeners.Select(l =>
        {
            var id = StableId.Uuid("listener", o.LoadBalancer + "/" + l.Name);
            return new ListenerKey(
                l.Name, "listener_" + id, id, l.Pool, "pool_" + StableId.Uuid("pool", o.LoadBalancer + "/" + l.Pool),
                l.Backends.ToArray(), l.Https ? "https" : "http", l.Host, $"{o.Eip}:{l.Port}");
        }).ToArray();
        return new Topology(
            "loadbalancer_" + StableId.Uuid("lb", o.LoadBalancer),
            StableId.Hex32("tenant", o.LoadBalancer),
            StableId.Uuid("topic", o.LoadBalancer),
            listeners);
    }
}
