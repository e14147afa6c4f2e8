using System.Diagnostics.Metrics;
using Catalog.Infrastructure;
using DaprReservations.BuildingBlocks.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Domain;

public sealed class CatalogMetricsTests
{
    [Fact]
    public void Cache_lookups_are_counted_on_the_project_meter_tagged_hit_or_miss()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new CatalogMetrics(services.GetRequiredService<IMeterFactory>());
        var recorded = new List<(long Value, string? Result)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DaprReservationsTelemetry.MeterName && instrument.Name == CatalogMetrics.CacheRequestsName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            recorded.Add((value, tags.ToArray().Single(t => t.Key == CatalogMetrics.ResultTag).Value as string)));
        listener.Start();

        metrics.CacheLookup(hit: false);
        metrics.CacheLookup(hit: true);
        metrics.CacheLookup(hit: true);

        recorded.Should().Equal((1L, "miss"), (1L, "hit"), (1L, "hit"));
    }
}
