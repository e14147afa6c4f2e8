using Reservation.Domain;
using Reservation.Infrastructure.State;

namespace Reservation.Application;

/// <summary>
/// The one expiry path. Expiry is decided in one place, <see cref="SlotDecisions.WithPruning"/>, which every write of
/// every strategy runs first; the committed decision lists the holds it pruned (<see cref="Decision{T}.Expired"/>), and
/// a pruned hold is in exactly one committed decision (the next decision starts from the pruned state). This decorator,
/// the outermost store, announces each of them (<c>reservation.hold-released</c>, reason <c>expired</c>) — whichever use
/// case made the write: a placement, a release, a confirm, a compensation, the sweeper or a reconcile. The actor's
/// reminder, which prunes inside the actor's turn, hands its list to the same <see cref="HoldEvents.AnnounceExpiredAsync"/>.
/// </summary>
public sealed class ExpiryAnnouncingSlotStore(ISlotStore inner, HoldEvents events) : ISlotStore
{
    public async Task<Decision<T>> UpdateAsync<T>(string slotId, SlotCommand<T> command, CancellationToken cancellationToken)
    {
        var decision = await inner.UpdateAsync(slotId, command, cancellationToken);
        await events.AnnounceExpiredAsync(slotId, decision.Expired);
        return decision;
    }

    public Task<(SlotState? State, string ETag)> GetAsync(string slotId, CancellationToken cancellationToken) =>
        inner.GetAsync(slotId, cancellationToken);
}
