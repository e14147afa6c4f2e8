namespace Payment.Domain;

/// <summary>
/// The one payment of an order (the order id is the key). Created by the first of "payment requested" or "order
/// closed" to arrive; whatever arrives later only moves it along the allowed transitions.
/// </summary>
public sealed class OrderPayment
{
    /// <summary>ISO 4217 "no currency": a payment voided before its request arrived never learnt its currency.</summary>
    public const string NoCurrency = "XXX";

    private OrderPayment()
    {
    }

    public string OrderId { get; private set; } = "";

    /// <summary>The provider's reference, told to ordering in <c>payment.succeeded</c>.</summary>
    public string PaymentId { get; private set; } = "";

    public string CustomerId { get; private set; } = "";

    public decimal Amount { get; private set; }

    public string Currency { get; private set; } = NoCurrency;

    public PaymentStatus Status { get; private set; }

    /// <summary>Why it was declined, voided or refunded.</summary>
    public string? Reason { get; private set; }

    /// <summary>Concurrency token: a write carries the version it read, so of two concurrent closes only one refunds.</summary>
    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    internal static OrderPayment Create(
        string orderId, string customerId, decimal amount, string currency, PaymentStatus status, string? reason, DateTimeOffset now) =>
        new()
        {
            OrderId = orderId,
            PaymentId = NewId(now),
            CustomerId = customerId,
            Amount = amount,
            Currency = currency,
            Status = status,
            Reason = reason is null ? null : PaymentRules.Clip(reason),
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };

    internal void MarkRefunded(string reason, DateTimeOffset now)
    {
        Status = PaymentStatus.Refunded;
        Reason = PaymentRules.Clip(reason);
        Version++;
        UpdatedAt = now;
    }

    internal static string NewId(DateTimeOffset now) => DaprReservations.BuildingBlocks.Contracts.SagaIds.NewId(now);
}

/// <summary>A capture or a refund of an order's payment.</summary>
public sealed class PaymentTransaction
{
    private PaymentTransaction()
    {
    }

    public string Id { get; private set; } = "";

    public string OrderId { get; private set; } = "";

    public TransactionKind Kind { get; private set; }

    public decimal Amount { get; private set; }

    public DateTimeOffset At { get; private set; }

    internal static PaymentTransaction For(OrderPayment payment, TransactionKind kind, DateTimeOffset now) =>
        new() { Id = OrderPayment.NewId(now), OrderId = payment.OrderId, Kind = kind, Amount = payment.Amount, At = now };
}
