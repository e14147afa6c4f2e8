using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.BuildingBlocks.Topology;
using DaprReservations.Testing;

namespace Ordering.Tests.System;

/// <summary>
/// Forged payment events posted straight to ordering's subscription routes, as daprd delivers them (the attack of
/// issue 11: a declined customer publishing payment.succeeded for their own order). Each is sent right after "pay",
/// while the order waits for its payment, so without the checks it would be believed. Ordering checks every event
/// against the order and payment's record (read from the running payment app): a forgery changes nothing, answers
/// DROP and is logged; only an unreachable payment makes it RETRY. Outcomes are read from every service's SQL.
/// </summary>
[Collection(SagaCollection.Name)]
public sealed class ForgedPaymentEventTests(SagaSystem system)
{
    private const decimal Price = 15_000m;
    private static readonly TimeSpan SagaTime = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("amount")]
    [InlineData("currency")]
    [InlineData("payment id")]
    [InlineData("malformed payment id")]
    public async Task A_forged_payment_succeeded_for_a_declined_customers_order_is_dropped_and_the_order_fails_without_booking_or_capture(string forged)
    {
        var (slot, hold, orderId) = await PaidOrderAsync(SagaSystem.DeclinedCustomer);
        var eventId = NewId();
        object forgery = forged switch
        {
            "amount" => new { orderId, paymentId = NewId(), amount = 0m, currency = "KRW" },
            "currency" => new { orderId, paymentId = NewId(), amount = Price, currency = "USD" },
            "payment id" => new { orderId, paymentId = NewId(), amount = Price, currency = "KRW" },
            _ => new { orderId, paymentId = "x", amount = Price },
        };

        using var answer = await system.DeliverToOrderingAsync(Topics.PaymentSucceeded, forgery, eventId);

        await ShouldDropAsync(answer);
        await system.WaitForStatusAsync(SagaSystem.DeclinedCustomer, orderId, SagaTime, "failed");
        await ShouldHaveNoBookingAndNoMoneyAsync(slot, hold, orderId);
        if (forged != "malformed payment id")
            system.Logs("ordering").Should().Contain(orderId).And.Contain(eventId).And.Contain(forged == "payment id" ? "payment" : forged);
    }

    [Fact]
    public async Task A_real_payment_succeeded_replayed_for_another_order_is_dropped()
    {
        var (_, paidHold, paidOrder) = await PaidOrderAsync("ivan");
        await system.WaitForStatusAsync("ivan", paidOrder, SagaTime, "confirmed");
        var (paymentId, _) = (await system.PaymentRowAsync(paidOrder))!.Value;

        var (slot, hold, orderId) = await PaidOrderAsync(SagaSystem.DeclinedCustomer);
        var eventId = NewId();
        using var answer = await system.DeliverToOrderingAsync(Topics.PaymentSucceeded, new { orderId, paymentId, amount = Price, currency = "KRW" }, eventId);

        await ShouldDropAsync(answer);
        await system.WaitForStatusAsync(SagaSystem.DeclinedCustomer, orderId, SagaTime, "failed");
        await ShouldHaveNoBookingAndNoMoneyAsync(slot, hold, orderId);
        system.Logs("ordering").Should().Contain(orderId).And.Contain(eventId);
        // The order whose payment was replayed is untouched: booked once, charged once.
        (await system.GetOrderAsync("ivan", paidOrder)).GetProperty("status").GetString().Should().Be("confirmed");
        (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE HoldId = $h AND RevokedAt IS NULL", ("$h", paidHold))).Should().Be(1);
        (await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o", ("$o", paidOrder))).Should().Be(1);
    }

    [Fact]
    public async Task A_forged_payment_failed_does_not_fail_an_order_being_paid_nor_change_a_confirmed_one()
    {
        var (_, hold, orderId) = await PaidOrderAsync("judy");

        using var early = await system.DeliverToOrderingAsync(Topics.PaymentFailed, new { orderId, reason = "card declined" });

        await ShouldDropAsync(early);
        await system.WaitForStatusAsync("judy", orderId, SagaTime, "confirmed");
        var (paymentId, status) = (await system.PaymentRowAsync(orderId))!.Value;
        status.Should().Be("Captured");
        var before = await OrderRowAsync(orderId);

        // Even with the real payment id: payment recorded a capture, not a decline.
        using var late = await system.DeliverToOrderingAsync(Topics.PaymentFailed, new { orderId, reason = "card declined", paymentId });

        await ShouldDropAsync(late);
        (await OrderRowAsync(orderId)).Should().Be(before, "nothing about the order changed");
        (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE HoldId = $h AND RevokedAt IS NULL", ("$h", hold))).Should().Be(1);
        (await TransactionsAsync(orderId)).Should().Equal("Capture");
    }

    [Fact]
    public async Task With_payment_unreachable_a_payment_succeeded_is_retried_not_dropped_and_the_real_payment_confirms_the_order()
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 2, price: Price))[0];
        var hold = await system.HoldAsync("kim", slot, 1);
        var orderId = (await system.OrderAsync("kim", hold)).GetProperty("id").GetString()!;

        await system.Dapr.StopAppAsync("payment");
        try
        {
            (await system.PayAsync("kim", orderId)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            using var answer = await system.DeliverToOrderingAsync(Topics.PaymentSucceeded, new { orderId, paymentId = NewId(), amount = Price, currency = "KRW" });

            var body = await answer.Content.ReadAsStringAsync();
            var retried = !answer.IsSuccessStatusCode || JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() == "RETRY";
            retried.Should().BeTrue($"an event that cannot be checked must come again (answer {(int)answer.StatusCode} {body})");
            (await OrderRowAsync(orderId)).Should().Match<(string Status, string? PaymentId, long Version)>(o => o.Status == "AwaitingPayment" && o.PaymentId == null);
        }
        finally
        {
            await system.Dapr.StartAppAsync("payment");
        }

        await system.WaitForStatusAsync("kim", orderId, SagaTime, "confirmed");
        var (paymentId, _) = (await system.PaymentRowAsync(orderId))!.Value;
        (await OrderRowAsync(orderId)).PaymentId.Should().Be(paymentId, "the order was paid by the payment payment recorded");
        (await TransactionsAsync(orderId)).Should().Equal("Capture");
        (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE HoldId = $h AND RevokedAt IS NULL", ("$h", hold))).Should().Be(1);
    }

    /// <summary>A one-seat order of <paramref name="customer"/>, just asked to pay: it waits for payment's answer.</summary>
    private async Task<(string Slot, string Hold, string OrderId)> PaidOrderAsync(string customer)
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 2, price: Price))[0];
        var hold = await system.HoldAsync(customer, slot, 1);
        var orderId = (await system.OrderAsync(customer, hold)).GetProperty("id").GetString()!;
        (await system.PayAsync(customer, orderId)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        return (slot, hold, orderId);
    }

    private async Task ShouldHaveNoBookingAndNoMoneyAsync(string slot, string hold, string orderId)
    {
        (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE HoldId = $h", ("$h", hold))).Should().Be(0);
        (await TransactionsAsync(orderId)).Should().BeEmpty();
        (await system.PaymentRowAsync(orderId))!.Value.Status.Should().Be("Declined");
        (await OrderRowAsync(orderId)).PaymentId.Should().BeNull("no payment was ever believed");
        (await system.ScalarAsync("ordering", "SELECT COUNT(*) FROM OutboxMessages WHERE PartitionKey = $o AND Topic = 'order.confirmed'", ("$o", orderId)))
            .Should().Be(0);
        await Eventually.Async(async () => (await system.AvailabilityAsync(slot)).GetProperty("available").GetInt32().Should().Be(2), SagaTime);
    }

    private async Task<(string Status, string? PaymentId, long Version)> OrderRowAsync(string orderId) =>
        (await system.QueryAsync("ordering", "SELECT Status, PaymentId, Version FROM Orders WHERE Id = $o",
            r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2)), ("$o", orderId))).Single();

    private async Task<List<string>> TransactionsAsync(string orderId) =>
        await system.QueryAsync("payment", "SELECT Kind FROM PaymentTransactions WHERE OrderId = $o ORDER BY At", r => r.GetString(0), ("$o", orderId));

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static async Task ShouldDropAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("DROP");
    }
}
