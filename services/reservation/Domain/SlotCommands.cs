namespace Reservation.Domain;

/// <summary>
/// A decision as data: what to do to a slot, runnable wherever the slot's state is (in this process under an ETag or a
/// lock, or inside the slot's actor in another process). <paramref name="now"/> is the clock of whoever runs it.
/// </summary>
public abstract record SlotCommand<T> : ISlotCommand
{
    public abstract Decision<T> Decide(SlotState state, DateTimeOffset now);

    public Decision<object> DecideUntyped(SlotState state, DateTimeOffset now)
    {
        var decision = Decide(state, now);
        return new Decision<object>(decision.NewState, decision.Outcome!) { Expired = decision.Expired };
    }
}

/// <summary>A command whose outcome type the runner does not know (it came off the wire).</summary>
public interface ISlotCommand
{
    Decision<object> DecideUntyped(SlotState state, DateTimeOffset now);
}

public sealed record PlaceHoldCommand(
    string HoldId, int Quantity, string? IdempotencyKey, TimeSpan Ttl, string? CustomerId = null,
    int MaxHeldByCustomer = 0, DateTimeOffset? ExpiresNoLaterThan = null)
    : SlotCommand<PlaceHoldOutcome>
{
    public override Decision<PlaceHoldOutcome> Decide(SlotState state, DateTimeOffset now) =>
        state.PlaceHold(HoldId, Quantity, IdempotencyKey, now, Ttl, CustomerId, MaxHeldByCustomer, ExpiresNoLaterThan);
}

/// <summary>The release's outcome plus the hold as it stands afterwards (to tell "already confirmed" from "gone").</summary>
public sealed record ReleaseResult(ReleaseOutcome Outcome, Hold? After);

public sealed record ReleaseCommand(string HoldId) : SlotCommand<ReleaseResult>
{
    public override Decision<ReleaseResult> Decide(SlotState state, DateTimeOffset now)
    {
        var released = state.Release(HoldId, ReleaseReason.Cancelled);
        return new Decision<ReleaseResult>(released.NewState, new ReleaseResult(released.Outcome, (released.NewState ?? state).Find(HoldId)));
    }
}

public sealed record BeginConfirmCommand(string HoldId) : SlotCommand<BeginConfirmOutcome>
{
    public override Decision<BeginConfirmOutcome> Decide(SlotState state, DateTimeOffset now) => state.BeginConfirm(HoldId, now);
}

public sealed record CompleteConfirmCommand(string HoldId) : SlotCommand<SettleOutcome>
{
    public override Decision<SettleOutcome> Decide(SlotState state, DateTimeOffset now) => state.CompleteConfirm(HoldId);
}

public sealed record AbortConfirmCommand(string HoldId, ReleaseReason Reason) : SlotCommand<SettleOutcome>
{
    public override Decision<SettleOutcome> Decide(SlotState state, DateTimeOffset now) => state.AbortConfirm(HoldId, Reason);
}

public sealed record RevokeCommand(string HoldId) : SlotCommand<SettleOutcome>
{
    public override Decision<SettleOutcome> Decide(SlotState state, DateTimeOffset now) => state.Revoke(HoldId);
}

/// <summary>Nothing but the lazy pruning every command gets: expires what is due (and seeds a missing slot).</summary>
public sealed record PruneCommand : SlotCommand<int>
{
    public override Decision<int> Decide(SlotState state, DateTimeOffset now) => Decision.NoWrite(0);
}

public sealed record ReconcileResult(SlotState State, IReadOnlyList<Hold> Dropped);

public sealed record ReconcileCommand(int Capacity, int Booked, long LedgerToken, IReadOnlyList<string> BookedHoldIds)
    : SlotCommand<ReconcileResult>
{
    public override Decision<ReconcileResult> Decide(SlotState state, DateTimeOffset now)
    {
        var (next, dropped) = state.Reconcile(Capacity, Booked, LedgerToken, BookedHoldIds.ToHashSet());
        return Decision.Write(next, new ReconcileResult(next, dropped));
    }
}
