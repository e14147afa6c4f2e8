using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;
using Payment.Api;
using Payment.Infrastructure;
using static Payment.Tests.System.PaymentSystem;

namespace Payment.Tests.System;

/// <summary>
/// Many deliveries released at the same instant onto the app's subscription routes, as daprd does when it redelivers
/// while the first attempt is still running: the database must let exactly one effect through.
/// </summary>
[Collection(PaymentSystemCollection.Name)]
public sealed class PaymentRaceTests(PaymentSystems systems)
{
    private const int Deliveries = 20;

    [Fact]
    public async Task Twenty_concurrent_deliveries_of_one_request_event_capture_once()
    {
        var payment = await systems.GetAsync();
        var orderId = await payment.PlaceOrderAsync();
        var eventId = NewEventId();

        var answers = await Race.RunAsync(Deliveries, _ =>
            payment.DeliverAsync(PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested, Request(orderId), eventId));

        await ShouldAllSucceedAsync(answers);
        (await payment.TransactionsAsync(orderId)).Should().ContainSingle().Which.Kind.Should().Be("Capture");
        (await payment.OutboxAsync(orderId)).Should().ContainSingle().Which.Topic.Should().Be(Topics.PaymentSucceeded);
        (await payment.InboxCountAsync(PaymentProcessor.RequestedConsumer, eventId)).Should().Be(1);
    }

    [Fact]
    public async Task Twenty_concurrent_requests_for_one_order_under_different_event_ids_capture_once()
    {
        var payment = await systems.GetAsync();
        var orderId = await payment.PlaceOrderAsync(10m);
        var eventIds = Enumerable.Range(0, Deliveries).Select(_ => NewEventId()).ToArray();

        var answers = await Race.RunAsync(Deliveries, i =>
            payment.DeliverAsync(PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested, Request(orderId, amount: 10m), eventIds[i]));

        await ShouldAllSucceedAsync(answers);
        var capture = (await payment.TransactionsAsync(orderId)).Should().ContainSingle().Subject;
        capture.Kind.Should().Be("Capture");
        (await payment.PaymentAsync(orderId))!.Amount.Should().Be(capture.Amount, "the one stored payment is the one captured");
        (await payment.OutboxAsync(orderId)).Should().ContainSingle().Which.Topic.Should().Be(Topics.PaymentSucceeded);
        (await payment.InboxCountAsync(PaymentProcessor.RequestedConsumer, eventIds)).Should().Be(Deliveries);
    }

    [Fact]
    public async Task Twenty_concurrent_closures_of_a_captured_order_refund_once()
    {
        var payment = await systems.GetAsync();
        var orderId = await payment.PlaceOrderAsync(30m);
        using var captured = await payment.DeliverAsync(PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested, Request(orderId, 30m), NewEventId());
        captured.StatusCode.Should().Be(HttpStatusCode.OK);
        var sameId = NewEventId();

        // Half redeliveries of one cancellation, half distinct closures (cancelled, expired, failed) of the same order.
        var answers = await Race.RunAsync(Deliveries, i =>
        {
            var topic = PaymentSubscriptions.ClosedTopics[i % PaymentSubscriptions.ClosedTopics.Count];
            return i < Deliveries / 2
                ? payment.DeliverAsync(PaymentSubscriptions.ClosedRoute(Topics.OrderCancelled), Topics.OrderCancelled, Closed(orderId, "cancelled", 30m), sameId)
                : payment.DeliverAsync(PaymentSubscriptions.ClosedRoute(topic), topic, Closed(orderId, topic["order.".Length..], 30m), NewEventId());
        });

        await ShouldAllSucceedAsync(answers);
        (await payment.PaymentAsync(orderId))!.Status.Should().Be("Refunded");
        (await payment.TransactionsAsync(orderId)).Select(t => t.Kind).Should().Equal("Capture", "Refund");
        (await payment.OutboxAsync(orderId)).Select(m => m.Topic).Should().Equal(Topics.PaymentSucceeded, Topics.PaymentRefunded);
    }

    [Fact]
    public async Task A_request_racing_its_orders_closure_either_never_charges_or_is_refunded()
    {
        var payment = await systems.GetAsync();
        var orderIds = new string[10];
        for (var i = 0; i < orderIds.Length; i++)
            orderIds[i] = await payment.PlaceOrderAsync(5m);

        var answers = await Race.RunAsync(orderIds.Length * 2, i => i % 2 == 0
            ? payment.DeliverAsync(PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested, Request(orderIds[i / 2], 5m), NewEventId())
            : payment.DeliverAsync(PaymentSubscriptions.ClosedRoute(Topics.OrderCancelled), Topics.OrderCancelled, Closed(orderIds[i / 2], "cancelled", 5m), NewEventId()));

        await ShouldAllSucceedAsync(answers);
        foreach (var orderId in orderIds)
        {
            var kinds = (await payment.TransactionsAsync(orderId)).Select(t => t.Kind).ToList();
            var status = (await payment.PaymentAsync(orderId))!.Status;
            // Either the closure came first (voided, nothing taken) or the capture did (then refunded): never kept.
            (status, kinds.Count).Should().BeOneOf(("Voided", 0), ("Refunded", 2));
            if (status == "Refunded")
                kinds.Should().Equal("Capture", "Refund");
        }
    }

    private static async Task ShouldAllSucceedAsync(IEnumerable<HttpResponseMessage> answers)
    {
        foreach (var answer in answers)
        {
            using (answer)
            {
                answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
                (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("SUCCESS");
            }
        }
    }
}
