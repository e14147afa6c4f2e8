using System.Collections.Concurrent;
using LocalSidecar.Components;
using LocalSidecar.Hosting;

namespace LocalSidecar.Api;

/// <summary>What GET /v1.0/metadata and gRPC GetMetadata report; SetMetadata writes into <see cref="Extended"/>.</summary>
public sealed class MetadataModel(SidecarContext context, IServiceProvider services)
{
    public const string RuntimeVersion = "1.16.0-local";

    public ConcurrentDictionary<string, string> Extended { get; } = new(StringComparer.Ordinal);

    public string AppId => context.AppId;

    public IReadOnlyList<ComponentSpec> Components => context.Components;

    public IReadOnlyList<(string Type, int Count)> ActiveActors() =>
        services.GetService<IActorMetadataSource>()?.ActiveActors() ?? [];

    public IReadOnlyList<SubscriptionInfo> Subscriptions() =>
        services.GetService<ISubscriptionMetadataSource>()?.Subscriptions() ?? [];

    public static IReadOnlyList<string> Capabilities(ComponentSpec spec) => spec.Type switch
    {
        "state.redis" when spec.GetBool("actorStateStore") => ["ETAG", "TRANSACTIONAL", "TTL", "ACTOR"],
        "state.redis" => ["ETAG", "TRANSACTIONAL", "TTL"],
        "state.in-memory" when spec.GetBool("actorStateStore") => ["ETAG", "TRANSACTIONAL", "TTL", "DELETE_WITH_PREFIX", "ACTOR"],
        "state.in-memory" => ["ETAG", "TRANSACTIONAL", "TTL", "DELETE_WITH_PREFIX"],
        "pubsub.in-memory" => ["SUBSCRIBE_WILDCARDS"],
        _ => [],
    };

    public IDictionary<string, string> ExtendedWithDefaults()
    {
        var all = new Dictionary<string, string>(Extended, StringComparer.Ordinal)
        {
            ["daprRuntimeVersion"] = RuntimeVersion,
            ["localSidecarBackend"] = context.Options.Backend.ToString().ToLowerInvariant(),
        };
        return all;
    }
}
