using System.Net;
using System.Net.Http.Json;
using Dapr;
using Dapr.Client;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Topology;
using Ordering.Domain;

namespace Ordering.Infrastructure;

/// <summary>Payment could not say what it recorded (unreachable, or an answer that is not payment's): ask again later.</summary>
public sealed class PaymentUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Payment's record of an order's payment (<c>GET /payments/{orderId}</c> through the Dapr sidecar, as an internal
/// caller): what a payment event is checked against before it moves an order.
/// </summary>
public sealed class PaymentRecords(HttpClient http)
{
    public static HttpClient CreateHttpClient(DaprClient dapr) => dapr.CreateInvokableHttpClient(AppIds.Payment);

    /// <summary>The record, or null when payment answers it has none. Throws <see cref="PaymentUnavailableException"/> otherwise.</summary>
    public async Task<RecordedPayment?> GetAsync(string orderId, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync($"payments/{Uri.EscapeDataString(orderId)}", ct);
            // Only payment's own 404 (a problem document) means "no payment"; any other refusal (401/403 from a
            // misconfigured caller list, a sidecar error) is not the event's fault and must not drop an honest one.
            if (response.StatusCode == HttpStatusCode.NotFound && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                return null;
            if (!response.IsSuccessStatusCode)
                throw new PaymentUnavailableException($"payment answered {(int)response.StatusCode} for order {orderId}");
            var record = await response.Content.ReadFromJsonAsync<PaymentView>(DaprReservationsJson.Options, ct)
                ?? throw new PaymentUnavailableException($"payment answered no body for order {orderId}");
            return new RecordedPayment(record.OrderId ?? "", record.PaymentId ?? "", record.CustomerId ?? "", record.Amount,
                record.Currency ?? "", record.Status ?? "");
        }
        catch (Exception exception) when (exception is HttpRequestException or System.Text.Json.JsonException or DaprException
            || exception is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PaymentUnavailableException($"payment could not be asked about order {orderId}: {exception.Message}", exception);
        }
    }

    private sealed record PaymentView(string? OrderId, string? PaymentId, string? CustomerId, decimal Amount, string? Currency, string? Status);
}
