using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Microsoft.Data.Sqlite;

namespace Ordering.Tests.System;

/// <summary>
/// The whole order path running for real: catalog, reservation, ordering and payment, each a process with its local
/// sidecar, on real Redis; each service's SQLite file is read directly to check what was stored. A redeliverer app
/// publishes every saga event a second time with the same CloudEvent id, so every test here also proves that a
/// duplicate delivery has no second effect.
/// </summary>
public sealed class SagaSystem : IAsyncLifetime
{
    public const string DeclinedCustomer = "declined";
    /// <summary>Long enough that a busy machine (parallel test assemblies on 2 cores) does not expire holds mid-saga.</summary>
    public static readonly TimeSpan HoldTtl = TimeSpan.FromSeconds(20);

    public DaprSystem Dapr { get; private set; } = null!;

    public HttpClient Admin(string app) => Dapr.Invoke(app, TestIdentity.Admin, admin: true);

    private readonly global::System.Collections.Concurrent.ConcurrentDictionary<(string, string), HttpClient> clients = new();

    /// <summary>One client per (customer, app), reused: a load test must not open a connection pool per request.</summary>
    public HttpClient As(string customer, string app) => clients.GetOrAdd((customer, app), key => Dapr.Invoke(key.Item2, key.Item1));

    public string DatabasePath(string app) => Path.Combine(Dapr.DataDirectory, app + ".db");

    public string Logs(string app) => Dapr.Logs(app);

    public async Task InitializeAsync()
    {
        Dapr = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Redis,
            Apps =
            [
                new AppSpec("catalog", "services/catalog", "Catalog.dll", Env: new() { ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db" }),
                new AppSpec("reservation", "services/reservation", "Reservation.dll", Env: new()
                {
                    ["ConnectionStrings__reservation"] = "Data Source={data}/reservation.db",
                    ["Reservation__HoldTtl"] = HoldTtl.ToString(),
                    ["Reservation__SweepInterval"] = "00:00:00.500",
                    ["Reservation__ConfirmGrace"] = "00:00:02",
                    // The load test's declined 30 % is one customer holding ~180 seats at once: per-customer caps off
                    // here (Reservation.Tests races them).
                    ["Reservation__Limits__MaxHeldPerSlot"] = "0",
                    ["Reservation__Limits__MaxHeldPerCustomer"] = "0",
                }),
                new AppSpec("ordering", "services/ordering", "Ordering.dll", Env: new()
                {
                    ["ConnectionStrings__ordering"] = "Data Source={data}/ordering.db",
                    ["Ordering__SweepInterval"] = "00:00:01",
                    ["Ordering__StalledAfter"] = "00:00:03",
                    ["Ordering__ExpiryGrace"] = "00:00:01",
                    ["Outbox__PollInterval"] = "00:00:00.500",
                }),
                new AppSpec("payment", "services/payment", "Payment.dll", Env: new()
                {
                    ["ConnectionStrings__payment"] = "Data Source={data}/payment.db",
                    ["Payment__MinLatency"] = "00:00:00.050",
                    ["Payment__MaxLatency"] = "00:00:00.250",
                    ["Payment__DeclineCustomers__0"] = DeclinedCustomer,
                    ["Outbox__PollInterval"] = "00:00:00.500",
                }),
                new AppSpec("redeliverer", "tests/SampleApps/Redeliverer", "Redeliverer.dll"),
            ],
        });
    }

    public Task DisposeAsync() => Dapr.DisposeAsync().AsTask();

    /// <summary>A catalog resource with <paramref name="slots"/> slots; returns the slot ids.</summary>
    public async Task<List<string>> CreateSlotsAsync(int slots, int capacity, decimal price = 10_000m)
    {
        var catalog = Admin("catalog");
        var resource = await catalog.PostAsJsonAsync("admin/resources", new { kind = "event", name = $"saga {Guid.NewGuid():N}", description = "saga test" });
        resource.EnsureSuccessStatusCode();
        var resourceId = (await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var ids = new List<string>();
        for (var i = 0; i < slots; i++)
        {
            var start = DateTimeOffset.UtcNow.AddDays(3 + i);
            var slot = await catalog.PostAsJsonAsync($"admin/resources/{resourceId}/slots", new { start, end = start.AddHours(2), capacity, price });
            slot.EnsureSuccessStatusCode();
            ids.Add((await slot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        return ids;
    }

    public async Task<string> HoldAsync(string customer, string slotId, int quantity)
    {
        var response = await As(customer, "reservation").PostAsJsonAsync("holds", new { slotId, quantity });
        response.StatusCode.Should().Be(HttpStatusCode.Created, Logs("reservation"));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!;
    }

    public async Task<JsonElement> OrderAsync(string customer, params string[] holdIds)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(new { holdIds }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await As(customer, "ordering").SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Created, Logs("ordering"));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<HttpResponseMessage> PayAsync(string customer, string orderId) =>
        await As(customer, "ordering").PostAsync($"orders/{orderId}/pay", content: null);

    public async Task<JsonElement> GetOrderAsync(string customer, string orderId) =>
        await As(customer, "ordering").GetFromJsonAsync<JsonElement>($"orders/{orderId}");

    /// <summary>Polls until the order reaches one of <paramref name="statuses"/>; returns it.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string customer, string orderId, TimeSpan within, params string[] statuses)
    {
        JsonElement order = default;
        await Eventually.Async(async () =>
        {
            order = await GetOrderAsync(customer, orderId);
            order.GetProperty("status").GetString().Should().BeOneOf(statuses, Logs("ordering"));
        }, within);
        return order;
    }

    /// <summary>How many events the redeliverer has published a second time.</summary>
    public async Task<int> RedeliveredAsync() =>
        (await Dapr.Direct("redeliverer").GetFromJsonAsync<JsonElement>("stats")).GetProperty("republished").GetInt32();

    public async Task<JsonElement> AvailabilityAsync(string slotId) =>
        await Dapr.Invoke("reservation").GetFromJsonAsync<JsonElement>($"slots/{slotId}/availability");

    /// <summary>
    /// Posts a CloudEvent straight to ordering's subscription route, as daprd does (or an attacker who reached the app
    /// port or the broker): what ordering answers is what daprd would act on.
    /// </summary>
    public Task<HttpResponseMessage> DeliverToOrderingAsync(string topic, object data, string? eventId = null) =>
        CloudEventDelivery.PostAsync(Dapr.AsSidecar("ordering"), "events/" + topic, topic, data, eventId ?? Guid.NewGuid().ToString("N"));

    /// <summary>Payment's record of an order (its SQL row), or null.</summary>
    public async Task<(string PaymentId, string Status)?> PaymentRowAsync(string orderId)
    {
        var rows = await QueryAsync("payment", "SELECT PaymentId, Status FROM Payments WHERE OrderId = $o", r => (r.GetString(0), r.GetString(1)), ("$o", orderId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Runs a query against a service's SQLite file (read-only, as an auditor would).</summary>
    public async Task<List<T>> QueryAsync<T>(string app, string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath(app)};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
            rows.Add(read(reader));
        return rows;
    }

    public async Task<long> ScalarAsync(string app, string sql, params (string Name, object Value)[] parameters) =>
        (await QueryAsync(app, sql, r => r.IsDBNull(0) ? 0L : r.GetInt64(0), parameters)).Single();
}

[CollectionDefinition(Name)]
public sealed class SagaCollection : ICollectionFixture<SagaSystem>
{
    public const string Name = "saga-system";
}
