using System.Globalization;
using Dapr;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;
using Reservation.Application;
using Reservation.Domain;

namespace Reservation.Infrastructure.State;

/// <summary>
/// The overall cap per customer: one state key per customer (<see cref="SlotKeys.CustomerHolds"/>) holding what they
/// hold across slots, changed by read → decide → first-write-wins save with the ETag just read, like a slot. Inside an
/// instance one customer's changes queue on a gate (no ETag conflicts between a customer's own parallel requests);
/// across instances the ETag decides and the loser re-reads. A hold is counted before it is placed and given back when
/// it is released, booked or refused, so the count is never below what the slots hold for the customer.
/// </summary>
public sealed class CustomerHoldLedger(
    DaprClient dapr,
    TimeProvider time,
    SlotStoreStats stats,
    IOptions<ReservationOptions> options,
    IOptions<ReservationLimits> limits,
    ILogger<CustomerHoldLedger> logger)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    // The key lives this long past its last entry: long after any request that read it can still write, so a write
    // with an old ETag never meets a key that expired and was re-created with restarted versions (ABA).
    private static readonly TimeSpan KeyMargin = TimeSpan.FromHours(1);

    private readonly ReservationOptions settings = options.Value;
    private readonly int limit = limits.Value.MaxHeldPerCustomer;
    private readonly KeyedGate gates = CreateGate(stats);

    public bool Enabled => limit > 0;

    /// <summary>Counts the hold in, or says why not (the customer would hold more than the cap).</summary>
    /// <exception cref="SlotContentionException">Other instances kept winning the customer's key.</exception>
    public async Task<CustomerHoldRefusal?> ReserveAsync(string customerId, CustomerHold hold, CancellationToken cancellationToken)
    {
        CustomerHoldRefusal? refusal = null;
        await UpdateAsync(customerId, holds =>
        {
            var (next, refused) = holds.Reserve(hold, time.GetUtcNow(), limit);
            refusal = refused;
            return next;
        }, cancellationToken);
        return refusal;
    }

    /// <summary>
    /// Gives a hold's quantity back to the customer's count. Never throws: if the store cannot be reached the entry
    /// stays until the hold's expiry, which over-counts the customer for a while but never lets them pass the cap.
    /// </summary>
    public async Task ForgetAsync(string? customerId, string holdId)
    {
        if (!Enabled || customerId is null)
            return;
        try
        {
            await UpdateAsync(customerId, holds => holds.Forget(holdId, time.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception exception) when (exception is DaprException or SlotContentionException or HttpRequestException)
        {
            logger.LogWarning(exception, "Hold {HoldId} stays counted for its customer until it expires", holdId);
        }
    }

    /// <summary>The customer's record as stored (tests and diagnostics).</summary>
    public async Task<CustomerHolds?> ReadAsync(string customerId, CancellationToken cancellationToken) =>
        await dapr.GetStateAsync<CustomerHolds?>(Components.StateStore, SlotKeys.CustomerHolds(customerId), cancellationToken: cancellationToken);

    private async Task UpdateAsync(string customerId, Func<CustomerHolds, CustomerHolds?> decide, CancellationToken cancellationToken)
    {
        var key = SlotKeys.CustomerHolds(customerId);
        using var turn = await gates.EnterAsync(key, cancellationToken);
        for (var attempt = 0; attempt < settings.MaxAttempts; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(Backoff.Delay(attempt, settings.BaseDelay, settings.MaxDelay), cancellationToken);

            var (current, etag) = await dapr.GetStateAndETagAsync<CustomerHolds?>(
                Components.StateStore, key, cancellationToken: cancellationToken);
            var next = decide(current ?? CustomerHolds.Empty);
            if (next is null)
                return;

            try
            {
                if (await dapr.TrySaveStateAsync(Components.StateStore, key, next, etag, FirstWrite, Ttl(next), cancellationToken))
                    return;
            }
            catch (DaprException) when (string.IsNullOrEmpty(etag))
            {
                // Another instance created the key first (see SlotWrites): re-read.
            }
        }

        throw new SlotContentionException(key, settings.MaxAttempts, settings.ContentionRetryAfter);
    }

    private Dictionary<string, string> Ttl(CustomerHolds next)
    {
        var now = time.GetUtcNow();
        var last = next.LastExpiry() is { } expiry && expiry > now ? expiry : now;
        var seconds = (long)Math.Ceiling((last - now + KeyMargin).TotalSeconds);
        return new Dictionary<string, string> { ["ttlInSeconds"] = seconds.ToString(CultureInfo.InvariantCulture) };
    }

    private static KeyedGate CreateGate(SlotStoreStats stats)
    {
        var gate = new KeyedGate();
        stats.TrackSize("customerGates", () => gate.Count);
        return gate;
    }
}
