namespace DaprReservations.BuildingBlocks.Contracts;

// The events of the order saga, as JSON (camelCase) in the CloudEvent's data. Each consumer dedupes on the CloudEvent
// id (inbox) and every handler is also idempotent on the business key (the order id), because a re-published event
// after a crash is a new delivery of the same id, but a compensating event can meet a payment that is still in flight.
// Change them only additively: old and new versions of a service run side by side during a rolling update.

/// <summary>ordering → payment (<c>payment.requested</c>): charge this order once.</summary>
public sealed record PaymentRequested(string OrderId, string CustomerId, decimal Amount, string Currency);

/// <summary>
/// payment → ordering (<c>payment.succeeded</c>). Ordering believes none of it on its own: amount, currency and payment
/// id must equal what payment reports for the order (<c>GET /payments/{orderId}</c>). <see cref="Currency"/> is
/// absent in events of older publishers.
/// </summary>
public sealed record PaymentSucceeded(string OrderId, string PaymentId, decimal Amount, string? Currency = null);

/// <summary>
/// payment → ordering (<c>payment.failed</c>); checked against payment's record like <see cref="PaymentSucceeded"/>.
/// <see cref="PaymentId"/> is absent in events of older publishers.
/// </summary>
public sealed record PaymentFailed(string OrderId, string Reason, string? PaymentId = null);

/// <summary>payment → anyone (<c>payment.refunded</c>).</summary>
public sealed record PaymentRefunded(string OrderId, string PaymentId, decimal Amount);

/// <summary>One held (or booked) quantity of an order.</summary>
public sealed record OrderLineSnapshot(string HoldId, string SlotId, int Quantity);

/// <summary>
/// ordering → everyone (<c>order.confirmed</c>, <c>order.cancelled</c>, <c>order.expired</c>, <c>order.failed</c>):
/// the order reached a terminal status. <see cref="Paid"/> tells payment whether money may have been taken, so a
/// refund is due; the lines tell reservation which holds to release or bookings to revoke.
/// </summary>
public sealed record OrderClosed(
    string OrderId, string CustomerId, string Status, string? Reason, bool Paid, decimal Amount,
    IReadOnlyList<OrderLineSnapshot> Lines);

/// <summary>CloudEvent <c>type</c> values: topic + schema version.</summary>
public static class EventTypes
{
    public const string PaymentRequested = "payment.requested.v1";
    public const string PaymentSucceeded = "payment.succeeded.v1";
    public const string PaymentFailed = "payment.failed.v1";
    public const string PaymentRefunded = "payment.refunded.v1";
    public const string OrderConfirmed = "order.confirmed.v1";
    public const string OrderCancelled = "order.cancelled.v1";
    public const string OrderExpired = "order.expired.v1";
    public const string OrderFailed = "order.failed.v1";
}
