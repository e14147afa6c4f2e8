namespace Reservation.Domain;

/// <summary>
/// What a decision made of a slot: the state to write (null: nothing changed, no write) and the caller's answer.
/// <see cref="Expired"/> lists the holds that lazy pruning expired in the same write, so their events are published
/// exactly once, by whoever committed that write.
/// </summary>
public sealed record Decision<T>(SlotState? NewState, T Outcome)
{
    public IReadOnlyList<Hold> Expired { get; init; } = [];
}

public static class Decision
{
    public static Decision<T> Write<T>(SlotState state, T outcome) => new(state, outcome);

    public static Decision<T> NoWrite<T>(T outcome) => new(null, outcome);
}
