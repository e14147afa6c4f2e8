using System.Collections.Immutable;

namespace Reservation.Domain;

/// <summary>One hold as the customer's own count knows it: enough to add it up and to let it run out.</summary>
public sealed record CustomerHold(string HoldId, string SlotId, int Quantity, DateTimeOffset ExpiresAt);

/// <summary>Why a customer's new hold was not counted in: what they hold, the cap, and when the first of it runs out.</summary>
public sealed record CustomerHoldRefusal(int Held, int Limit, TimeSpan RetryAfter);

/// <summary>
/// Everything one customer holds across slots, kept apart from the slots so one guarded write can decide the overall
/// cap. An entry is counted from before its hold is placed until the hold's own expiry (the hold is placed with that
/// expiry as its latest), or until the hold is released or booked: the count is never below what the slots hold.
/// </summary>
public sealed record CustomerHolds(ImmutableList<CustomerHold> Holds)
{
    public static CustomerHolds Empty { get; } = new(ImmutableList<CustomerHold>.Empty);

    public int HeldAt(DateTimeOffset now) => Live(now).Sum(hold => hold.Quantity);

    /// <summary>The latest expiry of any entry (when the whole record may go), or null when it is empty.</summary>
    public DateTimeOffset? LastExpiry() => Holds.IsEmpty ? null : Holds.Max(hold => hold.ExpiresAt);

    /// <summary>
    /// Counts <paramref name="hold"/> in when the customer's live total stays within <paramref name="limit"/>; entries
    /// that ran out are dropped on the way. Next is null when nothing needs writing (the entry is already there).
    /// </summary>
    public (CustomerHolds? Next, CustomerHoldRefusal? Refusal) Reserve(CustomerHold hold, DateTimeOffset now, int limit)
    {
        var live = Live(now);
        if (live.Any(entry => entry.HoldId == hold.HoldId))
            return (null, null);

        var held = live.Sum(entry => entry.Quantity);
        if (held + hold.Quantity > limit)
        {
            var firstOut = live.IsEmpty ? now : live.Min(entry => entry.ExpiresAt);
            return (null, new CustomerHoldRefusal(held, limit, firstOut - now));
        }

        return (new CustomerHolds(live.Add(hold)), null);
    }

    /// <summary>Takes a hold out of the count (released, booked, or never placed); null when there is nothing to change.</summary>
    public CustomerHolds? Forget(string holdId, DateTimeOffset now)
    {
        var next = Live(now).RemoveAll(entry => entry.HoldId == holdId);
        return next.Count == Holds.Count ? null : new CustomerHolds(next);
    }

    private ImmutableList<CustomerHold> Live(DateTimeOffset now) => Holds.RemoveAll(entry => entry.ExpiresAt <= now);
}
