using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapr;
using Grpc.Core;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;

namespace LocalSidecar.Conformance.Tests.Runtime;

/// <summary>DAPR_API_TOKEN (app → sidecar) and APP_API_TOKEN (sidecar → app).</summary>
public abstract class ApiTokenConformance(EchoSidecarFixture fixture)
{
    public const string ApiToken = "sidecar-secret";
    public const string AppToken = "app-secret";

    [Fact]
    public async Task Http_calls_without_the_token_are_401_and_change_nothing()
    {
        using var response = await fixture.Http.GetAsync($"v1.0/invoke/{fixture.AppId}/method/x");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "v1.0/metadata");
        wrong.Headers.Add("dapr-api-token", "not-it");
        (await fixture.Http.SendAsync(wrong)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Healthz_is_exempt_from_the_token()
    {
        (await fixture.Http.GetAsync("v1.0/healthz")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await fixture.Http.GetAsync("v1.0/healthz/outbound")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task With_the_token_the_call_reaches_the_app_which_sees_the_app_token_not_the_callers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1.0/invoke/{fixture.AppId}/method/x");
        request.Headers.Add("dapr-api-token", ApiToken);
        using var response = await fixture.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EchoReply.ReadAsync(response)).Headers["dapr-api-token"].Should().Be(AppToken);
    }

    [Fact]
    public async Task Grpc_calls_without_the_token_are_unauthenticated()
    {
        var call = () => fixture.Client.GetMetadataAsync();
        (await call.Should().ThrowAsync<DaprException>())
            .WithInnerException<RpcException>().Which.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [Fact]
    public async Task Grpc_calls_with_the_token_succeed()
    {
        using var client = fixture.CreateClient(ApiToken);
        var metadata = await client.GetMetadataAsync();
        metadata.Id.Should().Be(fixture.AppId);
    }
}

public abstract class TokenEchoFixture : EchoSidecarFixture
{
    protected override SidecarOptions Configure(SidecarOptions options) =>
        options with { ApiToken = ApiTokenConformance.ApiToken, AppApiToken = ApiTokenConformance.AppToken };
}

public sealed class TokenRedisFixture : TokenEchoFixture
{
    public override BackendKind Backend => BackendKind.Redis;
}

public sealed class TokenMemoryFixture : TokenEchoFixture
{
    public override BackendKind Backend => BackendKind.Memory;
}

public sealed class ApiTokenOnRedis(TokenRedisFixture fixture) : ApiTokenConformance(fixture), IClassFixture<TokenRedisFixture>;

public sealed class ApiTokenOnMemory(TokenMemoryFixture fixture) : ApiTokenConformance(fixture), IClassFixture<TokenMemoryFixture>;

/// <summary>/v1.0/metadata, gRPC GetMetadata / SetMetadata, path cleaning.</summary>
public abstract class MetadataConformance(SidecarFixture fixture)
{
    [Fact]
    public async Task Grpc_metadata_reports_the_app_id_and_the_registered_components()
    {
        var metadata = await fixture.Client.GetMetadataAsync();
        metadata.Id.Should().Be(fixture.AppId);
        metadata.Components.Select(c => (c.Name, c.Type)).Should().Contain(new[]
        {
            (fixture.StateStore, "state.redis"), (fixture.LockStore, "lock.redis"), (fixture.PubSub, "pubsub.redis"),
        });
        metadata.Components.Single(c => c.Name == fixture.StateStore).Capabilities.Should().Contain(["ETAG", "TRANSACTIONAL", "ACTOR"]);
    }

    [Fact]
    public async Task Http_metadata_has_daprds_shape()
    {
        var metadata = await fixture.Http.GetFromJsonAsync<JsonElement>("v1.0/metadata");
        metadata.GetProperty("id").GetString().Should().Be(fixture.AppId);
        metadata.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().Contain([fixture.StateStore, fixture.LockStore, fixture.PubSub]);
        metadata.GetProperty("extended").ValueKind.Should().Be(JsonValueKind.Object);
    }

    [Fact]
    public async Task Set_metadata_shows_up_in_the_extended_metadata()
    {
        var key = "k" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Client.SetMetadataAsync(key, "v1");
        (await fixture.Client.GetMetadataAsync()).Extended.Should().Contain(key, "v1");
    }

    [Fact]
    public async Task Double_slashes_are_collapsed_before_routing_as_daprd_does()
    {
        (await fixture.Http.GetAsync(fixture.HttpEndpoint + "//v1.0//healthz")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}

public sealed class MetadataOnRedis(RedisSidecarFixture fixture) : MetadataConformance(fixture), IClassFixture<RedisSidecarFixture>;

public sealed class MetadataOnMemory(MemorySidecarFixture fixture) : MetadataConformance(fixture), IClassFixture<MemorySidecarFixture>;

/// <summary>gRPC Shutdown stops the sidecar (its own fixture per backend: the sidecar does not come back).</summary>
public abstract class ShutdownConformance(SidecarFixture fixture)
{
    [Fact]
    public async Task Shutdown_acknowledges_and_then_the_sidecar_stops_answering()
    {
        await fixture.Client.ShutdownSidecarAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var stopped = false;
        while (!stopped && DateTime.UtcNow < deadline)
        {
            try
            {
                await fixture.Http.GetAsync("v1.0/healthz");
                await Task.Delay(100);
            }
            catch (HttpRequestException)
            {
                stopped = true;
            }
        }

        stopped.Should().BeTrue("the sidecar stops after acknowledging Shutdown");
    }
}

public sealed class ShutdownRedisFixture : RedisSidecarFixture;

public sealed class ShutdownMemoryFixture : MemorySidecarFixture;

public sealed class ShutdownOnRedis(ShutdownRedisFixture fixture) : ShutdownConformance(fixture), IClassFixture<ShutdownRedisFixture>;

public sealed class ShutdownOnMemory(ShutdownMemoryFixture fixture) : ShutdownConformance(fixture), IClassFixture<ShutdownMemoryFixture>;
