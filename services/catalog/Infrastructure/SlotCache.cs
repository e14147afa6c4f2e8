using Catalog.Api;
using Catalog.Domain;
using Dapr;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;

namespace Catalog.Infrastructure;

/// <summary>
/// Cache-aside for slot reads in the Dapr <c>cache</c> store. The database stays the truth: a cache that cannot be
/// reached is a miss (and a failed write is ignored), never an error for the reader.
/// </summary>
public sealed partial class SlotCache(
    DaprClient dapr,
    CatalogMetrics metrics,
    IOptions<CatalogOptions> options,
    ILogger<SlotCache> logger)
{
    public static string SlotKey(Guid slotId) => $"slot:{slotId:N}";

    public static string ResourceSlotsKey(Guid resourceId) => $"resource-slots:{resourceId:N}";

    /// <summary>Returns the cached value, or loads it, caches it with a jittered TTL and returns it.</summary>
    public async Task<CacheRead<T>> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        var cached = await TryGetAsync<T>(key, cancellationToken);
        metrics.CacheLookup(hit: cached is not null);
        if (cached is not null)
            return new CacheRead<T>(cached, Hit: true);

        var loaded = await load(cancellationToken);
        if (loaded is not null)
            await TrySaveAsync(key, loaded, cancellationToken);
        return new CacheRead<T>(loaded, Hit: false);
    }

    public async Task<SlotResponse?> PeekSlotAsync(Guid slotId, CancellationToken cancellationToken) =>
        await TryGetAsync<SlotResponse>(SlotKey(slotId), cancellationToken);

    /// <summary>Deletes the entries a slot change makes stale. Deleting twice is harmless, so redelivery is too.</summary>
    public async Task InvalidateAsync(Guid slotId, Guid resourceId, bool includeSlot, CancellationToken cancellationToken)
    {
        if (includeSlot)
            await dapr.DeleteStateAsync(Components.Cache, SlotKey(slotId), cancellationToken: cancellationToken);
        await dapr.DeleteStateAsync(Components.Cache, ResourceSlotsKey(resourceId), cancellationToken: cancellationToken);
    }

    private async Task<T?> TryGetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await dapr.GetStateAsync<T>(Components.Cache, key, cancellationToken: cancellationToken);
        }
        catch (DaprException exception)
        {
            LogCacheUnavailable(logger, key, exception.Message);
            return null;
        }
    }

    private async Task TrySaveAsync<T>(string key, T value, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var ttl = CacheTtl.Seconds(settings.CacheTtl, settings.CacheTtlJitter, Random.Shared.NextDouble());
        try
        {
            await dapr.SaveStateAsync(Components.Cache, key, value,
                metadata: new Dictionary<string, string> { ["ttlInSeconds"] = ttl.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken: cancellationToken);
        }
        catch (DaprException exception)
        {
            LogCacheUnavailable(logger, key, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache store unavailable for {Key}; reading through to the database: {Reason}")]
    private static partial void LogCacheUnavailable(ILogger logger, string key, string reason);
}

public sealed record CacheRead<T>(T? Value, bool Hit)
    where T : class;
