using System.Net.Http.Json;
using DaprReservations.Testing;

namespace LocalSidecar.Tests;

/// <summary>The system-test fixture itself: apps as processes, each with a sidecar, called through a tester sidecar.</summary>
[Collection(SampleAppsCollection.Name)]
public sealed class DaprSystemTests
{
    [Theory]
    [InlineData(SidecarBackend.Memory)]
    [InlineData(SidecarBackend.Redis)]
    public async Task Apps_started_by_the_fixture_reach_each_other_through_their_sidecars(SidecarBackend backend)
    {
        await using var system = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = backend,
            Apps =
            [
                new AppSpec("front", "tests/SampleApps/TwoAppSample", "TwoAppSample.dll"),
                new AppSpec("back", "tests/SampleApps/TwoAppSample", "TwoAppSample.dll"),
            ],
        });

        var runId = Guid.NewGuid().ToString("N");
        using var response = await system.Invoke("front").PostAsync($"e2e/{runId}", null);
        response.IsSuccessStatusCode.Should().BeTrue(system.Logs("front"));
        var result = await response.Content.ReadFromJsonAsync<E2eResult>();
        result!.Greeting.Should().Be($"hello {runId} from back (caller front)");
        result.Count.Should().Be(2);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        string[] events = [];
        while (!events.Contains(runId) && DateTime.UtcNow < deadline)
        {
            events = (await system.Direct("back").GetFromJsonAsync<string[]>("events"))!;
            await Task.Delay(100);
        }

        events.Should().Contain(runId, "the event published by front reached back's subscription");
    }

    [Fact]
    public async Task A_crashed_app_restarts_behind_the_same_sidecar()
    {
        await using var system = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Memory,
            Apps = [new AppSpec("back", "tests/SampleApps/TwoAppSample", "TwoAppSample.dll")],
        });

        await system.StopAppAsync("back");
        var whileDown = () => system.Invoke("back").GetStringAsync("greet/x");
        await whileDown.Should().ThrowAsync<HttpRequestException>("the sidecar reports the app unreachable");

        await system.StartAppAsync("back");
        (await system.Invoke("back").GetStringAsync("greet/x")).Should().StartWith("hello x from back");
    }

    private sealed record E2eResult(string Greeting, int Count);
}
