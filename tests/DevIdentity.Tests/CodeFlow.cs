using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace DevIdentity.Tests;

/// <summary>
/// What the web BFF and a browser do in the authorization code + PKCE flow, one asserted hop at a time:
/// authorize → login page → login POST (antiforgery token from the form) → authorize → code at the redirect URI.
/// </summary>
public sealed class CodeFlow(DevIdentityFactory factory)
{
    public const string Scope = "openid profile offline_access access_as_user";

    public HttpClient Browser { get; } = factory.Browser();
    public string Verifier { get; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
    public string State { get; } = Guid.NewGuid().ToString("N");

    public string Challenge => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public string AuthorizeUrl(string redirectUri = DevIdentityFactory.RedirectUri, string? prompt = null) =>
        QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "web",
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = Scope,
            ["state"] = State,
            ["nonce"] = "nonce-" + State,
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
            ["prompt"] = prompt,
        });

    /// <summary>Unauthenticated authorize: redirected to the login page, whose form is returned.</summary>
    public async Task<(Uri LoginPage, string Html)> StartAsync()
    {
        var authorize = await Browser.GetAsync(AuthorizeUrl());
        authorize.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var login = authorize.Headers.Location!;
        login.AbsolutePath.Should().Be("/account/login");
        var page = await Browser.GetAsync(login);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        return (login, await page.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> PostLoginAsync(string html, string username, string? returnUrl = null) =>
        await Browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = DevIdentityFactory.Hidden(html, "__RequestVerificationToken"),
            ["ReturnUrl"] = returnUrl ?? DevIdentityFactory.Hidden(html, "ReturnUrl"),
            ["username"] = username,
        }));

    /// <summary>The whole browser part: returns the authorization code delivered to the web client's redirect URI.</summary>
    public async Task<string> SignInAsync(string username)
    {
        var (_, html) = await StartAsync();
        var login = await PostLoginAsync(html, username);
        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var back = login.Headers.Location!.OriginalString;
        back.Should().StartWith("/connect/authorize?");

        var authorize = await Browser.GetAsync(back);
        authorize.StatusCode.Should().Be(HttpStatusCode.Redirect, "a first-party client gets no consent screen");
        var callback = authorize.Headers.Location!;
        callback.GetLeftPart(UriPartial.Path).Should().Be(DevIdentityFactory.RedirectUri);
        var query = QueryHelpers.ParseQuery(callback.Query);
        query["state"].ToString().Should().Be(State);
        return query["code"].ToString();
    }

    /// <summary>The web BFF's back-channel redemption with its client secret and the PKCE verifier.</summary>
    public Task<HttpResponseMessage> RedeemAsync(string code, string? verifier = null) =>
        factory.TokenAsync(factory.CreateClient(),
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", DevIdentityFactory.RedirectUri),
            ("client_id", "web"), ("client_secret", DevIdentityFactory.WebClientSecret),
            ("code_verifier", verifier ?? Verifier));

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        factory.TokenAsync(factory.CreateClient(),
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken),
            ("client_id", "web"), ("client_secret", DevIdentityFactory.WebClientSecret));
}
