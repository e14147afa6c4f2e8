using System.Net;

namespace DevIdentity.Tests;

/// <summary>What a relying party (web's OpenIdConnect handler, the services' JwtBearer) reads before anything else.</summary>
public sealed class DiscoveryTests(DevIdentityFactory factory) : IClassFixture<DevIdentityFactory>
{
    [Fact]
    public async Task Discovery_names_every_endpoint_the_brief_settles_and_the_scripted_grant()
    {
        var response = await factory.CreateClient().GetAsync("/.well-known/openid-configuration");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var document = await DevIdentityFactory.JsonAsync(response);
        // The issuer is the request's origin with a trailing slash (Auth:Authority must match it exactly).
        document.GetProperty("issuer").GetString().Should().Be("http://localhost/");
        document.GetProperty("authorization_endpoint").GetString().Should().Be("http://localhost/connect/authorize");
        document.GetProperty("token_endpoint").GetString().Should().Be("http://localhost/connect/token");
        document.GetProperty("end_session_endpoint").GetString().Should().Be("http://localhost/connect/endsession");
        document.GetProperty("revocation_endpoint").GetString().Should().Be("http://localhost/connect/revoke");
        document.GetProperty("userinfo_endpoint").GetString().Should().Be("http://localhost/connect/userinfo");
        document.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).Should()
            .BeEquivalentTo("authorization_code", "refresh_token", DevIdentityFactory.DemoGrant);
        document.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()).Should()
            .Equal("code");
        document.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()).Should()
            .Contain("S256");
        document.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()).Should()
            .Contain(["openid", "profile", "offline_access", "access_as_user"]);
    }

    [Fact]
    public async Task Jwks_publishes_one_RSA_signing_key()
    {
        var client = factory.CreateClient();
        var jwksUri = (await DevIdentityFactory.JsonAsync(await client.GetAsync("/.well-known/openid-configuration")))
            .GetProperty("jwks_uri").GetString();

        var keys = (await DevIdentityFactory.JsonAsync(await client.GetAsync(jwksUri))).GetProperty("keys");

        keys.GetArrayLength().Should().Be(1, "one ephemeral signing key per run; the encryption key is never published");
        var key = keys[0];
        key.GetProperty("kty").GetString().Should().Be("RSA");
        key.GetProperty("use").GetString().Should().Be("sig");
        key.GetProperty("kid").GetString().Should().NotBeNullOrEmpty();
        key.TryGetProperty("d", out _).Should().BeFalse("only the public part is published");
    }

    [Fact]
    public async Task Healthz_answers()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
