using Microsoft.EntityFrameworkCore;

namespace Reservation.Infrastructure.Ledger;

public enum LedgerVerdict
{
    Accepted,

    /// <summary>This hold was booked before: a repeated confirm, answered the same way.</summary>
    AlreadyBooked,

    /// <summary>A newer writer fenced this one out; the caller must re-fence and try again.</summary>
    StaleToken,

    /// <summary>SQL has no room: whatever the hot store believed, this booking would oversell.</summary>
    NoCapacity,

    /// <summary>The hold was booked once and revoked by compensation: it can never be booked again.</summary>
    Revoked,
}

public enum RevokeVerdict
{
    Revoked,
    AlreadyRevoked,

    /// <summary>The ledger has no booking for the hold (never confirmed, or the confirm has not reached SQL yet).</summary>
    NotBooked,
}

/// <summary>The SQL side of a confirm and of reconciliation.</summary>
public sealed class BookingLedger(ReservationDbContext db, TimeProvider time)
{
    public Task<SlotLedger?> FindSlotAsync(string slotId, CancellationToken cancellationToken) =>
        db.Slots.AsNoTracking().SingleOrDefaultAsync(s => s.SlotId == slotId, cancellationToken);

    /// <summary>Creates the slot's row with the catalog's capacity, or refreshes the cached capacity.</summary>
    public async Task<SlotLedger> EnsureSlotAsync(string slotId, int capacity, CancellationToken cancellationToken)
    {
        var updated = await db.Slots.Where(s => s.SlotId == slotId && s.Booked <= capacity)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.Capacity, capacity), cancellationToken);
        if (updated == 0 && await FindSlotAsync(slotId, cancellationToken) is null)
        {
            db.Slots.Add(new SlotLedger { SlotId = slotId, Capacity = capacity });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance created it first; theirs is as good as ours.
                db.ChangeTracker.Clear();
            }
        }

        return await FindSlotAsync(slotId, cancellationToken) ?? throw new InvalidOperationException($"Ledger row {slotId} vanished.");
    }

    /// <summary>
    /// One transaction: the booking row (unique hold id) plus the conditional ledger update. The update refuses when
    /// the slot would overflow or when a newer fencing token has already written: 0 rows, nothing kept.
    /// </summary>
    public async Task<LedgerVerdict> ConfirmAsync(
        string slotId, string holdId, int quantity, long fencingToken, CancellationToken cancellationToken)
    {
        if (await db.Bookings.AsNoTracking().Where(b => b.HoldId == holdId).Select(b => new { b.RevokedAt }).SingleOrDefaultAsync(cancellationToken) is { } existing)
            return existing.RevokedAt is null ? LedgerVerdict.AlreadyBooked : LedgerVerdict.Revoked;

        // SQL Server's retrying strategy only allows a user transaction as one retriable unit.
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var rows = await db.Slots
                .Where(s => s.SlotId == slotId && s.Booked + quantity <= s.Capacity && s.LastFencingToken < fencingToken)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.Booked, s => s.Booked + quantity)
                    .SetProperty(s => s.LastFencingToken, fencingToken), cancellationToken);
            if (rows == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                var slot = await FindSlotAsync(slotId, cancellationToken);
                if (await db.Bookings.AsNoTracking().AnyAsync(b => b.HoldId == holdId, cancellationToken))
                    return LedgerVerdict.AlreadyBooked;
                return slot is not null && slot.LastFencingToken >= fencingToken ? LedgerVerdict.StaleToken : LedgerVerdict.NoCapacity;
            }

            db.Bookings.Add(new Booking
            {
                HoldId = holdId, SlotId = slotId, Quantity = quantity, FencingToken = fencingToken,
                ConfirmedAt = time.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same hold was booked concurrently: roll our ledger increment back with it.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return LedgerVerdict.AlreadyBooked;
            }

            await transaction.CommitAsync(cancellationToken);
            return LedgerVerdict.Accepted;
        });
    }

    /// <summary>
    /// Raises the ledger's fencing token so any confirm still in flight with an older token is refused from now on.
    /// Used before settling an abandoned confirm from what the ledger holds.
    /// </summary>
    public async Task FenceAsync(string slotId, long fencingToken, CancellationToken cancellationToken) =>
        await db.Slots.Where(s => s.SlotId == slotId && s.LastFencingToken < fencingToken)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastFencingToken, fencingToken), cancellationToken);

    /// <summary>
    /// Compensation: marks the booking revoked and gives its quantity back to the slot, in one transaction. The
    /// conditional update on <c>RevokedAt IS NULL</c> makes a second (or concurrent) revoke return the quantity zero times.
    /// </summary>
    public async Task<RevokeVerdict> RevokeAsync(string holdId, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.HoldId == holdId, cancellationToken);
        if (booking is null)
            return RevokeVerdict.NotBooked;
        if (booking.RevokedAt is not null)
            return RevokeVerdict.AlreadyRevoked;

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = time.GetUtcNow();
            var marked = await db.Bookings.Where(b => b.HoldId == holdId && b.RevokedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.RevokedAt, now), cancellationToken);
            if (marked == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return RevokeVerdict.AlreadyRevoked;
            }

            await db.Slots.Where(s => s.SlotId == booking.SlotId)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Booked, s => s.Booked - booking.Quantity), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return RevokeVerdict.Revoked;
        });
    }

    /// <summary>True while the hold is a booking (confirmed and not revoked).</summary>
    public Task<bool> IsBookedAsync(string holdId, CancellationToken cancellationToken) =>
        db.Bookings.AsNoTracking().AnyAsync(b => b.HoldId == holdId && b.RevokedAt == null, cancellationToken);

    public async Task<HashSet<string>> BookedAmongAsync(string slotId, IReadOnlyCollection<string> holdIds, CancellationToken cancellationToken) =>
        (await db.Bookings.AsNoTracking().Where(b => b.SlotId == slotId && b.RevokedAt == null && holdIds.Contains(b.HoldId))
            .Select(b => b.HoldId).ToListAsync(cancellationToken)).ToHashSet();

    public async Task<List<string>> SlotIdsAsync(CancellationToken cancellationToken) =>
        await db.Slots.AsNoTracking().Select(s => s.SlotId).ToListAsync(cancellationToken);

    public async Task<int> SumBookedAsync(string slotId, CancellationToken cancellationToken) =>
        await db.Bookings.AsNoTracking().Where(b => b.SlotId == slotId && b.RevokedAt == null).SumAsync(b => b.Quantity, cancellationToken);
}
