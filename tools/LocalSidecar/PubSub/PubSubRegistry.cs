using Grpc.Core;
using LocalSidecar.Api;
using LocalSidecar.Hosting;

namespace LocalSidecar.PubSub;

/// <summary>This sidecar's pubsub components by name, and daprd's lookup errors.</summary>
public sealed class PubSubRegistry : IDisposable
{
    private readonly Dictionary<string, PubSubComponent> _components = new(StringComparer.Ordinal);
    private readonly MemoryKeyspace _privateKeyspace = new();

    public PubSubRegistry(SidecarContext context)
    {
        foreach (var spec in context.OfCategory("pubsub"))
            _components[spec.Name] = new PubSubComponent(spec, context, _privateKeyspace);
    }

    public IReadOnlyCollection<PubSubComponent> All => _components.Values;

    public PubSubComponent? Find(string name) => _components.GetValueOrDefault(name);

    /// <summary>The component for a publish, or the error daprd answers (checked in daprd's order).</summary>
    public PubSubComponent Require(string? pubsubName, string? topic)
    {
        if (_components.Count == 0)
            throw new DaprError(400, "ERR_PUBSUB_NOT_CONFIGURED", "no pubsub is configured", StatusCode.FailedPrecondition);
        if (string.IsNullOrEmpty(pubsubName))
            throw new DaprError(404, "ERR_PUBSUB_EMPTY", "pubsub name is empty", StatusCode.InvalidArgument);
        var component = Find(pubsubName)
            ?? throw new DaprError(404, "ERR_PUBSUB_NOT_FOUND", $"pubsub {pubsubName} not found", StatusCode.InvalidArgument, "DAPR_PUBSUB_NOT_FOUND");
        if (string.IsNullOrEmpty(topic))
            throw new DaprError(404, "ERR_TOPIC_NAME_EMPTY", $"topic is empty in pubsub {pubsubName}", StatusCode.InvalidArgument);
        return component;
    }

    public void Dispose() => _privateKeyspace.Dispose();
}
