using DaprReservations.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.BuildingBlocks.Contracts;
using DaprReservations.BuildingBlocks.Topology;
using Payment.Infrastructure;
using static Payment.Tests.System.PaymentSystem;

namespace Payment.Tests.System;

/// <summary>The saga steps payment owns, driven by events published through the sidecars and checked in SQL and Redis.</summary>
[Collection(PaymentSystemCollection.Name)]
public sealed class PaymentSagaTests(PaymentSystems systems)
{
    private static readonly string RequestedConsumer = PaymentProcessor.RequestedConsumer;

    [Fact]
    public async Task A_request_is_captured_once_and_payment_succeeded_leaves_through_the_outbox()
    {
        var payment = await systems.GetAsync();
        var orderId = await payment.PlaceOrderAsync(25.50m);
        var eventId = NewEventId();

        await payment.PublishAsync(Topics.PaymentRequested, Request(orderId, amount: 25.50m), eventId);
        await Eventually.TrueAsync(async () => (await payment.OutboxAsync(orderId)).Any(m => m.Published), "payment.succeeded published", payment.Logs);

        var stored = (await payment.PaymentAsync(orderId))!;
        stored.Status.Should().Be("Captured");
        stored.Amount.Should().Be(25.50m);
        stored.Currency.Should().Be("EUR");
        (await payment.TransactionsAsync(orderId)).Should().Equal(new TransactionRow("Capture", 25.50m));
        (await payment.InboxCountAsync(RequestedConsumer, eventId)).Should().Be(1);

        var outbox = (await payment.OutboxAsync(orderId)).Should().ContainSingle().Subject;
        outbox.Topic.Should().Be(Topics.PaymentSucceeded);
        outbox.Type.Should().Be(EventTypes.PaymentSucceeded);
        outbox.PartitionKey.Should().Be(orderId);
        outbox.Payload.GetProperty("orderId").GetString().Should().Be(orderId);
        outbox.Payload.GetProperty("paymentId").GetString().Should().Be(stored.PaymentId);
        outbox.Payload.GetProperty("amount").GetDecimal().Should().Be(25.50m);

        // What the sidecar put on the broker: the outbox row's id as the CloudEvent id, its payload as data.
        var published = (await payment.StreamAsync(Topics.PaymentSucceeded))[outbox.MessageId];
        published.GetProperty("type").GetString().Should().Be(EventTypes.PaymentSucceeded);
        published.GetProperty("source").GetString().Should().Be(AppIds.Payment);
        published.GetProperty("data").GetProperty("orderId").GetString().Should().Be(orderId);
        published.GetProperty("data").GetProperty("paymentId").GetString().Should().Be(stored.PaymentId);

        // ordering reads it back through its sidecar.
        var read = await payment.Internal.GetFromJsonAsync<JsonElement>($"payments/{orderId}");
        read.GetProperty("status").GetString().Should().Be("Captured");
        read.GetProperty("transactions").EnumerateArray().Should().ContainSingle();

        // ordering believed payment.succeeded because payment's record says the same: the order is paid and confirmed.
        await Eventually.TrueAsync(async () => await payment.OrderStatusAsync(orderId) == "Confirmed", "the order confirmed", payment.Dapr.Logs("ordering"));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_and_the_same_order_requested_again_under_a_new_id_charge_once()
    {
        var payment = await systems.GetAsync();
        var orderId = await payment.PlaceOrderAsync(10m);
        var eventId = NewEventId();
        var otherId = NewEventId();

        await payment.PublishAsync(Topics.PaymentRequested, Request(orderId, amount: 10m), eventId);
        await payment.PublishAsync(Topics.PaymentRequested, Request(orderId, amount: 10m), eventId);
        await payment.PublishAsync(Topics.PaymentRequested, Request(orderId, amount: 10m), otherId);
        await payment.WaitAckedAsync(Topics.PaymentRequested, eventId, copies: 2);
        await payment.WaitAckedAsync(Topics.PaymentRequested, otherId);

        (await payment.TransactionsAsync(orderId)).Should().ContainSingle().Which.Kind.Should().Be("Capture");
        (await payment.PaymentAsync(orderId))!.Status.Should().Be("Captured");
        (await payment.OutboxAsync(orderId)).Should().ContainSingle().Which.Topic.Should().Be(Topics.PaymentSucceeded);
        (await payment.InboxCountAsync(RequestedConsumer, eventId, otherId)).Should().Be(2, "each distinct event id is recorded once");
    }

    [Fact]
    public async Task A_declined_customer_gets_payment_failed_and_no_capture()
    {
        var payment = await systems.GetAsync();
        var orderId = await payment.PlaceOrderAsync(customerId: DeclinedCustomer);

        await payment.PublishAsync(Topics.PaymentRequested, Request(orderId, customerId: DeclinedCustomer), NewEventId());
        await Eventually.TrueAsync(async () => (await payment.OutboxAsync(orderId)).Any(m => m.Published), "payment.failed published", payment.Logs);

        var stored = (await payment.PaymentAsync(orderId))!;
        stored.Status.Should().Be("Declined");
        stored.Reason.Should().Be(SimulatedPaymentGateway.DeclinedCustomerReason);
        (await payment.TransactionsAsync(orderId)).Should().BeEmpty();
        var failed = (await payment.OutboxAsync(orderId)).Should().ContainSingle().Subject;
        failed.Topic.Should().Be(Topics.PaymentFailed);
        failed.Payload.GetProperty("reason").GetString().Should().Be(SimulatedPaymentGateway.DeclinedCustomerReason);
        (await payment.StreamAsync(Topics.PaymentFailed)).Should().ContainKey(failed.MessageId);
        await Eventually.TrueAsync(async () => await payment.OrderStatusAsync(orderId) == "Failed", "the order failed", payment.Dapr.Logs("ordering"));
    }

    [Fact]
    public async Task With_a_failure_rate_of_one_every_charge_is_declined_with_payment_failed()
    {
        var payment = await systems.GetAsync(ProviderProfile.Failing);
        var orders = new List<string>();
        for (var i = 0; i < 5; i++)
            orders.Add(await payment.PlaceOrderAsync());

        foreach (var orderId in orders)
            await payment.PublishAsync(Topics.PaymentRequested, Request(orderId), NewEventId());
        foreach (var orderId in orders)
            await Eventually.TrueAsync(async () => (await payment.OutboxAsync(orderId)).Any(m => m.Published), $"{orderId} answered", payment.Logs);

        foreach (var orderId in orders)
        {
            (await payment.PaymentAsync(orderId))!.Status.Should().Be("Declined");
            (await payment.TransactionsAsync(orderId)).Should().BeEmpty();
            var failed = (await payment.OutboxAsync(orderId)).Should().ContainSingle().Subject;
            failed.Topic.Should().Be(Topics.PaymentFailed);
            failed.Payload.GetProperty("reason").GetString().Should().Be(SimulatedPaymentGateway.SimulatedFailureReason);
        }
    }

    [Fact]
    public async Task An_order_closed_before_its_request_arrives_is_voided_and_the_late_request_charges_nothing()
    {
        var payment = await systems.GetAsync();
        var orderId = NewOrderId();
        var closeId = NewEventId();
        var requestId = NewEventId();

        await payment.PublishAsync(Topics.OrderExpired, Closed(orderId, "expired"), closeId);
        await payment.WaitAckedAsync(Topics.OrderExpired, closeId);
        var voided = (await payment.PaymentAsync(orderId))!;
        voided.Status.Should().Be("Voided");
        voided.Currency.Should().Be("XXX");

        await payment.PublishAsync(Topics.PaymentRequested, Request(orderId), requestId);
        await payment.WaitAckedAsync(Topics.PaymentRequested, requestId);

        (await payment.InboxCountAsync(RequestedConsumer, requestId)).Should().Be(1, "the request was processed, not lost");
        (await payment.PaymentAsync(orderId)).Should().Be(voided, "the voided payment is left exactly as it was");
        (await payment.TransactionsAsync(orderId)).Should().BeEmpty();
        (await payment.OutboxAsync(orderId)).Should().BeEmpty();
    }

    [Fact]
    public async Task An_order_closed_twice_after_capture_is_refunded_exactly_once()
    {
        var payment = await systems.GetAsync();
        var orderId = await payment.PlaceOrderAsync(40m);
        await payment.PublishAsync(Topics.PaymentRequested, Request(orderId, amount: 40m), NewEventId());
        await Eventually.TrueAsync(async () => (await payment.PaymentAsync(orderId))?.Status == "Captured", "captured", payment.Logs);

        var cancelled = NewEventId();
        var expired = NewEventId();
        await payment.PublishAsync(Topics.OrderCancelled, Closed(orderId, "cancelled", 40m), cancelled);
        await payment.PublishAsync(Topics.OrderCancelled, Closed(orderId, "cancelled", 40m), cancelled);
        await payment.PublishAsync(Topics.OrderExpired, Closed(orderId, "expired", 40m), expired);
        await payment.WaitAckedAsync(Topics.OrderCancelled, cancelled, copies: 2);
        await payment.WaitAckedAsync(Topics.OrderExpired, expired);

        (await payment.PaymentAsync(orderId))!.Status.Should().Be("Refunded");
        (await payment.TransactionsAsync(orderId)).Should().Equal(new TransactionRow("Capture", 40m), new TransactionRow("Refund", 40m));
        var refunds = (await payment.OutboxAsync(orderId)).Where(m => m.Topic == Topics.PaymentRefunded).ToList();
        refunds.Should().ContainSingle().Which.Payload.GetProperty("amount").GetDecimal().Should().Be(40m);
        await Eventually.TrueAsync(async () => (await payment.StreamAsync(Topics.PaymentRefunded)).ContainsKey(refunds[0].MessageId),
            "payment.refunded on the broker", payment.Logs);
    }

    [Fact]
    public async Task A_poison_event_is_dropped_and_acked_while_valid_events_flow_on()
    {
        var payment = await systems.GetAsync();
        var poisonOrder = NewOrderId();
        var poisonId = NewEventId();
        var goodOrder = await payment.PlaceOrderAsync();

        await payment.PublishAsync(Topics.PaymentRequested, new { orderId = poisonOrder, customerId = "c", amount = -5, currency = "EUR" }, poisonId);
        await payment.PublishAsync(Topics.PaymentRequested, Request(goodOrder), NewEventId());
        await payment.WaitAckedAsync(Topics.PaymentRequested, poisonId);
        await Eventually.TrueAsync(async () => (await payment.PaymentAsync(goodOrder)) is not null, "the valid request processed", payment.Logs);

        (await payment.PaymentAsync(poisonOrder)).Should().BeNull();
        (await payment.InboxCountAsync(RequestedConsumer, poisonId)).Should().Be(0, "a dropped event had no effect, not even an inbox row");

        // What daprd reads in the answers: DROP for data that can never be applied, never a retriable status.
        using var unreadable = await payment.DeliverAsync(Api.PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested, "not an object", NewEventId());
        await ShouldDropAsync(unreadable);
        using var invalid = await payment.DeliverAsync(Api.PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested,
            new { orderId = "", customerId = "c", amount = 1, currency = "EUR" }, NewEventId());
        await ShouldDropAsync(invalid);
        using var badClosure = await payment.DeliverAsync(Api.PaymentSubscriptions.ClosedRoute(Topics.OrderCancelled), Topics.OrderCancelled,
            new { orderId = poisonOrder, amount = "lots" }, NewEventId());
        await ShouldDropAsync(badClosure);
        (await payment.PaymentAsync(poisonOrder)).Should().BeNull();
    }

    [Fact]
    public async Task The_app_subscribes_to_requests_and_closures_but_not_to_confirmed_orders()
    {
        var payment = await systems.GetAsync();

        var subscriptions = await payment.AsSidecar.GetFromJsonAsync<JsonElement>("dapr/subscribe");

        subscriptions.EnumerateArray().Select(s => (s.GetProperty("pubsubName").GetString(), s.GetProperty("topic").GetString()))
            .Should().BeEquivalentTo(new[]
            {
                (Components.PubSub, Topics.PaymentRequested), (Components.PubSub, Topics.OrderCancelled),
                (Components.PubSub, Topics.OrderExpired), (Components.PubSub, Topics.OrderFailed),
            });
    }

    private static async Task ShouldDropAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("DROP");
    }
}
