using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Topology;
using Ordering.Application;

namespace Ordering.Api;

/// <summary>
/// payment.succeeded / payment.failed, delivered at least once by Dapr. 200 acks (also for a duplicate: the inbox
/// already has it); 200 <c>{"status":"DROP"}</c> for an event that can never be applied (malformed, or contradicting
/// the order or payment's record: daprd dead-letters it when the subscription names a deadLetterTopic); 200
/// <c>{"status":"RETRY"}</c> when payment could not be asked, and 500 when the work failed: Dapr redelivers both.
/// </summary>
public static class PaymentEventSubscriptions
{
    public static IEndpointRouteBuilder MapPaymentEventSubscriptions(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/events").WithTags("Events").ExcludeFromDescription();
        events.MapPost("/" + Topics.PaymentSucceeded, async (PaymentSucceeded? paid, HttpRequest request, OrderSaga saga, ILogger<OrderSaga> logger, CancellationToken ct) =>
        {
            if (paid is null || !SagaIds.IsOrderId(paid.OrderId) || !SagaIds.IsPaymentId(paid.PaymentId) || request.CloudEventId() is not { } id)
                return Drop(logger, Topics.PaymentSucceeded, request);
            return Answer(await saga.OnPaymentSucceededAsync(paid, id, ct));
        }).WithTopic(Components.PubSub, Topics.PaymentSucceeded);

        events.MapPost("/" + Topics.PaymentFailed, async (PaymentFailed? failed, HttpRequest request, OrderSaga saga, ILogger<OrderSaga> logger, CancellationToken ct) =>
        {
            if (failed is null || !SagaIds.IsOrderId(failed.OrderId) || failed.PaymentId is { } paymentId && !SagaIds.IsPaymentId(paymentId)
                || request.CloudEventId() is not { } id)
                return Drop(logger, Topics.PaymentFailed, request);
            return Answer(await saga.OnPaymentFailedAsync(failed, id, ct));
        }).WithTopic(Components.PubSub, Topics.PaymentFailed);
        return app;
    }

    private static IResult Answer(EventVerdict verdict) => verdict switch
    {
        EventVerdict.Applied => Results.Ok(new { status = "SUCCESS" }),
        EventVerdict.Drop => Results.Ok(new { status = "DROP" }),
        _ => Results.Ok(new { status = "RETRY" }),
    };

    // Retrying a malformed event can never succeed: DROP. Its ids are not logged: they may be anything (10 KB, control characters).
    private static IResult Drop(ILogger logger, string topic, HttpRequest request)
    {
        logger.LogWarning("Dropped a malformed {Topic} event {MessageId}: missing or ill-formed ids", topic, request.CloudEventId() is { Length: <= 128 } id ? id : "?");
        return Results.Ok(new { status = "DROP" });
    }
}
