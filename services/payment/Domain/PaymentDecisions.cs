namespace Payment.Domain;

/// <summary>What a payment request did.</summary>
public abstract record RequestOutcome
{
    private RequestOutcome()
    {
    }

    /// <summary>New payment, money taken: announce <c>payment.succeeded</c>.</summary>
    public sealed record Captured(OrderPayment Payment, PaymentTransaction Capture) : RequestOutcome;

    /// <summary>New payment, nothing taken: announce <c>payment.failed</c>.</summary>
    public sealed record Declined(OrderPayment Payment) : RequestOutcome;

    /// <summary>The order already has a payment (any status): no second charge, no event.</summary>
    public sealed record AlreadyHandled(OrderPayment Existing) : RequestOutcome;
}

/// <summary>What an order closure did.</summary>
public abstract record CloseOutcome
{
    private CloseOutcome()
    {
    }

    /// <summary>The captured money was given back: announce <c>payment.refunded</c>.</summary>
    public sealed record Refunded(OrderPayment Payment, PaymentTransaction Refund) : CloseOutcome;

    /// <summary>No payment yet: a voided one is recorded so the request, if it still comes, charges nothing.</summary>
    public sealed record Voided(OrderPayment Payment) : CloseOutcome;

    /// <summary>Declined, voided or already refunded: nothing to give back.</summary>
    public sealed record NothingToDo(OrderPayment Existing) : CloseOutcome;
}

/// <summary>What an operator's refund did.</summary>
public abstract record RefundOutcome
{
    private RefundOutcome()
    {
    }

    public sealed record Refunded(OrderPayment Payment, PaymentTransaction Refund) : RefundOutcome;

    /// <summary>Refunded before: the same answer again, no second refund.</summary>
    public sealed record AlreadyRefunded(OrderPayment Payment) : RefundOutcome;

    /// <summary>Declined or voided: no money was ever taken.</summary>
    public sealed record NotRefundable(OrderPayment Payment) : RefundOutcome;
}

/// <summary>
/// The payment decisions, free of I/O: given what is stored for an order (or nothing) and what just happened, the new
/// state. The adapter runs them inside one transaction and stores what they return; the database's keys and the
/// payment's version make sure two racing decisions cannot both take effect.
/// </summary>
public static class PaymentDecisions
{
    /// <summary>
    /// <paramref name="decision"/> is the provider's answer, or null when it was not asked because a payment already
    /// existed: payments are never deleted, so that can only be met by <see cref="RequestOutcome.AlreadyHandled"/>.
    /// </summary>
    public static RequestOutcome Request(OrderPayment? existing, PaymentRequest request, GatewayDecision? decision, DateTimeOffset now)
    {
        // Idempotent per order, not per message: a redelivery, a re-publish with a new id, or a request arriving
        // after the order was closed (voided) all meet the stored payment and change nothing.
        if (existing is not null)
            return new RequestOutcome.AlreadyHandled(existing);
        if (decision is null)
            throw new InvalidOperationException($"Order {request.OrderId} has no payment and the provider was not asked.");

        if (!decision.Approved)
        {
            var declined = OrderPayment.Create(request.OrderId, request.CustomerId, request.Amount, request.Currency,
                PaymentStatus.Declined, decision.DeclineReason ?? "declined", now);
            return new RequestOutcome.Declined(declined);
        }

        var payment = OrderPayment.Create(request.OrderId, request.CustomerId, request.Amount, request.Currency,
            PaymentStatus.Captured, reason: null, now);
        return new RequestOutcome.Captured(payment, PaymentTransaction.For(payment, TransactionKind.Capture, now));
    }

    public static CloseOutcome Close(OrderPayment? existing, OrderClosure closure, DateTimeOffset now)
    {
        if (existing is null)
        {
            var voided = OrderPayment.Create(closure.OrderId, closure.CustomerId, closure.Amount, OrderPayment.NoCurrency,
                PaymentStatus.Voided, $"order {closure.Status} before payment", now);
            return new CloseOutcome.Voided(voided);
        }

        // The closure's "paid" flag is ordering's belief; the stored status is the truth: a capture whose
        // payment.succeeded was still in flight when the order expired is refunded all the same.
        return Refund(existing, $"order {closure.Status}", now) switch
        {
            RefundOutcome.Refunded refunded => new CloseOutcome.Refunded(refunded.Payment, refunded.Refund),
            _ => new CloseOutcome.NothingToDo(existing),
        };
    }

    public static RefundOutcome Refund(OrderPayment payment, string reason, DateTimeOffset now)
    {
        switch (payment.Status)
        {
            case PaymentStatus.Captured:
                payment.MarkRefunded(reason, now);
                return new RefundOutcome.Refunded(payment, PaymentTransaction.For(payment, TransactionKind.Refund, now));
            case PaymentStatus.Refunded:
                return new RefundOutcome.AlreadyRefunded(payment);
            default:
                return new RefundOutcome.NotRefundable(payment);
        }
    }
}
