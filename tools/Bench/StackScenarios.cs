using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;

namespace Bench;

/// <summary>
/// The full stack for one strategy: catalog + reservation as real processes with local sidecars on real Redis;
/// every call goes HTTP → tester sidecar → reservation → its sidecar → Redis (and SQL on confirm).
/// </summary>
public sealed class StackScenarios(BenchOptions options)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(string strategy)
    {
        await using var system = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Redis,
            Apps =
            [
                new AppSpec("catalog", "services/catalog", "Catalog.dll", new() { ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db" }),
                new AppSpec("reservation", "services/reservation", "Reservation.dll", new()
                {
                    ["ConnectionStrings__reservation"] = "Data Source={data}/reservation.db",
                    ["Reservation__Strategy"] = strategy,
                    // Every client is the one admin identity standing for many buyers: the per-customer caps are off.
                    ["Reservation__Limits__MaxHeldPerSlot"] = "0",
                    ["Reservation__Limits__MaxHeldPerCustomer"] = "0",
                }),
            ],
        });
        var catalog = system.Invoke("catalog", TestIdentity.Admin, admin: true);
        var api = system.Invoke("reservation", TestIdentity.Admin, admin: true);

        var hotSlot = (await CreateSlotsAsync(catalog, 1, options.HotCapacity)).Single();
        var spreadSlots = await CreateSlotsAsync(catalog, options.SpreadSlots, capacity: 100);

        // Warm-up: JIT, connection pools, ledger rows (not measured).
        await LoadRunner.RunAsync(8, 200, n => HoldAsync(api, spreadSlots[n % spreadSlots.Count]));

        var spread = await MeasureAsync(api, strategy, "spread", options.SpreadAttempts, n => spreadSlots[Random.Shared.Next(spreadSlots.Count)], spreadSlots);
        var hot = await MeasureAsync(api, strategy, "hot-slot", options.HotAttempts, _ => hotSlot, [hotSlot]);
        return [hot, spread];
    }

    private async Task<ScenarioResult> MeasureAsync(HttpClient api, string strategy, string scenario, int attempts,
        Func<int, string> pickSlot, IReadOnlyList<string> slots)
    {
        var before = await StatsAsync(api);
        var heldBefore = await SumAsync(api, slots);
        var tally = await LoadRunner.RunAsync(options.Clients, attempts, n => HoldAsync(api, pickSlot(n)));
        var after = await StatsAsync(api);
        var heldAfter = await SumAsync(api, slots);

        // From the store, not from the answers: every 201 must be exactly one held unit, and no slot may exceed capacity.
        var oversold = Math.Max(0, heldAfter.Over) + Math.Max(0, tally.Succeeded - (heldAfter.Held - heldBefore.Held));
        var undersold = tally.SoldOut > 0 ? heldAfter.AvailableWhereSoldOut : 0;
        return new ScenarioResult(strategy, scenario, options.Clients, attempts, tally.Succeeded, tally.SoldOut, tally.Busy,
            tally.Errors, oversold, undersold, tally.Seconds, tally.Latency,
            after.Conflicts - before.Conflicts, after.Retries - before.Retries);
    }

    private static async Task<Outcome> HoldAsync(HttpClient api, string slotId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "holds") { Content = JsonContent.Create(new { slotId, quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await api.SendAsync(request);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => Outcome.Succeeded,
            HttpStatusCode.Conflict => Outcome.SoldOut,
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => Outcome.Busy,
            _ => Outcome.Error,
        };
    }

    private sealed record Sums(long Held, long Over, long AvailableWhereSoldOut);

    private static async Task<Sums> SumAsync(HttpClient api, IReadOnlyList<string> slots)
    {
        long held = 0, over = 0, available = 0;
        await Parallel.ForEachAsync(slots, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (slot, ct) =>
        {
            var a = await api.GetFromJsonAsync<JsonElement>($"slots/{slot}/availability", ct);
            var capacity = a.GetProperty("capacity").GetInt64();
            var used = a.GetProperty("booked").GetInt64() + a.GetProperty("held").GetInt64();
            Interlocked.Add(ref held, a.GetProperty("held").GetInt64());
            Interlocked.Add(ref over, Math.Max(0, used - capacity));
            Interlocked.Add(ref available, Math.Max(0, a.GetProperty("available").GetInt64()));
        });
        return new Sums(held, over, available);
    }

    private sealed record Stats(long Conflicts, long Retries);

    /// <summary>The service's contention counters (GET /admin/stats): ETag conflicts, and every retry (conflicts + busy locks).</summary>
    private static async Task<Stats> StatsAsync(HttpClient api)
    {
        var s = await api.GetFromJsonAsync<JsonElement>("admin/stats");
        long Get(string name) => s.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        return new Stats(Get("conflicts"), Get("conflicts") + Get("lockBusy"));
    }

    private static async Task<IReadOnlyList<string>> CreateSlotsAsync(HttpClient catalog, int count, int capacity)
    {
        using var resource = await catalog.PostAsJsonAsync("admin/resources", new { kind = "event", name = $"bench {Guid.NewGuid():N}" });
        resource.EnsureSuccessStatusCode();
        var resourceId = (await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var ids = new string[count];
        var start = DateTimeOffset.UtcNow.AddDays(1);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var slot = await catalog.PostAsJsonAsync($"admin/resources/{resourceId}/slots",
                new { start = start.AddHours(i), end = start.AddHours(i + 1), capacity, price = 10m }, ct);
            slot.EnsureSuccessStatusCode();
            ids[i] = (await slot.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        });
        return ids;
    }
}
