using DaprReservations.Testing;

namespace Bench;

/// <summary>
/// The customer's bug, reproduced on purpose and only here: read availability, check, write back without an ETag
/// (last write wins) through the same sidecar and Redis. No service ever does this.
/// </summary>
public sealed class UnsafeBaseline(BenchOptions options)
{
    private sealed record Counter(int Capacity, int Sold);

    public async Task<ScenarioResult> RunAsync()
    {
        await using var system = await DaprSystem.StartAsync(new DaprSystemOptions { Backend = SidecarBackend.Redis, Apps = [] });
        var dapr = system.Dapr;
        var key = "unsafe-slot-" + Guid.NewGuid().ToString("N");
        await dapr.SaveStateAsync("statestore", key, new Counter(options.HotCapacity, 0));

        var tally = await LoadRunner.RunAsync(options.Clients, options.HotAttempts, async _ =>
        {
            var slot = await dapr.GetStateAsync<Counter>("statestore", key);
            if (slot.Sold >= slot.Capacity)
                return Outcome.SoldOut;
            await dapr.SaveStateAsync("statestore", key, slot with { Sold = slot.Sold + 1 });
            return Outcome.Succeeded;
        });

        var final = await dapr.GetStateAsync<Counter>("statestore", key);
        // Oversold: confirmations beyond capacity. The store's own count is lower still: those are the lost updates.
        var oversold = Math.Max(0, tally.Succeeded - options.HotCapacity);
        var undersold = tally.SoldOut > 0 ? Math.Max(0, final.Capacity - final.Sold) : 0;
        return new ScenarioResult("unsafe", "hot-slot", options.Clients, options.HotAttempts, tally.Succeeded, tally.SoldOut,
            tally.Busy, tally.Errors, oversold, undersold, tally.Seconds, tally.Latency, 0, 0);
    }
}
