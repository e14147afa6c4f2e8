using System.Net;
using System.Text.Json;

namespace Security.Tests;

/// <summary>
/// The web app's sign-in surface probed from outside without a session: no open redirect, no sign-out without the
/// antiforgery token, forged provider callbacks end on the app's page (never a 5xx), and who-am-I says nobody.
/// </summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class SignInProbeTests(SecuritySystem system)
{
    private HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = system.Edge,
        Timeout = TimeSpan.FromSeconds(30),
    };

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("http:/evil.example")]
    [InlineData("/\r\nSet-Cookie:x=y")]
    public async Task Sign_in_never_returns_to_another_site(string returnUrl)
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, returnUrl);
        response.Headers.Location.Should().BeNull();
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused()
    {
        using var browser = Browser();

        using var response = await browser.PostAsync("bff/logout", new FormUrlEncodedContent([]));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Antiforgery");
    }

    [Theory]
    [InlineData("GET", "signin-oidc?code=stolen&state=forged")]
    [InlineData("GET", "signin-oidc?error=access_denied&state=forged")]
    [InlineData("GET", "signin-oidc")]
    [InlineData("POST", "signin-oidc")]
    [InlineData("GET", "signout-callback-oidc?state=forged")]
    [InlineData("GET", "signout-oidc?sid=x&iss=y")]
    public async Task A_forged_provider_callback_is_no_server_error_and_signs_nobody_in(string method, string path)
    {
        using var browser = Browser();

        using var response = await browser.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        ((int)response.StatusCode).Should().BeLessThan(500, $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).Should().NotContain(c => c.StartsWith("dr.session=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970"),
            "no session comes out of a forged callback");
    }

    [Fact]
    public async Task Who_am_i_without_a_session_is_nobody_and_never_cached()
    {
        using var browser = Browser();

        using var response = await browser.GetAsync("bff/user");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var me = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        me.GetProperty("signedIn").GetBoolean().Should().BeFalse();
        me.GetProperty("sub").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_made_up_session_cookie_is_no_session()
    {
        using var browser = Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "bff/user");
        request.Headers.Add("Cookie", "dr.session=" + new string('A', 200));

        using var response = await browser.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("signedIn").GetBoolean().Should().BeFalse();
    }
}
