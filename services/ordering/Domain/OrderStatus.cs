namespace Ordering.Domain;

/// <summary>
/// <c>Pending → AwaitingPayment → Paid → Confirmed</c>, or one of the terminal <c>Cancelled | Expired | Failed</c>.
/// Every order reaches a terminal status: the saga drives it forward, the sweeper expires what nobody drives.
/// </summary>
public enum OrderStatus
{
    /// <summary>Created over active holds; the customer has not asked to pay yet.</summary>
    Pending,

    /// <summary>payment.requested is in the outbox; the payment provider answers asynchronously.</summary>
    AwaitingPayment,

    /// <summary>Money taken; the saga is turning each hold into a booking.</summary>
    Paid,

    /// <summary>Every hold is a booking. Terminal unless the customer cancels (refund + revoke).</summary>
    Confirmed,

    Cancelled,

    /// <summary>A hold ran out before the order was confirmed.</summary>
    Expired,

    /// <summary>The payment was declined.</summary>
    Failed,
}

public static class OrderStatusExtensions
{
    public static bool IsTerminal(this OrderStatus status) =>
        status is OrderStatus.Cancelled or OrderStatus.Expired or OrderStatus.Failed;

    /// <summary>The API's spelling (camelCase), also used in events.</summary>
    public static string ToWire(this OrderStatus status) =>
        char.ToLowerInvariant(status.ToString()[0]) + status.ToString()[1..];
}

/// <summary>What a transition asks the outside world to hear about (the application maps it to a topic).</summary>
public enum OrderEvent
{
    PaymentRequested,
    Confirmed,
    Cancelled,
    Expired,
    Failed,
}
