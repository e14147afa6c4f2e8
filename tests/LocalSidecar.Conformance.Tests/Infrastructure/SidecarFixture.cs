using Dapr.Client;
using LocalSidecar.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Infrastructure;

/// <summary>
/// The sidecar under test. By default a local sidecar on free ports, in this process, over real Redis or the embedded
/// backend. When DAPR_HTTP_ENDPOINT and DAPR_GRPC_ENDPOINT are set, nothing is started and every case runs against
/// that endpoint instead (a real daprd with the components in <see cref="ComponentFiles"/>), so the suite doubles as a
/// fidelity check of the stand-in.
/// Subclasses that need an app override <see cref="StartAppAsync"/>; it runs before the sidecar starts, knowing the
/// sidecar's ports, exactly as `dapr run` hands them to an app.
/// </summary>
public abstract class SidecarFixture : IAsyncLifetime
{
    private LocalCluster? _cluster;
    private string? _resources;

    public abstract BackendKind Backend { get; }

    public string StateStore { get; } = Environment.GetEnvironmentVariable("CONFORMANCE_STATESTORE") ?? ComponentFiles.StateStore;
    public string LockStore { get; } = Environment.GetEnvironmentVariable("CONFORMANCE_LOCKSTORE") ?? ComponentFiles.LockStore;
    public string PubSub { get; } = Environment.GetEnvironmentVariable("CONFORMANCE_PUBSUB") ?? ComponentFiles.PubSub;

    /// <summary>The app id the sidecar runs as (used to predict Redis keys).</summary>
    public string AppId { get; protected init; } = "conformance";

    public bool IsRealDaprd { get; private set; }
    public RedisServer? Redis { get; private set; }
    public SidecarInstance? Sidecar { get; private set; }

    /// <summary>The cluster the local sidecar runs in; start more sidecars in it to act as other apps.</summary>
    public LocalCluster? Cluster => _cluster;

    /// <summary>The folder of component files the local sidecar loaded.</summary>
    public string? ResourcesPath => _resources;
    public string HttpEndpoint { get; private set; } = "";
    public string GrpcEndpoint { get; private set; } = "";
    public DaprClient Client { get; private set; } = null!;

    /// <summary>Plain HTTP to the sidecar's HTTP port (no SDK in between).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Extra component documents for this fixture (YAML text), beside the standard ones.</summary>
    protected virtual IEnumerable<string> ExtraComponents => [];

    /// <summary>Starts the app the sidecar should serve; returns its port, or null for no app.</summary>
    protected virtual Task<int?> StartAppAsync(int sidecarHttpPort, int sidecarGrpcPort) => Task.FromResult<int?>(null);

    protected virtual Task StopAppAsync() => Task.CompletedTask;

    /// <summary>Sidecar options a subclass may adjust (tokens, app id).</summary>
    protected virtual SidecarOptions Configure(SidecarOptions options) => options;

    public async Task InitializeAsync()
    {
        var http = Environment.GetEnvironmentVariable("DAPR_HTTP_ENDPOINT");
        var grpc = Environment.GetEnvironmentVariable("DAPR_GRPC_ENDPOINT");
        if (!string.IsNullOrEmpty(http) && !string.IsNullOrEmpty(grpc))
        {
            IsRealDaprd = true;
            HttpEndpoint = http.TrimEnd('/');
            GrpcEndpoint = grpc.TrimEnd('/');
            var realHttpPort = new Uri(HttpEndpoint).Port;
            var realGrpcPort = new Uri(GrpcEndpoint).Port;
            await StartAppAsync(realHttpPort, realGrpcPort);
        }
        else
        {
            if (Backend == BackendKind.Redis)
                Redis = RedisServer.Instance;
            var redisHost = Redis?.Host ?? "embedded:6379";
            _resources = Directory.CreateTempSubdirectory("sidecar-components-").FullName;
            ComponentFiles.Write(_resources, redisHost, ExtraComponents);

            var httpPort = FreePort.Next();
            var grpcPort = FreePort.Next();
            var appPort = await StartAppAsync(httpPort, grpcPort);
            _cluster = new LocalCluster(Backend);
            var options = Configure(new SidecarOptions
            {
                AppId = AppId,
                AppPort = appPort,
                HttpPort = httpPort,
                GrpcPort = grpcPort,
                ResourcesPaths = [_resources],
                Backend = Backend,
            });
            Sidecar = await SidecarInstance.StartAsync(options, _cluster, logging: l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
            HttpEndpoint = Sidecar.HttpEndpoint;
            GrpcEndpoint = Sidecar.GrpcEndpoint;
        }

        Client = CreateClient();
        Http = new HttpClient { BaseAddress = new Uri(HttpEndpoint + "/") };
    }

    /// <summary>A DaprClient aimed at this sidecar, optionally with an API token.</summary>
    public DaprClient CreateClient(string? apiToken = null)
    {
        var builder = new DaprClientBuilder().UseHttpEndpoint(HttpEndpoint).UseGrpcEndpoint(GrpcEndpoint);
        if (apiToken is not null)
            builder.UseDaprApiToken(apiToken);
        return builder.Build();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Http?.Dispose();
        if (Sidecar is not null)
            await Sidecar.DisposeAsync();
        await StopAppAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        if (_resources is not null)
            Directory.Delete(_resources, recursive: true);
    }

    /// <summary>A key no other test uses (Dapr's conformance suite uses uuid-prefixed keys too).</summary>
    public static string NewKey(string suffix = "") => Guid.NewGuid().ToString("N") + suffix;
}

/// <summary>The local sidecar over a real redis-server started for the test run.</summary>
public class RedisSidecarFixture : SidecarFixture
{
    public override BackendKind Backend => BackendKind.Redis;
}

/// <summary>The local sidecar over its embedded backend: same cases, nothing installed.</summary>
public class MemorySidecarFixture : SidecarFixture
{
    public override BackendKind Backend => BackendKind.Memory;
}
