using System.Net.Http.Json;
using System.Text.Json;
using Dapr.Actors;
using Dapr.Actors.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;

namespace LocalSidecar.Conformance.Tests.Actors;

/// <summary>Actor method calls: turns, forwarding, answers and errors, placement, reentrancy, metadata.</summary>
public abstract class ActorInvocationConformance(ActorsFixture fixture)
{
    private TProxy Proxy<TProxy>(string type, string id) where TProxy : IActor =>
        ActorProxy.Create<TProxy>(new ActorId(id), type, new ActorProxyOptions { HttpEndpoint = fixture.HttpEndpoint });

    private static string NewId() => SidecarFixture.NewKey();

    [Fact]
    public async Task Sidecar_runs_one_call_at_a_time_per_actor_id()
    {
        var id = NewId();
        var calls = Enumerable.Range(0, 10).Select(_ => fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{id}/method/slow", null));
        var responses = await Task.WhenAll(calls);

        responses.Should().OnlyContain(r => (int)r.StatusCode == 200);
        fixture.Raw.MaxInFlight(id).Should().Be(1);
    }

    [Fact]
    public async Task Calls_to_different_actor_ids_run_in_parallel()
    {
        var calls = Enumerable.Range(0, 6).Select(_ => fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/slow", null));
        var responses = await Task.WhenAll(calls);

        responses.Should().OnlyContain(r => (int)r.StatusCode == 200);
        fixture.Raw.MaxInFlightAcrossIds.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Remoting_proxy_call_returns_the_method_result()
    {
        var counter = Proxy<ICounterActor>(nameof(CounterActor), NewId());

        (await counter.IncrementAsync(3)).Should().Be(3);
    }

    [Fact]
    public async Task Non_remoting_call_returns_the_json_result()
    {
        var proxy = ActorProxy.Create(new ActorId(NewId()), nameof(CounterActor), new ActorProxyOptions { HttpEndpoint = fixture.HttpEndpoint });

        (await proxy.InvokeMethodAsync<int, int>(nameof(ICounterActor.IncrementAsync), 5)).Should().Be(5);
    }

    [Fact]
    public async Task Actor_method_exception_reaches_the_remoting_caller_as_ActorMethodInvocationException()
    {
        var counter = Proxy<ICounterActor>(nameof(CounterActor), NewId());

        var act = () => counter.FailAsync("kaboom");

        (await act.Should().ThrowAsync<ActorMethodInvocationException>()).Which.ToString().Should().Contain("kaboom");
    }

    [Fact]
    public async Task Actor_calls_between_apps_are_not_subject_to_access_control()
    {
        // The raw app's sidecar denies every service invocation (ActorsFixture.DenyAllConfiguration) ...
        using var invoke = await fixture.Http.GetAsync($"v1.0/invoke/{ActorsFixture.RawAppId}/method/anything");
        ((int)invoke.StatusCode).Should().Be(403);

        // ... yet an actor it hosts is reached from the other app's sidecar.
        using var actor = await fixture.Http.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/echo", RawActorApp.Json("{}"));
        ((int)actor.StatusCode).Should().Be(200);
    }

    [Fact]
    public async Task Call_is_forwarded_as_PUT_with_body_content_type_and_caller_headers_to_the_hosting_app()
    {
        // Sent to the SDK app's sidecar: RawActor is hosted by the other sidecar, so this also crosses placement.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/echo")
        {
            Content = RawActorApp.Json("""{"hello":"world"}"""),
        };
        request.Headers.Add("X-Test-Header", "forwarded");
        using var response = await fixture.Http.SendAsync(request);

        ((int)response.StatusCode).Should().Be(200);
        var echo = RawActorApp.Parse(await response.Content.ReadAsStringAsync());
        echo.GetProperty("method").GetString().Should().Be("PUT");
        echo.GetProperty("contentType").GetString().Should().StartWith("application/json");
        echo.GetProperty("testHeader").GetString().Should().Be("forwarded");
        echo.GetProperty("body").GetString().Should().Be("""{"hello":"world"}""");
    }

    [Fact]
    public async Task App_error_status_becomes_500_ERR_ACTOR_INVOKE_METHOD_with_status_and_body()
    {
        using var response = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/fail/503", null);

        ((int)response.StatusCode).Should().Be(500);
        var error = RawActorApp.Parse(await response.Content.ReadAsStringAsync());
        error.GetProperty("errorCode").GetString().Should().Be("ERR_ACTOR_INVOKE_METHOD");
        error.GetProperty("message").GetString().Should().Contain("error from actor service: (503) boom");
    }

    [Fact]
    public async Task Any_2xx_other_than_200_is_an_error_and_404_means_method_not_found()
    {
        using var created = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/fail/201", null);
        using var missing = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/nosuchmethod", null);

        ((int)created.StatusCode).Should().Be(500);
        (await created.Content.ReadAsStringAsync()).Should().Contain("(201)");
        ((int)missing.StatusCode).Should().Be(500);
        (await missing.Content.ReadAsStringAsync()).Should().Contain("ERR_ACTOR_INVOKE_METHOD").And.Contain("actor method not found");
    }

    [Fact]
    public async Task A_200_with_the_error_response_header_is_passed_through_unchanged()
    {
        using var response = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/actorerror", null);

        ((int)response.StatusCode).Should().Be(200);
        response.Headers.GetValues("X-DaprErrorResponseHeader").Should().Contain("true");
        response.Headers.GetValues("X-Custom").Should().Contain("kept");
        (await response.Content.ReadAsStringAsync()).Should().Be("actor-error-body");
    }

    [Fact]
    public async Task Unknown_actor_type_gives_500_ERR_ACTOR_INVOKE_METHOD()
    {
        using var response = await fixture.Http.PutAsync($"v1.0/actors/NoSuchActorType/{NewId()}/method/anything", null);

        ((int)response.StatusCode).Should().Be(500);
        var error = RawActorApp.Parse(await response.Content.ReadAsStringAsync());
        error.GetProperty("errorCode").GetString().Should().Be("ERR_ACTOR_INVOKE_METHOD");
        error.GetProperty("message").GetString().Should().Contain("did not find address for actor 'NoSuchActorType/");
    }

    [Fact]
    public async Task Reentrant_type_lets_a_call_chain_reenter_its_own_actor()
    {
        using var response = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.ReentrantType}/{NewId()}/method/depth/2", null);

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync()).Should().Be("bottom");
    }

    [Fact]
    public async Task Reentrancy_beyond_maxStackDepth_gives_ERR_ACTOR_STACK_DEPTH()
    {
        using var response = await fixture.RawHttp.PutAsync(
            $"v1.0/actors/{RawActorApp.ReentrantType}/{NewId()}/method/depth/{RawActorApp.MaxStackDepth + 1}", null);

        ((int)response.StatusCode).Should().Be(500);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ERR_ACTOR_STACK_DEPTH");
    }

    [Fact]
    public async Task Sidecar_reads_dapr_config_with_json_content_type_and_its_app_id()
    {
        // Any call waits for the config; the raw app recorded how it was asked.
        using var response = await fixture.RawHttp.PutAsync($"v1.0/actors/{RawActorApp.Type}/{NewId()}/method/slow", null);

        fixture.Raw.ConfigRequests.Should().ContainSingle()
            .Which.Should().Be(("application/json", ActorsFixture.RawAppId));
    }

    [Fact]
    public async Task Metadata_lists_active_actors_per_hosted_type()
    {
        await Proxy<ICounterActor>(nameof(CounterActor), NewId()).IncrementAsync(1);

        var metadata = RawActorApp.Parse(await fixture.Http.GetStringAsync("v1.0/metadata"));
        var actors = metadata.GetProperty("actors").EnumerateArray()
            .ToDictionary(a => a.GetProperty("type").GetString()!, a => a.GetProperty("count").GetInt32());
        actors.Should().ContainKeys(nameof(CounterActor), nameof(IdleCounterActor), nameof(RemindedActor));
        actors[nameof(CounterActor)].Should().BeGreaterThanOrEqualTo(1);
    }
}

public sealed class ActorInvocationOnRedis(RedisActorsFixture fixture) : ActorInvocationConformance(fixture), IClassFixture<RedisActorsFixture>;

public sealed class ActorInvocationOnMemory(MemoryActorsFixture fixture) : ActorInvocationConformance(fixture), IClassFixture<MemoryActorsFixture>;
