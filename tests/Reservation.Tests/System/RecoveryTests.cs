using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;

namespace Reservation.Tests.System;

/// <summary>BRIEF §3.5: confirmed bookings survive the loss of the hot store, and availability is rebuilt from SQL.</summary>
[Collection(ReservationSystemCollection.Name)]
public sealed class RecoveryTests(ReservationSystems systems)
{
    public static TheoryData<string, SidecarBackend> Matrix() => new()
    {
        { "etag", SidecarBackend.Redis },
        { "lock", SidecarBackend.Redis },
        { "etag", SidecarBackend.Memory },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task A_lost_slot_state_is_rebuilt_from_the_ledger_with_every_confirmed_booking(string strategy, SidecarBackend backend)
    {
        var system = await systems.GetAsync(strategy, backend);
        var slotId = await system.CreateSlotAsync(capacity: 10);
        var holdIds = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var placed = await system.PlaceAsync(slotId, 1, $"r-{i}");
            holdIds.Add((await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!);
        }

        foreach (var holdId in holdIds.Take(3))
            (await system.ConfirmAsync(holdId)).StatusCode.Should().Be(HttpStatusCode.OK);
        var tokenBefore = (await system.ReadSlotStateAsync(slotId))!.FencingToken;

        await system.DeleteSlotStateAsync(slotId);
        var rebuilt = await system.AvailabilityAsync(slotId);

        rebuilt.GetProperty("booked").GetInt32().Should().Be(3, "confirmed bookings live in SQL");
        rebuilt.GetProperty("held").GetInt32().Should().Be(0, "holds lived only in the lost state");
        rebuilt.GetProperty("available").GetInt32().Should().Be(7);
        var state = await system.ReadSlotStateAsync(slotId);
        var ledger = await system.ReadLedgerAsync(slotId);
        state!.Booked.Should().Be(ledger!.Booked);
        state.FencingToken.Should().BeGreaterThanOrEqualTo(ledger.LastFencingToken, "tokens stay monotonic for SQL after a rebuild");
        (await system.ConfirmAsync(holdIds[3])).StatusCode.Should().Be(HttpStatusCode.Conflict, "the lost hold cannot be confirmed");
        (await system.ReadLedgerAsync(slotId))!.Booked.Should().Be(3);

        var reconciled = await (await system.Api.PostAsync($"admin/slots/{slotId}/reconcile", content: null)).Content.ReadFromJsonAsync<JsonElement>();
        reconciled.GetProperty("booked").GetInt32().Should().Be(3);
        reconciled.GetProperty("available").GetInt32().Should().Be(7);
        tokenBefore.Should().BeGreaterThan(0);
    }
}
