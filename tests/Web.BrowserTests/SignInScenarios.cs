using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Web.BrowserTests;

/// <summary>
/// Signing in through the web app as a backend-for-frontend: the provider's login page, a server-side session behind
/// an HttpOnly cookie, antiforgery on every change, sign-out that ends the session on the server, and an ended
/// session that sends the person to sign in and back to the page they were on.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class SignInScenarios(ShopSystem shop)
{
    private const string SessionCookie = "dr.session";

    [Fact]
    public async Task The_session_is_an_HttpOnly_cookie_and_the_page_holds_no_token()
    {
        await using var carol = await shop.OpenAsync("carol");

        var cookies = await carol.Page.Context.CookiesAsync([shop.BaseUrl.ToString()]);
        var session = cookies.Should().ContainSingle(c => c.Name == SessionCookie).Subject;
        session.HttpOnly.Should().BeTrue();
        session.SameSite.Should().Be(SameSiteAttribute.Lax);
        session.Value.Length.Should().BeLessThan(1024, "the cookie names a server-side session; the tokens stay on the server");
        (await carol.Page.EvaluateAsync<string>("() => document.cookie")).Should().NotContain(SessionCookie);

        var storage = await carol.Page.EvaluateAsync<string>(
            "() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })");
        storage.Should().NotContain("eyJ", "no JWT in browser storage").And.NotContainEquivalentOf("token");

        var me = await carol.Api.GetAsync("/bff/user");
        var body = await me.TextAsync();
        body.Should().NotContain("eyJ", "who-am-I names the person, never a token");
        var user = JsonDocument.Parse(body).RootElement;
        user.GetProperty("signedIn").GetBoolean().Should().BeTrue();
        user.GetProperty("sub").GetString().Should().Be("carol");
        me.Headers["cache-control"].Should().Contain("no-store");
    }

    [Fact]
    public async Task A_change_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var (_, slots) = await shop.SeedAsync($"Antiforgery {Guid.NewGuid():N}", 5);
        await using var dora = await shop.OpenAsync("dora"); // not a listed demo user: typed on the login page
        var hold = new { slotId = slots[0], quantity = 1 };

        var missing = await dora.PostAsync("/api/reservation/holds", hold, antiforgery: null);
        var forged = await dora.PostAsync("/api/reservation/holds", hold, antiforgery: "forged");

        foreach (var refused in new[] { missing, forged })
        {
            refused.Status.Should().Be(400);
            (await refused.TextAsync()).Should().Contain("Antiforgery");
        }
        (await shop.AvailabilityAsync(slots[0])).GetProperty("available").GetInt32().Should().Be(5, "a refused request changes nothing");

        // The same request with the token the page gets from GET /bff/user: the session's access token does the rest.
        var accepted = await dora.PostAsync("/api/reservation/holds", hold, await dora.AntiforgeryTokenAsync());
        accepted.Status.Should().Be(201, await accepted.TextAsync());
        (await shop.AvailabilityAsync(slots[0])).GetProperty("available").GetInt32().Should().Be(4);
    }

    [Fact]
    public async Task A_customer_session_cannot_reach_admin_operations()
    {
        await using var alice = await shop.OpenAsync("alice");

        var create = await alice.PostAsync("/api/catalog/admin/resources", new { kind = "room", name = "not allowed" }, await alice.AntiforgeryTokenAsync());

        create.Status.Should().Be(403, "the session's token is alice's, and alice is no admin");
        await alice.GoAsync("#/admin");
        await Expect(alice.Page.GetByTestId("admin-only")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_and_at_the_provider()
    {
        await using var erin = await shop.OpenAsync("erin");
        var before = await erin.Page.Context.CookiesAsync();

        await erin.Page.GetByTestId("signout-button").ClickAsync();
        await Expect(erin.Page.GetByTestId("signin-button")).ToBeVisibleAsync();
        await erin.ShotAsync("11-signed-out-en");

        // The cookie the browser held before signing out, replayed from elsewhere, opens nothing any more.
        await using var replay = await shop.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = shop.BaseUrl.ToString() });
        await replay.AddCookiesAsync(before.Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        var me = JsonDocument.Parse(await (await replay.APIRequest.GetAsync("/bff/user")).TextAsync()).RootElement;
        me.GetProperty("signedIn").GetBoolean().Should().BeFalse();
        var orders = await replay.APIRequest.GetAsync("/api/ordering/orders");
        orders.Status.Should().Be(401);

        // The provider forgot erin too: signing in again asks who is there.
        await erin.Page.GetByTestId("signin-button").ClickAsync();
        await erin.LogInAtProviderAsync();
        await Expect(erin.Page.GetByTestId("signed-in")).ToHaveAttributeAsync("data-user", "erin");
    }

    [Fact]
    public async Task An_ended_session_sends_the_person_to_sign_in_and_back_to_the_same_page()
    {
        await using var frank = await shop.OpenAsync("frank");
        await frank.GoAsync("#/");
        await Expect(frank.Page.GetByTestId("signed-in")).ToBeVisibleAsync();

        // The session ends behind the page's back (signed out in another tab); the page still shows frank.
        var logout = await frank.Api.PostAsync("/bff/logout", new APIRequestContextOptions
        {
            Form = frank.Api.CreateFormData().Set("__RequestVerificationToken", await frank.AntiforgeryTokenAsync()),
        });
        logout.Ok.Should().BeTrue($"sign-out ends on the app's home page, not {logout.Status} at {logout.Url}");

        // The next call answers 401: the page sends frank to sign in, then back to his reservations.
        await frank.Page.EvaluateAsync("() => { location.hash = '#/orders'; }");
        await frank.LogInAtProviderAsync();
        await Expect(frank.Page).ToHaveURLAsync(new Regex("#/orders$"));
        await Expect(frank.Page.GetByTestId("signed-in")).ToHaveAttributeAsync("data-user", "frank");
        await Expect(frank.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
    }
}

/// <summary>Access tokens that live fifteen seconds, in a session that lasts: the web app refreshes them on the server.</summary>
[Collection(ShortHoldCollection.Name)]
public sealed class SessionRefreshScenarios(ShortHoldSystem shop)
{
    [Fact]
    public async Task A_session_outlives_its_first_access_token_because_the_web_app_refreshes_it()
    {
        var (_, slots) = await shop.SeedAsync($"Refresh {Guid.NewGuid():N}", 3);
        await using var gina = await shop.OpenAsync("gina");

        // Past the first token's expiry and the services' 30 s clock-skew allowance: only a refreshed token passes.
        await Task.Delay(ShortHoldSystem.TokenLifetime + TimeSpan.FromSeconds(33));
        var hold = await gina.PostAsync("/api/reservation/holds", new { slotId = slots[0], quantity = 1 }, await gina.AntiforgeryTokenAsync());

        hold.Status.Should().Be(201, await hold.TextAsync());
        await gina.Page.ReloadAsync();
        await Expect(gina.Page.GetByTestId("signed-in")).ToHaveAttributeAsync("data-user", "gina");
    }
}
