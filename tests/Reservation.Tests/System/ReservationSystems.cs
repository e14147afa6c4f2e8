using System.Collections.Concurrent;
using DaprReservations.Testing;

namespace Reservation.Tests.System;

/// <summary>
/// One running system (catalog + reservation, each with its sidecar) per strategy and backend, started on first use
/// and shared by every race test of that combination.
/// </summary>
public sealed class ReservationSystems : IAsyncLifetime
{
    /// <summary>
    /// Hold lifetime of the systems for tests that wait holds out (<c>shortHolds: true</c>). Every other test gets
    /// <see cref="HoldTtl"/>, long enough that a busy 2-core machine (the whole suite running side by side) never
    /// expires a hold between its placement and its confirm: seen taking over 15 s for 200 holds on the actor strategy.
    /// </summary>
    public static readonly TimeSpan ShortHoldTtl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan HoldTtl = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The abuse limits every system runs with, stated here so tests can count on them: the shipped caps per customer,
    /// and fewer kept settled holds than the shipped 500 so the test of that cap needs few holds.
    /// </summary>
    public static readonly ReservationLimits Limits = new() { MaxHeldPerSlot = 10, MaxHeldPerCustomer = 50, MaxSettledPerSlot = 100 };

    private readonly ConcurrentDictionary<(string, SidecarBackend, bool, bool), Lazy<Task<ReservationSystem>>> systems = new();

    public Task<ReservationSystem> GetAsync(string strategy, SidecarBackend backend, bool coalesce = true, bool shortHolds = false) =>
        systems.GetOrAdd((strategy, backend, coalesce, shortHolds),
            key => new Lazy<Task<ReservationSystem>>(() => StartAsync(key.Item1, key.Item2, key.Item3, key.Item4 ? ShortHoldTtl : HoldTtl))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var system in systems.Values.Where(lazy => lazy.IsValueCreated))
        {
            try
            {
                await (await system.Value).DisposeAsync();
            }
            catch (Exception)
            {
                // A system that failed to start has nothing to dispose; its test already reported why.
            }
        }
    }

    private static async Task<ReservationSystem> StartAsync(string strategy, SidecarBackend backend, bool coalesce, TimeSpan holdTtl)
    {
        var system = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = backend,
            Apps =
            [
                new AppSpec("catalog", "services/catalog", "Catalog.dll", Env: new()
                {
                    ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db",
                }),
                new AppSpec("reservation", "services/reservation", "Reservation.dll", Env: new()
                {
                    ["ConnectionStrings__reservation"] = "Data Source={data}/reservation.db",
                    ["Reservation__Strategy"] = strategy,
                    ["Reservation__Coalesce"] = coalesce ? "true" : "false",
                    ["Reservation__HoldTtl"] = holdTtl.ToString(),
                    ["Reservation__SweepInterval"] = SweepInterval.ToString(),
                    ["Reservation__ConfirmGrace"] = "00:00:02",
                    ["Reservation__Limits__MaxHeldPerSlot"] = ReservationSystem.Text(Limits.MaxHeldPerSlot),
                    ["Reservation__Limits__MaxHeldPerCustomer"] = ReservationSystem.Text(Limits.MaxHeldPerCustomer),
                    ["Reservation__Limits__MaxSettledPerSlot"] = ReservationSystem.Text(Limits.MaxSettledPerSlot),
                    // The tests confirm holds themselves, as the ordering service would.
                    ["Auth__InternalCallers__0"] = "ordering",
                    ["Auth__InternalCallers__1"] = DaprSystem.TesterAppId,
                }),
            ],
        });
        return new ReservationSystem(system, strategy, Path.Combine(system.DataDirectory, "reservation.db"));
    }
}

/// <summary>
/// Every system test shares one set of running systems and runs one at a time: on a 2-core machine two matrices in
/// parallel would measure each other, not the service.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReservationSystemCollection : ICollectionFixture<ReservationSystems>
{
    public const string Name = "reservation-system";
}
