using System.Collections.Immutable;

namespace Reservation.Domain;

/// <summary>
/// A slot's availability as the hot store keeps it. Every decision returns a new state (or none) and never breaks
/// <c>available = capacity − booked − Σ held ≥ 0</c>: quantity enters <see cref="Holds"/> only when it fits, and
/// moves to <see cref="Booked"/> only from a hold. <see cref="FencingToken"/> grows by one on every change, so a
/// writer can prove to the SQL ledger that it acted on the newest state.
/// </summary>
public sealed record SlotState(string SlotId, int Capacity, int Booked, ImmutableList<Hold> Holds, long FencingToken)
{
    /// <summary>How long settled holds are kept to answer retries the same way.</summary>
    public static readonly TimeSpan DefaultTombstoneRetention = TimeSpan.FromMinutes(10);

    public static SlotState Create(string slotId, int capacity, int booked = 0, long fencingToken = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slotId);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(booked);
        return new SlotState(slotId, capacity, Math.Min(booked, capacity), [], fencingToken);
    }

    public int Held => Holds.Where(hold => hold.IsHeld).Sum(hold => hold.Quantity);

    public int Available => Capacity - Booked - Held;

    public IEnumerable<Hold> ActiveHolds => Holds.Where(hold => hold.IsHeld);

    public Hold? Find(string holdId) => Holds.Find(hold => hold.HoldId == holdId);

    /// <summary>The earliest moment something in this slot expires (for a reminder or the sweeper), or null.</summary>
    public DateTimeOffset? NextExpiry =>
        Holds.Where(hold => hold.Status == HoldStatus.Active).Select(hold => (DateTimeOffset?)hold.ExpiresAt).Min();

    /// <summary>What <paramref name="customerId"/> holds (active or confirming) on this slot.</summary>
    public int HeldBy(string customerId) =>
        Holds.Where(hold => hold.IsHeld && hold.CustomerId == customerId).Sum(hold => hold.Quantity);

    /// <summary>
    /// Places a hold if it fits. <paramref name="maxHeldByCustomer"/> (0: none) caps what one customer holds here,
    /// decided on the same state as the availability, so one customer's concurrent requests cannot pass it together.
    /// <paramref name="expiresNoLaterThan"/> keeps the hold from outliving what the caller counted it for.
    /// </summary>
    public Decision<PlaceHoldOutcome> PlaceHold(
        string holdId, int quantity, string? idempotencyKey, DateTimeOffset now, TimeSpan ttl, string? customerId = null,
        int maxHeldByCustomer = 0, DateTimeOffset? expiresNoLaterThan = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holdId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);

        // A retried request gets the hold it created, whatever happened to it since: never a second hold. Keys are
        // the client's, so they are scoped to the customer: another customer's equal key is another request.
        var existing = idempotencyKey is null
            ? null
            : Holds.Find(hold => hold.IdempotencyKey == idempotencyKey && hold.CustomerId == customerId);
        if (existing is not null)
            return Decision.NoWrite<PlaceHoldOutcome>(new PlaceHoldOutcome.Placed(existing, Replayed: true));

        if (maxHeldByCustomer > 0 && customerId is not null && HeldBy(customerId) + quantity > maxHeldByCustomer)
            return Decision.NoWrite<PlaceHoldOutcome>(new PlaceHoldOutcome.CustomerLimit(HeldBy(customerId), maxHeldByCustomer));

        if (quantity > Available)
            return Decision.NoWrite<PlaceHoldOutcome>(new PlaceHoldOutcome.SoldOut(Available));

        var expiresAt = expiresNoLaterThan is { } cap && cap < now + ttl ? cap : now + ttl;
        var hold = new Hold(holdId, quantity, expiresAt, idempotencyKey, CustomerId: customerId);
        return Decision.Write<PlaceHoldOutcome>(
            Changed(this with { Holds = Holds.Add(hold) }), new PlaceHoldOutcome.Placed(hold, Replayed: false));
    }

    /// <summary>Returns an active hold's quantity exactly once; anything else (unknown, settled) is a no-op.</summary>
    public Decision<ReleaseOutcome> Release(string holdId, ReleaseReason reason)
    {
        var hold = Find(holdId);
        if (hold is not { Status: HoldStatus.Active })
            return Decision.NoWrite(new ReleaseOutcome(null, reason));

        var released = hold with { Status = reason == ReleaseReason.Expired ? HoldStatus.Expired : HoldStatus.Released };
        return Decision.Write(Changed(Replace(hold, released)), new ReleaseOutcome(released, reason));
    }

    /// <summary>
    /// First half of a confirm: reserves the hold for the ledger write and hands out the fencing token that write must
    /// carry. A hold already confirming gets a fresh token (a retry after a stale-token refusal, or the sweeper settling
    /// an abandoned confirm: the newer token fences the older writer out of the ledger).
    /// </summary>
    public Decision<BeginConfirmOutcome> BeginConfirm(string holdId, DateTimeOffset now)
    {
        var hold = Find(holdId);
        switch (hold)
        {
            case null:
                return Decision.NoWrite<BeginConfirmOutcome>(new BeginConfirmOutcome.Refused(ConfirmRefusal.Unknown, null));
            case { Status: HoldStatus.Confirmed }:
                return Decision.NoWrite<BeginConfirmOutcome>(new BeginConfirmOutcome.AlreadyConfirmed(hold));
            case { Status: HoldStatus.Released }:
                return Decision.NoWrite<BeginConfirmOutcome>(new BeginConfirmOutcome.Refused(ConfirmRefusal.Released, hold));
            case { Status: HoldStatus.Expired }:
            case { Status: HoldStatus.Active } when now >= hold.ExpiresAt:
                return Decision.NoWrite<BeginConfirmOutcome>(new BeginConfirmOutcome.Refused(ConfirmRefusal.Expired, hold));
        }

        var token = FencingToken + 1;
        var confirming = hold with { Status = HoldStatus.Confirming, ConfirmToken = token };
        return Decision.Write<BeginConfirmOutcome>(
            Replace(hold, confirming) with { FencingToken = token }, new BeginConfirmOutcome.Fenced(confirming, token));
    }

    /// <summary>Second half after the ledger accepted (or already had) the booking: the held quantity becomes booked.</summary>
    public Decision<SettleOutcome> CompleteConfirm(string holdId)
    {
        var hold = Find(holdId);
        if (hold is not { IsHeld: true })
            return Decision.NoWrite(new SettleOutcome(null));

        var confirmed = hold with { Status = HoldStatus.Confirmed };
        var next = Replace(hold, confirmed);
        return Decision.Write(Changed(next with { Booked = Booked + hold.Quantity }), new SettleOutcome(confirmed));
    }

    /// <summary>The ledger refused a confirm (or never got it): the confirming hold gives its quantity back.</summary>
    public Decision<SettleOutcome> AbortConfirm(string holdId, ReleaseReason reason)
    {
        var hold = Find(holdId);
        if (hold is not { Status: HoldStatus.Confirming })
            return Decision.NoWrite(new SettleOutcome(null));

        var settled = hold with { Status = reason == ReleaseReason.Expired ? HoldStatus.Expired : HoldStatus.Released };
        return Decision.Write(Changed(Replace(hold, settled)), new SettleOutcome(settled));
    }

    /// <summary>
    /// Compensation: a confirmed hold's booking is taken back (after the SQL ledger dropped it) and its quantity is
    /// available again. Anything but a confirmed hold is a no-op, so a repeated revoke returns the quantity once.
    /// </summary>
    public Decision<SettleOutcome> Revoke(string holdId)
    {
        var hold = Find(holdId);
        if (hold is not { Status: HoldStatus.Confirmed })
            return Decision.NoWrite(new SettleOutcome(null));

        var revoked = hold with { Status = HoldStatus.Revoked };
        var next = Replace(hold, revoked);
        return Decision.Write(Changed(next with { Booked = Math.Max(0, Booked - hold.Quantity) }), new SettleOutcome(revoked));
    }

    /// <summary>
    /// Expires active holds whose time has come (returned, so their events go out once, with the write that expired
    /// them), forgets tombstones past their retention and, beyond <paramref name="maxSettled"/>, the oldest released or
    /// expired ones. Confirming holds are left to the ledger.
    /// </summary>
    public (SlotState State, IReadOnlyList<Hold> Expired) PruneExpired(
        DateTimeOffset now, TimeSpan? tombstoneRetention = null, int maxSettled = int.MaxValue)
    {
        var retention = tombstoneRetention ?? DefaultTombstoneRetention;
        var expired = new List<Hold>();
        var kept = ImmutableList.CreateBuilder<Hold>();
        foreach (var hold in Holds)
        {
            if (hold.Status == HoldStatus.Active && now >= hold.ExpiresAt)
            {
                var gone = hold with { Status = HoldStatus.Expired };
                expired.Add(gone);
                kept.Add(gone);
            }
            else if (!(hold.IsSettled && now >= hold.ExpiresAt + retention))
            {
                kept.Add(hold);
            }
        }

        var trimmed = WithoutOldestSettled(kept.ToImmutable(), maxSettled);
        return trimmed.Count == Holds.Count && expired.Count == 0
            ? (this, [])
            : (Changed(this with { Holds = trimmed }), expired);
    }

    /// <summary>
    /// Keeps at most <paramref name="maxSettled"/> released or expired holds, dropping the oldest (list order is
    /// placement order). They returned their quantity already, so nothing else changes; confirmed and revoked holds
    /// stay (a confirm replay must keep its answer, and bookings are bounded by capacity).
    /// </summary>
    public SlotState TrimSettled(int maxSettled)
    {
        var trimmed = WithoutOldestSettled(Holds, maxSettled);
        return ReferenceEquals(trimmed, Holds) ? this : this with { Holds = trimmed };
    }

    private static bool IsEvictable(Hold hold) => hold.Status is HoldStatus.Released or HoldStatus.Expired;

    private static ImmutableList<Hold> WithoutOldestSettled(ImmutableList<Hold> holds, int maxSettled)
    {
        var excess = holds.Count(IsEvictable) - Math.Max(0, maxSettled);
        if (excess <= 0)
            return holds;
        var kept = ImmutableList.CreateBuilder<Hold>();
        foreach (var hold in holds)
        {
            if (excess > 0 && IsEvictable(hold))
                excess--;
            else
                kept.Add(hold);
        }

        return kept.ToImmutable();
    }

    /// <summary>Confirms abandoned longer than <paramref name="grace"/> past their expiry: the sweeper settles them.</summary>
    public IReadOnlyList<Hold> OverdueConfirms(DateTimeOffset now, TimeSpan grace) =>
        Holds.Where(hold => hold.Status == HoldStatus.Confirming && now >= hold.ExpiresAt + grace).ToList();

    /// <summary>
    /// Aligns the hot state with the ledger (SQL is the arbiter): capacity and booked from SQL, holds SQL already booked
    /// become confirmed, and if the rest no longer fits, the newest holds give way (returned, for their events).
    /// </summary>
    public (SlotState State, IReadOnlyList<Hold> Dropped) Reconcile(
        int capacity, int booked, long ledgerToken, IReadOnlySet<string> bookedHoldIds)
    {
        var holds = Holds.Select(hold => hold.IsHeld && bookedHoldIds.Contains(hold.HoldId)
            ? hold with { Status = HoldStatus.Confirmed } : hold).ToList();
        var room = capacity - Math.Min(booked, capacity);
        var dropped = new List<Hold>();
        foreach (var hold in holds.Where(hold => hold.IsHeld).OrderByDescending(hold => hold.ExpiresAt).ToList())
        {
            if (holds.Where(h => h.IsHeld).Sum(h => h.Quantity) <= room)
                break;
            var gone = hold with { Status = HoldStatus.Expired };
            holds[holds.IndexOf(hold)] = gone;
            dropped.Add(gone);
        }

        var next = new SlotState(SlotId, capacity, Math.Min(booked, capacity), [.. holds], Math.Max(FencingToken, ledgerToken) + 1);
        return (Checked(next), dropped);
    }

    private SlotState Replace(Hold current, Hold next) => this with { Holds = Holds.Replace(current, next) };

    private SlotState Changed(SlotState next) => Checked(next with { FencingToken = FencingToken + 1 });

    private static SlotState Checked(SlotState next) =>
        next.Available < 0 || next.Booked > next.Capacity
            ? throw new InvalidOperationException($"Slot {next.SlotId}: a decision would break available >= 0.")
            : next;
}
