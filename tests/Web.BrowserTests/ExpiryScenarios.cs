using static Microsoft.Playwright.Assertions;

namespace Web.BrowserTests;

/// <summary>Holds that really expire (three seconds here): the page counts down, then says so plainly.</summary>
[Collection(ShortHoldCollection.Name)]
public sealed class ExpiryScenarios(ShortHoldSystem shop)
{
    [Fact]
    public async Task A_hold_that_expires_is_announced_cannot_be_paid_and_its_seats_come_back()
    {
        var (resourceId, slots) = await shop.SeedAsync($"Flash sale {Guid.NewGuid():N}", 2);
        await using var alice = await shop.OpenAsync("alice", "en-US");
        await alice.OpenResourceAsync(resourceId);
        await alice.HoldAsync(slots[0], 1);
        await alice.OnHoldPageAsync();

        var seconds = int.Parse((await alice.Page.GetByTestId("countdown").GetAttributeAsync("data-seconds"))!);
        seconds.Should().BeInRange(1, (int)ShortHoldSystem.HoldTtl.TotalSeconds);
        await alice.ShotAsync("06-countdown-en");

        await Expect(alice.Page.GetByTestId("hold-expired")).ToBeVisibleAsync();
        await Expect(alice.Page.GetByTestId("hold-status")).ToHaveAttributeAsync("data-status", "expired");
        await Expect(alice.Page.GetByTestId("pay-button")).ToBeDisabledAsync();
        await alice.ShotAsync("06-expired-en");

        // The service agrees: the sweeper (or the next write) gave the seat back.
        await DaprReservations.Testing.Eventually.Async(async () =>
            (await shop.AvailabilityAsync(slots[0])).GetProperty("available").GetInt32().Should().Be(2));
        await alice.OpenResourceAsync(resourceId);
        await alice.ExpectAvailableAsync(slots[0], 2);
    }

    [Fact]
    public async Task The_expiry_is_announced_in_korean_for_a_korean_browser()
    {
        var (resourceId, slots) = await shop.SeedAsync($"Flash sale {Guid.NewGuid():N}", 2);
        await using var bob = await shop.OpenAsync("bob", "ko-KR");
        await bob.OpenResourceAsync(resourceId);
        await bob.HoldAsync(slots[0], 1);
        await bob.OnHoldPageAsync();

        await Expect(bob.Page.GetByTestId("hold-expired")).ToContainTextAsync("보관 시간이 끝나");
        await bob.ShotAsync("06-expired-ko");
    }
}
