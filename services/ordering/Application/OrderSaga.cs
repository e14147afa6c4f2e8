using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Messaging;
using Microsoft.EntityFrameworkCore;
using Ordering.Domain;
using Ordering.Infrastructure;

namespace Ordering.Application;

/// <summary>
/// The order saga after payment. Reactions to payment events are recorded once (inbox); what to do next is decided
/// from the order's status alone, so a redelivered event, a crash half-way and the sweeper all resume the same way:
/// <list type="number">
/// <item>payment.succeeded → <c>Paid</c>, then each hold is confirmed through the reservation service (idempotent).</item>
/// <item>all confirmed → <c>Confirmed</c> + order.confirmed.</item>
/// <item>a hold refused → <c>Expired</c> (it ran out) or <c>Cancelled</c> (anything else) + the closing event, on
/// which reservation releases the other holds / revokes their bookings and payment refunds.</item>
/// <item>payment.failed → <c>Failed</c> + order.failed (holds released).</item>
/// </list>
/// </summary>
public sealed class OrderSaga(
    OrderingDbContext db, OrderStore store, ReservationClient reservation, TimeProvider time, ILogger<OrderSaga> logger)
{
    public const string PaymentSucceededConsumer = "ordering/payment.succeeded";
    public const string PaymentFailedConsumer = "ordering/payment.failed";

    public async Task OnPaymentSucceededAsync(PaymentSucceeded paid, string messageId, CancellationToken ct)
    {
        await db.HandleOnceAsync(PaymentSucceededConsumer, messageId, async (context, token) =>
        {
            var order = await context.Orders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == paid.OrderId, token);
            if (order is null)
                return; // not ours (another environment's event): nothing to do, and nothing to retry
            OrderOutbox.Stage(context, order, order.MarkPaid(paid.PaymentId, time.GetUtcNow()), time);
        }, ct, time);

        // Whether this delivery recorded the payment or an earlier one did: continue from the order's status.
        await DriveAsync(paid.OrderId, ct);
    }

    public async Task OnPaymentFailedAsync(PaymentFailed failed, string messageId, CancellationToken ct) =>
        await db.HandleOnceAsync(PaymentFailedConsumer, messageId, async (context, token) =>
        {
            var order = await context.Orders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == failed.OrderId, token);
            if (order is null)
                return;
            OrderOutbox.Stage(context, order, order.MarkPaymentFailed($"payment-{failed.Reason}", time.GetUtcNow()), time);
        }, ct, time);

    /// <summary>
    /// Books a paid order's holds. Confirming is idempotent in the reservation service, so driving an order twice (a
    /// redelivery and the sweeper at once) books nothing twice. Transient failures throw: the event is redelivered.
    /// </summary>
    public async Task DriveAsync(string orderId, CancellationToken ct)
    {
        var order = await store.FindAsync(orderId, ct);
        if (order is not { Status: OrderStatus.Paid })
            return;

        foreach (var line in order.Lines)
        {
            if (await reservation.ConfirmAsync(line.HoldId, ct) is ConfirmAnswer.Refused refused)
            {
                logger.LogInformation("Order {OrderId}: hold {HoldId} refused ({Reason}); compensating", orderId, line.HoldId, refused.Reason);
                await store.TransitionAsync(orderId, (o, now) => o.AbortBooking(refused.Reason, now), ct);
                return;
            }
        }

        var (after, result) = await store.TransitionAsync(orderId, (o, now) => o.Confirm(now), ct);
        if (result is { IsIllegal: true })
        {
            // Cancelled while we were booking: its order.cancelled revokes what we just confirmed.
            logger.LogInformation("Order {OrderId} became {Status} while its holds were confirmed", orderId, after?.Status);
        }
    }
}
