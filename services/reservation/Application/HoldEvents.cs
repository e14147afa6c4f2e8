using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Reservation.Domain;

namespace Reservation.Application;

public sealed record HoldPlacedEvent(string HoldId, string SlotId, int Quantity, DateTimeOffset ExpiresAt);

public sealed record HoldReleasedEvent(string HoldId, string SlotId, int Quantity, string Reason);

public sealed record HoldConfirmedEvent(string HoldId, string SlotId, int Quantity, long FencingToken);

/// <summary>
/// Publishes after the state write that made the event true, once per committed change. A publish failure is logged,
/// not thrown: the state is already committed and the caller's answer must reflect it (an outbox is ordering's job).
/// </summary>
public sealed class HoldEvents(DaprClient dapr, ILogger<HoldEvents> logger)
{
    public Task PlacedAsync(string slotId, Hold hold) =>
        PublishAsync(Topics.HoldPlaced, new HoldPlacedEvent(hold.HoldId, slotId, hold.Quantity, hold.ExpiresAt));

    public Task ReleasedAsync(string slotId, Hold hold, ReleaseReason reason) =>
        PublishAsync(Topics.HoldReleased, new HoldReleasedEvent(hold.HoldId, slotId, hold.Quantity, reason.ToString().ToLowerInvariant()));

    public Task ConfirmedAsync(string slotId, Hold hold, long token) =>
        PublishAsync(Topics.HoldConfirmed, new HoldConfirmedEvent(hold.HoldId, slotId, hold.Quantity, token));

    /// <summary>Every hold a committed write pruned, once: called only by <see cref="ExpiryAnnouncingSlotStore"/> and the slot actor's reminder.</summary>
    public async Task AnnounceExpiredAsync(string slotId, IReadOnlyList<Hold> expired)
    {
        foreach (var hold in expired)
            await ReleasedAsync(slotId, hold, ReleaseReason.Expired);
    }

    private async Task PublishAsync<T>(string topic, T data)
    {
        try
        {
            await dapr.PublishEventAsync(Components.PubSub, topic, data);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Publishing {Topic} failed", topic);
        }
    }
}
