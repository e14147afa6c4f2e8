namespace Reservation.Domain;

/// <summary>Decisions as the store runs them: lazy pruning first, so expiry is enforced on every write.</summary>
public static class SlotDecisions
{
    public static Decision<T> WithPruning<T>(
        SlotState state, DateTimeOffset now, Func<SlotState, Decision<T>> decide, TimeSpan? tombstoneRetention = null)
    {
        var (pruned, expired) = state.PruneExpired(now, tombstoneRetention);
        var decision = decide(pruned);
        var changed = !ReferenceEquals(pruned, state);
        return decision with { NewState = decision.NewState ?? (changed ? pruned : null), Expired = expired };
    }
}
