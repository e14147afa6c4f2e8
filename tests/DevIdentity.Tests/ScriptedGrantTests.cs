using System.Net;
using System.Security.Claims;
using System.Text.Json;

namespace DevIdentity.Tests;

/// <summary>The demo-user grant scripts, benchmarks and the fuzz command use instead of the browser flow.</summary>
public sealed class ScriptedGrantTests(DevIdentityFactory factory) : IClassFixture<DevIdentityFactory>
{
    [Fact]
    public async Task A_customer_gets_an_access_token_the_services_validation_accepts()
    {
        var response = await factory.DemoTokenAsync("alice");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await DevIdentityFactory.JsonAsync(response);
        body.GetProperty("token_type").GetString().Should().Be("Bearer");
        body.GetProperty("expires_in").GetInt32().Should().BeInRange(890, 900, "Identity:AccessTokenLifetime is 15 minutes");
        body.TryGetProperty("refresh_token", out _).Should().BeFalse("the scripted grant issues only an access token");
        body.TryGetProperty("id_token", out _).Should().BeFalse();

        var token = body.GetProperty("access_token").GetString()!;
        var result = await factory.ValidateAsync(token);
        result.IsValid.Should().BeTrue(result.Exception?.Message);
        var identity = result.ClaimsIdentity;
        identity.FindFirst("sub")!.Value.Should().Be("alice");
        identity.Name.Should().Be("Alice");
        identity.FindFirst("scope")!.Value.Split(' ').Should().Contain("access_as_user");
        identity.FindAll("roles").Should().BeEmpty("only admin has a role");
        var payload = DevIdentityFactory.Payload(token);
        payload.GetProperty("aud").GetString().Should().Be(DevIdentityFactory.Audience);
        payload.GetProperty("iss").GetString().Should().Be("http://localhost/");
    }

    [Fact]
    public async Task Admin_gets_roles_as_a_JSON_array()
    {
        var response = await factory.DemoTokenAsync("admin");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = (await DevIdentityFactory.JsonAsync(response)).GetProperty("access_token").GetString()!;
        var roles = DevIdentityFactory.Payload(token).GetProperty("roles");
        roles.ValueKind.Should().Be(JsonValueKind.Array, "Entra ID's roles claim is an array");
        roles.EnumerateArray().Select(r => r.GetString()).Should().Equal("admin");
        var result = await factory.ValidateAsync(token);
        result.IsValid.Should().BeTrue(result.Exception?.Message);
        new ClaimsPrincipal(result.ClaimsIdentity).IsInRole("admin").Should().BeTrue();
    }

    [Fact]
    public async Task The_token_is_not_valid_for_another_audience()
    {
        var token = (await DevIdentityFactory.JsonAsync(await factory.DemoTokenAsync("bob")))
            .GetProperty("access_token").GetString()!;

        var result = await factory.ValidateAsync(token, audience: "api://someone-else");

        result.IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("a")]
    [InlineData("bob smith")]
    [InlineData("../admin")]
    public async Task A_malformed_username_is_refused(string username)
    {
        var response = await factory.DemoTokenAsync(username);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DevIdentityFactory.JsonAsync(response)).GetProperty("error").GetString().Should().Be("invalid_grant");
    }

    [Fact]
    public async Task A_missing_username_is_an_invalid_request()
    {
        var response = await factory.TokenAsync(factory.CreateClient(),
            ("grant_type", DevIdentityFactory.DemoGrant), ("client_id", "scripts"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DevIdentityFactory.JsonAsync(response)).GetProperty("error").GetString().Should().Be("invalid_request");
    }

    [Fact]
    public async Task An_unknown_client_is_refused()
    {
        var response = await factory.DemoTokenAsync("alice", clientId: "intruder");

        response.IsSuccessStatusCode.Should().BeFalse();
        (await DevIdentityFactory.JsonAsync(response)).GetProperty("error").GetString().Should().Be("invalid_client");
    }

    [Fact]
    public async Task The_web_client_may_not_use_the_scripted_grant()
    {
        var response = await factory.TokenAsync(factory.CreateClient(),
            ("grant_type", DevIdentityFactory.DemoGrant), ("username", "alice"),
            ("client_id", "web"), ("client_secret", DevIdentityFactory.WebClientSecret));

        response.IsSuccessStatusCode.Should().BeFalse();
        (await DevIdentityFactory.JsonAsync(response)).GetProperty("error").GetString().Should().Be("unauthorized_client");
    }

    [Fact]
    public async Task Userinfo_describes_the_token_holder()
    {
        var token = (await DevIdentityFactory.JsonAsync(await factory.DemoTokenAsync("admin")))
            .GetProperty("access_token").GetString()!;
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var response = await client.GetAsync("/connect/userinfo");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await DevIdentityFactory.JsonAsync(response);
        body.GetProperty("sub").GetString().Should().Be("admin");
        body.GetProperty("name").GetString().Should().Be("Admin");
        body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("admin");
    }
}
