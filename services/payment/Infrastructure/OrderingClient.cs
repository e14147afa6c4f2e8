using System.Net;
using System.Net.Http.Json;
using Dapr;
using Dapr.Client;
using DaprReservations.BuildingBlocks;
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
        try
        {
            using var response = await http.GetAsync($"orders/{Uri.EscapeDataString(orderId)}", ct);
            // Only ordering's own 404 (a problem document) means "no such order"; a 404 from anything else on the way
            // (no route, an old version) must not turn an honest request into a refused one.
            if (response.StatusCode == HttpStatusCode.NotFound && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                return null;
            if (!response.IsSuccessStatusCode)
                throw new OrderingUnavailableException($"ordering answered {(int)response.StatusCode} for order {orderId}");
            var order = await response.Content.ReadFromJsonAsync<OrderView>(DaprReservationsJson.Options, ct)
                ?? throw new OrderingUnavailableException($"ordering answered no body for order {orderId}");
            return new PlacedOrder(order.Id ?? "", order.CustomerId ?? "", order.Amount, order.Currency ?? "", order.Status ?? "");
        }
        catch (Exception exception) when (exception is HttpRequestException or System.Text.Json.JsonException or DaprException
            || exception is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new OrderingUnavailableException($"ordering could not be asked about order {orderId}: {exception.Message}", exception);
        }
    }

    private sealed record OrderView(string? Id, string? CustomerId, decimal Amount, string? Currency, string? Status);
}
