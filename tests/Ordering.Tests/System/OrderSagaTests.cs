using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;

namespace Ordering.Tests.System;

/// <summary>
/// The saga end to end, with every service running: each claim is checked in the services' own SQL (bookings,
/// payments, outbox rows) and hot state, not only in the answers.
/// </summary>
[Collection(SagaCollection.Name)]
public sealed class OrderSagaTests(SagaSystem system)
{
    private static readonly TimeSpan SagaTime = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hold_order_pay_ends_confirmed_with_one_booking_one_capture_and_the_events_published()
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 5, price: 12_000m))[0];
        var hold = await system.HoldAsync("alice", slot, 2);
        var order = await system.OrderAsync("alice", hold);
        var orderId = order.GetProperty("id").GetString()!;
        order.GetProperty("status").GetString().Should().Be("pending");
        order.GetProperty("amount").GetDecimal().Should().Be(24_000m);

        (await system.PayAsync("alice", orderId)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await system.WaitForStatusAsync("alice", orderId, SagaTime, "confirmed");
        (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE HoldId = $h AND RevokedAt IS NULL", ("$h", hold))).Should().Be(1);
        (await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Capture'", ("$o", orderId))).Should().Be(1);
        (await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Refund'", ("$o", orderId))).Should().Be(0);
        await Eventually.Async(async () => (await OutboxAsync(orderId)).Should().Equal(
            ("payment.requested", true), ("order.confirmed", true)));
        (await system.AvailabilityAsync(slot)).GetProperty("booked").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Holds_confirmed_at_once_one_refused_cancels_the_order_revokes_the_others_and_refunds_once()
    {
        var slots = await system.CreateSlotsAsync(5, capacity: 2);
        var holds = new List<string>();
        foreach (var slot in slots)
            holds.Add(await system.HoldAsync("hana", slot, 1));
        var orderId = (await system.OrderAsync("hana", [.. holds])).GetProperty("id").GetString()!;
        // The customer lets one seat go after ordering: the saga's confirmation of that hold is refused.
        (await system.As("hana", "reservation").DeleteAsync($"holds/{holds[2]}")).IsSuccessStatusCode.Should().BeTrue();

        (await system.PayAsync("hana", orderId)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var cancelled = await system.WaitForStatusAsync("hana", orderId, SagaTime, "cancelled");
        cancelled.GetProperty("reason").GetString().Should().Be("hold-released");
        await Eventually.Async(async () =>
        {
            foreach (var slot in slots)
                (await system.AvailabilityAsync(slot)).GetProperty("available").GetInt32().Should().Be(2, "every seat came back, booked ones revoked");
            (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE RevokedAt IS NULL AND HoldId IN ($a, $b, $c, $d, $e)",
                ("$a", holds[0]), ("$b", holds[1]), ("$c", holds[2]), ("$d", holds[3]), ("$e", holds[4]))).Should().Be(0);
            (await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Refund'", ("$o", orderId))).Should().Be(1);
        }, SagaTime);
        (await OutboxAsync(orderId)).Select(e => e.Topic).Should().Equal("payment.requested", "order.cancelled");
    }

    [Fact]
    public async Task A_declined_payment_fails_the_order_and_gives_the_seats_back()
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 3))[0];
        var hold = await system.HoldAsync(SagaSystem.DeclinedCustomer, slot, 3);
        var orderId = (await system.OrderAsync(SagaSystem.DeclinedCustomer, hold)).GetProperty("id").GetString()!;

        await system.PayAsync(SagaSystem.DeclinedCustomer, orderId);

        var failed = await system.WaitForStatusAsync(SagaSystem.DeclinedCustomer, orderId, SagaTime, "failed");
        failed.GetProperty("reason").GetString().Should().StartWith("payment-");
        await Eventually.Async(async () => (await system.AvailabilityAsync(slot)).GetProperty("available").GetInt32().Should().Be(3));
        (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE HoldId = $h", ("$h", hold))).Should().Be(0);
        (await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o", ("$o", orderId))).Should().Be(0);
    }

    [Fact]
    public async Task A_hold_that_expires_while_payment_is_down_ends_the_order_expired_with_no_booking_and_no_money_kept()
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 2))[0];
        var hold = await system.HoldAsync("carol", slot, 1);
        var orderId = (await system.OrderAsync("carol", hold)).GetProperty("id").GetString()!;

        await system.Dapr.StopAppAsync("payment");
        try
        {
            (await system.PayAsync("carol", orderId)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await Eventually.Async(async () =>
                (await system.AvailabilityAsync(slot)).GetProperty("held").GetInt32().Should().Be(0, "the hold ran out"),
                SagaSystem.HoldTtl + TimeSpan.FromSeconds(10));
        }
        finally
        {
            await system.Dapr.StartAppAsync("payment");
        }

        var expired = await system.WaitForStatusAsync("carol", orderId, SagaTime, "expired");
        expired.GetProperty("reason").GetString().Should().Be("hold-expired");
        // Whichever came first at payment (the request or the order's expiry): nothing charged, or charged and refunded.
        await Eventually.Async(async () =>
        {
            var captures = await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Capture'", ("$o", orderId));
            var refunds = await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Refund'", ("$o", orderId));
            refunds.Should().Be(captures);
            (await system.ScalarAsync("payment", "SELECT COUNT(*) FROM Payments WHERE OrderId = $o", ("$o", orderId))).Should().Be(1);
        }, SagaTime);
        (await system.ScalarAsync("reservation", "SELECT COUNT(*) FROM Booking WHERE HoldId = $h AND RevokedAt IS NULL", ("$h", hold))).Should().Be(0);
        (await system.AvailabilityAsync(slot)).GetProperty("available").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Cancels_racing_the_saga_end_every_order_cancelled_with_seats_back_refunds_once_and_one_closing_event()
    {
        const int orders = 8;
        var slot = (await system.CreateSlotsAsync(1, capacity: orders))[0];
        var placed = new List<string>();
        for (var i = 0; i < orders; i++)
            placed.Add((await system.OrderAsync("dave", await system.HoldAsync("dave", slot, 1))).GetProperty("id").GetString()!);

        // Each order is paid and then cancelled three times at once, at a different moment of its saga.
        await Task.WhenAll(placed.Select(async (orderId, i) =>
        {
            (await system.PayAsync("dave", orderId)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await Task.Delay(TimeSpan.FromMilliseconds(i * 60));
            var cancels = await Race.RunAsync(3, _ => system.As("dave", "ordering").PostAsync($"orders/{orderId}/cancel", null));
            cancels.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Accepted, system.Logs("ordering"));
        }));

        foreach (var orderId in placed)
            await system.WaitForStatusAsync("dave", orderId, SagaTime, "cancelled");
        await Eventually.Async(async () =>
        {
            (await system.AvailabilityAsync(slot)).GetProperty("available").GetInt32().Should().Be(orders, "every seat came back");
            (await system.ScalarAsync("reservation", "SELECT Booked FROM SlotLedger WHERE SlotId = $s", ("$s", slot))).Should().Be(0);
            foreach (var orderId in placed)
            {
                var captures = await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Capture'", ("$o", orderId));
                var refunds = await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Refund'", ("$o", orderId));
                refunds.Should().Be(captures, $"order {orderId}: whatever was taken is given back");
            }
        }, SagaTime);
        foreach (var orderId in placed)
            (await system.ScalarAsync("ordering", "SELECT COUNT(*) FROM OutboxMessages WHERE PartitionKey = $o AND Topic LIKE 'order.%' AND Topic <> 'order.confirmed'", ("$o", orderId)))
                .Should().Be(1, "three concurrent cancels close the order once");
    }

    [Fact]
    public async Task An_order_committed_while_the_sidecar_was_down_is_published_after_the_crash_and_restart()
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 2))[0];
        var hold = await system.HoldAsync("erin", slot, 1);
        var orderId = (await system.OrderAsync("erin", hold)).GetProperty("id").GetString()!;
        var direct = system.Dapr.Direct("ordering").As("erin");

        await system.Dapr.WithSidecarDownAsync("ordering", async () =>
        {
            (await direct.PostAsync($"orders/{orderId}/pay", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await Eventually.Async(async () => (await system.ScalarAsync("ordering",
                "SELECT Attempts FROM OutboxMessages WHERE PartitionKey = $o AND Topic = 'payment.requested' AND PublishedAtUtc IS NULL",
                ("$o", orderId))).Should().BeGreaterThan(0, "the relay tried and failed: committed, not published"));
            await system.Dapr.StopAppAsync("ordering"); // the crash
        });
        await system.Dapr.StartAppAsync("ordering");

        // The relay of the restarted process publishes what the dead one committed: payment receives it once.
        await Eventually.Async(async () => (await system.ScalarAsync("ordering",
            "SELECT COUNT(*) FROM OutboxMessages WHERE PartitionKey = $o AND Topic = 'payment.requested' AND PublishedAtUtc IS NOT NULL AND Attempts > 0",
            ("$o", orderId))).Should().Be(1), SagaTime);
        await Eventually.Async(async () => (await system.ScalarAsync("payment", "SELECT COUNT(*) FROM Payments WHERE OrderId = $o", ("$o", orderId))).Should().Be(1), SagaTime);
        // Normally confirmed; on a machine so busy that the restart outlived the hold, expired with the money returned.
        var ended = await system.WaitForStatusAsync("erin", orderId, SagaTime, "confirmed", "expired");
        var confirmed = ended.GetProperty("status").GetString() == "confirmed";
        await Eventually.Async(async () =>
        {
            var captures = await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Capture'", ("$o", orderId));
            var refunds = await system.ScalarAsync("payment", "SELECT COUNT(*) FROM PaymentTransactions WHERE OrderId = $o AND Kind = 'Refund'", ("$o", orderId));
            (captures, refunds).Should().Be(confirmed ? (1L, 0L) : (refunds, refunds), "charged once if confirmed, nothing kept otherwise");
        }, SagaTime);
    }

    [Fact]
    public async Task Another_customers_order_is_not_found_and_their_hold_cannot_be_ordered()
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 2))[0];
        var hold = await system.HoldAsync("frank", slot, 1);
        var orderId = (await system.OrderAsync("frank", hold)).GetProperty("id").GetString()!;
        var mallory = system.As("mallory", "ordering");

        (await mallory.GetAsync($"orders/{orderId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await mallory.PostAsync($"orders/{orderId}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await mallory.GetFromJsonAsync<JsonElement>("orders")).EnumerateArray().Should().BeEmpty();
        var stolen = await mallory.PostAsJsonAsync("orders", new { holdIds = new[] { await system.HoldAsync("frank", slot, 1) } });
        stolen.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await stolen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString().Should().Be("unknown");
        (await system.GetOrderAsync("frank", orderId)).GetProperty("status").GetString().Should().Be("pending", "mallory changed nothing");
    }

    [Fact]
    public async Task Two_orders_racing_for_one_hold_one_wins_and_a_replayed_key_returns_the_same_order()
    {
        var slot = (await system.CreateSlotsAsync(1, capacity: 2))[0];
        var hold = await system.HoldAsync("gina", slot, 1);
        var client = system.As("gina", "ordering");

        var racing = await Race.RunAsync(6, i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(new { holdIds = new[] { hold } }) };
            request.Headers.Add("Idempotency-Key", $"race-{i}");
            return client.SendAsync(request);
        });
        racing.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1, system.Logs("ordering"));
        racing.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(5);

        var winner = racing.Single(r => r.StatusCode == HttpStatusCode.Created);
        var key = Enumerable.Range(0, 6).Single(i => racing[i] == winner);
        var replay = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(new { holdIds = new[] { hold } }) };
        replay.Headers.Add("Idempotency-Key", $"race-{key}");
        var again = await client.SendAsync(replay);
        again.StatusCode.Should().Be(HttpStatusCode.Created);
        again.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()
            .Should().Be((await winner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        (await system.ScalarAsync("ordering", "SELECT COUNT(*) FROM OrderLines WHERE HoldId = $h", ("$h", hold))).Should().Be(1);
    }

    private async Task<List<(string Topic, bool Published)>> OutboxAsync(string orderId) =>
        await system.QueryAsync("ordering", "SELECT Topic, PublishedAtUtc IS NOT NULL FROM OutboxMessages WHERE PartitionKey = $o ORDER BY Id",
            r => (r.GetString(0), r.GetInt64(1) == 1), ("$o", orderId));
}
