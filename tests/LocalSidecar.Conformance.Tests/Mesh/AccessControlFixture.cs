using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Mesh;

/// <summary>
/// Five apps for accessControl: "mesh-callee" (an <see cref="EchoApp"/>) runs with <see cref="CalleeConfiguration"/>;
/// four app-less callers call it through their own sidecars. "mesh-caller" has a policy with operations,
/// "mesh-trusted" one with defaultAction allow, "mesh-stranger" none, and "mesh-foreign" has a policy but its own
/// configuration puts it in trust domain "elsewhere".
/// Against real daprds (sentry, mTLS) set CONFORMANCE_MESH_APP_PORT (the callee's --app-port; the echo app listens
/// there) and CONFORMANCE_MESH_{CALLEE,CALLER,TRUSTED,STRANGER,FOREIGN}_{HTTP,GRPC} to each daprd's endpoints; run the
/// callee with --config holding <see cref="CalleeConfiguration"/> and mesh-foreign with <see cref="ForeignConfiguration"/>.
/// </summary>
public abstract class AccessControlFixture : IAsyncLifetime
{
    public const string Callee = "mesh-callee";
    public const string Caller = "mesh-caller";
    public const string Trusted = "mesh-trusted";
    public const string Stranger = "mesh-stranger";
    public const string Foreign = "mesh-foreign";

    public const string CalleeConfiguration = """
        apiVersion: dapr.io/v1alpha1
        kind: Configuration
        metadata:
          name: mesh-callee
        spec:
          tracing:
            samplingRate: "1"
          mtls:
            enabled: true
          metric:
            enabled: false
          accessControl:
            defaultAction: deny
            trustDomain: "public"
            policies:
            - appId: mesh-caller
              defaultAction: deny
              trustDomain: "public"
              namespace: "default"
              operations:
              - name: /orders/**
                httpVerb: ["GET"]
                action: allow
              - name: /events/*
                httpVerb: ["POST"]
                action: allow
              - name: /admin
                httpVerb: ["*"]
                action: deny
            - appId: mesh-trusted
              defaultAction: allow
              trustDomain: "public"
              namespace: "default"
              operations:
              - name: /admin
                httpVerb: ["DELETE"]
                action: deny
            - appId: mesh-foreign
              defaultAction: allow
              trustDomain: "public"
              namespace: "default"
        """;

    public const string ForeignConfiguration = """
        apiVersion: dapr.io/v1alpha1
        kind: Configuration
        metadata:
          name: mesh-foreign
        spec:
          accessControl:
            trustDomain: "elsewhere"
        """;

    private readonly Dictionary<string, (string Http, string Grpc)> _endpoints = new(StringComparer.Ordinal);
    private readonly List<SidecarInstance> _sidecars = [];
    private LocalCluster? _cluster;
    private EchoApp? _app;
    private string? _dir;

    public abstract BackendKind Backend { get; }

    public async Task InitializeAsync()
    {
        var appPort = Environment.GetEnvironmentVariable("CONFORMANCE_MESH_APP_PORT");
        if (!string.IsNullOrEmpty(appPort))
        {
            _app = await EchoApp.StartAsync(int.Parse(appPort));
            foreach (var app in new[] { Callee, Caller, Trusted, Stranger, Foreign })
                _endpoints[app] = (Required(app, "HTTP"), Required(app, "GRPC"));
            return;
        }

        _dir = Directory.CreateTempSubdirectory("mesh-acl-").FullName;
        var resources = Directory.CreateDirectory(Path.Combine(_dir, "components")).FullName;
        ComponentFiles.Write(resources, Backend == BackendKind.Redis ? RedisServer.Instance.Host : "embedded:6379", []);
        var calleeConfig = Path.Combine(_dir, "callee.yaml");
        var foreignConfig = Path.Combine(_dir, "foreign.yaml");
        await File.WriteAllTextAsync(calleeConfig, CalleeConfiguration);
        await File.WriteAllTextAsync(foreignConfig, ForeignConfiguration);

        _app = await EchoApp.StartAsync();
        _cluster = new LocalCluster(Backend);
        await StartSidecarAsync(Callee, _app.Port, resources, [calleeConfig]);
        await StartSidecarAsync(Caller, null, resources, []);
        await StartSidecarAsync(Trusted, null, resources, []);
        await StartSidecarAsync(Stranger, null, resources, []);
        await StartSidecarAsync(Foreign, null, resources, [foreignConfig]);
    }

    private async Task StartSidecarAsync(string appId, int? appPort, string resources, IReadOnlyList<string> configs)
    {
        var sidecar = await SidecarInstance.StartAsync(new SidecarOptions
        {
            AppId = appId,
            AppPort = appPort,
            HttpPort = 0,
            GrpcPort = 0,
            ResourcesPaths = [resources],
            ConfigPaths = configs,
            Backend = Backend,
        }, _cluster!, logging: l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
        _sidecars.Add(sidecar);
        _endpoints[appId] = (sidecar.HttpEndpoint, sidecar.GrpcEndpoint);
    }

    private static string Required(string app, string protocol)
    {
        var name = $"CONFORMANCE_MESH_{app["mesh-".Length..].ToUpperInvariant()}_{protocol}";
        return Environment.GetEnvironmentVariable(name)?.TrimEnd('/')
            ?? throw new InvalidOperationException($"{name} must point at the {app} daprd when CONFORMANCE_MESH_APP_PORT is set");
    }

    /// <summary>The official SDK client of one app's sidecar.</summary>
    public DaprClient Client(string app) =>
        new DaprClientBuilder().UseHttpEndpoint(_endpoints[app].Http).UseGrpcEndpoint(_endpoints[app].Grpc).Build();

    /// <summary>The SDK's invoking HttpClient from <paramref name="app"/>'s sidecar to <paramref name="target"/>.</summary>
    public HttpClient InvokeClient(string app, string target) => DaprClient.CreateInvokeHttpClient(target, _endpoints[app].Http);

    /// <summary>Plain HTTP to one app's sidecar (for the dapr-app-id header route).</summary>
    public HttpClient Http(string app) => new() { BaseAddress = new Uri(_endpoints[app].Http + "/") };

    public async Task DisposeAsync()
    {
        foreach (var sidecar in _sidecars)
            await sidecar.DisposeAsync();
        if (_app is not null)
            await _app.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        if (_dir is not null)
            Directory.Delete(_dir, recursive: true);
    }
}

public sealed class RedisAccessControlFixture : AccessControlFixture
{
    public override BackendKind Backend => BackendKind.Redis;
}

public sealed class MemoryAccessControlFixture : AccessControlFixture
{
    public override BackendKind Backend => BackendKind.Memory;
}
