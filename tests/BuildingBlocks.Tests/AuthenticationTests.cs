using System.Net.Http.Headers;
using BuildingBlocks.Tests.Infrastructure;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BuildingBlocks.Tests;

public sealed class AuthenticationTests
{
    private const string SigningKey = "building-blocks-tests-signing-key-0123456789";

    private static async Task<SampleApp> StartAsync()
    {
        var builder = SampleApp.CreateBuilder(new Dictionary<string, string?> { ["Auth:DevSigningKey"] = SigningKey });
        builder.AddDefaultAuthentication();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseDefaultAuthentication();
        app.MapGet("/api/mine", (HttpContext http) => http.User.CustomerId()).RequireAuthorization(Policies.Customer);
        app.MapGet("/api/admin", () => "ok").RequireAuthorization(Policies.Admin);
        await app.StartAsync();
        return SampleApp.From(app);
    }

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

    [Fact]
    public async Task A_token_signed_with_another_key_is_a_401_problem()
    {
        await using var app = await StartAsync();
        var forged = new DevTokenIssuer("some-other-signing-key-that-is-long-enough").Issue("mallory", roles: [Roles.Admin]);

        using var response = await app.Client.SendAsync(Get("/api/admin", forged));

        await response.ReadProblemAsync(401);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("invalid_token");
    }

    [Fact]
    public async Task A_customer_on_an_admin_endpoint_is_a_403_problem_and_an_admin_passes()
    {
        await using var app = await StartAsync();
        var issuer = new DevTokenIssuer(SigningKey);

        using var customer = await app.Client.SendAsync(Get("/api/admin", issuer.Issue("alice", "Alice")));
        var problem = await customer.ReadProblemAsync(403);
        problem.GetProperty("detail").GetString().Should().Contain("not allowed");

        using var admin = await app.Client.SendAsync(Get("/api/admin", issuer.Issue("root", roles: [Roles.Admin])));
        admin.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        using var mine = await app.Client.SendAsync(Get("/api/mine", issuer.Issue("alice")));
        (await mine.Content.ReadAsStringAsync()).Should().Be("alice");
    }
}
