using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;

namespace Bench;

/// <summary>
/// The full stack for one strategy and coalescing setting: catalog and reservation as real processes (their build
/// output) with local sidecars on real Redis, optionally the benchmark-only baseline app beside them. A hold goes
/// HTTP → tester sidecar → reservation's sidecar → reservation → its sidecar → Redis. A second stack can share the
/// first one's Redis and SQLite files: a second reservation instance on the same state (see TwoInstances).
/// </summary>
public sealed class Stack : IAsyncDisposable
{
    private readonly DaprSystem _system;

    private Stack(DaprSystem system, string strategy, string coalesce, bool baseline)
    {
        (_system, Strategy, Coalesce) = (system, strategy, coalesce);
        Catalog = system.Invoke("catalog", TestIdentity.Admin, admin: true);
        Admin = system.Invoke("reservation", TestIdentity.Admin, admin: true);
        Api = system.Invoke("reservation");
        Baseline = baseline ? system.Invoke("baseline") : null;
    }

    public string Strategy { get; }
    public string Coalesce { get; }
    public string DataDirectory => _system.DataDirectory;

    /// <summary>Catalog admin (creates resources and slots).</summary>
    public HttpClient Catalog { get; }

    /// <summary>Reservation as admin: availability and /admin/stats.</summary>
    public HttpClient Admin { get; }

    /// <summary>Reservation without a token: each hold request carries its own buyer's token.</summary>
    public HttpClient Api { get; }

    /// <summary>The benchmark-only app (tools/Bench.Baseline), when this stack runs it.</summary>
    public HttpClient? Baseline { get; }

    /// <param name="shareWith">A running stack whose SQLite files this one uses (a second instance of the same apps).</param>
    public static async Task<Stack> StartAsync(string strategy, string coalesce, bool baseline = false, Stack? shareWith = null)
    {
        var data = shareWith?.DataDirectory ?? "{data}";
        List<AppSpec> apps =
        [
            new("catalog", "services/catalog", "Catalog.dll", new() { ["ConnectionStrings__catalog"] = $"Data Source={data}/catalog.db" }),
            new("reservation", "services/reservation", "Reservation.dll", new()
            {
                ["ConnectionStrings__reservation"] = $"Data Source={data}/reservation.db",
                ["Reservation__Strategy"] = strategy,
                ["Reservation__Coalesce"] = coalesce == "on" ? "true" : "false",
                // The per-customer caps stay at their defaults: the buyers (Customers) are sized never to reach them.
            }),
        ];
        if (baseline)
            apps.Add(new AppSpec("baseline", "tools/Bench.Baseline", "Bench.Baseline.dll"));
        var system = await DaprSystem.StartAsync(new DaprSystemOptions { Backend = SidecarBackend.Redis, Apps = apps });
        return new Stack(system, strategy, coalesce, baseline);
    }

    public async Task<IReadOnlyList<string>> CreateSlotsAsync(int count, int capacity)
    {
        using var resource = await Catalog.PostAsJsonAsync("admin/resources", new { kind = "event", name = $"bench {Guid.NewGuid():N}" });
        resource.EnsureSuccessStatusCode();
        var resourceId = (await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var ids = new string[count];
        var start = DateTimeOffset.UtcNow.AddDays(1);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var slot = await Catalog.PostAsJsonAsync($"admin/resources/{resourceId}/slots",
                new { start = start.AddHours(i), end = start.AddHours(i + 1), capacity, price = 10m }, ct);
            slot.EnsureSuccessStatusCode();
            ids[i] = (await slot.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        });
        return ids;
    }

    /// <summary>
    /// Places <paramref name="holds"/> holds on one slot through the normal API (many buyers, as a real fill would).
    /// A busy answer is retried, as a buyer would after Retry-After; how many there were is returned, because a busy
    /// answer on a slot this empty is itself a finding. Any other refusal fails the run: a fill that did not happen
    /// would make the sweep's figure a lie.
    /// </summary>
    public async Task<int> FillAsync(string slotId, int holds, int clients)
    {
        var (placed, busy) = (0, 0);
        while (placed < holds)
        {
            var want = holds - placed;
            var customers = Customers.Take(want);
            var tally = await LoadRunner.ClosedAsync(clients, want, [long.MaxValue], _ => 0,
                (n, _) => HoldClient.HoldAsync(Api, slotId, customers, n));
            placed += tally[Outcome.Succeeded];
            busy += tally[Outcome.Busy];
            // A round that places nothing would retry forever (seen: a slot document near 4 MiB refuses every write).
            if (tally[Outcome.Succeeded] == 0 || tally[Outcome.Succeeded] + tally[Outcome.Busy] != want)
                throw new InvalidOperationException($"fill of {holds}: {string.Join(", ", tally.Counts)} (succeeded, sold out, busy, limited, errors)");
        }

        return busy;
    }

    /// <summary>
    /// A closed-loop run of hold attempts over <paramref name="slots"/>, attempt n sent through apis[n % count], checked
    /// afterwards against the answers and the service's own numbers.
    /// </summary>
    public async Task<ScenarioResult> MeasureAsync(string scenario, IReadOnlyList<string> slots, int attempts, int clients,
        Func<int, int> pickSlot, IReadOnlyList<Stack>? instances = null)
    {
        instances ??= [this];
        var customers = Customers.Take(attempts);
        var before = await HoldClient.AvailabilityAsync(Admin, slots);
        var room = before.Select(a => a.Available).ToArray();
        var stats = await HoldClient.StatsAsync(instances.Select(i => i.Admin));
        var cpu = ProcessCpu.Snapshot();
        var tally = await LoadRunner.ClosedAsync(clients, attempts, room, pickSlot,
            (n, slot) => HoldClient.HoldAsync(instances[n % instances.Count].Api, slots[slot], customers, n));
        cpu = ProcessCpu.Delta(cpu, ProcessCpu.Snapshot());
        stats = await HoldClient.StatsAsync(instances.Select(i => i.Admin)) - stats;
        var after = await HoldClient.AvailabilityAsync(Admin, slots);

        // Oversold, from the store: any slot over its capacity, plus 201s that left no hold behind (the seat is free
        // to be sold again). From the answers: more 201s on a slot than it had room for before the run.
        var placed = after.Zip(before, (a, b) => a.Held - b.Held).Sum();
        var oversoldStore = after.Sum(a => a.Over) + Math.Max(0, tally[Outcome.Succeeded] - placed);
        long oversoldAnswers = 0, undersold = 0;
        for (var s = 0; s < slots.Count; s++)
        {
            oversoldAnswers += Math.Max(0, tally.SucceededBySlot[s] - room[s]);
            // Nothing is released during a run, so room only shrinks: if the slot still had room at the end (by the
            // answers or by the store), every sold-out answer on it was given while it had room, up to that room.
            var left = Math.Max(room[s] - tally.SucceededBySlot[s], after[s].Available);
            if (tally.SoldOutBySlot[s] > 0)
                undersold += Math.Min(tally.SoldOutBySlot[s], Math.Max(0, left));
        }

        return new ScenarioResult(Strategy, Coalesce, scenario, $"{clients} clients", tally, oversoldStore, oversoldAnswers,
            undersold, stats, cpu);
    }

    public async ValueTask DisposeAsync() => await _system.DisposeAsync();
}
