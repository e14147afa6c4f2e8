using Dapr.Client;
using DaprReservations.BuildingBlocks.Sidecar;
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
        var record = await OwnerRecords.ReadAsync<PaymentView>(http, $"payments/{Uri.EscapeDataString(orderId)}",
            (message, inner) => new PaymentUnavailableException($"payment, about order {orderId}: {message}", inner), ct);
        return record is null ? null
            : new RecordedPayment(record.OrderId ?? "", record.PaymentId ?? "", record.CustomerId ?? "", record.Amount, record.Currency ?? "", record.Status ?? "");
    }

    private sealed record PaymentView(string? OrderId, string? PaymentId, string? CustomerId, decimal Amount, string? Currency, string? Status);
}
