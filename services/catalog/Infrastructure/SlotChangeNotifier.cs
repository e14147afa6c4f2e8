using Catalog.Api;
using Catalog.Domain;
using Dapr;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;

namespace Catalog.Infrastructure;

/// <summary>
/// After a slot write commits: delete this instance's view of the cache at once, then publish
/// <c>catalog.slot-changed</c> so the subscription (on whichever catalog instance receives it) deletes again, closing
/// the window where a reader that loaded the old row wrote it back to the cache after our delete. (Reservation does
/// not consume it: a capacity change reaches its hot state through <c>POST /admin/slots/{id}/reconcile</c>.)
/// </summary>
public sealed partial class SlotChangeNotifier(DaprClient dapr, SlotCache cache, ILogger<SlotChangeNotifier> logger)
{
    public async Task SlotChangedAsync(Slot slot, bool deleted, CancellationToken cancellationToken)
    {
        var change = new SlotChangedEvent(slot.Id, slot.ResourceId, slot.Capacity, slot.Version, deleted);
        try
        {
            await cache.InvalidateAsync(slot.Id, slot.ResourceId, includeSlot: true, cancellationToken);
        }
        catch (DaprException exception)
        {
            // The commit stands; the event below (or the TTL, at worst) removes the stale entry.
            LogInvalidationFailed(logger, slot.Id, exception.Message);
        }

        try
        {
            await dapr.PublishEventAsync(Components.PubSub, Topics.SlotChanged, change, cancellationToken);
        }
        catch (DaprException exception)
        {
            // Without an outbox (a later issue) a lost publish is bounded by the cache TTL for the catalog itself.
            LogPublishFailed(logger, slot.Id, slot.Version, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not invalidate the cache for slot {SlotId}: {Reason}")]
    private static partial void LogInvalidationFailed(ILogger logger, Guid slotId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish slot-changed for slot {SlotId} version {Version}: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid slotId, long version, string reason);
}
