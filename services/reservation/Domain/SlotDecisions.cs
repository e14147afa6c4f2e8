namespace Reservation.Domain;

/// <summary>Decisions as the store runs them: lazy pruning first, so expiry is enforced on every write.</summary>
public static class SlotDecisions
{
    public static Decision<T> WithPruning<T>(
        SlotState state, DateTimeOffset now, Func<SlotState, Decision<T>> decide, TimeSpan? tombstoneRetention = null,
        int maxSettled = int.MaxValue)
    {
        var (pruned, expired) = state.PruneExpired(now, tombstoneRetention, maxSettled);
        var decision = decide(pruned);
        var changed = !ReferenceEquals(pruned, state);
        // The decision itself may settle a hold (a release): trimming again keeps the bound after every write.
        var next = decision.NewState?.TrimSettled(maxSettled) ?? (changed ? pruned : null);
        return decision with { NewState = next, Expired = expired };
    }
}
