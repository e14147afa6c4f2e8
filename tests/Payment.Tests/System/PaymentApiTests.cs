using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;
using Payment.Api;
using static Payment.Tests.System.PaymentSystem;

namespace Payment.Tests.System;

[Collection(PaymentSystemCollection.Name)]
public sealed class PaymentApiTests(PaymentSystems systems)
{
    [Fact]
    public async Task A_payment_is_readable_by_internal_callers_and_admins_only()
    {
        var payment = await systems.GetAsync();
        var orderId = await CapturedOrderAsync(payment, 12m);

        using var internalCall = await payment.Internal.GetAsync($"payments/{orderId}");
        using var admin = await payment.Direct.SendAsync(WithToken(new(HttpMethod.Get, $"payments/{orderId}"), AdminToken()));
        using var customer = await payment.Direct.SendAsync(WithToken(new(HttpMethod.Get, $"payments/{orderId}"), CustomerToken()));
        using var anonymous = await payment.Direct.GetAsync($"payments/{orderId}");
        using var unknown = await payment.Internal.GetAsync($"payments/{NewOrderId()}");

        internalCall.StatusCode.Should().Be(HttpStatusCode.OK);
        (await internalCall.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amount").GetDecimal().Should().Be(12m);
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
        customer.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a customer token is neither admin nor an internal caller");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no sidecar caller id and no token");
        await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admins_list_payments_by_status_and_others_cannot()
    {
        var payment = await systems.GetAsync();
        var captured = await CapturedOrderAsync(payment, 7m);
        var declined = await payment.PlaceOrderAsync(customerId: DeclinedCustomer);
        using (var answer = await payment.DeliverAsync(PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested,
                   Request(declined, customerId: DeclinedCustomer), NewEventId()))
            answer.StatusCode.Should().Be(HttpStatusCode.OK);

        var list = await AdminAsync<JsonElement>(payment, HttpMethod.Get, "admin/payments?status=declined&limit=500");
        var ids = list.EnumerateArray().Select(p => p.GetProperty("orderId").GetString()).ToList();
        ids.Should().Contain(declined).And.NotContain(captured);
        list.EnumerateArray().Should().OnlyContain(p => p.GetProperty("status").GetString() == "Declined");

        using var badStatus = await payment.Direct.SendAsync(WithToken(new(HttpMethod.Get, "admin/payments?status=pending"), AdminToken()));
        await ShouldBeProblemAsync(badStatus, HttpStatusCode.BadRequest);
        using var asCustomer = await payment.Direct.SendAsync(WithToken(new(HttpMethod.Get, "admin/payments"), CustomerToken()));
        asCustomer.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var asInternal = await payment.Internal.GetAsync("admin/payments");
        asInternal.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "internal callers read single payments, they do not administer");
    }

    [Fact]
    public async Task An_admin_refund_refunds_a_captured_payment_once_and_refuses_unknown_or_uncharged_ones()
    {
        var payment = await systems.GetAsync();
        var orderId = await CapturedOrderAsync(payment, 15m);

        var first = await AdminAsync<JsonElement>(payment, HttpMethod.Post, $"admin/payments/{orderId}/refund");
        var again = await AdminAsync<JsonElement>(payment, HttpMethod.Post, $"admin/payments/{orderId}/refund");

        first.GetProperty("status").GetString().Should().Be("Refunded");
        again.GetProperty("status").GetString().Should().Be("Refunded");
        (await payment.TransactionsAsync(orderId)).Should().Equal(new TransactionRow("Capture", 15m), new TransactionRow("Refund", 15m));
        (await payment.OutboxAsync(orderId)).Select(m => m.Topic).Should().Equal(Topics.PaymentSucceeded, Topics.PaymentRefunded);

        var voided = NewOrderId();
        using (var closed = await payment.DeliverAsync(PaymentSubscriptions.ClosedRoute(Topics.OrderFailed), Topics.OrderFailed, Closed(voided, "failed"), NewEventId()))
            closed.StatusCode.Should().Be(HttpStatusCode.OK);
        using var conflict = await payment.Direct.SendAsync(WithToken(new(HttpMethod.Post, $"admin/payments/{voided}/refund"), AdminToken()));
        await ShouldBeProblemAsync(conflict, HttpStatusCode.Conflict);
        using var missing = await payment.Direct.SendAsync(WithToken(new(HttpMethod.Post, $"admin/payments/{NewOrderId()}/refund"), AdminToken()));
        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound);
        using var asCustomer = await payment.Direct.SendAsync(WithToken(new(HttpMethod.Post, $"admin/payments/{orderId}/refund"), CustomerToken()));
        asCustomer.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await payment.PaymentAsync(voided))!.Status.Should().Be("Voided");
    }

    [Fact]
    public async Task An_admin_refund_racing_closures_of_the_same_order_refunds_once()
    {
        var payment = await systems.GetAsync();
        var orderId = await CapturedOrderAsync(payment, 9m);

        var answers = await Race.RunAsync(10, i => i % 2 == 0
            ? payment.Direct.SendAsync(WithToken(new(HttpMethod.Post, $"admin/payments/{orderId}/refund"), AdminToken()))
            : payment.DeliverAsync(PaymentSubscriptions.ClosedRoute(Topics.OrderCancelled), Topics.OrderCancelled, Closed(orderId, "cancelled", 9m), NewEventId()));

        foreach (var answer in answers)
        {
            using (answer)
                answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        }
        (await payment.TransactionsAsync(orderId)).Select(t => t.Kind).Should().Equal("Capture", "Refund");
        (await payment.OutboxAsync(orderId)).Count(m => m.Topic == Topics.PaymentRefunded).Should().Be(1);
    }

    private static async Task<string> CapturedOrderAsync(PaymentSystem payment, decimal amount)
    {
        var orderId = await payment.PlaceOrderAsync(amount);
        using var answer = await payment.DeliverAsync(PaymentSubscriptions.RequestedRoute, Topics.PaymentRequested, Request(orderId, amount), NewEventId());
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        (await payment.PaymentAsync(orderId))!.Status.Should().Be("Captured");
        return orderId;
    }

    private static async Task<T> AdminAsync<T>(PaymentSystem payment, HttpMethod method, string path)
    {
        using var response = await payment.Direct.SendAsync(WithToken(new(method, path), AdminToken()));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32().Should().Be((int)status);
    }
}
