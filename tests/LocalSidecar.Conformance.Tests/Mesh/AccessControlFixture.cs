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

    private MeshSidecars? _sidecars;
    private EchoApp? _app;

    public abstract BackendKind Backend { get; }

    private MeshSidecars Sidecars => _sidecars ??= new MeshSidecars(Backend, "CONFORMANCE_MESH", "mesh-");

    public async Task InitializeAsync()
    {
        var appPort = Environment.GetEnvironmentVariable("CONFORMANCE_MESH_APP_PORT");
        if (!string.IsNullOrEmpty(appPort))
        {
            _app = await EchoApp.StartAsync(int.Parse(appPort));
            Sidecars.UseRealDaprds([Callee, Caller, Trusted, Stranger, Foreign]);
            return;
        }

        var dir = Sidecars.CreateDirectory("mesh-acl-");
        var resources = Directory.CreateDirectory(Path.Combine(dir, "components")).FullName;
        ComponentFiles.Write(resources, Backend == BackendKind.Redis ? RedisServer.Instance.Host : "embedded:6379", []);
        var calleeConfig = Path.Combine(dir, "callee.yaml");
        var foreignConfig = Path.Combine(dir, "foreign.yaml");
        await File.WriteAllTextAsync(calleeConfig, CalleeConfiguration);
        await File.WriteAllTextAsync(foreignConfig, ForeignConfiguration);

        _app = await EchoApp.StartAsync();
        await Sidecars.StartAsync(Callee, _app.Port, resources, [calleeConfig], LogLevel.Warning);
        await Sidecars.StartAsync(Caller, null, resources, [], LogLevel.Warning);
        await Sidecars.StartAsync(Trusted, null, resources, [], LogLevel.Warning);
        await Sidecars.StartAsync(Stranger, null, resources, [], LogLevel.Warning);
        await Sidecars.StartAsync(Foreign, null, resources, [foreignConfig], LogLevel.Warning);
    }

    /// <summary>The official SDK client of one app's sidecar.</summary>
    public DaprClient Client(string app) => Sidecars.Client(app);

    /// <summary>The SDK's invoking HttpClient from <paramref name="app"/>'s sidecar to <paramref name="target"/>.</summary>
    public HttpClient InvokeClient(string app, string target) => DaprClient.CreateInvokeHttpClient(target, Sidecars.HttpEndpoint(app));

    /// <summary>Plain HTTP to one app's sidecar (for the dapr-app-id header route).</summary>
    public HttpClient Http(string app) => Sidecars.Http(app);

    public async Task DisposeAsync()
    {
        if (_sidecars is not null)
            await _sidecars.DisposeAsync();
        if (_app is not null)
            await _app.DisposeAsync();
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
