using System.Text.Json;
using Grpc.Core;
using LocalSidecar.Api;
using LocalSidecar.Components;
using LocalSidecar.Hosting;
using LocalSidecar.Json;
using LocalSidecar.State;

namespace LocalSidecar.Actors;

/// <summary>
/// Actor state (dapr-semantics.md §6.4): the one state component with actorStateStore=true, keys
/// <c>&lt;appId&gt;||&lt;type&gt;||&lt;id&gt;||&lt;key&gt;</c> (keyPrefix ignored), writes always as one Multi.
/// </summary>
public sealed class ActorStateStore
{
    private readonly SidecarContext _context;
    private readonly ActorRuntime _runtime;
    private readonly ComponentSpec? _spec;
    private readonly Lazy<Task<IStateEngine>> _engine;

    public ActorStateStore(SidecarContext context, ActorRuntime runtime)
    {
        _context = context;
        _runtime = runtime;
        _spec = context.OfCategory("state").FirstOrDefault(c => c.GetBool("actorStateStore"));
        _engine = new(() => StateEngineFactory.CreateAsync(_spec!, context.Cluster.Backends));
    }

    public string StateKey(string type, string id, string key) => $"{_context.AppId}||{type}||{id}||{key}";

    public async Task SaveAsync(string type, string id, JsonElement operations, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync();
        if (operations.ValueKind != JsonValueKind.Array)
            throw DaprError.Malformed("failed deserializing HTTP body: expected an array of operations");
        // A transaction only makes sense from inside the actor's own turn, i.e. on the sidecar where it is active.
        if (!_runtime.IsActive(type, id))
            throw new DaprError(400, "ERR_ACTOR_INSTANCE_MISSING", "actor instance is missing", StatusCode.InvalidArgument);

        var batch = new List<object>();
        foreach (var operation in operations.EnumerateArray())
        {
            var kind = operation.TryGetProperty("operation", out var o) ? o.GetString() : null;
            if (!operation.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object
                || !request.TryGetProperty("key", out var keyElement) || keyElement.GetString() is not { Length: > 0 } key)
                throw DaprError.Malformed("failed deserializing HTTP body: each operation needs request.key");
            var etag = request.TryGetProperty("etag", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            switch (kind)
            {
                case "upsert":
                    // Choice (daprd 1.16 default): the ActorStateTTL feature is off, so a ttl is refused.
                    if (request.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                        && metadata.EnumerateObject().Any(p => p.NameEquals("ttlInSeconds")))
                        throw SaveError("ttlInSeconds is not supported without the \"ActorStateTTL\" feature enabled");
                    var value = request.TryGetProperty("value", out var v) ? GoJson.Reencode(v) : "null"u8.ToArray();
                    batch.Add(new StateSet(StateKey(type, id, key), value, etag, "", null));
                    break;
                case "delete":
                    batch.Add(new StateDelete(StateKey(type, id, key), etag));
                    break;
                default:
                    throw SaveError($"operation type {kind} not supported");
            }
        }

        try
        {
            await engine.MultiAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is ETagException or StateStoreException)
        {
            throw SaveError(ex.Message);
        }
    }

    public async Task<byte[]?> GetAsync(string type, string id, string key, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync();
        try
        {
            return (await engine.GetAsync(StateKey(type, id, key), cancellationToken))?.Data;
        }
        catch (Exception ex) when (ex is StateStoreException or StackExchange.Redis.RedisException)
        {
            throw new DaprError(500, "ERR_ACTOR_STATE_GET", $"error getting actor state: {ex.Message}", StatusCode.Internal);
        }
    }

    private async Task<IStateEngine> EngineAsync()
    {
        if (_spec is null)
        {
            throw new DaprError(500, "ERR_ACTOR_RUNTIME_NOT_FOUND",
                "the state store is not configured to use the actor runtime. Have you set the - name: actorStateStore value: \"true\" in your state store component file?",
                StatusCode.Internal);
        }

        return await _engine.Value;
    }

    private static DaprError SaveError(string detail) =>
        new(500, "ERR_ACTOR_STATE_TRANSACTION_SAVE", $"error saving actor transaction state: {detail}", StatusCode.Internal);
}
