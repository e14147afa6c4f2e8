using System.Net;
using BuildingBlocks.Tests.Infrastructure;
using Dapr;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BuildingBlocks.Tests;

/// <summary>Routes only the app's own sidecar may call, and internal saga steps: the app token decides.</summary>
public sealed class SidecarOnlyRoutesTests
{
    private static async Task<SampleApp> StartAsync(string? appToken = SampleApp.AppToken, string environment = "Production")
    {
        var settings = TestIdentity.Settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        settings["Auth:InternalCallers:0"] = "ordering";
        settings["APP_API_TOKEN"] = appToken;
        var builder = SampleApp.CreateBuilder(settings, environment);
        builder.AddDefaultAuthentication();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseDefaultAuthentication();
        app.UseDaprPubSub();
        app.MapPost("/events/thing.happened", () => "handled").WithTopic("pubsub", "thing.happened");
        app.MapPost("/hooks/sidecar", () => "hook").SidecarOnly();
        app.MapPost("/steps/confirm", () => "confirmed").RequireAuthorization(Policies.Internal);
        app.MapGet("/public", () => "public");
        await app.StartAsync();
        return SampleApp.From(app);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token = null, string? caller = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.TryAddWithoutValidation(AppApiToken.Header, token);
        if (caller is not null)
            request.Headers.TryAddWithoutValidation(InternalCallers.CallerHeader, caller);
        return request;
    }

    [Theory]
    [InlineData("POST", "/events/thing.happened")]
    [InlineData("GET", "/dapr/subscribe")]
    [InlineData("GET", "/dapr/config")]
    [InlineData("PUT", "/actors/SlotActor/1/method/Read")]
    [InlineData("POST", "/hooks/sidecar")]
    public async Task Without_the_app_token_a_sidecar_only_route_is_a_401_problem(string method, string path)
    {
        await using var app = await StartAsync();

        foreach (var token in new[] { null, "", "wrong", SampleApp.AppToken + "x", SampleApp.AppToken.ToUpperInvariant() })
        {
            using var response = await app.Client.SendAsync(Request(new HttpMethod(method), path, token, caller: "ordering"));
            await response.ReadProblemAsync(401);
        }
    }

    [Fact]
    public async Task With_the_app_token_the_sidecar_gets_through_and_other_routes_need_nothing()
    {
        await using var app = await StartAsync();

        using var delivered = await app.Client.SendAsync(Request(HttpMethod.Post, "/events/thing.happened", SampleApp.AppToken));
        using var subscribe = await app.Client.SendAsync(Request(HttpMethod.Get, "/dapr/subscribe", SampleApp.AppToken));
        using var open = await app.Client.GetAsync("/public");

        delivered.StatusCode.Should().Be(HttpStatusCode.OK);
        (await subscribe.Content.ReadAsStringAsync()).Should().Contain("thing.happened");
        open.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_internal_step_needs_both_the_caller_id_and_the_app_token()
    {
        await using var app = await StartAsync();

        (await app.Client.SendAsync(Request(HttpMethod.Post, "/steps/confirm", caller: "ordering"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.Client.SendAsync(Request(HttpMethod.Post, "/steps/confirm", "wrong", "ordering"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.Client.SendAsync(Request(HttpMethod.Post, "/steps/confirm", SampleApp.AppToken, "web"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.Client.SendAsync(Request(HttpMethod.Post, "/steps/confirm", SampleApp.AppToken, "ordering"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Outside_Development_a_service_without_an_app_token_refuses_to_start()
    {
        var start = async () => await StartAsync(appToken: null);

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("APP_API_TOKEN");
    }

    [Fact]
    public async Task In_Development_without_an_app_token_nothing_is_the_sidecar()
    {
        await using var app = await StartAsync(appToken: null, environment: "Development");

        using var delivered = await app.Client.SendAsync(Request(HttpMethod.Post, "/events/thing.happened", ""));
        using var step = await app.Client.SendAsync(Request(HttpMethod.Post, "/steps/confirm", "", "ordering"));

        delivered.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        step.StatusCode.Should().NotBe(HttpStatusCode.OK);
    }
}
