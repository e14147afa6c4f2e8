using System.Net;
using System.Net.Http.Headers;
using BuildingBlocks.Tests.Infrastructure;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.Testing;
using LocalSidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BuildingBlocks.Tests;

/// <summary>
/// What a service accepts as a person's token, against a real OpenID Connect authority (discovery + JWKS over HTTP):
/// tokens shaped like the local provider's and like Entra ID's v2 access tokens, through the same settings.
/// </summary>
public sealed class AuthenticationTests
{
    private const string Tenant = "5f0c6a1e-7d55-4f11-9a6a-2f4f8f1b7c01";
    private const string ApiClientId = "8e2b5f0d-3c3a-4a8e-b1b4-6a9d0f3c2e11";

    private static async Task<SampleApp> StartAsync(IDictionary<string, string?>? auth = null)
    {
        var settings = auth ?? TestIdentity.Settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        var builder = SampleApp.CreateBuilder(settings);
        builder.AddDefaultAuthentication();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseDefaultAuthentication();
        app.MapGet("/api/mine", (HttpContext http) => http.User.CustomerId()).RequireAuthorization(Policies.Customer);
        app.MapGet("/api/admin", () => "ok").RequireAuthorization(Policies.Admin);
        await app.StartAsync();
        return SampleApp.From(app);
    }

    /// <summary>The settings of a deployment trusting Entra ID v2 tokens for the API registration <see cref="ApiClientId"/>.</summary>
    private static Task<SampleApp> StartAsEntraAsync() => StartAsync(new Dictionary<string, string?>
    {
        ["Auth:Authority"] = TestIdentity.EntraAuthority(Tenant),
        ["Auth:Audience"] = ApiClientId,
        ["Auth:RequireHttpsMetadata"] = "false", // the stand-in serves http on loopback; Azure's settings never do
    });

    /// <summary>A v2 access token as Entra ID issues it for the API's delegated scope.</summary>
    private static string EntraToken(string? scope = "access_as_user", string[]? roles = null, string? audience = ApiClientId,
        string issuerTenant = Tenant, string version = "2.0", string? issuer = null) =>
        TestIdentity.Mint(new TokenShape("Kq0pVdA3bWc-pairwise-subject", roles, scope, issuer ?? TestIdentity.EntraIssuer(issuerTenant), audience,
            Extra: new Dictionary<string, object>
            {
                ["ver"] = version,
                ["tid"] = issuerTenant,
                ["oid"] = "0b9f5a3c-1111-4c2d-8e8e-9d7a6b5c4d3e",
                ["azp"] = "3c1d2e4f-2222-4a5b-9c8d-7e6f5a4b3c2d",
                ["preferred_username"] = "alice@contoso.example",
            }));

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task No_token_is_a_401_problem_with_a_bearer_challenge()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.SendAsync(Get("/api/admin", token: null));

        var problem = await response.ReadProblemAsync(401);
        problem.GetProperty("detail").GetString().Should().Contain("bearer token");
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
    }

    [Theory]
    [InlineData("another key")]
    [InlineData("another issuer")]
    [InlineData("another audience")]
    [InlineData("expired")]
    public async Task A_token_the_authority_did_not_issue_for_this_api_is_a_401_problem(string how)
    {
        await using var app = await StartAsync();
        var token = how switch
        {
            "another key" => TestIdentity.Mint(new TokenShape("mallory", [Roles.Admin], Key: TestIdentity.ForeignKey())),
            "another issuer" => TestIdentity.Mint(new TokenShape("mallory", [Roles.Admin], Issuer: "https://evil.example/")),
            "another audience" => TestIdentity.Mint(new TokenShape("mallory", [Roles.Admin], Audience: "api://someone-else")),
            _ => TestIdentity.Mint(new TokenShape("mallory", [Roles.Admin], Lifetime: TimeSpan.FromMinutes(-2))),
        };

        using var response = await app.Client.SendAsync(Get("/api/admin", token));

        await response.ReadProblemAsync(401);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("invalid_token");
    }

    [Fact]
    public async Task A_customer_on_an_admin_endpoint_is_a_403_problem_and_an_admin_passes()
    {
        await using var app = await StartAsync();

        using var customer = await app.Client.SendAsync(Get("/api/admin", TestIdentity.Token("alice")));
        var problem = await customer.ReadProblemAsync(403);
        problem.GetProperty("detail").GetString().Should().Contain("not allowed");

        using var admin = await app.Client.SendAsync(Get("/api/admin", TestIdentity.Token("root", admin: true)));
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
        using var mine = await app.Client.SendAsync(Get("/api/mine", TestIdentity.Token("alice")));
        (await mine.Content.ReadAsStringAsync()).Should().Be("alice");
    }

    [Fact]
    public async Task A_token_without_the_api_scope_is_refused_even_with_the_admin_role()
    {
        await using var app = await StartAsync();

        using var customer = await app.Client.SendAsync(Get("/api/mine", TestIdentity.Mint(new TokenShape("alice", Scope: "openid profile"))));
        using var admin = await app.Client.SendAsync(Get("/api/admin", TestIdentity.Mint(new TokenShape("root", [Roles.Admin], Scope: null))));

        await customer.ReadProblemAsync(403);
        await admin.ReadProblemAsync(403);
    }

    [Fact]
    public async Task The_scope_counts_in_the_rfc_9068_scope_claim_too_among_other_scopes()
    {
        await using var app = await StartAsync();
        var token = TestIdentity.Mint(new TokenShape("alice", Scope: null,
            Extra: new Dictionary<string, object> { [ClaimNames.Scope] = "openid offline_access access_as_user" }));

        using var response = await app.Client.SendAsync(Get("/api/mine", token));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_entra_id_v2_token_for_the_api_registration_signs_in_and_its_app_role_makes_an_admin()
    {
        await using var app = await StartAsEntraAsync();

        using var customer = await app.Client.SendAsync(Get("/api/mine", EntraToken()));
        using var notAdmin = await app.Client.SendAsync(Get("/api/admin", EntraToken()));
        using var admin = await app.Client.SendAsync(Get("/api/admin", EntraToken(roles: [Roles.Admin])));

        customer.StatusCode.Should().Be(HttpStatusCode.OK);
        (await customer.Content.ReadAsStringAsync()).Should().Be("Kq0pVdA3bWc-pairwise-subject", "the customer is the token's sub");
        await notAdmin.ReadProblemAsync(403);
        admin.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("v1 token (api:// audience, sts.windows.net issuer)")]
    [InlineData("v2 token with the api:// audience")]
    [InlineData("another tenant")]
    [InlineData("another api registration")]
    public async Task An_entra_id_token_in_another_shape_is_a_401(string shape)
    {
        await using var app = await StartAsEntraAsync();
        var token = shape switch
        {
            "v1 token (api:// audience, sts.windows.net issuer)" =>
                EntraToken(audience: "api://daprreservations", version: "1.0", issuer: $"https://sts.windows.net/{Tenant}/"),
            "v2 token with the api:// audience" => EntraToken(audience: "api://daprreservations"),
            "another tenant" => EntraToken(issuerTenant: "0c4e7a55-3333-4d1e-8f00-aa11bb22cc33"),
            _ => EntraToken(audience: "6a7b8c9d-4444-4e5f-a0b1-c2d3e4f5a6b7"),
        };

        using var response = await app.Client.SendAsync(Get("/api/admin", token));

        await response.ReadProblemAsync(401);
    }

    [Fact]
    public async Task An_app_only_token_with_the_admin_role_is_no_admin()
    {
        await using var app = await StartAsEntraAsync();
        // Client credentials: the role as an application permission, no delegated scope, no person.
        var appOnly = EntraToken(scope: null, roles: [Roles.Admin]);

        using var response = await app.Client.SendAsync(Get("/api/admin", appOnly));

        await response.ReadProblemAsync(403);
    }

    [Fact]
    public async Task An_unreachable_authority_is_a_503_with_retry_after_not_a_401()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = $"http://127.0.0.1:{FreePort.Next()}/",
            ["Auth:Audience"] = TestIdentity.Audience,
            ["Auth:RequireHttpsMetadata"] = "false",
        });

        using var response = await app.Client.SendAsync(Get("/api/mine", TestIdentity.Token("alice")));

        await response.ReadProblemAsync(503);
        response.Headers.RetryAfter.Should().NotBeNull();
    }

    [Theory]
    [InlineData(null, "api://daprreservations", "false")]
    [InlineData("http://login.example/tenant/v2.0", "api://daprreservations", "true")]
    [InlineData("https://login.microsoftonline.com/t/v2.0", "", "true")]
    public async Task A_service_without_a_usable_authority_refuses_to_start(string? authority, string audience, string requireHttps)
    {
        var builder = SampleApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = authority,
            ["Auth:Audience"] = audience,
            ["Auth:RequireHttpsMetadata"] = requireHttps,
        });
        builder.AddDefaultAuthentication();

        var start = async () => { await using var app = builder.Build(); await app.StartAsync(); };

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain("Auth:");
    }
}
