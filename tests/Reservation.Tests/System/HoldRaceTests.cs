using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Reservation.Domain;
using Xunit.Abstractions;

namespace Reservation.Tests.System;

/// <summary>
/// The race matrix: every claim runs against every strategy and backend, through sidecars, and is checked from the
/// hot store (Redis, or the embedded backend) and the SQL ledger afterwards.
/// </summary>
[Collection(ReservationSystemCollection.Name)]
public sealed class HoldRaceTests(ReservationSystems systems, ITestOutputHelper output)
{
    public static TheoryData<string, SidecarBackend> Matrix() => new()
    {
        { "etag", SidecarBackend.Redis },
        { "lock", SidecarBackend.Redis },
        { "etag", SidecarBackend.Memory },
        { "lock", SidecarBackend.Memory },
        { "actor", SidecarBackend.Redis },
        { "actor", SidecarBackend.Memory },
    };

    /// <summary>
    /// The slow, clock-bound tests (they wait out hold lifetimes) run on Redis, the production backend, only: the
    /// embedded backend's decisions are the same code paths, proven equal by the conformance suite and by the fast
    /// tests above, which run on both.
    /// </summary>
    public static TheoryData<string, SidecarBackend> RedisMatrix() => new()
    {
        { "etag", SidecarBackend.Redis },
        { "lock", SidecarBackend.Redis },
        { "actor", SidecarBackend.Redis },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Two_hundred_concurrent_holds_on_fifty_seats_sell_exactly_fifty(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend);
        var slotId = await system.CreateSlotAsync(capacity: 50);
        await system.WarmUpAsync();
        var before = await system.StatsAsync();

        var clock = Stopwatch.StartNew();
        var responses = await Race.RunAsync(200, index => system.PlaceAsync(slotId, 1, $"buyer-{index}"));
        clock.Stop();
        var after = await system.StatsAsync();

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Report(strategy, backend, clock.Elapsed, before, after, statuses);
        statuses.Count(s => s == HttpStatusCode.Created).Should().Be(50, system.Logs);
        statuses.Count(s => s == HttpStatusCode.Conflict).Should().Be(150);
        var soldOut = await responses.First(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>();
        soldOut.GetProperty("available").GetInt32().Should().Be(0);

        var held = await system.ReadSlotStateAsync(slotId);
        held!.Available.Should().Be(0);
        held.ActiveHolds.Should().HaveCount(50);
        (await system.AvailabilityAsync(slotId)).GetProperty("available").GetInt32().Should().Be(0);

        var winners = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created)
            .Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!));
        var confirms = await Race.RunAsync(winners.Length, index => system.ConfirmAsync(winners[index]));
        confirms.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK, system.Logs);

        var state = await system.ReadSlotStateAsync(slotId);
        var ledger = await system.ReadLedgerAsync(slotId);
        state!.Booked.Should().Be(50);
        state.Held.Should().Be(0);
        ledger!.Booked.Should().Be(50, "SQL and the hot store agree");
        ledger.BookingQuantity.Should().Be(50);
        ledger.BookedHoldIds.Should().BeEquivalentTo(winners);
        ledger.LastFencingToken.Should().BeLessThanOrEqualTo(state.FencingToken);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task The_same_idempotency_key_sent_twenty_times_at_once_creates_one_hold(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend);
        var slotId = await system.CreateSlotAsync(capacity: 10);
        var customer = ReservationSystem.NewCustomer();

        var responses = await Race.RunAsync(20, _ => system.PlaceAsync(slotId, 2, "one-checkout", customer));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created, system.Logs);
        var holdIds = await Task.WhenAll(responses.Select(async r =>
            (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()));
        holdIds.Distinct().Should().ContainSingle();
        var state = await system.ReadSlotStateAsync(slotId);
        state!.Holds.Should().ContainSingle(h => h.IdempotencyKey == "one-checkout");
        state.Available.Should().Be(8);
        var counted = await system.ReadCustomerHoldsAsync(customer);
        counted!.Holds.Should().ContainSingle("the replays are counted against the customer's overall cap once")
            .Which.HoldId.Should().Be(holdIds[0]);
    }

    [Theory]
    [MemberData(nameof(RedisMatrix))]
    public async Task Confirms_racing_expiry_book_only_holds_that_had_not_expired(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend, shortHolds: true);
        var slotId = await system.CreateSlotAsync(capacity: 20);
        var placed = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            await (await system.PlaceAsync(slotId, 1, $"e-{i}")).Content.ReadFromJsonAsync<JsonElement>()));
        var holds = placed.Select(p => (Id: p.GetProperty("holdId").GetString()!, ExpiresAt: p.GetProperty("expiresAt").GetDateTimeOffset())).ToList();

        // Fire each confirm somewhere in a window of ±400 ms around its hold's expiry.
        var random = new Random(7);
        var offsets = holds.Select(_ => TimeSpan.FromMilliseconds(random.Next(-400, 400))).ToList();
        var confirms = await Task.WhenAll(holds.Select(async (hold, i) =>
        {
            var wait = hold.ExpiresAt + offsets[i] - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            return (hold.Id, (await system.ConfirmAsync(hold.Id)).StatusCode);
        }));
        await Task.Delay(ReservationSystems.SweepInterval * 4 + TimeSpan.FromSeconds(2));

        confirms.Select(c => c.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict, system.Logs);
        var confirmedIds = confirms.Where(c => c.StatusCode == HttpStatusCode.OK).Select(c => c.Id).ToHashSet();
        var state = await system.ReadSlotStateAsync(slotId);
        var ledger = await system.ReadLedgerAsync(slotId);
        output.WriteLine($"{strategy}/{backend}: {confirmedIds.Count} of 20 confirmed around expiry");

        ledger!.BookedHoldIds.Should().BeEquivalentTo(confirmedIds, "a 200 means booked in SQL, a 409 means not booked");
        foreach (var hold in state!.Holds.Where(h => holds.Any(x => x.Id == h.HoldId)))
            hold.Status.Should().Be(confirmedIds.Contains(hold.HoldId) ? HoldStatus.Confirmed : HoldStatus.Expired);
        state.Booked.Should().Be(confirmedIds.Count);
        ledger.Booked.Should().Be(confirmedIds.Count);
        state.Available.Should().Be(20 - confirmedIds.Count, "every expired hold gave its seat back, once");
    }

    private void Report(string strategy, SidecarBackend backend, TimeSpan elapsed, JsonElement before, JsonElement after,
        IReadOnlyCollection<HttpStatusCode> statuses)
    {
        long Delta(string name) => ReservationSystem.Stat(after, name) - ReservationSystem.Stat(before, name);
        output.WriteLine(
            $"MEASURE 200-vs-50 {strategy}/{backend}: {elapsed.TotalMilliseconds:F0} ms; writes {Delta("writes")}, " +
            $"conflicts {Delta("conflicts")}, lockBusy {Delta("lockBusy")}, exhausted {Delta("exhausted")}, " +
            $"batches {Delta("batches")} for {Delta("decisions")} decisions; " +
            string.Join(", ", statuses.GroupBy(s => (int)s).Select(g => $"{g.Key}×{g.Count()}")));
    }
}
