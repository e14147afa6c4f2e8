using System.Text.Json;
using Dapr;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Topology;
using Payment.Domain;
using Payment.Infrastructure;

namespace Payment.Api;

/// <summary>
/// The saga events payment consumes. Every handler answers 200 once the event is applied or recognised as a
/// duplicate (Dapr acks), 200 <c>{"status":"DROP"}</c> for an event that can never be applied (unreadable or
/// invalid data, no CloudEvent id: retrying would fail forever), and 500 when the work failed (the database is
/// unreachable), so Dapr redelivers. <c>order.confirmed</c> is not subscribed: a confirmed order keeps its payment.
/// </summary>
public static class PaymentSubscriptions
{
    public const string RequestedRoute = "/events/payment-requested";

    /// <summary>The closures that end an order without a booking: refund if captured, void if no payment yet.</summary>
    public static readonly IReadOnlyList<string> ClosedTopics = [Topics.OrderCancelled, Topics.OrderExpired, Topics.OrderFailed];

    public static string ClosedRoute(string topic) => "/events/" + topic.Replace('.', '-');

    public static IEndpointRouteBuilder MapPaymentSubscriptions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(RequestedRoute, OnPaymentRequestedAsync)
            .WithTopic(Components.PubSub, Topics.PaymentRequested)
            .WithTags("events")
            .WithName("OnPaymentRequested")
            .ProducesDefaultProblems();

        foreach (var topic in ClosedTopics)
        {
            endpoints.MapPost(ClosedRoute(topic), (HttpRequest request, PaymentProcessor processor, ILoggerFactory logs, CancellationToken ct) =>
                    OnOrderClosedAsync(topic, request, processor, logs.CreateLogger(typeof(PaymentSubscriptions)), ct))
                .WithTopic(Components.PubSub, topic)
                .WithTags("events")
                .WithName("On" + string.Concat(topic.Split('.', '-').Select(part => char.ToUpperInvariant(part[0]) + part[1..])))
                .ProducesDefaultProblems();
        }

        return endpoints;
    }

    private static async Task<IResult> OnPaymentRequestedAsync(
        HttpRequest request, PaymentProcessor processor, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(PaymentSubscriptions));
        var (data, messageId) = await ReadAsync<PaymentRequested>(request, Topics.PaymentRequested, logger, ct);
        if (data is null || messageId is null)
            return Drop();

        var payment = new PaymentRequest(data.OrderId, data.CustomerId, data.Amount, data.Currency);
        if (Invalid(PaymentRules.Validate(payment), Topics.PaymentRequested, messageId, logger))
            return Drop();

        try
        {
            return await processor.HandleRequestAsync(payment, messageId, ct) == RequestHandling.Refused
                ? Drop()
                : TypedResults.Ok(SubscriptionResponse.Success);
        }
        catch (OrderingUnavailableException unavailable)
        {
            // Not the event's fault: it may match once ordering answers. RETRY, never DROP.
            logger.LogWarning("Retrying {Topic} event {MessageId}: {Reason}", Topics.PaymentRequested, messageId, unavailable.Message);
            return TypedResults.Ok(SubscriptionResponse.Retry);
        }
    }

    private static async Task<IResult> OnOrderClosedAsync(
        string topic, HttpRequest request, PaymentProcessor processor, ILogger logger, CancellationToken ct)
    {
        var (data, messageId) = await ReadAsync<OrderClosed>(request, topic, logger, ct);
        if (data is null || messageId is null)
            return Drop();

        // The status names the closure in the payment's reason; the topic says the same when an old publisher left it out.
        var status = string.IsNullOrWhiteSpace(data.Status) ? topic["order.".Length..] : data.Status;
        var closure = new OrderClosure(data.OrderId, data.CustomerId, data.Amount, status, data.Reason);
        if (Invalid(PaymentRules.Validate(closure), topic, messageId, logger))
            return Drop();

        await processor.HandleClosedAsync(topic, closure, messageId, ct);
        return TypedResults.Ok(SubscriptionResponse.Success);
    }

    private static async Task<(T? Data, string? MessageId)> ReadAsync<T>(HttpRequest request, string topic, ILogger logger, CancellationToken ct)
        where T : class
    {
        var messageId = request.CloudEventId();
        if (messageId is null)
        {
            logger.LogWarning("Dropped a {Topic} delivery without a CloudEvent id: it cannot be deduplicated", topic);
            return (null, null);
        }

        try
        {
            var data = await JsonSerializer.DeserializeAsync<T>(request.Body, DaprReservationsJson.Options, ct);
            if (data is null)
                logger.LogWarning("Dropped {Topic} event {MessageId}: no data", topic, messageId);
            return (data, messageId);
        }
        catch (JsonException exception)
        {
            logger.LogWarning("Dropped {Topic} event {MessageId}: unreadable data ({Error})", topic, messageId, exception.Message);
            return (null, messageId);
        }
    }

    private static bool Invalid(IReadOnlyDictionary<string, string[]> errors, string topic, string messageId, ILogger logger)
    {
        if (errors.Count == 0)
            return false;
        logger.LogWarning("Dropped {Topic} event {MessageId}: invalid {Fields}", topic, messageId,
            string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")));
        return true;
    }

    private static IResult Drop() => TypedResults.Ok(SubscriptionResponse.Drop);
}
