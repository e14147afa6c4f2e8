using Dapr;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;
using Reservation.Application;
using Reservation.Domain;

namespace Reservation.Infrastructure.State;

/// <summary>
/// Optimistic: read with the ETag, decide, save with that ETag under first-write-wins; a loser re-reads after a
/// jittered delay, up to the attempt budget. Correctness rests on the store's ETag check alone.
/// </summary>
public sealed class EtagSlotWriteStrategy(
    DaprClient dapr, ISlotSeeder seeder, SlotStoreStats stats, IOptions<ReservationOptions> options) : ISlotWriteStrategy
{
    private readonly ReservationOptions settings = options.Value;

    public async Task UpdateAsync(string slotId, Func<SlotState, SlotState?> mutate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < settings.MaxAttempts; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(Backoff.Delay(attempt, settings.BaseDelay, settings.MaxDelay), cancellationToken);

            if (await SlotWrites.TryReadDecideWriteAsync(dapr, seeder, stats, slotId, mutate, cancellationToken))
                return;
        }

        stats.Exhausted();
        throw new SlotContentionException(slotId, settings.MaxAttempts, settings.ContentionRetryAfter);
    }
}

/// <summary>The fenced read → decide → write both the ETag and the lock strategy use.</summary>
internal static class SlotWrites
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    /// <summary>True when the write landed (or nothing needed writing); false when another writer got there first.</summary>
    public static async Task<bool> TryReadDecideWriteAsync(
        DaprClient dapr, ISlotSeeder seeder, SlotStoreStats stats, string slotId,
        Func<SlotState, SlotState?> mutate, CancellationToken cancellationToken)
    {
        var key = SlotKeys.Slot(slotId);
        var (state, etag) = await dapr.GetStateAndETagAsync<SlotState?>(
            Components.StateStore, key, cancellationToken: cancellationToken);
        var seeded = state is null;
        state ??= await seeder.SeedAsync(slotId, cancellationToken) ?? throw new SlotNotFoundException(slotId);

        // A freshly seeded state is written even when the decision changed nothing, so the rebuild happens once.
        var next = mutate(state) ?? (seeded ? state : null);
        if (next is null)
            return true;

        try
        {
            var saved = await dapr.TrySaveStateAsync(
                Components.StateStore, key, next, etag, FirstWrite, cancellationToken: cancellationToken);
            if (saved)
                stats.Write();
            else
                stats.Conflict();
            return saved;
        }
        catch (DaprException) when (string.IsNullOrEmpty(etag))
        {
            // Two instances seeded the same missing slot: the first-write marker makes the second save fail, and
            // without an ETag Dapr reports that as an ordinary error rather than a conflict. Same meaning: re-read.
            stats.Conflict();
            return false;
        }
    }
}
