using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.EntityFrameworkCore;
using Payment.Domain;

namespace Payment.Infrastructure;

/// <summary>
/// Runs the payment decisions against SQL: each event's effect, its inbox row and its outgoing events commit in one
/// transaction, and the order id primary key, the one-capture/one-refund unique key and the payment's version refuse
/// whatever a racing copy tries second.
/// </summary>
public sealed class PaymentProcessor(
    PaymentDbContext db, IPaymentGateway gateway, OrderingClient ordering, TimeProvider time, ILogger<PaymentProcessor> logger)
{
    private const int RefundAttempts = 5;

    /// <summary>Inbox consumer of <c>payment.requested</c>.</summary>
    public const string RequestedConsumer = "payment/" + Topics.PaymentRequested;

    /// <summary>Inbox consumer of an order-closed topic (<c>payment/order.cancelled</c>, ...).</summary>
    public static string ClosedConsumer(string topic) => "payment/" + topic;

    /// <summary>
    /// Charges an order once. Before a first charge, the request is compared with the order ordering placed; a request
    /// that does not match it (no such order, another customer, amount or currency, an order not waiting for payment)
    /// is <see cref="RequestHandling.Refused"/>: no row, no charge, no inbox entry. Throws
    /// <see cref="OrderingUnavailableException"/> when ordering cannot be asked (the event must come again).
    /// </summary>
    public async Task<RequestHandling> HandleRequestAsync(PaymentRequest request, string messageId, CancellationToken ct)
    {
        // Ask ordering and the provider only when the answer is not known yet (a payment for the order exists: it is
        // the answer, whatever this request says), and before the transaction opens: their latency must not hold a
        // write lock (SQLite has one writer) or a row lock.
        GatewayDecision? decision = null;
        if (!await SeenAsync(RequestedConsumer, messageId, ct) && !await db.Payments.AsNoTracking().AnyAsync(p => p.OrderId == request.OrderId, ct))
        {
            var differences = PaymentRules.Differences(request, await ordering.GetAsync(request.OrderId, ct));
            if (differences.Count == 0)
                decision = await gateway.AuthorizeAsync(request, ct);
            // A concurrent copy of the request may have charged meanwhile, and ordering moved on (paid): then this one
            // meets that payment below, like any duplicate. Otherwise nothing is stored.
            else if (!await db.Payments.AsNoTracking().AnyAsync(p => p.OrderId == request.OrderId, ct))
            {
                logger.LogWarning("Refused payment.requested {MessageId} for order {OrderId}: it does not match the order ordering placed ({Differences})",
                    messageId, request.OrderId, string.Join("; ", differences));
                return RequestHandling.Refused;
            }
        }

        RequestOutcome? outcome = null;
        var result = await db.HandleOnceAsync(RequestedConsumer, messageId, async (tx, token) =>
        {
            var existing = await tx.Payments.SingleOrDefaultAsync(p => p.OrderId == request.OrderId, token);
            // (No payment and no decision happens only when the inbox row seen above was removed since, at the end of
            // its retention: the decision throws, the delivery answers 500 and the redelivery asks the provider.)
            outcome = PaymentDecisions.Request(existing, request, decision, time.GetUtcNow());
            switch (outcome)
            {
                case RequestOutcome.Captured captured:
                    tx.Payments.Add(captured.Payment);
                    tx.Transactions.Add(captured.Capture);
                    tx.Enqueue(Event(Topics.PaymentSucceeded, EventTypes.PaymentSucceeded, captured.Payment.OrderId,
                        new PaymentSucceeded(captured.Payment.OrderId, captured.Payment.PaymentId, captured.Payment.Amount, captured.Payment.Currency)), time);
                    break;
                case RequestOutcome.Declined declined:
                    tx.Payments.Add(declined.Payment);
                    tx.Enqueue(Event(Topics.PaymentFailed, EventTypes.PaymentFailed, declined.Payment.OrderId,
                        new PaymentFailed(declined.Payment.OrderId, declined.Payment.Reason ?? "declined", declined.Payment.PaymentId)), time);
                    break;
            }
        }, ct, time);

        Log(result, outcome, request.OrderId, messageId);
        return result == InboxResult.Duplicate ? RequestHandling.Duplicate : RequestHandling.Applied;
    }

    public async Task<InboxResult> HandleClosedAsync(string topic, OrderClosure closure, string messageId, CancellationToken ct)
    {
        CloseOutcome? outcome = null;
        var result = await db.HandleOnceAsync(ClosedConsumer(topic), messageId, async (tx, token) =>
        {
            var existing = await tx.Payments.SingleOrDefaultAsync(p => p.OrderId == closure.OrderId, token);
            outcome = PaymentDecisions.Close(existing, closure, time.GetUtcNow());
            switch (outcome)
            {
                case CloseOutcome.Refunded refunded:
                    StageRefund(tx, refunded.Payment, refunded.Refund);
                    break;
                case CloseOutcome.Voided voided:
                    tx.Payments.Add(voided.Payment);
                    break;
            }
        }, ct, time);

        Log(result, outcome, closure.OrderId, messageId);
        return result;
    }

    /// <summary>An operator's refund: the same decision as a closure's, retried on a racing writer. Null: no such payment.</summary>
    public async Task<RefundOutcome?> RefundAsync(string orderId, string reason, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                RefundOutcome? outcome = null;
                await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
                {
                    db.ChangeTracker.Clear();
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    var payment = await db.Payments.SingleOrDefaultAsync(p => p.OrderId == orderId, ct);
                    outcome = payment is null ? null : PaymentDecisions.Refund(payment, reason, time.GetUtcNow());
                    if (outcome is RefundOutcome.Refunded refunded)
                        StageRefund(db, refunded.Payment, refunded.Refund);
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                });
                if (outcome is RefundOutcome.Refunded)
                    logger.LogInformation("Payment of order {OrderId} refunded by an operator", orderId);
                return outcome;
            }
            catch (DbUpdateException exception) when (attempt < RefundAttempts
                && (exception is DbUpdateConcurrencyException || UniqueViolation.Is(exception)))
            {
                // A closure refunded (or changed) the payment first: decide again on what it left.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
        }
    }

    private void StageRefund(PaymentDbContext tx, OrderPayment payment, PaymentTransaction refund)
    {
        tx.Transactions.Add(refund);
        tx.Enqueue(Event(Topics.PaymentRefunded, EventTypes.PaymentRefunded, payment.OrderId,
            new PaymentRefunded(payment.OrderId, payment.PaymentId, refund.Amount)), time);
    }

    private Task<bool> SeenAsync(string consumer, string messageId, CancellationToken ct) =>
        db.Set<InboxMessage>().AsNoTracking().AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, ct);

    /// <summary>Every event of an order shares its partition key, so ordering receives them in the order they were written.</summary>
    private static OutgoingEvent Event(string topic, string type, string orderId, object payload) => new(topic, type, payload, orderId);

    private void Log(InboxResult result, object? outcome, string orderId, string messageId)
    {
        if (result == InboxResult.Duplicate)
            logger.LogDebug("Event {MessageId} for order {OrderId} was already applied", messageId, orderId);
        else if (outcome is CloseOutcome.Refunded)
            logger.LogInformation("Payment of order {OrderId} refunded (event {MessageId})", orderId, messageId);
        else
            logger.LogDebug("Event {MessageId} for order {OrderId}: {Outcome}", messageId, orderId, outcome?.GetType().Name);
    }
}

/// <summary>What became of a payment request.</summary>
public enum RequestHandling
{
    /// <summary>Decided (captured, declined, or met an existing payment) and recorded in the inbox.</summary>
    Applied,

    /// <summary>This event was handled before.</summary>
    Duplicate,

    /// <summary>It does not match the order ordering placed: nothing stored, nothing charged.</summary>
    Refused,
}
