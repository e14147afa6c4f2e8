using Dapr.Client;
using DaprReservations.BuildingBlocks.Sidecar;
using DaprReservations.BuildingBlocks.Topology;
using Payment.Domain;

namespace Payment.Infrastructure;

/// <summary>Ordering could not say what it placed (unreachable, or an answer that is not ordering's): try again later.</summary>
public sealed class OrderingUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads an order back from ordering through the Dapr sidecar (service invocation, as an internal caller: no user
/// token), so a charge is decided on what ordering recorded, never on what an event claims.
/// </summary>
public sealed class OrderingClient(HttpClient http)
{
    public static HttpClient CreateHttpClient(DaprClient dapr) => dapr.CreateInvokableHttpClient(AppIds.Ordering);

    /// <summary>The order, or null when ordering answers that it has none. Throws <see cref="OrderingUnavailableException"/> otherwise.</summary>
    public async Task<PlacedOrder?> GetAsync(string orderId, CancellationToken ct)
    {
        var order = await OwnerRecords.ReadAsync<OrderView>(http, $"orders/{Uri.EscapeDataString(orderId)}",
            (message, inner) => new OrderingUnavailableException($"ordering, about order {orderId}: {message}", inner), ct);
        return order is null ? null
            : new PlacedOrder(order.Id ?? "", order.CustomerId ?? "", order.Amount, order.Currency ?? "", order.Status ?? "");
    }

    private sealed record OrderView(string? Id, string? CustomerId, decimal Amount, string? Currency, string? Status);
}
