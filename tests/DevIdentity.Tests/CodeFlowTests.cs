using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace DevIdentity.Tests;

/// <summary>The web BFF's flow end to end: code + PKCE through the login page, refresh, revocation, end session.</summary>
public sealed class CodeFlowTests(DevIdentityFactory factory) : IClassFixture<DevIdentityFactory>
{
    [Fact]
    public async Task Code_and_verifier_redeem_to_access_refresh_and_identity_tokens()
    {
        var flow = new CodeFlow(factory);
        var code = await flow.SignInAsync("alice");

        var response = await flow.RedeemAsync(code);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await DevIdentityFactory.JsonAsync(response);
        body.GetProperty("refresh_token").GetString().Should().NotBeNullOrEmpty();
        body.GetProperty("scope").GetString()!.Split(' ').Should()
            .BeEquivalentTo("openid", "profile", "offline_access", "access_as_user");

        var access = await factory.ValidateAsync(body.GetProperty("access_token").GetString()!);
        access.IsValid.Should().BeTrue(access.Exception?.Message);
        access.ClaimsIdentity.FindFirst("sub")!.Value.Should().Be("alice");
        access.ClaimsIdentity.FindFirst("name")!.Value.Should().Be("Alice");
        access.ClaimsIdentity.FindFirst("scope")!.Value.Split(' ').Should().Contain("access_as_user");

        // The identity token is for web itself: audience = its client id, with the nonce it sent.
        var id = await factory.ValidateAsync(body.GetProperty("id_token").GetString()!, audience: "web");
        id.IsValid.Should().BeTrue(id.Exception?.Message);
        id.ClaimsIdentity.FindFirst("sub")!.Value.Should().Be("alice");
        id.ClaimsIdentity.FindFirst("name")!.Value.Should().Be("Alice");
        id.ClaimsIdentity.FindFirst("nonce")!.Value.Should().Be("nonce-" + flow.State);
    }

    [Fact]
    public async Task Admin_signed_in_through_the_page_gets_roles_in_both_tokens()
    {
        var flow = new CodeFlow(factory);
        var body = await DevIdentityFactory.JsonAsync(await flow.RedeemAsync(await flow.SignInAsync("admin")));

        foreach (var token in new[] { "access_token", "id_token" })
        {
            DevIdentityFactory.Payload(body.GetProperty(token).GetString()!).GetProperty("roles")
                .EnumerateArray().Select(r => r.GetString()).Should().Equal(["admin"], token);
        }
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_refused()
    {
        var flow = new CodeFlow(factory);
        var code = await flow.SignInAsync("bob");

        var response = await flow.RedeemAsync(code, verifier: new CodeFlow(factory).Verifier);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DevIdentityFactory.JsonAsync(response)).GetProperty("error").GetString().Should().Be("invalid_grant");
    }

    [Fact]
    public async Task An_unregistered_redirect_uri_is_refused_without_redirecting()
    {
        var flow = new CodeFlow(factory);

        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(redirectUri: "https://evil.test/signin-oidc"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Location.Should().BeNull();
    }

    [Fact]
    public async Task Prompt_none_without_a_session_returns_login_required_to_the_client()
    {
        var flow = new CodeFlow(factory);

        var response = await flow.Browser.GetAsync(flow.AuthorizeUrl(prompt: "none"));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.GetLeftPart(UriPartial.Path).Should().Be(DevIdentityFactory.RedirectUri);
        QueryHelpers.ParseQuery(response.Headers.Location.Query)["error"].ToString().Should().Be("login_required");
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_a_redeemed_one_is_refused_with_its_successor()
    {
        var flow = new CodeFlow(factory);
        var first = await DevIdentityFactory.JsonAsync(await flow.RedeemAsync(await flow.SignInAsync("carol")));
        var oldRefresh = first.GetProperty("refresh_token").GetString()!;

        var refreshed = await flow.RefreshAsync(oldRefresh);

        refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
        var second = await DevIdentityFactory.JsonAsync(refreshed);
        var newRefresh = second.GetProperty("refresh_token").GetString()!;
        newRefresh.Should().NotBe(oldRefresh, "rolling refresh tokens: each use issues a new one");
        (await factory.ValidateAsync(second.GetProperty("access_token").GetString()!)).IsValid.Should().BeTrue();

        // Reuse after the leeway (zero here) looks like theft: OpenIddict refuses it and revokes the whole chain.
        var reused = await flow.RefreshAsync(oldRefresh);
        reused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DevIdentityFactory.JsonAsync(reused)).GetProperty("error").GetString().Should().Be("invalid_grant");
        (await flow.RefreshAsync(newRefresh)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_revoked_refresh_token_no_longer_works()
    {
        var flow = new CodeFlow(factory);
        var tokens = await DevIdentityFactory.JsonAsync(await flow.RedeemAsync(await flow.SignInAsync("alice")));
        var refresh = tokens.GetProperty("refresh_token").GetString()!;

        var revoke = await factory.CreateClient().PostAsync("/connect/revoke", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["token"] = refresh, ["token_type_hint"] = "refresh_token",
                ["client_id"] = "web", ["client_secret"] = DevIdentityFactory.WebClientSecret,
            }));

        revoke.StatusCode.Should().Be(HttpStatusCode.OK);
        var after = await flow.RefreshAsync(refresh);
        after.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DevIdentityFactory.JsonAsync(after)).GetProperty("error").GetString().Should().Be("invalid_grant");
    }

    [Fact]
    public async Task End_session_clears_the_login_cookie_and_returns_to_the_registered_uri()
    {
        var flow = new CodeFlow(factory);
        var idToken = (await DevIdentityFactory.JsonAsync(await flow.RedeemAsync(await flow.SignInAsync("bob"))))
            .GetProperty("id_token").GetString()!;
        // Signed in: authorize answers straight away with a code.
        (await flow.Browser.GetAsync(flow.AuthorizeUrl())).Headers.Location!.GetLeftPart(UriPartial.Path)
            .Should().Be(DevIdentityFactory.RedirectUri);

        var endSession = await flow.Browser.GetAsync(QueryHelpers.AddQueryString("/connect/endsession",
            new Dictionary<string, string?>
            {
                ["id_token_hint"] = idToken, ["post_logout_redirect_uri"] = DevIdentityFactory.PostLogoutUri,
                ["state"] = "after-logout",
            }));

        endSession.StatusCode.Should().Be(HttpStatusCode.Redirect);
        endSession.Headers.Location!.GetLeftPart(UriPartial.Path).Should().Be(DevIdentityFactory.PostLogoutUri);
        QueryHelpers.ParseQuery(endSession.Headers.Location.Query)["state"].ToString().Should().Be("after-logout");
        endSession.Headers.GetValues("Set-Cookie").Should().Contain(c => c.StartsWith("dr.identity=;"));
        var again = await flow.Browser.GetAsync(flow.AuthorizeUrl());
        again.Headers.Location!.AbsolutePath.Should().Be("/account/login", "the provider's session is over");
    }

    [Fact]
    public async Task End_session_does_not_redirect_to_an_unregistered_uri()
    {
        var response = await factory.Browser().GetAsync(
            "/connect/endsession?post_logout_redirect_uri=" + Uri.EscapeDataString("https://evil.test/"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Location.Should().BeNull();
    }

    [Fact]
    public async Task Userinfo_without_a_token_is_unauthorized()
    {
        var response = await factory.CreateClient().GetAsync("/connect/userinfo");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
