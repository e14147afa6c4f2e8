using System.Diagnostics.Metrics;
using DaprReservations.BuildingBlocks.Telemetry;

namespace Catalog.Infrastructure;

/// <summary>The catalog's instruments, on the project Meter the telemetry set-up already listens to.</summary>
public sealed class CatalogMetrics
{
    public const string CacheRequestsName = "catalog.cache.requests";
    public const string ResultTag = "result";
    public const string Hit = "hit";
    public const string Miss = "miss";

    private readonly Counter<long> cacheRequests;

    public CatalogMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(DaprReservationsTelemetry.MeterName);
        cacheRequests = meter.CreateCounter<long>(CacheRequestsName, "{request}",
            "Cache-aside lookups of slots and slot lists, by result (hit or miss).");
    }

    public void CacheLookup(bool hit) =>
        cacheRequests.Add(1, new KeyValuePair<string, object?>(ResultTag, hit ? Hit : Miss));
}
