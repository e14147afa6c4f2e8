using System.Text.Json.Serialization;
using Payment.Domain;

namespace Payment.Api;

/// <summary>A payment as the API shows it, with its money movements (statuses and kinds by name).</summary>
public sealed record PaymentResponse(
    string OrderId, string PaymentId, string CustomerId, decimal Amount, string Currency,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PaymentStatus>))] PaymentStatus Status,
    string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<TransactionResponse> Transactions)
{
    public static PaymentResponse From(OrderPayment payment, IEnumerable<PaymentTransaction> transactions) =>
        new(payment.OrderId, payment.PaymentId, payment.CustomerId, payment.Amount, payment.Currency, payment.Status,
            payment.Reason, payment.CreatedAt, payment.UpdatedAt,
            transactions.OrderBy(t => t.At).Select(t => new TransactionResponse(t.Id, t.Kind, t.Amount, t.At)).ToList());
}

public sealed record TransactionResponse(
    string Id, [property: JsonConverter(typeof(JsonStringEnumConverter<TransactionKind>))] TransactionKind Kind, decimal Amount, DateTimeOffset At);

/// <summary>
/// The pub/sub answer Dapr reads: SUCCESS acks, DROP acks without processing (a poison event is not retried; daprd
/// dead-letters it when the subscription names a deadLetterTopic), RETRY asks for a redelivery.
/// </summary>
public sealed record SubscriptionResponse(string Status)
{
    public static readonly SubscriptionResponse Success = new("SUCCESS");
    public static readonly SubscriptionResponse Drop = new("DROP");
    public static readonly SubscriptionResponse Retry = new("RETRY");
}
