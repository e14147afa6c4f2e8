using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;
using Reservation.Domain;
using Reservation.Infrastructure.Catalog;
using Reservation.Infrastructure.Ledger;
using Reservation.Infrastructure.State;

namespace Reservation.Application;

public sealed record Availability(int Capacity, int Booked, int Held, int Available);

/// <summary>Reads of a slot, reconciliation from SQL, and the sweep that expires holds nobody touches.</summary>
public sealed class SlotMaintenance(
    ISlotStore store,
    HoldService holds,
    HoldEvents events,
    CatalogClient catalog,
    SlotDirectory directory,
    CustomerHoldLedger customers,
    DaprClient dapr,
    ISweepClaims claims,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<ReservationOptions> options,
    ILogger<SlotMaintenance> logger)
{
    private readonly ReservationOptions settings = options.Value;

    /// <summary>
    /// Availability as of now (holds past expiry no longer count) with the store's ETag; seeds a missing slot. An id
    /// nobody knows is refused before anything is read, written or remembered for it (this route is anonymous).
    /// </summary>
    public async Task<(Availability Availability, string ETag)> AvailabilityAsync(string slotId, CancellationToken ct)
    {
        await directory.EnsureExistsAsync(slotId, ct);
        var (state, etag) = await store.GetAsync(slotId, ct);
        if (state is null)
        {
            await store.UpdateAsync(slotId, new PruneCommand(), ct);
            (state, etag) = await store.GetAsync(slotId, ct);
            state = state ?? throw new SlotNotFoundException(slotId);
        }

        var (view, _) = state.PruneExpired(time.GetUtcNow(), settings.TombstoneRetention);
        return (new Availability(view.Capacity, view.Booked, view.Held, view.Available), etag);
    }

    /// <summary>Aligns the slot's hot state with SQL and the catalog's capacity (admin, after a Redis incident).</summary>
    public async Task<Availability> ReconcileAsync(string slotId, CancellationToken ct)
    {
        var capacity = await catalog.GetCapacityAsync(slotId, ct) ?? throw new SlotNotFoundException(slotId);
        await using var scope = scopes.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<BookingLedger>();
        var row = await ledger.EnsureSlotAsync(slotId, capacity, ct);
        var (current, _) = await store.GetAsync(slotId, ct);
        var candidates = current?.Holds.Where(h => h.IsHeld).Select(h => h.HoldId).ToList() ?? [];
        var bookedIds = await ledger.BookedAmongAsync(slotId, candidates, ct);

        var decision = await store.UpdateAsync(
            slotId, new ReconcileCommand(row.Capacity, row.Booked, row.LastFencingToken, [.. bookedIds]), ct);
        foreach (var hold in decision.Outcome.Dropped)
        {
            await events.ReleasedAsync(slotId, hold, ReleaseReason.Expired);
            await customers.ForgetAsync(hold.CustomerId, hold.HoldId);
        }
        var view = decision.Outcome.State;
        return new Availability(view.Capacity, view.Booked, view.Held, view.Available);
    }

    /// <summary>
    /// One sweep over the slots the ledger knows, in the shards this replica could claim (others sweep the rest): expire
    /// due holds (announced by the store on the way out), settle abandoned confirms. A failing slot is logged and
    /// skipped; the next tick tries it again. Idempotent.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        List<string> slotIds;
        await using (var scope = scopes.CreateAsyncScope())
            slotIds = await scope.ServiceProvider.GetRequiredService<BookingLedger>().SlotIdsAsync(ct);

        var touched = 0;
        foreach (var shard in slotIds.GroupBy(ISweepClaims.ShardOf))
        {
            // Twice the interval: long enough for one sweep of the shard, short enough that a dead replica's shard
            // is picked up by another within two ticks.
            await using var claim = await claims.TryClaimAsync(shard.Key, settings.SweepInterval * 2, ct);
            if (claim is null)
                continue;
            foreach (var chunk in shard.Chunk(100))
                touched += await SweepChunkAsync(chunk, ct);
        }

        return touched;
    }

    private async Task<int> SweepChunkAsync(string[] slotIds, CancellationToken ct)
    {
        var touched = 0;
        var items = await dapr.GetBulkStateAsync(
            Components.StateStore, slotIds.Select(SlotKeys.Slot).ToList(), parallelism: 8, cancellationToken: ct);
        foreach (var item in items.Where(i => !string.IsNullOrEmpty(i.Value)))
        {
            try
            {
                touched += await SweepSlotAsync(item.Value, ct);
            }
            catch (Exception exception) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Sweeping {Key} failed; the sweep goes on with the next slot", item.Key);
            }
        }

        return touched;
    }

    private async Task<int> SweepSlotAsync(string json, CancellationToken ct)
    {
        var state = System.Text.Json.JsonSerializer.Deserialize<SlotState>(json, DaprReservations.BuildingBlocks.DaprReservationsJson.Options);
        if (state is null)
            return 0;
        var touched = 0;
        var now = time.GetUtcNow();
        if (state.NextExpiry <= now)
        {
            await store.UpdateAsync(state.SlotId, new PruneCommand(), ct);
            touched++;
        }

        foreach (var overdue in state.OverdueConfirms(now, settings.ConfirmGrace))
        {
            await holds.SettleOverdueAsync(state.SlotId, overdue.HoldId, ct);
            touched++;
        }

        return touched;
    }
}

/// <summary>Runs the sweep on an interval; expiry on writes is lazy, this catches slots nobody writes to.</summary>
public sealed class HoldSweeper(SlotMaintenance maintenance, IOptions<ReservationOptions> options, ILogger<HoldSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await maintenance.SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Hold sweep failed; the next tick tries again");
            }
        }
    }
}
