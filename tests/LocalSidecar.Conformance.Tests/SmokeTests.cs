using LocalSidecar.Conformance.Tests.Infrastructure;

namespace LocalSidecar.Conformance.Tests;

/// <summary>The sidecar is up: healthz answers 204 on both backends and the SDK's readiness wait returns.</summary>
public abstract class HealthConformance(SidecarFixture fixture)
{
    [Fact]
    public async Task Healthz_answers_204()
    {
        using var response = await fixture.Http.GetAsync("v1.0/healthz");
        ((int)response.StatusCode).Should().Be(204);
    }

    [Fact]
    public async Task WaitForSidecar_returns_once_outbound_health_is_204()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await fixture.Client.WaitForSidecarAsync(cts.Token);
        (await fixture.Client.CheckOutboundHealthAsync()).Should().BeTrue();
    }
}

public sealed class HealthOnRedis(RedisSidecarFixture fixture) : HealthConformance(fixture), IClassFixture<RedisSidecarFixture>;

public sealed class HealthOnMemory(MemorySidecarFixture fixture) : HealthConformance(fixture), IClassFixture<MemorySidecarFixture>;
