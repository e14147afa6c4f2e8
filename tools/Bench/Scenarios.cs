using System.Net;
using System.Net.Http.Json;

namespace Bench;

/// <summary>The scenarios, each on a running <see cref="Stack"/>.</summary>
public static class Scenarios
{
    /// <summary>
    /// Spread (many slots of capacity 100, nobody contends) and hot (one slot, twice as many attempts as seats, so
    /// half the answers are sold-out and the sold-out path and its undersold check are exercised).
    /// </summary>
    public static async Task<IReadOnlyList<ScenarioResult>> SpreadAndHotAsync(Stack stack, BenchOptions o)
    {
        var hot = (await stack.CreateSlotsAsync(1, o.HotCapacity)).Single();
        var spread = await stack.CreateSlotsAsync(o.SpreadSlots, capacity: 100);
        // Warm-up (not measured): JIT, connection pools, the service's slot directory.
        var warm = Customers.Take(500);
        await LoadRunner.ClosedAsync(16, 500, new long[spread.Count], n => n % spread.Count,
            (n, s) => HoldClient.HoldAsync(stack.Api, spread[s], warm, n));
        return
        [
            await stack.MeasureAsync("spread", spread, o.SpreadAttempts, o.Clients, _ => Random.Shared.Next(spread.Count)),
            await stack.MeasureAsync("hot-slot", [hot], o.HotAttempts, o.Clients, _ => 0),
        ];
    }

    /// <summary>
    /// The relay floor and the unsafe baseline, through the same hops as a hold: tester sidecar → the baseline app's
    /// sidecar → the baseline app (→ its sidecar → Redis for the unsafe read-modify-write).
    /// </summary>
    public static async Task<IReadOnlyList<ScenarioResult>> BaselineAsync(Stack stack, BenchOptions o)
    {
        var app = stack.Baseline ?? throw new InvalidOperationException("this stack runs without the baseline app");
        var none = new HoldClient.Stats(0, 0, 0, 0);

        async Task<Outcome> NoopAsync()
        {
            using var response = await app.PostAsync("noop", null);
            return response.StatusCode == HttpStatusCode.NoContent ? Outcome.Succeeded : Outcome.Error;
        }

        await LoadRunner.ClosedAsync(8, 200, [long.MaxValue], _ => 0, (_, _) => NoopAsync());
        var cpu = ProcessCpu.Snapshot();
        var relay = await LoadRunner.ClosedAsync(o.Clients, o.SpreadAttempts, [long.MaxValue], _ => 0, (_, _) => NoopAsync());
        var relayResult = new ScenarioResult("relay", "-", "no-op", $"{o.Clients} clients", relay, 0, 0, 0, none,
            ProcessCpu.Delta(cpu, ProcessCpu.Snapshot()));

        var key = "unsafe-" + Guid.NewGuid().ToString("N");
        (await app.PutAsync($"counters/{key}?capacity={o.HotCapacity}", null)).EnsureSuccessStatusCode();
        cpu = ProcessCpu.Snapshot();
        var tally = await LoadRunner.ClosedAsync(o.Clients, o.HotAttempts, [o.HotCapacity], _ => 0, async (_, _) =>
        {
            using var response = await app.PostAsync($"counters/{key}/take", null);
            return response.StatusCode switch
            {
                HttpStatusCode.Created => Outcome.Succeeded,
                HttpStatusCode.Conflict => Outcome.SoldOut,
                _ => Outcome.Error,
            };
        });
        cpu = ProcessCpu.Delta(cpu, ProcessCpu.Snapshot());
        var sold = (await app.GetFromJsonAsync<Counter>($"counters/{key}"))!.Sold;
        // Same definitions as for the service: 201s beyond the room, 201s the store does not count (lost updates).
        var succeeded = tally[Outcome.Succeeded];
        var unsafeResult = new ScenarioResult("unsafe", "-", "hot-slot", $"{o.Clients} clients", tally,
            OversoldStore: Math.Max(0, succeeded - sold), OversoldAnswers: Math.Max(0, succeeded - o.HotCapacity),
            Undersold: tally[Outcome.SoldOut] > 0 ? Math.Min(tally[Outcome.SoldOut], Math.Max(0, o.HotCapacity - succeeded)) : 0,
            none, cpu);
        return [relayResult, unsafeResult];
    }

    private sealed record Counter(int Capacity, int Sold);

    /// <summary>
    /// The fill sweep: a fresh hot slot of <see cref="BenchOptions.FillCapacity"/> carrying N active holds (placed through
    /// the API), then the same closed-loop load on it. The slot's value today grows with its holds.
    /// </summary>
    public static async Task<IReadOnlyList<ScenarioResult>> FillSweepAsync(Stack stack, BenchOptions o)
    {
        var results = new List<ScenarioResult>();
        foreach (var fill in o.Fill)
        {
            var slot = (await stack.CreateSlotsAsync(1, o.FillCapacity)).Single();
            var fillTime = System.Diagnostics.Stopwatch.StartNew();
            var busy = await stack.FillAsync(slot, fill, o.Clients);
            Console.Error.WriteLine($"  filled {fill} holds in {fillTime.Elapsed.TotalSeconds:0.0} s ({busy} busy answers retried)");
            var result = await stack.MeasureAsync($"fill {fill:N0} of {o.FillCapacity:N0}", [slot], o.FillAttempts, o.Clients, _ => 0);
            results.Add(result with { Load = $"{result.Load}; the fill took {fillTime.Elapsed.TotalSeconds:0} s, {busy} busy answers" });
        }

        return results;
    }

    /// <summary>
    /// Open loop on a fresh, empty hot slot of <see cref="BenchOptions.FillCapacity"/> per rate (no sold-out answers):
    /// a constant arrival rate at each fraction of <paramref name="saturation"/> (successful holds/s of the closed-loop
    /// run on such a slot), latency corrected for coordinated omission.
    /// </summary>
    public static async Task<IReadOnlyList<ScenarioResult>> OpenLoopAsync(Stack stack, BenchOptions o, double saturation)
    {
        var results = new List<ScenarioResult>();
        foreach (var fraction in o.OpenLoop)
        {
            var slot = (await stack.CreateSlotsAsync(1, o.FillCapacity)).Single();
            var rate = Math.Max(1, saturation * fraction);
            var customers = Customers.Take((int)(rate * o.OpenLoopSeconds) + 1);
            var stats = await HoldClient.StatsAsync([stack.Admin]);
            var cpu = ProcessCpu.Snapshot();
            var tally = await LoadRunner.OpenAsync(rate, o.OpenLoopSeconds, o.FillCapacity,
                n => HoldClient.HoldAsync(stack.Api, slot, customers, n));
            cpu = ProcessCpu.Delta(cpu, ProcessCpu.Snapshot());
            stats = await HoldClient.StatsAsync([stack.Admin]) - stats;
            var after = await HoldClient.AvailabilityAsync(stack.Admin, slot);
            var oversoldStore = after.Over + Math.Max(0, tally[Outcome.Succeeded] - after.Held);
            results.Add(new ScenarioResult(stack.Strategy, stack.Coalesce, $"open loop {fraction:P0} of saturation",
                $"{rate:0}/s offered", tally, oversoldStore, 0, 0, stats, cpu));
        }

        return results;
    }

    /// <summary>
    /// One hot slot served by two reservation instances at once: a second stack (its own sidecars, catalog and
    /// reservation processes) on the same Redis and the same SQLite files, attempts alternating between the two.
    /// The local sidecar runs one sidecar per app id per cluster, so the second instance lives in a second cluster:
    /// valid for etag and lock (their guard is in Redis, shared), not for actor (each cluster would place the slot's
    /// actor, two activations of one actor), which is therefore not run.
    /// </summary>
    public static async Task<IReadOnlyList<ScenarioResult>> TwoInstancesAsync(Stack first, BenchOptions o)
    {
        if (first.Strategy == "actor")
            return [];
        await using var second = await Stack.StartAsync(first.Strategy, first.Coalesce, shareWith: first);
        var hot = (await first.CreateSlotsAsync(1, o.HotCapacity)).Single();
        var warmSlot = (await first.CreateSlotsAsync(1, 1_000)).Single();
        var warm = Customers.Take(200);
        await LoadRunner.ClosedAsync(8, 200, [1_000], _ => 0, (n, _) => HoldClient.HoldAsync(second.Api, warmSlot, warm, n));
        return [await first.MeasureAsync("hot-slot, 2 instances", [hot], o.HotAttempts, o.Clients, _ => 0, [first, second])];
    }
}
