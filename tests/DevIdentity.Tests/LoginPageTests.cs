using System.Net;

namespace DevIdentity.Tests;

/// <summary>The provider's own login page: what the browser tests click, and what it refuses.</summary>
public sealed class LoginPageTests(DevIdentityFactory factory) : IClassFixture<DevIdentityFactory>
{
    [Fact]
    public async Task The_page_lists_the_demo_users_and_admin_and_a_free_name_field()
    {
        var (_, html) = await new CodeFlow(factory).StartAsync();

        foreach (var user in new[] { "alice", "bob", "carol", "admin" })
            html.Should().Contain($"data-testid=\"login-{user}\"");
        html.Should().Contain("data-testid=\"login-name\"").And.Contain("data-testid=\"login-submit\"");
        html.Should().Contain("<html lang=\"en\">").And.Contain("<label for=\"username\">");
        html.Should().NotContain("<script").And.NotContain("style=");
    }

    [Theory]
    [InlineData("dora", true)]
    [InlineData("bob-2", true)]
    [InlineData("Dora", false)]
    [InlineData("d", false)]
    [InlineData("2pac", false)]
    public async Task The_name_field_accepts_in_the_browser_exactly_the_names_the_server_accepts(string name, bool valid)
    {
        var (_, html) = await new CodeFlow(factory).StartAsync();
        var pattern = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "pattern=\"([^\"]*)\"").Groups[1].Value);

        // A browser anchors the pattern to the whole value (and compiles it with the v flag, in which \- is '-').
        System.Text.RegularExpressions.Regex.IsMatch(name, $"^(?:{pattern})$").Should().Be(valid, $"pattern '{pattern}'");
    }

    [Fact]
    public async Task The_page_forbids_scripts_framing_and_foreign_form_targets()
    {
        var response = await factory.Browser().GetAsync("/account/login?ReturnUrl=%2F");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().Contain("default-src 'none'").And.Contain("frame-ancestors 'none'")
            .And.Contain($"form-action 'self' {DevIdentityFactory.WebBase}").And.NotContain("unsafe");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Theory]
    [InlineData("https://evil.test/")]
    [InlineData("//evil.test/")]
    [InlineData("/\\evil.test/")]
    public async Task A_non_local_return_url_is_refused(string returnUrl)
    {
        var browser = factory.Browser();

        var page = await browser.GetAsync("/account/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        page.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // Nor can a POST smuggle one in with a valid antiforgery token.
        var flow = new CodeFlow(factory);
        var (_, html) = await flow.StartAsync();
        var post = await flow.PostLoginAsync(html, "alice", returnUrl);
        post.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        post.Headers.Location.Should().BeNull();
        post.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).Should().NotContain(c => c.StartsWith("dr.identity="));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var flow = new CodeFlow(factory);
        await flow.StartAsync(); // has the antiforgery cookie, but the form field is missing

        var response = await flow.Browser.PostAsync("/account/login", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["ReturnUrl"] = "/", ["username"] = "alice" }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Location.Should().BeNull();
    }

    [Fact]
    public async Task An_invalid_name_shows_the_page_again_with_an_alert()
    {
        var flow = new CodeFlow(factory);
        var (_, html) = await flow.StartAsync();

        var response = await flow.PostLoginAsync(html, "Not A Name");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var again = await response.Content.ReadAsStringAsync();
        again.Should().Contain("role=\"alert\"").And.Contain("aria-invalid=\"true\"");
        DevIdentityFactory.Hidden(again, "ReturnUrl").Should().StartWith("/connect/authorize?");
    }

    [Fact]
    public async Task Any_valid_name_typed_in_signs_in_as_that_user()
    {
        var flow = new CodeFlow(factory);
        var code = await flow.SignInAsync("dave-2");

        var tokens = await DevIdentityFactory.JsonAsync(await flow.RedeemAsync(code));

        var payload = DevIdentityFactory.Payload(tokens.GetProperty("access_token").GetString()!);
        payload.GetProperty("sub").GetString().Should().Be("dave-2");
        payload.GetProperty("name").GetString().Should().Be("Dave-2");
    }
}
