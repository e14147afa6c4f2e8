using Reservation.Application;
using Reservation.Domain;
using Reservation.Infrastructure.Catalog;

namespace Reservation.Infrastructure.State;

/// <summary>
/// In front of every strategy: a slot id neither the ledger nor the catalog knows never reaches the store, so a
/// request for a made-up id allocates nothing there (no queue, lock, key or actor) and answers 404.
/// </summary>
public sealed class KnownSlotStore(ISlotStore inner, SlotDirectory directory) : ISlotStore
{
    public async Task<Decision<T>> UpdateAsync<T>(string slotId, SlotCommand<T> command, CancellationToken cancellationToken)
    {
        await directory.EnsureExistsAsync(slotId, cancellationToken);
        return await inner.UpdateAsync(slotId, command, cancellationToken);
    }

    /// <summary>An unknown slot has no state, as the interface says: (null, "").</summary>
    public async Task<(SlotState? State, string ETag)> GetAsync(string slotId, CancellationToken cancellationToken) =>
        await directory.ExistsAsync(slotId, cancellationToken)
            ? await inner.GetAsync(slotId, cancellationToken)
            : (null, "");
}
