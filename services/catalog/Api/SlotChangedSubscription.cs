using Catalog.Infrastructure;
using Dapr;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Api;

/// <summary>
/// The catalog's own subscription to <c>catalog.slot-changed</c>: whichever instance (or other writer) changed a slot,
/// the cache converges. Idempotent: redelivery deletes nothing new, and an older event never evicts a newer entry.
/// </summary>
public static class SlotChangedSubscription
{
    public const string Route = "/events/slot-changed";

    public static IEndpointRouteBuilder MapSlotChangedSubscription(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, HandleAsync)
            .WithTopic(Components.PubSub, Topics.SlotChanged)
            .WithTags("events")
            .WithName("OnSlotChanged")
            .ProducesDefaultProblems();
        return endpoints;
    }

    private static async Task<Ok> HandleAsync(SlotChangedEvent change, SlotCache cache, CancellationToken cancellationToken)
    {
        var cached = await cache.PeekSlotAsync(change.SlotId, cancellationToken);
        var slotIsStale = change.Deleted || cached is null || cached.Version <= change.Version;
        // A failure here answers 500 and Dapr redelivers: eviction must not be lost silently.
        await cache.InvalidateAsync(change.SlotId, change.ResourceId, includeSlot: slotIsStale, cancellationToken);
        return TypedResults.Ok();
    }
}
