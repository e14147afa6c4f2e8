using Dapr.Client;
using DaprReservations.BuildingBlocks;
using DaprReservations.Testing;
using LocalSidecar.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Reservation.Application;
using Reservation.Domain;
using Reservation.Infrastructure.State;

namespace Reservation.Tests.State;

/// <summary>
/// One contract for every slot-store adapter, run in-process against the local sidecar's embedded backend (one
/// sidecar in this test process, no app processes), in the style of wild-workouts' repository tests: what the
/// application may count on whichever strategy guards the write. The multi-process race matrix (System/) adds the
/// real Redis and the HTTP edge on top.
/// </summary>
public abstract class SlotStoreContract(EmbeddedSidecar sidecar)
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected ISlotStore Store => store ??= Build(sidecar.Dapr, Seeder, Clock);

    private ISlotStore? store;

    private CapacitySeeder Seeder { get; } = new();

    protected abstract ISlotStore Build(DaprClient dapr, ISlotSeeder seeder, TimeProvider clock);

    protected static IOptions<ReservationOptions> Options(bool coalesce) => Microsoft.Extensions.Options.Options.Create(
        new ReservationOptions { Coalesce = coalesce, MaxAttempts = 50, BaseDelay = TimeSpan.FromMilliseconds(2), MaxDelay = TimeSpan.FromMilliseconds(20) });

    protected static IOptions<ReservationLimits> Limits { get; } = Microsoft.Extensions.Options.Options.Create(new ReservationLimits());

    private string NewSlot(int capacity)
    {
        var slotId = Guid.NewGuid().ToString();
        Seeder.Capacities[slotId] = capacity;
        return slotId;
    }

    private Task<Decision<PlaceHoldOutcome>> PlaceAsync(string slotId, int quantity = 1, string? key = null, string customer = "c") =>
        Store.UpdateAsync(slotId, new PlaceHoldCommand(Guid.NewGuid().ToString("N"), quantity, key, Ttl, customer), CancellationToken.None);

    [Fact]
    public async Task Concurrent_placements_fill_the_slot_exactly_and_never_beyond()
    {
        var slotId = NewSlot(capacity: 25);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => PlaceAsync(slotId, customer: $"c{i}"))));

        decisions.Count(d => d.Outcome is PlaceHoldOutcome.Placed).Should().Be(25);
        decisions.Count(d => d.Outcome is PlaceHoldOutcome.SoldOut).Should().Be(15);
        var (state, _) = await Store.GetAsync(slotId, CancellationToken.None);
        state!.Held.Should().Be(25);
        state.Available.Should().Be(0);
    }

    [Fact]
    public async Task A_retried_placement_gets_the_hold_it_created_not_a_second_one()
    {
        var slotId = NewSlot(capacity: 5);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PlaceAsync(slotId, 2, key: "same-key"))));

        decisions.Select(d => ((PlaceHoldOutcome.Placed)d.Outcome).Hold.HoldId).Distinct().Should().ContainSingle();
        decisions.Count(d => d.Outcome is PlaceHoldOutcome.Placed { Replayed: false }).Should().Be(1);
        (await Store.GetAsync(slotId, CancellationToken.None)).State!.Held.Should().Be(2);
    }

    [Fact]
    public async Task Concurrent_releases_of_one_hold_return_its_quantity_once()
    {
        var slotId = NewSlot(capacity: 5);
        var hold = ((PlaceHoldOutcome.Placed)(await PlaceAsync(slotId, 3)).Outcome).Hold;

        var releases = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Task.Run(() => Store.UpdateAsync(slotId, new ReleaseCommand(hold.HoldId), CancellationToken.None))));

        releases.Count(r => r.Outcome.Outcome.Released is not null).Should().Be(1);
        (await Store.GetAsync(slotId, CancellationToken.None)).State!.Available.Should().Be(5);
    }

    [Fact]
    public async Task A_confirm_in_two_halves_books_once_under_a_growing_fencing_token()
    {
        var slotId = NewSlot(capacity: 5);
        var hold = ((PlaceHoldOutcome.Placed)(await PlaceAsync(slotId, 2)).Outcome).Hold;
        var before = (await Store.GetAsync(slotId, CancellationToken.None)).State!.FencingToken;

        var begin = await Store.UpdateAsync(slotId, new BeginConfirmCommand(hold.HoldId), CancellationToken.None);
        var first = await Store.UpdateAsync(slotId, new CompleteConfirmCommand(hold.HoldId), CancellationToken.None);
        var second = await Store.UpdateAsync(slotId, new CompleteConfirmCommand(hold.HoldId), CancellationToken.None);

        begin.Outcome.Should().BeOfType<BeginConfirmOutcome.Fenced>().Which.Token.Should().BeGreaterThan(before);
        first.Outcome.Hold.Should().NotBeNull();
        second.Outcome.Hold.Should().BeNull("a second completion changes nothing");
        var state = (await Store.GetAsync(slotId, CancellationToken.None)).State!;
        (state.Booked, state.Held, state.Available).Should().Be((2, 0, 3));
    }

    [Fact]
    public async Task An_expired_hold_is_pruned_by_the_next_write_and_listed_by_that_write_only()
    {
        var slotId = NewSlot(capacity: 3);
        var first = ((PlaceHoldOutcome.Placed)(await PlaceAsync(slotId, 3)).Outcome).Hold;
        Clock.Advance(Ttl + TimeSpan.FromSeconds(1));

        var next = await PlaceAsync(slotId, 1);
        var after = await PlaceAsync(slotId, 1);

        next.Outcome.Should().BeOfType<PlaceHoldOutcome.Placed>("the expired hold's seats came back");
        next.Expired.Select(h => h.HoldId).Should().Equal(first.HoldId);
        after.Expired.Should().BeEmpty("an expired hold is listed by exactly one committed write");
    }

    private sealed class CapacitySeeder : ISlotSeeder
    {
        public global::System.Collections.Concurrent.ConcurrentDictionary<string, int> Capacities { get; } = new();

        public Task<SlotState?> SeedAsync(string slotId, CancellationToken cancellationToken) =>
            Task.FromResult(Capacities.TryGetValue(slotId, out var capacity) ? SlotState.Create(slotId, capacity) : null);
    }
}

public sealed class EtagStoreContract(EmbeddedSidecar sidecar) : SlotStoreContract(sidecar), IClassFixture<EmbeddedSidecar>
{
    protected override ISlotStore Build(DaprClient dapr, ISlotSeeder seeder, TimeProvider clock) => new CoalescingSlotStore(
        new EtagSlotWriteStrategy(dapr, seeder, new SlotStoreStats(), Options(coalesce: false)),
        dapr, clock, new SlotStoreStats(), Options(coalesce: false), Limits, NullLogger<CoalescingSlotStore>.Instance);
}

public sealed class CoalescingEtagStoreContract(EmbeddedSidecar sidecar) : SlotStoreContract(sidecar), IClassFixture<EmbeddedSidecar>
{
    protected override ISlotStore Build(DaprClient dapr, ISlotSeeder seeder, TimeProvider clock) => new CoalescingSlotStore(
        new EtagSlotWriteStrategy(dapr, seeder, new SlotStoreStats(), Options(coalesce: true)),
        dapr, clock, new SlotStoreStats(), Options(coalesce: true), Limits, NullLogger<CoalescingSlotStore>.Instance);
}

public sealed class LockStoreContract(EmbeddedSidecar sidecar) : SlotStoreContract(sidecar), IClassFixture<EmbeddedSidecar>
{
    protected override ISlotStore Build(DaprClient dapr, ISlotSeeder seeder, TimeProvider clock) => new CoalescingSlotStore(
        new LockSlotWriteStrategy(dapr, seeder, new SlotStoreStats(), Options(coalesce: false), NullLogger<LockSlotWriteStrategy>.Instance),
        dapr, clock, new SlotStoreStats(), Options(coalesce: false), Limits, NullLogger<CoalescingSlotStore>.Instance);
}

/// <summary>One local sidecar in the test process on the embedded backend (statestore, lockstore), no app behind it.</summary>
public sealed class EmbeddedSidecar : IAsyncLifetime
{
    private readonly LocalCluster cluster = new(BackendKind.Memory);
    private readonly string components = Directory.CreateTempSubdirectory("slot-store-contract-").FullName;
    private SidecarInstance? sidecar;

    public DaprClient Dapr { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SystemComponents.Write(components, "embedded:6379", []);
        sidecar = await SidecarInstance.StartAsync(new SidecarOptions
        {
            AppId = "reservation",
            HttpPort = 0, // free ports: the defaults are daprd's 3500/50001
            GrpcPort = 0,
            ResourcesPaths = [components],
            Backend = BackendKind.Memory,
        }, cluster);
        Dapr = new DaprClientBuilder().UseHttpEndpoint(sidecar.HttpEndpoint).UseGrpcEndpoint(sidecar.GrpcEndpoint)
            .UseJsonSerializationOptions(DaprReservationsJson.Options).Build();
    }

    public async Task DisposeAsync()
    {
        Dapr?.Dispose();
        if (sidecar is not null)
            await sidecar.DisposeAsync();
        await cluster.DisposeAsync();
        Directory.Delete(components, recursive: true);
    }
}
