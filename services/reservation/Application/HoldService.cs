using Microsoft.Extensions.Options;
using Reservation.Domain;
using Reservation.Infrastructure.Catalog;
using Reservation.Infrastructure.Ledger;
using Reservation.Infrastructure.State;

namespace Reservation.Application;

public abstract record ConfirmResult
{
    public sealed record Confirmed(Hold Hold) : ConfirmResult;

    public sealed record Refused(string Reason) : ConfirmResult;
}

/// <summary>The hold lifecycle as use cases: each runs its decision through the slot store, then publishes.</summary>
public sealed class HoldService
{
    private readonly ISlotStore store;
    private readonly IHoldIndex index;
    private readonly HoldEvents events;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly SlotDirectory directory;
    private readonly CustomerHoldLedger customers;
    private readonly ReservationOptions settings;
    private readonly ReservationLimits limits;

    // Confirms of one slot run one at a time inside an instance, so fencing tokens reach SQL in the order they were
    // handed out; only confirms racing from other instances ever see a stale-token refusal and re-fence.
    private readonly KeyedGate confirmGates = new();

    public HoldService(
        ISlotStore store, IHoldIndex index, HoldEvents events, IServiceScopeFactory scopes, TimeProvider time,
        SlotDirectory directory, CustomerHoldLedger customers, SlotStoreStats stats,
        IOptions<ReservationOptions> options, IOptions<ReservationLimits> limits)
    {
        (this.store, this.index, this.events, this.scopes, this.time) = (store, index, events, scopes, time);
        (this.directory, this.customers) = (directory, customers);
        (settings, this.limits) = (options.Value, limits.Value);
        stats.TrackSize("confirmGates", () => confirmGates.Count);
    }

    /// <summary>
    /// Places a hold within the customer's caps. The overall cap is counted first, in the customer's own guarded key,
    /// with the hold's expiry as the latest the hold may live; the per-slot cap is decided with the slot's
    /// availability. A refused or failed placement gives the count back only when no hold can exist (refusal, unknown
    /// slot, contention); after any other failure the entry runs out with the hold's expiry.
    /// </summary>
    public async Task<PlaceHoldOutcome> PlaceAsync(string slotId, int quantity, string? idempotencyKey, string customerId, CancellationToken ct)
    {
        // An unknown slot costs no customer record either.
        await directory.EnsureExistsAsync(slotId, ct);
        var holdId = Guid.NewGuid().ToString("N");
        DateTimeOffset? countedUntil = null;
        if (customers.Enabled)
        {
            var expiresAt = time.GetUtcNow() + settings.HoldTtl;
            var refusal = await customers.ReserveAsync(customerId, new CustomerHold(holdId, slotId, quantity, expiresAt), ct);
            if (refusal is not null)
                return await ReplayOrRefuseAsync(slotId, idempotencyKey, customerId, refusal, ct);
            countedUntil = expiresAt;
        }

        Decision<PlaceHoldOutcome> decision;
        try
        {
            decision = await store.UpdateAsync(slotId, new PlaceHoldCommand(
                holdId, quantity, idempotencyKey, settings.HoldTtl, customerId, limits.MaxHeldPerSlot, countedUntil), ct);
        }
        catch (Exception exception) when (exception is SlotNotFoundException or SlotContentionException)
        {
            await customers.ForgetAsync(customerId, holdId);
            throw;
        }
        if (decision.Outcome is PlaceHoldOutcome.Placed placed)
        {
            await IndexAsync(slotId, placed.Hold, ct);
            if (!placed.Replayed)
                await events.PlacedAsync(slotId, placed.Hold);
        }

        // Sold out, over the per-slot cap, or a replay of an earlier hold (counted when it was placed).
        if (decision.Outcome is not PlaceHoldOutcome.Placed { Replayed: false })
            await customers.ForgetAsync(customerId, holdId);
        return decision.Outcome;
    }

    /// <summary>Over the overall cap: a retried request still gets the hold it created; anything else is refused.</summary>
    private async Task<PlaceHoldOutcome> ReplayOrRefuseAsync(
        string slotId, string? idempotencyKey, string customerId, CustomerHoldRefusal refusal, CancellationToken ct)
    {
        if (idempotencyKey is not null
            && (await store.GetAsync(slotId, ct)).State?.Holds.Find(h => h.IdempotencyKey == idempotencyKey && h.CustomerId == customerId) is { } existing)
        {
            await IndexAsync(slotId, existing, ct);
            return new PlaceHoldOutcome.Placed(existing, Replayed: true);
        }

        return new PlaceHoldOutcome.CustomerTotalLimit(refusal.Held, refusal.Limit, refusal.RetryAfter);
    }

    private Task IndexAsync(string slotId, Hold hold, CancellationToken ct) => index.RememberAsync(hold.HoldId, slotId, ct);

    /// <summary>The slot a hold lives in, or null for a hold this service never placed (or long forgotten).</summary>
    public Task<string?> FindSlotAsync(string holdId, CancellationToken ct) => index.FindSlotAsync(holdId, ct);

    public async Task<Hold?> GetAsync(string slotId, string holdId, CancellationToken ct)
    {
        var (state, _) = await store.GetAsync(slotId, ct);
        var hold = state?.Find(holdId);
        if (hold is { Status: HoldStatus.Active } && time.GetUtcNow() >= hold.ExpiresAt)
            hold = hold with { Status = HoldStatus.Expired }; // what the next write will record
        return hold;
    }

    /// <summary>Releases (cancel) and returns the hold as it stands afterwards; null when the slot does not know it.</summary>
    public async Task<Hold?> ReleaseAsync(string slotId, string holdId, CancellationToken ct)
    {
        var decision = await store.UpdateAsync(slotId, new ReleaseCommand(holdId), ct);
        if (decision.Outcome.Outcome.Released is { } hold)
        {
            await events.ReleasedAsync(slotId, hold, ReleaseReason.Cancelled);
            await customers.ForgetAsync(hold.CustomerId, hold.HoldId);
        }

        return decision.Outcome.After;
    }

    public async Task<ConfirmResult> ConfirmAsync(string slotId, string holdId, CancellationToken ct)
    {
        using (await confirmGates.EnterAsync(slotId, ct))
        {
            for (var attempt = 0; attempt < settings.MaxAttempts; attempt++)
            {
                if (attempt > 0)
                    await Task.Delay(Backoff.Delay(attempt, settings.BaseDelay, settings.MaxDelay), ct);

                var begin = await store.UpdateAsync(slotId, new BeginConfirmCommand(holdId), ct);
                switch (begin.Outcome)
                {
                    case BeginConfirmOutcome.AlreadyConfirmed already:
                        return new ConfirmResult.Confirmed(already.Hold);
                    case BeginConfirmOutcome.Refused refused:
                        return new ConfirmResult.Refused(refused.Reason.ToString().ToLowerInvariant());
                    case BeginConfirmOutcome.Fenced fenced:
                        var verdict = await WithLedger(ledger => ledger.ConfirmAsync(slotId, holdId, fenced.Hold.Quantity, fenced.Token, ct));
                        if (verdict == LedgerVerdict.StaleToken)
                            continue;
                        return await SettleAsync(
                            slotId, fenced, booked: verdict is LedgerVerdict.Accepted or LedgerVerdict.AlreadyBooked, ct,
                            refusal: verdict == LedgerVerdict.Revoked ? "revoked" : "no-capacity");
                }
            }

            throw new SlotContentionException(slotId, settings.MaxAttempts, settings.ContentionRetryAfter);
        }
    }

    /// <summary>
    /// Saga compensation for one hold of a closed order: an active hold is released, a booking is revoked (SQL
    /// first, the arbiter, then the hot store), anything settled is left alone. Idempotent, so a redelivered event
    /// changes nothing more. A hold still confirming cannot be judged yet: contention, so the event is redelivered.
    /// </summary>
    public async Task<Hold?> ReleaseOrRevokeAsync(string slotId, string holdId, CancellationToken ct)
    {
        using (await confirmGates.EnterAsync(slotId, ct))
        {
            var after = await ReleaseAsync(slotId, holdId, ct);
            if (after is { Status: HoldStatus.Confirming })
                throw new SlotContentionException(slotId, 1, settings.ContentionRetryAfter);

            // A hold the hot store forgot may still be booked: the ledger decides. Revoking there first means a crash
            // before the hot store agrees leaves seats under-sold (healed by the retry or reconcile), never oversold.
            var ledgerVerdict = await WithLedger(ledger => ledger.RevokeAsync(holdId, ct));
            if (ledgerVerdict == RevokeVerdict.NotBooked)
                return after;

            var revoked = await store.UpdateAsync(slotId, new RevokeCommand(holdId), ct);
            if (revoked.Outcome.Hold is { } hold)
            {
                await events.ReleasedAsync(slotId, hold, ReleaseReason.Revoked);
                return hold;
            }

            return (await store.GetAsync(slotId, ct)).State?.Find(holdId);
        }
    }

    /// <summary>Settles an abandoned confirm (crashed between SQL and Redis, or never reached SQL) from the ledger.</summary>
    public async Task SettleOverdueAsync(string slotId, string holdId, CancellationToken ct)
    {
        using (await confirmGates.EnterAsync(slotId, ct))
        {
            var refence = await store.UpdateAsync(slotId, new BeginConfirmCommand(holdId), ct);
            if (refence.Outcome is not BeginConfirmOutcome.Fenced fenced)
                return;
            // The newer token shuts out the abandoned writer; after that the ledger's answer is final.
            await WithLedger(async ledger => { await ledger.FenceAsync(slotId, fenced.Token, ct); return 0; });
            var booked = await WithLedger(ledger => ledger.IsBookedAsync(holdId, ct));
            await SettleAsync(slotId, fenced, booked, ct, ReleaseReason.Expired);
        }
    }

    private async Task<ConfirmResult> SettleAsync(
        string slotId, BeginConfirmOutcome.Fenced fenced, bool booked, CancellationToken ct,
        ReleaseReason abortReason = ReleaseReason.Cancelled, string refusal = "no-capacity")
    {
        var holdId = fenced.Hold.HoldId;
        if (!booked)
        {
            var aborted = await store.UpdateAsync(slotId, new AbortConfirmCommand(holdId, abortReason), ct);
            if (aborted.Outcome.Hold is { } released)
                await events.ReleasedAsync(slotId, released, abortReason);
            await customers.ForgetAsync(fenced.Hold.CustomerId, holdId);
            return new ConfirmResult.Refused(refusal);
        }

        // Booked in SQL: it is a booking now, no longer a hold counted against the customer's overall cap.
        await customers.ForgetAsync(fenced.Hold.CustomerId, holdId);

        // SQL has accepted: the answer is "confirmed" even if this second write fails; the sweeper heals Redis.
        try
        {
            var completed = await store.UpdateAsync(slotId, new CompleteConfirmCommand(holdId), CancellationToken.None);
            if (completed.Outcome.Hold is { } confirmed)
                await events.ConfirmedAsync(slotId, confirmed, fenced.Token);
        }
        catch (Exception exception) when (exception is SlotContentionException or Dapr.DaprException)
        {
        }

        return new ConfirmResult.Confirmed(fenced.Hold with { Status = HoldStatus.Confirmed });
    }

    private async Task<T> WithLedger<T>(Func<BookingLedger, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<BookingLedger>());
    }
}
