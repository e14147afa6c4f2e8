using Grpc.Core;
using LocalSidecar.Api;
using LocalSidecar.Components;
using LocalSidecar.Hosting;

namespace LocalSidecar.Lock;

/// <summary>
/// The lock components of one sidecar and daprd's lock API rules (dapr:pkg/api/universal/lock.go): validation order,
/// key format <c>lock||&lt;prefix&gt;||&lt;resource&gt;</c> (dapr:pkg/components/lock/lock_config.go) and error codes.
/// </summary>
public sealed class LockStoreRegistry
{
    private const string Separator = "||";
    private readonly Dictionary<string, (ComponentSpec Spec, string Prefix, Lazy<Task<ILockEngine>> Engine)> _stores = new(StringComparer.Ordinal);

    public LockStoreRegistry(SidecarContext context)
    {
        var backends = context.Cluster.Backends;
        foreach (var spec in context.OfCategory("lock"))
        {
            _stores[spec.Name] = (spec, Prefix(spec, context.AppId), new Lazy<Task<ILockEngine>>(() => CreateEngineAsync(spec, backends)));
        }
    }

    public async Task<bool> TryLockAsync(string store, string resourceId, string owner, int expiryInSeconds)
    {
        if (expiryInSeconds <= 0)
            throw DaprError.Malformed($"ExpiryInSeconds is not positive in lock store {store}");
        var (key, engine) = await ResolveAsync(store, resourceId, owner, "ERR_TRY_LOCK");
        try
        {
            return await engine.TryLockAsync(key, owner, expiryInSeconds);
        }
        catch (Exception e) when (e is not DaprError)
        {
            throw new DaprError(500, "ERR_TRY_LOCK", $"failed to try acquiring lock: {e.Message}", StatusCode.Internal);
        }
    }

    public async Task<UnlockStatus> UnlockAsync(string store, string resourceId, string owner)
    {
        var (key, engine) = await ResolveAsync(store, resourceId, owner, "ERR_UNLOCK");
        try
        {
            return await engine.UnlockAsync(key, owner);
        }
        catch (Exception e) when (e is not DaprError)
        {
            throw new DaprError(500, "ERR_UNLOCK", $"failed to release lock: {e.Message}", StatusCode.Internal);
        }
    }

    /// <summary>The lock key for a resource, as daprd builds it (exposed for tests of the Redis layout).</summary>
    public string KeyFor(string store, string resourceId) => BuildKey(_stores[store].Prefix, resourceId);

    private async Task<(string Key, ILockEngine Engine)> ResolveAsync(string store, string resourceId, string owner, string componentErrorCode)
    {
        if (_stores.Count == 0)
            throw new DaprError(500, "ERR_LOCK_STORE_NOT_CONFIGURED", "lock store is not configured", StatusCode.FailedPrecondition);
        if (string.IsNullOrEmpty(resourceId))
            throw DaprError.Malformed($"ResourceId is empty in lock store {store}");
        if (string.IsNullOrEmpty(owner))
            throw DaprError.Malformed($"LockOwner is empty in lock store {store}");
        if (!_stores.TryGetValue(store, out var entry))
            throw new DaprError(400, "ERR_LOCK_STORE_NOT_FOUND", $"lock store {store} not found", StatusCode.InvalidArgument);
        // A "||" in the resource id is a component-level failure in daprd (500), not a malformed request.
        if (resourceId.Contains(Separator, StringComparison.Ordinal))
        {
            throw new DaprError(500, componentErrorCode,
                $"{(componentErrorCode == "ERR_TRY_LOCK" ? "failed to try acquiring lock" : "failed to release lock")}: input key/keyPrefix '{resourceId}' can't contain '{Separator}'",
                StatusCode.Internal);
        }

        try
        {
            return (BuildKey(entry.Prefix, resourceId), await entry.Engine.Value);
        }
        catch (Exception e) when (e is not DaprError)
        {
            throw new DaprError(500, componentErrorCode, e.Message, StatusCode.Internal);
        }
    }

    /// <summary>Unlike state, "namespace" has no special meaning here: it is a literal prefix.</summary>
    private static string Prefix(ComponentSpec spec, string appId) => (spec.Get("keyPrefix") ?? "").ToLowerInvariant() switch
    {
        "" or "appid" => appId,
        "name" => spec.Name,
        "none" => "",
        var custom => custom,
    };

    private static string BuildKey(string prefix, string resourceId) =>
        "lock" + Separator + (prefix.Length == 0 ? resourceId : prefix + Separator + resourceId);

    private static async Task<ILockEngine> CreateEngineAsync(ComponentSpec spec, BackendProvider backends)
    {
        if (backends.UsesMemory(spec))
            return new MemoryLockEngine(backends.Memory(spec).Part("lock", () => new MemoryLockData(TimeProvider.System)));
        return new RedisLockEngine(await backends.RedisAsync(spec));
    }
}
