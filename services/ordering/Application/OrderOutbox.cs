using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.EntityFrameworkCore;
using Ordering.Domain;

namespace Ordering.Application;

/// <summary>Turns a transition's event into an outbox row in the same unit of work (partition key: the order id).</summary>
public static class OrderOutbox
{
    public static void Stage(DbContext db, Order order, Transition transition, TimeProvider time)
    {
        if (transition.Event is not { } happened)
            return;

        var outgoing = happened switch
        {
            OrderEvent.PaymentRequested => new OutgoingEvent(
                Topics.PaymentRequested, EventTypes.PaymentRequested,
                new PaymentRequested(order.Id, order.CustomerId, order.Amount, order.Currency), order.Id),
            OrderEvent.Confirmed => Closed(Topics.OrderConfirmed, EventTypes.OrderConfirmed, order),
            OrderEvent.Cancelled => Closed(Topics.OrderCancelled, EventTypes.OrderCancelled, order),
            OrderEvent.Expired => Closed(Topics.OrderExpired, EventTypes.OrderExpired, order),
            OrderEvent.Failed => Closed(Topics.OrderFailed, EventTypes.OrderFailed, order),
            _ => throw new ArgumentOutOfRangeException(nameof(transition), happened, "No topic for this event."),
        };
        db.Enqueue(outgoing, time);
    }

    private static OutgoingEvent Closed(string topic, string type, Order order) => new(
        topic, type,
        new OrderClosed(order.Id, order.CustomerId, order.Status.ToWire(), order.Reason, order.MayHaveBeenPaid, order.Amount,
            [.. order.Lines.Select(l => new OrderLineSnapshot(l.HoldId, l.SlotId, l.Quantity))]),
        order.Id);
}
