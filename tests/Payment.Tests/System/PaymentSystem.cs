using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace Payment.Tests.System;

public sealed record PaymentRow(string OrderId, string PaymentId, string CustomerId, decimal Amount, string Currency, string Status, string? Reason, long Version);

public sealed record TransactionRow(string Kind, decimal Amount);

public sealed record OutboxRow(string MessageId, string Topic, string Type, string PartitionKey, JsonElement Payload, bool Published);

/// <summary>
/// A running payment app and the ordering app it checks requests against (each with its sidecar, on real Redis), and
/// readers that look at what payment stored (its SQLite file) and published (the Redis streams), never only at its
/// answers.
/// </summary>
public sealed class PaymentSystem(DaprSystem system, string databasePath, string orderingDatabasePath, ConnectionMultiplexer redis) : IAsyncDisposable
{
    public const string DeclinedCustomer = "customer-always-declined";
    public const string AppId = AppIds.Payment;
    public const string OrderingAppId = AppIds.Ordering;
    public const string Customer = "customer-1";

    /// <summary>Through the tester's sidecar, which the app trusts as an internal caller (Auth:InternalCallers).</summary>
    public HttpClient Internal { get; } = system.Invoke(AppId);

    /// <summary>The app's own port: no sidecar, so no caller app id.</summary>
    public HttpClient Direct { get; } = system.Direct(AppId);

    /// <summary>The app's own port with the app token, as its sidecar calls it (subscription routes).</summary>
    public HttpClient AsSidecar { get; } = system.AsSidecar(AppId);

    public string Logs => system.Logs(AppId);

    public DaprSystem Dapr => system;

    /// <summary>An id as ordering issues them (not placed: ordering has no such order).</summary>
    public static string NewOrderId() => SagaIds.NewId();

    public static string NewEventId() => Guid.NewGuid().ToString("N");

    public static string AdminToken() => TestIdentity.Token("operator-1", admin: true);

    public static string CustomerToken() => TestIdentity.Token("customer-1");

    public static HttpRequestMessage WithToken(HttpRequestMessage request, string? token)
    {
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>Publishes through the tester's sidecar with a chosen CloudEvent id, as ordering's outbox relay does.</summary>
    public Task PublishAsync<T>(string topic, T data, string eventId) =>
        system.Dapr.PublishEventAsync(Components.PubSub, topic, data,
            new Dictionary<string, string> { ["cloudevent.id"] = eventId, ["cloudevent.type"] = topic + ".v1" });

    /// <summary>
    /// Delivers a CloudEvent straight to the app's subscription route, as daprd does (content type
    /// application/cloudevents+json): lets a test release many deliveries at the same instant.
    /// </summary>
    public Task<HttpResponseMessage> DeliverAsync(string route, string topic, object data, string eventId) =>
        CloudEventDelivery.PostAsync(AsSidecar, route, topic, data, eventId);

    public static PaymentRequested Request(string orderId, decimal amount = 25.50m, string customerId = Customer) =>
        new(orderId, customerId, amount, "EUR");

    public static OrderClosed Closed(string orderId, string status = "cancelled", decimal amount = 25.50m) =>
        new(orderId, Customer, status, "test", Paid: false, amount, []);

    /// <summary>
    /// An order in ordering's own store, as ordering keeps it once the customer asked to pay (status awaiting payment,
    /// no lines: placing it through ordering's API would need catalog and reservation running, which payment's tests
    /// are not about). The running ordering app serves it to payment like any order it placed.
    /// </summary>
    public async Task<string> PlaceOrderAsync(decimal amount = 25.50m, string customerId = Customer, string currency = "EUR", string status = "AwaitingPayment")
    {
        var orderId = SagaIds.NewId();
        var now = DateTimeOffset.UtcNow;
        await using var connection = new SqliteConnection($"Data Source={orderingDatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO Orders (Id, CustomerId, Status, Amount, Currency, CreatedAt, UpdatedAt, ExpiresAt, Version)
            VALUES ($id, $customer, $status, $amount, $currency, $now, $now, $expires, 1)
            """;
        command.Parameters.AddWithValue("$id", orderId);
        command.Parameters.AddWithValue("$customer", customerId);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$amount", amount.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$currency", currency);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.Parameters.AddWithValue("$expires", now.AddHours(1).UtcTicks);
        await command.ExecuteNonQueryAsync();
        return orderId;
    }

    /// <summary>The order's status in ordering's store.</summary>
    public async Task<string?> OrderStatusAsync(string orderId)
    {
        await using var connection = new SqliteConnection($"Data Source={orderingDatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Status FROM Orders WHERE Id = $o";
        command.Parameters.AddWithValue("$o", orderId);
        return (string?)await command.ExecuteScalarAsync();
    }

    public async Task<PaymentRow?> PaymentAsync(string orderId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT OrderId, PaymentId, CustomerId, Amount, Currency, Status, Reason, Version FROM Payments WHERE OrderId = $o";
        command.Parameters.AddWithValue("$o", orderId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        return new PaymentRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), (decimal)reader.GetDouble(3),
            reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7));
    }

    public async Task<IReadOnlyList<TransactionRow>> TransactionsAsync(string orderId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Kind, Amount FROM PaymentTransactions WHERE OrderId = $o ORDER BY At";
        command.Parameters.AddWithValue("$o", orderId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<TransactionRow>();
        while (await reader.ReadAsync())
            rows.Add(new TransactionRow(reader.GetString(0), (decimal)reader.GetDouble(1)));
        return rows;
    }

    /// <summary>The outbox rows of an order (its partition key).</summary>
    public async Task<IReadOnlyList<OutboxRow>> OutboxAsync(string orderId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MessageId, Topic, Type, PartitionKey, Payload, PublishedAtUtc IS NOT NULL FROM OutboxMessages WHERE PartitionKey = $o ORDER BY Id";
        command.Parameters.AddWithValue("$o", orderId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new OutboxRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                JsonDocument.Parse(reader.GetString(4)).RootElement.Clone(), reader.GetBoolean(5)));
        }
        return rows;
    }

    public async Task<int> InboxCountAsync(string consumer, params string[] eventIds)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM InboxMessages WHERE Consumer = $c AND MessageId IN ({string.Join(", ", eventIds.Select((_, i) => "$m" + i))})";
        command.Parameters.AddWithValue("$c", consumer);
        for (var i = 0; i < eventIds.Length; i++)
            command.Parameters.AddWithValue("$m" + i, eventIds[i]);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The CloudEvents in a topic's Redis stream (what the sidecar really published), by CloudEvent id.</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement>> StreamAsync(string topic)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(topic);
        return entries
            .Select(e => JsonDocument.Parse((string)e["data"]!).RootElement.Clone())
            .GroupBy(ce => ce.GetProperty("id").GetString()!)
            .ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>
    /// Waits until every stream entry carrying <paramref name="eventId"/> was delivered to the payment app and acked:
    /// the consumer group moved past it and holds none of them pending (a 2xx answer, SUCCESS or DROP).
    /// </summary>
    public async Task WaitAckedAsync(string topic, string eventId, int copies = 1)
    {
        var db = redis.GetDatabase();
        await Eventually.TrueAsync(async () =>
        {
            var ids = (await db.StreamRangeAsync(topic))
                .Where(e => JsonDocument.Parse((string)e["data"]!).RootElement.GetProperty("id").GetString() == eventId)
                .Select(e => (string)e.Id!).ToList();
            if (ids.Count < copies)
                return false;
            var group = (await db.StreamGroupInfoAsync(topic)).SingleOrDefault(g => g.Name == AppId);
            if (group.Name is null || CompareIds(group.LastDeliveredId!, ids.Max(CompareIdsComparer)!) < 0)
                return false;
            var pending = await db.StreamPendingMessagesAsync(topic, AppId, 1000, AppId);
            return !pending.Any(p => ids.Contains((string)p.MessageId!));
        }, $"{copies} deliveries of {eventId} on {topic} acked", Logs);
    }

    private static readonly Comparer<string> CompareIdsComparer = Comparer<string>.Create(CompareIds);

    private static int CompareIds(string a, string b)
    {
        static (long, long) Parse(string id) => id.Split('-') is [var ms, var seq]
            ? (long.Parse(ms, CultureInfo.InvariantCulture), long.Parse(seq, CultureInfo.InvariantCulture)) : (0, 0);
        return Parse(a).CompareTo(Parse(b));
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await redis.DisposeAsync();
        await system.DisposeAsync();
    }
}
