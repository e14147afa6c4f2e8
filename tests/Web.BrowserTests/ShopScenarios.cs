using System.Text.RegularExpressions;
using DaprReservations.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Web.BrowserTests;

/// <summary>
/// The customer's journey in a real browser against the running system, in the order a user meets it. Each scenario
/// checks what the page shows and, where it claims something about stock, the reservation service's own numbers.
/// </summary>
[Collection(ShopCollection.Name)]
[TestCaseOrderer(ScenarioOrderer.Name, ScenarioOrderer.Assembly)]
public sealed class ShopScenarios(ShopSystem shop)
{
    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    [Fact, Scenario(1)]
    public async Task Browsing_the_catalog_reads_slots_from_the_database_once_then_from_the_cache_in_both_languages()
    {
        var name = Unique("Jazz night");
        var (resourceId, _) = await shop.SeedAsync(name, 40, 12);
        await shop.CatalogEventsSettledAsync();

        await using var alice = await shop.OpenAsync("alice", "en-US");
        await alice.GoAsync("#/");
        var link = alice.Page.GetByTestId("resource").Filter(new() { HasText = name }).GetByTestId("resource-link");
        await link.ClickAsync();
        await Expect(alice.Page.GetByTestId("cache-state")).ToHaveAttributeAsync("data-cache", "miss");
        await Expect(alice.Page.GetByTestId("slot")).ToHaveCountAsync(2);
        await Expect(alice.Page.GetByTestId("availability").First).ToHaveAttributeAsync("data-available", "40");
        await alice.ShotAsync("01-catalog-en");

        await alice.Page.ReloadAsync();
        await Expect(alice.Page.GetByTestId("cache-state")).ToHaveAttributeAsync("data-cache", "hit");

        // A Korean browser gets Korean without asking; the choice of English is kept across reloads.
        await using var bob = await shop.OpenAsync("bob", "ko-KR");
        await bob.OpenResourceAsync(resourceId);
        await Expect(bob.Page.GetByTestId("cache-state")).ToHaveAttributeAsync("data-cache", "hit");
        await Expect(bob.Page.GetByTestId("cache-state")).ToContainTextAsync("카탈로그 캐시");
        await Expect(bob.Page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await bob.ShotAsync("01-catalog-ko");
        await bob.Page.GetByTestId("lang").SelectOptionAsync("en");
        await Expect(bob.Page.GetByTestId("cache-state")).ToContainTextAsync("Catalog cache");
        await bob.Page.ReloadAsync();
        await Expect(bob.Page.GetByTestId("cache-state")).ToContainTextAsync("Catalog cache");
    }

    [Fact, Scenario(2)]
    public async Task Hold_then_order_and_pay_ends_confirmed_and_the_seats_are_booked()
    {
        var (resourceId, slots) = await shop.SeedAsync(Unique("Concert"), 10);
        var slot = slots[0];
        await using var alice = await shop.OpenAsync("alice", "en-US");
        await alice.OpenResourceAsync(resourceId);
        await alice.HoldAsync(slot, 2);
        await alice.OnHoldPageAsync();

        await alice.Page.GetByTestId("pay-button").ClickAsync();
        var confirmation = alice.Page.GetByTestId("confirmation");
        await Expect(confirmation).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await alice.ShotAsync("02-confirmed-en");
        var orderId = (await confirmation.GetAttributeAsync("data-order-id"))!;

        // Confirmed on the page means booked in the store: two booked, none held.
        var availability = await shop.AvailabilityAsync(slot);
        availability.GetProperty("booked").GetInt32().Should().Be(2);
        availability.GetProperty("held").GetInt32().Should().Be(0);
        availability.GetProperty("available").GetInt32().Should().Be(8);

        await alice.GoAsync("#/orders");
        var order = alice.Page.Locator($"[data-testid=order][data-order-id='{orderId}']");
        await Expect(order.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "confirmed");

        await using var alicePhoneKo = await shop.OpenAsync("alice", "ko-KR");
        await alicePhoneKo.GoAsync("#/orders");
        await Expect(alicePhoneKo.Page.Locator($"[data-testid=order][data-order-id='{orderId}']").GetByTestId("order-status"))
            .ToHaveTextAsync("확정");
        await alicePhoneKo.ShotAsync("02-my-reservations-ko");
    }

    [Fact, Scenario(3)]
    public async Task A_hold_lowers_availability_for_everyone_and_releasing_it_gives_it_back()
    {
        var (resourceId, slots) = await shop.SeedAsync(Unique("Cooking class"), 5);
        var slot = slots[0];
        await using var alice = await shop.OpenAsync("alice", "en-US");
        await using var bob = await shop.OpenAsync("bob", "ko-KR");
        await alice.OpenResourceAsync(resourceId);
        await bob.OpenResourceAsync(resourceId);
        await alice.ExpectAvailableAsync(slot, 5);
        await bob.ExpectAvailableAsync(slot, 5);

        await alice.HoldAsync(slot, 2);
        await alice.OnHoldPageAsync();
        await Expect(alice.Page.GetByTestId("hold-status")).ToHaveAttributeAsync("data-status", "active");
        await alice.ShotAsync("03-hold-en");

        await bob.ExpectAvailableAsync(slot, 3);
        await bob.ShotAsync("03-availability-dropped-ko");
        (await shop.AvailabilityAsync(slot)).GetProperty("held").GetInt32().Should().Be(2);

        await alice.Page.GetByTestId("release-button").ClickAsync();
        await Expect(alice.Page.GetByTestId("hold-status")).ToHaveAttributeAsync("data-status", "released");
        await bob.ExpectAvailableAsync(slot, 5);
        (await shop.AvailabilityAsync(slot)).GetProperty("held").GetInt32().Should().Be(0);
    }

    [Fact, Scenario(4)]
    public async Task Cancelling_a_confirmed_order_gives_the_seats_back_for_everyone()
    {
        var (resourceId, slots) = await shop.SeedAsync(Unique("Theatre"), 3);
        var slot = slots[0];
        await using var alice = await shop.OpenAsync("alice", "en-US");
        await using var bob = await shop.OpenAsync("bob", "ko-KR");
        await alice.OpenResourceAsync(resourceId);
        await alice.HoldAsync(slot, 1);
        await alice.OnHoldPageAsync();
        await alice.Page.GetByTestId("pay-button").ClickAsync();
        var confirmation = alice.Page.GetByTestId("confirmation");
        await Expect(confirmation).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var orderId = (await confirmation.GetAttributeAsync("data-order-id"))!;

        await bob.OpenResourceAsync(resourceId);
        await bob.ExpectAvailableAsync(slot, 2);

        await alice.GoAsync("#/orders");
        var order = alice.Page.Locator($"[data-testid=order][data-order-id='{orderId}']");
        await order.GetByTestId("cancel-button").ClickAsync();
        await Expect(order.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 30_000 });
        await alice.ShotAsync("04-cancelled-en");

        // The compensation (booking revoked in the ledger and the hot store) reaches every viewer.
        await bob.ExpectAvailableAsync(slot, 3);
        await bob.ShotAsync("04-availability-back-ko");
        var availability = await shop.AvailabilityAsync(slot);
        availability.GetProperty("booked").GetInt32().Should().Be(0);
        availability.GetProperty("held").GetInt32().Should().Be(0);
    }

    [Fact, Scenario(5)]
    public async Task Two_browsers_racing_for_the_last_seat_give_it_to_exactly_one_and_the_other_sees_sold_out()
    {
        var (resourceId, slots) = await shop.SeedAsync(Unique("Last seat"), 1);
        var slot = slots[0];
        await using var alice = await shop.OpenAsync("alice", "en-US");
        await using var bob = await shop.OpenAsync("bob", "ko-KR");
        await alice.OpenResourceAsync(resourceId);
        await bob.OpenResourceAsync(resourceId);
        await alice.ExpectAvailableAsync(slot, 1);
        await bob.ExpectAvailableAsync(slot, 1);

        await Task.WhenAll(alice.HoldAsync(slot, 1), bob.HoldAsync(slot, 1));

        var outcomes = await Task.WhenAll(OutcomeAsync(alice), OutcomeAsync(bob));
        outcomes.Count(o => o == "won").Should().Be(1, "one seat, one hold");
        outcomes.Count(o => o == "sold out").Should().Be(1);
        var loser = outcomes[0] == "sold out" ? alice : bob;
        await Expect(loser.Availability(slot)).ToHaveAttributeAsync("data-available", "0");
        await Expect(loser.Slot(slot).GetByTestId("hold-button")).ToBeDisabledAsync();
        await loser.ShotAsync($"05-sold-out-{(loser == bob ? "ko" : "en")}");

        var availability = await shop.AvailabilityAsync(slot);
        availability.GetProperty("held").GetInt32().Should().Be(1);
        availability.GetProperty("available").GetInt32().Should().Be(0);

        async Task<string> OutcomeAsync(Shopper shopper)
        {
            var held = shopper.Page.GetByTestId("countdown");
            var refused = shopper.Slot(slot).GetByTestId("slot-message");
            await Expect(held.Or(refused)).ToBeVisibleAsync();
            if (await held.IsVisibleAsync())
                return "won";
            await Expect(refused).ToHaveAttributeAsync("data-kind", "sold-out");
            return "sold out";
        }
    }

    [Fact, Scenario(6)]
    public async Task Another_customers_hold_is_not_reachable_from_the_browser_either()
    {
        var (resourceId, slots) = await shop.SeedAsync(Unique("Private room"), 3);
        await using var alice = await shop.OpenAsync("alice");
        await alice.OpenResourceAsync(resourceId);
        await alice.HoldAsync(slots[0], 1);
        var holdId = await alice.OnHoldPageAsync();

        await using var bob = await shop.OpenAsync("bob");
        await bob.GoAsync($"#/holds/{holdId}");
        await Expect(bob.Page.GetByTestId("hold-unknown")).ToBeVisibleAsync();
        await Expect(bob.Page.GetByTestId("release-button")).ToHaveCountAsync(0);
        await bob.ShotAsync("07-foreign-hold-en");
        (await shop.AvailabilityAsync(slots[0])).GetProperty("held").GetInt32().Should().Be(1, "bob's visit changed nothing");
    }

    [Fact, Scenario(7)]
    public async Task Another_customers_order_is_not_reachable_from_the_browser()
    {
        var (resourceId, slots) = await shop.SeedAsync(Unique("Private dinner"), 4);
        await using var alice = await shop.OpenAsync("alice");
        await alice.OpenResourceAsync(resourceId);
        await alice.HoldAsync(slots[0], 1);
        await alice.OnHoldPageAsync();
        await alice.Page.GetByTestId("pay-button").ClickAsync();
        var confirmation = alice.Page.GetByTestId("confirmation");
        await Expect(confirmation).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var orderId = (await confirmation.GetAttributeAsync("data-order-id"))!;

        await using var carol = await shop.OpenAsync("carol", "ko-KR");
        await carol.GoAsync($"#/orders/{orderId}");
        await Expect(carol.Page.GetByTestId("order-not-found")).ToBeVisibleAsync();
        await Expect(carol.Page.GetByTestId("cancel-button")).ToHaveCountAsync(0);
        await carol.ShotAsync("07-foreign-order-ko");
        await carol.GoAsync("#/orders");
        await Expect(carol.Page.Locator($"[data-testid=order][data-order-id='{orderId}']")).ToHaveCountAsync(0);

        await alice.GoAsync($"#/orders/{orderId}");
        await Expect(alice.Page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "confirmed");
    }

    [Fact, Scenario(8)]
    public async Task Busy_answers_are_retried_with_backoff_and_the_same_idempotency_key_while_the_page_shows_progress()
    {
        var (resourceId, slots) = await shop.SeedAsync(Unique("Hot sale"), 10);
        await using var alice = await shop.OpenAsync("alice");
        await alice.OpenResourceAsync(resourceId);

        // The browser's network layer answers the first two attempts "busy" (as the reservation service does when a
        // slot is contended); the third goes to the real system. What is tested is the SPA's retry discipline.
        var keys = new List<string>();
        await alice.Page.RouteAsync("**/api/reservation/holds", async route =>
        {
            keys.Add(await route.Request.HeaderValueAsync("idempotency-key") ?? "");
            if (keys.Count <= 2)
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 503,
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    ContentType = "application/problem+json",
                    Body = """{"status":503,"title":"Service Unavailable","detail":"Slot is busy."}""",
                });
            else
                await route.ContinueAsync();
        });

        await alice.HoldAsync(slots[0], 1);
        await Expect(alice.Page.Locator("#status")).ToContainTextAsync(new Regex("attempt 2 of 6"));
        await alice.ShotAsync("08-busy-retry-en");
        await alice.OnHoldPageAsync();

        keys.Should().HaveCount(3);
        keys.Distinct().Should().ContainSingle().Which.Should().NotBeNullOrEmpty();
        (await shop.AvailabilityAsync(slots[0])).GetProperty("held").GetInt32().Should().Be(1, "three attempts, one hold");
    }
}
