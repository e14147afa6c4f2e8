using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapr.Client;
using DaprReservations.BuildingBlocks;
using DaprReservations.Testing;
using LocalSidecar.Actors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Reservation.Domain;

namespace Reservation.Tests.System;

public sealed record LedgerRow(int Capacity, int Booked, long LastFencingToken, int BookingCount, int BookingQuantity, IReadOnlySet<string> BookedHoldIds);

/// <summary>A running catalog + reservation pair, with readers that look at the stores themselves, not the responses.</summary>
public sealed class ReservationSystem(DaprSystem system, string strategy, string ledgerPath) : IAsyncDisposable
{
    public string Strategy { get; } = strategy;

    /// <summary>The reservation API as a customer who is also admin (admin endpoints, confirm via the internal-caller list).</summary>
    public HttpClient Api { get; } = system.Invoke("reservation", TestIdentity.Admin, admin: true);

    public HttpClient Catalog { get; } = system.Invoke("catalog", TestIdentity.Admin, admin: true);

    /// <summary>The reservation API as another customer.</summary>
    public HttpClient As(string customer) => system.Invoke("reservation", customer);

    public string Logs => system.Logs("reservation");

    /// <summary>Creates a catalog resource and one slot through the catalog's admin API; returns the slot id.</summary>
    public async Task<string> CreateSlotAsync(int capacity)
    {
        var resource = await Catalog.PostAsJsonAsync("admin/resources", new { kind = "event", name = $"race {Guid.NewGuid():N}", description = "race test" });
        resource.EnsureSuccessStatusCode();
        var resourceId = (await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var start = DateTimeOffset.UtcNow.AddDays(7);
        var slot = await Catalog.PostAsJsonAsync($"admin/resources/{resourceId}/slots",
            new { start, end = start.AddHours(2), capacity, price = 10m });
        slot.EnsureSuccessStatusCode();
        return (await slot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>One hold on a slot of its own first, so a measured run does not include JIT and first connections.</summary>
    public async Task WarmUpAsync()
    {
        var warmSlot = await CreateSlotAsync(capacity: 5);
        (await PlaceAsync(warmSlot, 1, idempotencyKey: null)).EnsureSuccessStatusCode();
        (await AvailabilityAsync(warmSlot)).GetProperty("held").GetInt32().Should().Be(1);
    }

    /// <summary>The slot state exactly as the reservation app stored it (state key or actor state), read through its own sidecar.</summary>
    public async Task<SlotState?> ReadSlotStateAsync(string slotId)
    {
        var http = system.SidecarHttp("reservation");
        var response = await http.GetAsync(Strategy == "actor"
            ? $"v1.0/actors/SlotActor/{slotId}/state/slot"
            : $"v1.0/state/statestore/slot:{slotId}");
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        return body.Length == 0 ? null : JsonSerializer.Deserialize<SlotState>(body, DaprReservationsJson.Options);
    }

    /// <summary>Loses the slot's hot state, as a Redis flush or failover without persistence would.</summary>
    public async Task DeleteSlotStateAsync(string slotId)
    {
        var response = await system.SidecarHttp("reservation").DeleteAsync($"v1.0/state/statestore/slot:{slotId}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The SQL ledger row and bookings of a slot, read from the database file.</summary>
    public async Task<LedgerRow?> ReadLedgerAsync(string slotId)
    {
        await using var connection = new SqliteConnection($"Data Source={ledgerPath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var slot = connection.CreateCommand();
        slot.CommandText = "SELECT Capacity, Booked, LastFencingToken FROM SlotLedger WHERE SlotId = $s";
        slot.Parameters.AddWithValue("$s", slotId);
        await using var reader = await slot.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        var (capacity, booked, token) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2));

        await using var bookings = connection.CreateCommand();
        bookings.CommandText = "SELECT HoldId, Quantity FROM Booking WHERE SlotId = $s AND RevokedAt IS NULL";
        bookings.Parameters.AddWithValue("$s", slotId);
        await using var rows = await bookings.ExecuteReaderAsync();
        var ids = new HashSet<string>();
        var count = 0;
        var quantity = 0;
        while (await rows.ReadAsync())
        {
            ids.Add(rows.GetString(0));
            count++;
            quantity += rows.GetInt32(1);
        }

        return new LedgerRow(capacity, booked, token, count, quantity, ids);
    }

    public async Task<JsonElement> AvailabilityAsync(string slotId) =>
        await Api.GetFromJsonAsync<JsonElement>($"slots/{slotId}/availability");

    public async Task<JsonElement> StatsAsync() => await Api.GetFromJsonAsync<JsonElement>("admin/stats");

    public static long Stat(JsonElement stats, string name) => stats.GetProperty(name).GetInt64();

    /// <summary>
    /// Places a hold as <paramref name="customer"/>, or, when none is named, as a buyer of its own (a new customer per
    /// call: crowds are many people, and one identity would meet the per-customer caps).
    /// </summary>
    public Task<HttpResponseMessage> PlaceAsync(string slotId, int quantity, string? idempotencyKey, string? customer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "holds") { Content = JsonContent.Create(new { slotId, quantity }) };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        // A request's own Authorization wins over the client's default (the admin's).
        request.Headers.Authorization = TestIdentity.Bearer(customer ?? NewCustomer());
        return Api.SendAsync(request);
    }

    public static string NewCustomer() => $"buyer-{Guid.NewGuid():N}";

    /// <summary>A customer's overall count (<c>customer-holds:</c> key) exactly as the reservation app stored it.</summary>
    public async Task<CustomerHolds?> ReadCustomerHoldsAsync(string customer)
    {
        var key = Uri.EscapeDataString($"customer-holds:{Uri.EscapeDataString(customer)}");
        var response = await system.SidecarHttp("reservation").GetAsync($"v1.0/state/statestore/{key}");
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        return body.Length == 0 ? null : JsonSerializer.Deserialize<CustomerHolds>(body, DaprReservationsJson.Options);
    }

    /// <summary>An SDK client on the reservation app's own sidecar: state keys it reads and writes are the app's.</summary>
    public DaprClient CreateDaprClient() => system.SidecarClient("reservation", DaprReservationsJson.Options);

    /// <summary>Whether the reservation sidecar's actor runtime has the slot's actor active (in memory) right now.</summary>
    public bool IsSlotActorActive(string slotId) =>
        system.Sidecar("reservation").Services.GetRequiredService<ActorRuntime>().IsActive("SlotActor", slotId);

    /// <summary>The reservation API without a token (availability is public).</summary>
    public HttpClient Anonymous { get; } = system.Invoke("reservation");

    /// <summary>Every key in the run's Redis (shared by every system of the run), or none on the embedded backend.</summary>
    public async Task<IReadOnlyList<string>> RedisKeysAsync()
    {
        if (system.Redis is not { } redis)
            return [];
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Host);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pageSize: 1000))
            keys.Add(key.ToString());
        return keys;
    }

    /// <summary>
    /// Every <c>reservation.hold-released</c> event in the run's Redis stream (shared by every system of the run:
    /// filter by hold id), as (hold id, reason).
    /// </summary>
    public async Task<IReadOnlyList<(string HoldId, string Reason)>> ReleasedEventsAsync()
    {
        if (system.Redis is not { } redis)
            return [];
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Host);
        var entries = await connection.GetDatabase().StreamRangeAsync(DaprReservations.BuildingBlocks.Topology.Topics.HoldReleased);
        return entries.Select(entry => JsonDocument.Parse(entry["data"].ToString()).RootElement)
            .Select(cloudEvent => cloudEvent.TryGetProperty("data", out var data) ? data : cloudEvent)
            .Select(data => (data.GetProperty("holdId").GetString()!, data.GetProperty("reason").GetString()!))
            .ToList();
    }

    public Task<HttpResponseMessage> ConfirmAsync(string holdId) => Api.PostAsync($"holds/{holdId}/confirm", content: null);

    public Task<HttpResponseMessage> ReleaseAsync(string holdId) => Api.DeleteAsync($"holds/{holdId}");

    public Task<HttpResponseMessage> RevokeAsync(string holdId) => Api.PostAsync($"holds/{holdId}/revoke", content: null);

    /// <summary>
    /// Delivers an event to this system's reservation app as its sidecar would (a CloudEvent on the subscription route).
    /// Not through the broker: every reservation system of the run shares one Redis and one app id, hence one consumer
    /// group, so a published event could be handed to another system's app.
    /// </summary>
    public async Task DeliverAsync<T>(string topic, T data)
    {
        using var response = await CloudEventDelivery.PostAsync(system.AsSidecar("reservation"), $"events/{topic}", topic, data, Guid.NewGuid().ToString("N"));
        response.EnsureSuccessStatusCode();
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => system.DisposeAsync();
}
