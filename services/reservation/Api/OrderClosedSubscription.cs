using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Topology;
using Reservation.Application;
using Reservation.Infrastructure.State;

namespace Reservation.Api;

/// <summary>
/// Compensation of the order saga: when an order ends without being confirmed (cancelled, expired, payment failed),
/// its holds go back: active ones are released, bookings are revoked. Every step is idempotent on the hold's state
/// (and the ledger's <c>RevokedAt</c>), so at-least-once delivery needs no inbox here: a second delivery finds
/// nothing left to return.
/// </summary>
public static class OrderClosedSubscription
{
    public static IEndpointRouteBuilder MapOrderClosedSubscription(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/events").WithTags("Events").ExcludeFromDescription();
        foreach (var topic in new[] { Topics.OrderCancelled, Topics.OrderExpired, Topics.OrderFailed })
            events.MapPost("/" + topic, HandleAsync).WithTopic(Components.PubSub, topic);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        OrderClosed? closed, HoldService holds, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(OrderClosedSubscription));
        if (closed?.Lines is null || string.IsNullOrWhiteSpace(closed.OrderId))
        {
            // Retrying a malformed event can never succeed: drop it (Dapr sends it to the dead-letter topic if set).
            logger.LogError("Dropping an order-closed event without an order id or lines");
            return TypedResults.Ok(new { status = "DROP" });
        }

        foreach (var line in closed.Lines)
        {
            if (!Validation.IsId(line.HoldId))
                continue;
            var slotId = await holds.FindSlotAsync(line.HoldId, ct) ?? line.SlotId;
            try
            {
                var after = await holds.ReleaseOrRevokeAsync(slotId, line.HoldId, ct);
                logger.LogDebug("Order {OrderId} closed: hold {HoldId} is {Status}", closed.OrderId, line.HoldId, after?.Status);
            }
            catch (SlotNotFoundException)
            {
                // The slot is gone from the catalog: nothing is held there any more.
            }
        }

        // Contention (a confirm still in flight) or an unreachable store throws: 500, and Dapr redelivers.
        return TypedResults.Ok();
    }
}
