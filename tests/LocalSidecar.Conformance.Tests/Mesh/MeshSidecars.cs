using Dapr.Client;
using LocalSidecar.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Mesh;

/// <summary>
/// The sidecars of a mesh conformance fixture: local sidecars in one cluster with their own temp folder, or the real
/// daprds that environment variables <c>{envPrefix}_{APP}_HTTP</c> / <c>_GRPC</c> name (app ids start with
/// <paramref name="appPrefix"/>, which the variable name leaves out).
/// </summary>
internal sealed class MeshSidecars(BackendKind backend, string envPrefix, string appPrefix) : IAsyncDisposable
{
    private readonly Dictionary<string, (string Http, string Grpc)> endpoints = new(StringComparer.Ordinal);
    private readonly List<SidecarInstance> sidecars = [];
    private LocalCluster? cluster;
    private string? directory;

    /// <summary>A temp folder for components and configurations, deleted on dispose.</summary>
    public string CreateDirectory(string prefix) => directory = Directory.CreateTempSubdirectory(prefix).FullName;

    public void UseRealDaprds(IEnumerable<string> apps)
    {
        foreach (var app in apps)
            endpoints[app] = (Required(app, "HTTP"), Required(app, "GRPC"));
    }

    public async Task StartAsync(string appId, int? appPort, string resources, IReadOnlyList<string> configs, LogLevel level)
    {
        cluster ??= new LocalCluster(backend);
        var sidecar = await SidecarInstance.StartAsync(new SidecarOptions
        {
            AppId = appId,
            AppPort = appPort,
            HttpPort = 0,
            GrpcPort = 0,
            ResourcesPaths = [resources],
            ConfigPaths = configs,
            Backend = backend,
        }, cluster, logging: l => l.SetMinimumLevel(level).AddConsole());
        sidecars.Add(sidecar);
        endpoints[appId] = (sidecar.HttpEndpoint, sidecar.GrpcEndpoint);
    }

    /// <summary>The official SDK client of one app's sidecar.</summary>
    public DaprClient Client(string app) =>
        new DaprClientBuilder().UseHttpEndpoint(endpoints[app].Http).UseGrpcEndpoint(endpoints[app].Grpc).Build();

    /// <summary>Plain HTTP to one app's sidecar.</summary>
    public HttpClient Http(string app) => new() { BaseAddress = new Uri(endpoints[app].Http + "/") };

    public string HttpEndpoint(string app) => endpoints[app].Http;

    private string Required(string app, string protocol)
    {
        var name = $"{envPrefix}_{app[appPrefix.Length..].ToUpperInvariant()}_{protocol}";
        return Environment.GetEnvironmentVariable(name)?.TrimEnd('/')
            ?? throw new InvalidOperationException($"{name} must point at the {app} daprd when {envPrefix}_APP_PORT is set");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sidecar in sidecars)
            await sidecar.DisposeAsync();
        if (cluster is not null)
            await cluster.DisposeAsync();
        if (directory is not null)
            Directory.Delete(directory, recursive: true);
    }
}
