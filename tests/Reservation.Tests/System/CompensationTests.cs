using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;
using Reservation.Domain;

namespace Reservation.Tests.System;

/// <summary>
/// Saga compensation on the reservation side: a booking taken back returns its seats exactly once, and an order that
/// ends unconfirmed gives back every hold it had, whatever state each was in.
/// </summary>
[Collection(ReservationSystemCollection.Name)]
public sealed class CompensationTests(ReservationSystems systems)
{
    public static TheoryData<string> Strategies() => new() { "etag", "lock", "actor" };

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Twenty_concurrent_revokes_of_one_booking_return_its_seats_once(string strategy)
    {
        var system = await systems.GetAsync(strategy, SidecarBackend.Redis);
        var slotId = await system.CreateSlotAsync(capacity: 10);
        var holdId = await PlaceAsync(system, slotId, 4);
        var bystander = await PlaceAsync(system, slotId, 3);
        (await system.ConfirmAsync(holdId)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await system.ConfirmAsync(bystander)).StatusCode.Should().Be(HttpStatusCode.OK);

        var revokes = await Race.RunAsync(20, _ => system.RevokeAsync(holdId));

        revokes.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK, system.Logs);
        var ledger = await system.ReadLedgerAsync(slotId);
        ledger!.Booked.Should().Be(3, "the ledger returned the 4 seats once and kept the other booking");
        ledger.BookedHoldIds.Should().BeEquivalentTo([bystander]);
        var state = await system.ReadSlotStateAsync(slotId);
        state!.Booked.Should().Be(3);
        state.Find(holdId)!.Status.Should().Be(HoldStatus.Revoked);
        state.Available.Should().Be(7);
    }

    [Fact]
    public async Task A_revoked_hold_can_never_be_confirmed_again()
    {
        var system = await systems.GetAsync("etag", SidecarBackend.Redis);
        var slotId = await system.CreateSlotAsync(capacity: 5);
        var holdId = await PlaceAsync(system, slotId, 2);
        (await system.ConfirmAsync(holdId)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await system.RevokeAsync(holdId)).StatusCode.Should().Be(HttpStatusCode.OK);

        var again = await system.ConfirmAsync(holdId);

        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await system.ReadLedgerAsync(slotId))!.Booked.Should().Be(0);
    }

    [Fact]
    public async Task A_cancelled_order_event_releases_its_active_holds_and_revokes_its_bookings_even_when_delivered_twice()
    {
        var system = await systems.GetAsync("etag", SidecarBackend.Redis);
        var slotId = await system.CreateSlotAsync(capacity: 10);
        var active = await PlaceAsync(system, slotId, 2);
        var booked = await PlaceAsync(system, slotId, 3);
        var untouched = await PlaceAsync(system, slotId, 1);
        (await system.ConfirmAsync(booked)).StatusCode.Should().Be(HttpStatusCode.OK);
        var closed = new OrderClosed($"order-{Guid.NewGuid():N}", TestIdentity.Admin, "cancelled", "customer", Paid: true, 50m,
            [new OrderLineSnapshot(active, slotId, 2), new OrderLineSnapshot(booked, slotId, 3)]);

        await system.DeliverAsync(Topics.OrderCancelled, closed);
        await system.DeliverAsync(Topics.OrderCancelled, closed);

        await Eventually.Async(async () =>
        {
            var state = await system.ReadSlotStateAsync(slotId);
            state!.Find(active)!.Status.Should().Be(HoldStatus.Released);
            state.Find(booked)!.Status.Should().Be(HoldStatus.Revoked);
        });
        var after = await system.ReadSlotStateAsync(slotId);
        after!.Find(untouched)!.Status.Should().Be(HoldStatus.Active, "holds outside the order stay");
        after.Booked.Should().Be(0);
        after.Available.Should().Be(9);
        (await system.ReadLedgerAsync(slotId))!.Booked.Should().Be(0);
    }

    [Fact]
    public async Task A_customer_sees_and_releases_only_their_own_holds()
    {
        var system = await systems.GetAsync("etag", SidecarBackend.Redis);
        var slotId = await system.CreateSlotAsync(capacity: 5);
        var alice = system.As("alice");
        var bob = system.As("bob");
        var placed = await alice.PostAsJsonAsync("holds", new { slotId, quantity = 1 });
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        var holdId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString();

        (await alice.GetAsync($"holds/{holdId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await bob.GetAsync($"holds/{holdId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await bob.DeleteAsync($"holds/{holdId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await system.ReadSlotStateAsync(slotId))!.Find(holdId!)!.Status.Should().Be(HoldStatus.Active, "bob changed nothing");
    }

    private static async Task<string> PlaceAsync(ReservationSystem system, string slotId, int quantity)
    {
        var response = await system.PlaceAsync(slotId, quantity, idempotencyKey: null);
        response.StatusCode.Should().Be(HttpStatusCode.Created, system.Logs);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!;
    }
}
