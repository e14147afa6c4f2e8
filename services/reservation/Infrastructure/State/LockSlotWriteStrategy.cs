#pragma warning disable DAPR_DISTRIBUTEDLOCK // the lock API is alpha in Dapr 1.19; this file is its only user.
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;
using Reservation.Application;
using Reservation.Domain;

namespace Reservation.Infrastructure.State;

/// <summary>
/// Pessimistic: take the slot's Dapr lock (bounded, jittered tries), then the same ETag-fenced read → decide → write.
/// The lock only saves wasted work; if the lease runs out mid-write, the ETag still refuses the stale writer.
/// </summary>
public sealed class LockSlotWriteStrategy(
    DaprClient dapr, ISlotSeeder seeder, SlotStoreStats stats, IOptions<ReservationOptions> options,
    ILogger<LockSlotWriteStrategy> logger) : ISlotWriteStrategy
{
    private readonly ReservationOptions settings = options.Value;

    public async Task UpdateAsync(string slotId, Func<SlotState, SlotState?> mutate, CancellationToken cancellationToken)
    {
        var resource = SlotKeys.LockResource(slotId);
        for (var attempt = 0; attempt < settings.MaxAttempts; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(Backoff.Delay(attempt, settings.BaseDelay, settings.MaxDelay), cancellationToken);

            var owner = Guid.NewGuid().ToString("N");
            // Not `await using`: TryLockResponse's dispose builds a fresh DaprClient from environment variables only.
            var acquired = await dapr.Lock(Components.LockStore, resource, owner, settings.LockLeaseSeconds, cancellationToken);
            if (!acquired.Success)
            {
                stats.LockBusy();
                continue;
            }

            try
            {
                if (await SlotWrites.TryReadDecideWriteAsync(dapr, seeder, stats, slotId, mutate, cancellationToken))
                    return;
            }
            finally
            {
                await UnlockAsync(resource, owner);
            }
        }

        stats.Exhausted();
        throw new SlotContentionException(slotId, settings.MaxAttempts, settings.ContentionRetryAfter);
    }

    private async Task UnlockAsync(string resource, string owner)
    {
        try
        {
            var response = await dapr.Unlock(Components.LockStore, resource, owner, CancellationToken.None);
            if (response.status != LockStatus.Success)
                logger.LogWarning("Unlock of {Resource} answered {Status}: the lease ran out under the write", resource, response.status);
        }
        catch (Exception exception)
        {
            // The lease expires on its own; the next writer waits at most LockLeaseSeconds.
            logger.LogWarning(exception, "Unlock of {Resource} failed", resource);
        }
    }
}
