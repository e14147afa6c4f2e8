using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Reservation.Domain;
using Xunit.Abstractions;

namespace Reservation.Tests.System;

/// <summary>
/// Holds, releases and confirms from many workers at once, then every hold left to expire; BRIEF §3's invariants are
/// checked afterwards from the hot store and the SQL ledger together.
/// </summary>
[Collection(ReservationSystemCollection.Name)]
public sealed class HoldStormTests(ReservationSystems systems, ITestOutputHelper output)
{
    private const int Capacity = 30;

    [Theory]
    [MemberData(nameof(HoldRaceTests.RedisMatrix), MemberType = typeof(HoldRaceTests))]
    public async Task A_storm_of_holds_releases_confirms_and_expiries_keeps_every_invariant(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend, shortHolds: true);
        var slotId = await system.CreateSlotAsync(Capacity);
        var placed = new ConcurrentDictionary<string, int>();
        var released = new ConcurrentBag<string>();
        var confirmed = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<string>();
        await system.WarmUpAsync();
        var stormEnds = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3);

        await Race.RunAsync(12, async worker =>
        {
            var random = new Random(worker);
            var mine = new List<string>();
            for (var step = 0; DateTimeOffset.UtcNow < stormEnds; step++)
            {
                var roll = random.Next(10);
                if (roll < 5 || mine.Count == 0)
                {
                    var quantity = random.Next(1, 4);
                    var response = await system.PlaceAsync(slotId, quantity, $"w{worker}-{step}");
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var holdId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!;
                        placed[holdId] = quantity;
                        mine.Add(holdId);
                    }
                    else if (response.StatusCode != HttpStatusCode.Conflict)
                        unexpected.Add($"place {(int)response.StatusCode}");
                    continue;
                }

                var target = mine[random.Next(mine.Count)];
                mine.Remove(target);
                if (roll < 7)
                {
                    var response = await system.ReleaseAsync(target);
                    if (response.StatusCode == HttpStatusCode.NoContent)
                        released.Add(target);
                    else
                        unexpected.Add($"release {(int)response.StatusCode}");
                }
                else
                {
                    var response = await system.ConfirmAsync(target);
                    if (response.StatusCode == HttpStatusCode.OK)
                        confirmed.Add(target);
                    else
                        unexpected.Add($"confirm {(int)response.StatusCode}");
                }
            }

            return 0;
        });

        // Everything still held expires: the sweeper must find it without any further write to the slot.
        await Task.Delay(ReservationSystems.ShortHoldTtl + ReservationSystems.SweepInterval * 4 + TimeSpan.FromSeconds(1));
        var state = await system.ReadSlotStateAsync(slotId);
        var ledger = await system.ReadLedgerAsync(slotId);
        output.WriteLine($"{strategy}/{backend}: {placed.Count} placed, {released.Count} released, {confirmed.Count} confirmed, " +
            $"booked {ledger!.Booked}/{Capacity}");

        unexpected.Should().BeEmpty(system.Logs);
        placed.Should().NotBeEmpty();
        state!.Held.Should().Be(0, "every hold is settled: confirmed, released or expired");
        state.Booked.Should().BeLessThanOrEqualTo(Capacity).And.Be(ledger.Booked, "the hot store agrees with SQL");
        ledger.Booked.Should().Be(ledger.BookingQuantity).And.BeLessThanOrEqualTo(Capacity);
        ledger.BookedHoldIds.Should().BeEquivalentTo(confirmed, "exactly the confirms answered 200 are booked, once each");
        ledger.BookedHoldIds.Should().NotIntersectWith(released, "a released hold is never booked");
        state.Available.Should().Be(Capacity - ledger.Booked, "released and expired quantity came back, and only once");
        foreach (var hold in state.Holds.Where(h => placed.ContainsKey(h.HoldId)))
        {
            var expected = ledger.BookedHoldIds.Contains(hold.HoldId) ? HoldStatus.Confirmed
                : released.Contains(hold.HoldId) ? HoldStatus.Released : HoldStatus.Expired;
            hold.Status.Should().Be(expected, $"hold {hold.HoldId}");
        }

        // One expiry path: every hold that ran out is announced once (whichever write or sweep pruned it), and no
        // released or booked hold is announced as expired.
        if (backend == SidecarBackend.Redis)
        {
            var expiredIds = placed.Keys.Except(released).Except(ledger.BookedHoldIds).ToHashSet();
            await Eventually.Async(async () =>
            {
                var announced = (await system.ReleasedEventsAsync()).Where(e => placed.ContainsKey(e.HoldId) && e.Reason == "expired")
                    .Select(e => e.HoldId).ToList();
                announced.Should().OnlyHaveUniqueItems("an expired hold is announced exactly once");
                announced.Should().BeEquivalentTo(expiredIds);
            }, TimeSpan.FromSeconds(10));
        }

        var settled = placed.Count - ledger.BookedHoldIds.Count; // released or expired
        state.Holds.Where(h => placed.ContainsKey(h.HoldId)).Should().HaveCount(
            ledger.BookedHoldIds.Count + Math.Min(settled, ReservationSystems.Limits.MaxSettledPerSlot),
            "bookings stay, and settled holds stay as tombstones up to the cap per slot");
    }
}
