namespace Ordering.Domain;

/// <summary>A held quantity of a slot, bought through an order. The hold id is unique across all orders.</summary>
public sealed class OrderLine
{
    private OrderLine()
    {
    }

    public OrderLine(string holdId, string slotId, int quantity, decimal unitPrice)
    {
        HoldId = holdId;
        SlotId = slotId;
        Quantity = quantity;
        UnitPrice = unitPrice;
    }

    public string OrderId { get; private set; } = "";

    public string HoldId { get; private set; } = "";

    public string SlotId { get; private set; } = "";

    public int Quantity { get; private set; }

    public decimal UnitPrice { get; private set; }
}

/// <summary>
/// The order and its state machine. Each transition either changes the order (and names the event to publish) or
/// says why it cannot; the adapter saves it under the optimistic <see cref="Version"/> token, so of two racing
/// transitions (a customer's cancel and the saga's confirm) exactly one commits and the other re-decides on the
/// newer state.
/// </summary>
public sealed class Order
{
    private readonly List<OrderLine> _lines = [];

    private Order()
    {
    }

    public string Id { get; private set; } = "";

    public string CustomerId { get; private set; } = "";

    public OrderStatus Status { get; private set; }

    public decimal Amount { get; private set; }

    public string Currency { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the first of its holds runs out: past this, the order can only expire.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public string? Reason { get; private set; }

    public string? PaymentId { get; private set; }

    public string? IdempotencyKey { get; private set; }

    /// <summary>Fingerprint of the creating request, so a reused Idempotency-Key with other holds is refused.</summary>
    public string? RequestHash { get; private set; }

    /// <summary>Optimistic concurrency token (and the ETag): bumped by every transition.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<OrderLine> Lines => _lines;

    public static Order Place(
        string customerId, IReadOnlyList<(OrderLine Line, DateTimeOffset HoldExpiresAt)> lines, string currency,
        string? idempotencyKey, string? requestHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        if (lines.Count == 0)
            throw new ArgumentException("An order needs at least one hold.", nameof(lines));

        var order = new Order
        {
            Id = DaprReservations.BuildingBlocks.Contracts.SagaIds.NewId(),
            CustomerId = customerId,
            Status = OrderStatus.Pending,
            Amount = lines.Sum(l => l.Line.Quantity * l.Line.UnitPrice),
            Currency = currency,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = lines.Min(l => l.HoldExpiresAt),
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            Version = 1,
        };
        order._lines.AddRange(lines.Select(l => l.Line));
        return order;
    }

    /// <summary>The customer pays: ask the provider once. Paying twice is the same request.</summary>
    public Transition RequestPayment(DateTimeOffset now) => Status switch
    {
        OrderStatus.Pending when now >= ExpiresAt => Move(OrderStatus.Expired, now, "hold-expired", OrderEvent.Expired),
        OrderStatus.Pending => Move(OrderStatus.AwaitingPayment, now, null, OrderEvent.PaymentRequested),
        OrderStatus.AwaitingPayment or OrderStatus.Paid or OrderStatus.Confirmed => Transition.Unchanged,
        _ => Transition.Illegal($"The order is {Status.ToWire()}; it cannot be paid."),
    };

    /// <summary>payment.succeeded. A closed order ignores it: payment refunds when it sees the order closed.</summary>
    public Transition MarkPaid(string paymentId, DateTimeOffset now)
    {
        if (Status != OrderStatus.AwaitingPayment)
            return Transition.Unchanged;
        PaymentId = paymentId;
        return Move(OrderStatus.Paid, now, null, null);
    }

    /// <summary>payment.failed: the holds go back (reservation hears order.failed).</summary>
    public Transition MarkPaymentFailed(string reason, DateTimeOffset now) =>
        Status == OrderStatus.AwaitingPayment ? Move(OrderStatus.Failed, now, reason, OrderEvent.Failed) : Transition.Unchanged;

    /// <summary>The saga turned every hold into a booking.</summary>
    public Transition Confirm(DateTimeOffset now) => Status switch
    {
        OrderStatus.Paid => Move(OrderStatus.Confirmed, now, null, OrderEvent.Confirmed),
        OrderStatus.Confirmed => Transition.Unchanged,
        _ => Transition.Illegal($"The order is {Status.ToWire()}; it cannot be confirmed."),
    };

    /// <summary>
    /// The customer cancels (refund if paid, holds released or bookings revoked: the compensating work is done by the
    /// consumers of order.cancelled). Cancelling twice is harmless; an order that already ended otherwise cannot be.
    /// </summary>
    public Transition Cancel(string reason, DateTimeOffset now) => Status switch
    {
        OrderStatus.Cancelled => Transition.Unchanged,
        OrderStatus.Expired or OrderStatus.Failed => Transition.Illegal($"The order is {Status.ToWire()}; there is nothing to cancel."),
        _ => Move(OrderStatus.Cancelled, now, reason, OrderEvent.Cancelled),
    };

    /// <summary>A hold ran out before the booking: from any non-final status short of confirmed.</summary>
    public Transition Expire(string reason, DateTimeOffset now) =>
        Status is OrderStatus.Pending or OrderStatus.AwaitingPayment or OrderStatus.Paid
            ? Move(OrderStatus.Expired, now, reason, OrderEvent.Expired)
            : Transition.Unchanged;

    /// <summary>
    /// The reservation service refused to book a hold of a paid order: expired → <c>Expired</c>, anything else
    /// (released, no capacity) → <c>Cancelled</c>. The closing event makes reservation give back the rest and payment
    /// refund. Only a paid order is being booked, so anything else is left alone.
    /// </summary>
    public Transition AbortBooking(string refusal, DateTimeOffset now) => Status != OrderStatus.Paid
        ? Transition.Unchanged
        : refusal == "expired"
            ? Move(OrderStatus.Expired, now, "hold-expired", OrderEvent.Expired)
            : Move(OrderStatus.Cancelled, now, $"hold-{refusal}", OrderEvent.Cancelled);

    /// <summary>Whether the money may have been taken (payment decides refunds from its own records).</summary>
    public bool MayHaveBeenPaid => PaymentId is not null || Status is OrderStatus.Paid or OrderStatus.Confirmed;

    private Transition Move(OrderStatus next, DateTimeOffset now, string? reason, OrderEvent? announce)
    {
        Status = next;
        UpdatedAt = now;
        Reason = reason ?? Reason;
        Version++;
        return new Transition(Changed: true, announce, Error: null);
    }
}

/// <summary>A transition's result: changed (with the event to publish), unchanged (already there), or illegal (409).</summary>
public sealed record Transition(bool Changed, OrderEvent? Event, string? Error)
{
    public static readonly Transition Unchanged = new(false, null, null);

    public static Transition Illegal(string why) => new(false, null, why);

    public bool IsIllegal => Error is not null;
}
