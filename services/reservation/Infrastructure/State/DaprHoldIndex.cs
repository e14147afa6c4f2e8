using System.Globalization;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;
using Reservation.Application;

namespace Reservation.Infrastructure.State;

/// <summary>
/// <c>hold:{holdId}</c> → slot id in the state store, with a TTL past the hold's life and its settled retention (an
/// hour of margin), so the index never outlives what it points to by much and never needs a sweep of its own.
/// </summary>
public sealed class DaprHoldIndex(DaprClient dapr, IOptions<ReservationOptions> options) : IHoldIndex
{
    private readonly string ttlSeconds = ((long)(options.Value.HoldTtl + options.Value.TombstoneRetention + TimeSpan.FromHours(1)).TotalSeconds)
        .ToString(CultureInfo.InvariantCulture);

    public Task RememberAsync(string holdId, string slotId, CancellationToken cancellationToken) =>
        dapr.SaveStateAsync(Components.StateStore, SlotKeys.HoldIndex(holdId), slotId,
            metadata: new Dictionary<string, string> { ["ttlInSeconds"] = ttlSeconds }, cancellationToken: cancellationToken);

    public Task<string?> FindSlotAsync(string holdId, CancellationToken cancellationToken) =>
        dapr.GetStateAsync<string?>(Components.StateStore, SlotKeys.HoldIndex(holdId), cancellationToken: cancellationToken);
}
