using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Topology;
using Ordering.Application;

namespace Ordering.Api;

/// <summary>
/// payment.succeeded / payment.failed, delivered at least once by Dapr. 200 acks (also for a duplicate: the inbox
/// already has it); an exception answers 500 and Dapr redelivers; an event that can never be handled is dropped.
/// </summary>
public static class PaymentEventSubscriptions
{
    public static IEndpointRouteBuilder MapPaymentEventSubscriptions(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/events").WithTags("Events").ExcludeFromDescription();
        events.MapPost("/" + Topics.PaymentSucceeded, async (PaymentSucceeded? paid, HttpRequest request, OrderSaga saga, ILogger<OrderSaga> logger, CancellationToken ct) =>
        {
            if (paid is null || string.IsNullOrWhiteSpace(paid.OrderId) || request.CloudEventId() is not { } id)
                return Drop(logger, Topics.PaymentSucceeded);
            await saga.OnPaymentSucceededAsync(paid, id, ct);
            return Results.Ok();
        }).WithTopic(Components.PubSub, Topics.PaymentSucceeded);

        events.MapPost("/" + Topics.PaymentFailed, async (PaymentFailed? failed, HttpRequest request, OrderSaga saga, ILogger<OrderSaga> logger, CancellationToken ct) =>
        {
            if (failed is null || string.IsNullOrWhiteSpace(failed.OrderId) || request.CloudEventId() is not { } id)
                return Drop(logger, Topics.PaymentFailed);
            await saga.OnPaymentFailedAsync(failed, id, ct);
            return Results.Ok();
        }).WithTopic(Components.PubSub, Topics.PaymentFailed);
        return app;
    }

    // Retrying a malformed event can never succeed: DROP (Dapr moves it to the dead-letter topic when one is set).
    private static IResult Drop(ILogger logger, string topic)
    {
        logger.LogError("Dropping a malformed {Topic} event", topic);
        return Results.Ok(new { status = "DROP" });
    }
}
