using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ordering.Domain;
using Ordering.Infrastructure;

namespace Ordering.Application;

/// <summary>
/// The order saga after payment. Reactions to payment events are recorded once (inbox); what to do next is decided
/// from the order's status alone, so a redelivered event, a crash half-way and the sweeper all resume the same way:
/// <list type="number">
/// <item>payment.succeeded → <c>Paid</c>, then the holds are confirmed through the reservation service, several at
/// once (idempotent).</item>
/// <item>all confirmed → <c>Confirmed</c> + order.confirmed.</item>
/// <item>a hold refused → <c>Expired</c> (it ran out) or <c>Cancelled</c> (anything else) + the closing event, on
/// which reservation releases the other holds / revokes their bookings and payment refunds.</item>
/// <item>payment.failed → <c>Failed</c> + order.failed (holds released).</item>
/// </list>
/// A payment event is believed only when it matches the order and payment's record of it (<see cref="PaymentCheck"/>).
/// </summary>
public sealed class OrderSaga(
    OrderingDbContext db, OrderStore store, ReservationClient reservation, PaymentRecords payments, TimeProvider time,
    IOptions<OrderingOptions> options, ILogger<OrderSaga> logger)
{
    public const string PaymentSucceededConsumer = "ordering/payment.succeeded";
    public const string PaymentFailedConsumer = "ordering/payment.failed";

    public async Task<EventVerdict> OnPaymentSucceededAsync(PaymentSucceeded paid, string messageId, CancellationToken ct)
    {
        // A redelivery of an event that was checked and applied is not checked again (payment need not be asked twice
        // per event); driving continues from the order's status, and only a paid order, paid after a check, is driven.
        if (await SeenAsync(PaymentSucceededConsumer, messageId, ct))
        {
            await DriveAsync(paid.OrderId, ct);
            return EventVerdict.Applied;
        }

        var verdict = await VerifyAsync(Topics.PaymentSucceeded, paid.OrderId, PaymentClaim.Success(paid.PaymentId, paid.Amount, paid.Currency), messageId, ct);
        if (verdict != EventVerdict.Applied)
            return verdict;

        Order? recorded = null;
        var outcome = await db.HandleOnceAsync(PaymentSucceededConsumer, messageId, async (context, token) =>
        {
            recorded = await context.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == paid.OrderId, token);
            OrderOutbox.Stage(context, recorded, recorded.MarkPaid(paid.PaymentId, time.GetUtcNow()), time);
        }, ct, time);

        // Whether this delivery recorded the payment or an earlier one did: continue from the order's status. The
        // order this delivery committed is driven as it is (one read fewer); after a duplicate it is read afresh.
        if (outcome == InboxResult.Processed && recorded is not null)
            await DriveAsync(recorded, ct);
        else
            await DriveAsync(paid.OrderId, ct);
        return EventVerdict.Applied;
    }

    public async Task<EventVerdict> OnPaymentFailedAsync(PaymentFailed failed, string messageId, CancellationToken ct)
    {
        if (await SeenAsync(PaymentFailedConsumer, messageId, ct))
            return EventVerdict.Applied;

        var verdict = await VerifyAsync(Topics.PaymentFailed, failed.OrderId, PaymentClaim.Failure(failed.PaymentId), messageId, ct);
        if (verdict != EventVerdict.Applied)
            return verdict;

        await db.HandleOnceAsync(PaymentFailedConsumer, messageId, async (context, token) =>
        {
            var order = await context.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == failed.OrderId, token);
            OrderOutbox.Stage(context, order, order.MarkPaymentFailed($"payment-{failed.Reason}", time.GetUtcNow()), time);
        }, ct, time);
        return EventVerdict.Applied;
    }

    /// <summary>
    /// An event moves an order only if it matches what ordering recorded (total, currency, the payment id it was paid
    /// with) and what payment recorded for the order (status, payment id, amount, currency). Payment writes its record
    /// before it publishes, so an honest event always finds it. A mismatch is dropped with a warning; only an
    /// unreachable payment asks for a redelivery.
    /// </summary>
    private async Task<EventVerdict> VerifyAsync(string topic, string orderId, PaymentClaim claim, string messageId, CancellationToken ct)
    {
        var order = await store.FindAsync(orderId, ct);
        if (order is null)
            return Mismatch(topic, orderId, messageId, ["ordering has no such order"]);
        var differences = PaymentCheck.AgainstOrder(order, claim);
        if (differences.Count > 0)
            return Mismatch(topic, orderId, messageId, differences);

        RecordedPayment? recorded;
        try
        {
            recorded = await payments.GetAsync(orderId, ct);
        }
        catch (PaymentUnavailableException unavailable)
        {
            logger.LogWarning("Order {OrderId}: {Topic} event {MessageId} not checked yet, retried: {Reason}", orderId, topic, messageId, unavailable.Message);
            return EventVerdict.Retry;
        }

        differences = PaymentCheck.AgainstRecord(order, claim, recorded);
        return differences.Count > 0 ? Mismatch(topic, orderId, messageId, differences) : EventVerdict.Applied;
    }

    private Task<bool> SeenAsync(string consumer, string messageId, CancellationToken ct) =>
        db.Set<InboxMessage>().AsNoTracking().AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, ct);

    private EventVerdict Mismatch(string topic, string orderId, string messageId, IReadOnlyList<string> differences)
    {
        logger.LogWarning("Order {OrderId}: dropped {Topic} event {MessageId}, it does not match the records: {Differences}",
            orderId, topic, messageId, string.Join("; ", differences));
        return EventVerdict.Drop;
    }

    /// <summary>
    /// Books a paid order's holds. Confirming is idempotent in the reservation service, so driving an order twice (a
    /// redelivery and the sweeper at once) books nothing twice. Transient failures throw: the event is redelivered.
    /// </summary>
    public async Task DriveAsync(string orderId, CancellationToken ct)
    {
        if (await store.FindAsync(orderId, ct) is { } order)
            await DriveAsync(order, ct);
    }

    private async Task DriveAsync(Order order, CancellationToken ct)
    {
        if (order.Status != OrderStatus.Paid)
            return;
        var orderId = order.Id;

        if (await ConfirmHoldsAsync(order, ct) is { } refused)
        {
            logger.LogInformation("Order {OrderId}: hold {HoldId} refused ({Reason}); compensating", orderId, refused.HoldId, refused.Reason);
            await store.TransitionAsync(orderId, (o, now) => o.AbortBooking(refused.Reason, now), ct);
            return;
        }

        var (after, result) = await store.TransitionAsync(orderId, (o, now) => o.Confirm(now), ct);
        if (result is { IsIllegal: true })
        {
            // Cancelled while we were booking: its order.cancelled revokes what we just confirmed.
            logger.LogInformation("Order {OrderId} became {Status} while its holds were confirmed", orderId, after?.Status);
        }
    }

    /// <summary>
    /// Confirms every hold, <see cref="OrderingOptions.ConfirmParallelism"/> at a time. Returns the first refusal in
    /// line order (null when all confirmed). A refusal is final and means compensation, so it wins over a transient
    /// failure of another hold and stops the confirmations not yet sent; whatever got booked meanwhile is revoked by
    /// the order's closing event, exactly as when holds were confirmed one by one. Without a refusal, a transient
    /// failure propagates (the event is redelivered, and confirmed holds confirm again without effect).
    /// </summary>
    private async Task<(string HoldId, string Reason)?> ConfirmHoldsAsync(Order order, CancellationToken ct)
    {
        var lines = order.Lines.ToList();
        var answers = new ConfirmAnswer?[lines.Count];
        using var refusedOrStopped = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(options.Value.ConfirmParallelism);
        var confirmations = lines.Select(async (line, i) =>
        {
            await slots.WaitAsync(refusedOrStopped.Token);
            try
            {
                answers[i] = await reservation.ConfirmAsync(line.HoldId, refusedOrStopped.Token);
                if (answers[i] is ConfirmAnswer.Refused)
                    await refusedOrStopped.CancelAsync();
            }
            finally
            {
                slots.Release();
            }
        }).ToList();

        try
        {
            await Task.WhenAll(confirmations);
        }
        catch (Exception) when (!ct.IsCancellationRequested && answers.Any(a => a is ConfirmAnswer.Refused))
        {
            // Cancelled or failed after a refusal: compensation follows regardless.
        }

        var first = answers.Select((answer, i) => (answer, i)).FirstOrDefault(a => a.answer is ConfirmAnswer.Refused);
        return first.answer is ConfirmAnswer.Refused refused ? (lines[first.i].HoldId, refused.Reason) : null;
    }
}

/// <summary>What a payment event's delivery should answer Dapr.</summary>
public enum EventVerdict
{
    /// <summary>Applied, or recognised as already applied: ack.</summary>
    Applied,

    /// <summary>It contradicts the records: nothing changed; ack without effect (DROP, dead-lettered when configured).</summary>
    Drop,

    /// <summary>It could not be checked now (payment unreachable): redeliver.</summary>
    Retry,
}
