using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Actors;

/// <summary>
/// Two apps in one local cluster: the fixture's own sidecar serves an app built on Dapr.Actors.AspNetCore
/// (CounterActor, IdleCounterActor, RemindedActor); a second sidecar ("raw-actors") serves <see cref="RawActorApp"/>,
/// which has no SDK and no locking of its own. Calls for a type go to the sidecar whose app reported it.
/// </summary>
public abstract class ActorsFixture : SidecarFixture, IAsyncLifetime
{
    public const string RawAppId = "raw-actors";

    private SdkActorApp? _sdkApp;

    protected ActorsFixture() => AppId = "actors-sdk";

    public ActorAppEvents SdkEvents { get; } = new();
    public RawActorApp Raw { get; private set; } = null!;
    public SidecarInstance RawSidecar { get; private set; } = null!;

    /// <summary>Plain HTTP to the raw app's own sidecar.</summary>
    public HttpClient RawHttp { get; private set; } = null!;

    /// <summary>
    /// Both actor sidecars run with an accessControl that denies every service invocation: actor calls between them
    /// must still work, as daprd checks accessControl in CallLocal only, never in CallActor (pkg/api/grpc/daprinternal.go).
    /// </summary>
    public const string DenyAllConfiguration = """
        apiVersion: dapr.io/v1alpha1
        kind: Configuration
        metadata:
          name: deny-all
        spec:
          accessControl:
            defaultAction: deny
            trustDomain: "public"
        """;

    protected override SidecarOptions Configure(SidecarOptions options)
    {
        var file = Path.Combine(ResourcesPath!, "deny-all-configuration.yaml");
        File.WriteAllText(file, DenyAllConfiguration);
        return options with { ConfigPaths = [file] };
    }

    protected override async Task<int?> StartAppAsync(int sidecarHttpPort, int sidecarGrpcPort)
    {
        _sdkApp = await SdkActorApp.StartAsync($"http://127.0.0.1:{sidecarHttpPort}", SdkEvents);
        return _sdkApp.Port;
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (Sidecar is null)
            throw new InvalidOperationException("the actor cases need the local sidecar: they start a second sidecar for the raw app in the same cluster");
        var cluster = Sidecar.Services.GetRequiredService<LocalCluster>();
        var rawHttpPort = FreePort.Next();
        Raw = await RawActorApp.StartAsync($"http://127.0.0.1:{rawHttpPort}");
        RawSidecar = await SidecarInstance.StartAsync(Sidecar.Options with
        {
            AppId = RawAppId,
            AppPort = Raw.Port,
            HttpPort = rawHttpPort,
            GrpcPort = 0,
        }, cluster, logging: l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
        RawHttp = new HttpClient { BaseAddress = new Uri(RawSidecar.HttpEndpoint + "/") };
    }

    public new async Task DisposeAsync()
    {
        RawHttp?.Dispose();
        if (RawSidecar is not null)
            await RawSidecar.DisposeAsync();
        if (Raw is not null)
            await Raw.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task StopAppAsync()
    {
        if (_sdkApp is not null)
            await _sdkApp.DisposeAsync();
    }
}

public sealed class RedisActorsFixture : ActorsFixture
{
    public override BackendKind Backend => BackendKind.Redis;
}

public sealed class MemoryActorsFixture : ActorsFixture
{
    public override BackendKind Backend => BackendKind.Memory;
}
