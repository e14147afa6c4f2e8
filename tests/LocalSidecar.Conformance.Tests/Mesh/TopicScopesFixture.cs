using System.Text.Json;
using Dapr.Client;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Conformance.Tests.PubSub;
using LocalSidecar.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.Mesh;

/// <summary>
/// Three apps sharing the pubsub.redis components of <see cref="Components"/>: "scope-publisher" and "scope-outsider"
/// (no app) publish; "scope-subscriber" serves a Dapr.AspNetCore app subscribed to five topics, two of which its
/// subscriptionScopes refuse. The subscriber's sidecar also denies every service invocation (accessControl), which must
/// not stop deliveries. Topic names carry a per-fixture prefix (the Redis server is shared by the run).
/// Against real daprds set CONFORMANCE_SCOPES_APP_PORT (the subscriber's --app-port) and
/// CONFORMANCE_SCOPES_{PUBLISHER,SUBSCRIBER,OUTSIDER}_{HTTP,GRPC}; the components must be <see cref="Components"/>
/// with prefix "scopes", and the subscriber run with --config <see cref="Actors.ActorsFixture.DenyAllConfiguration"/>.
/// </summary>
public abstract class TopicScopesFixture : IAsyncLifetime
{
    public const string Publisher = "scope-publisher";
    public const string Subscriber = "scope-subscriber";
    public const string Outsider = "scope-outsider";
    public const string Scoped = "scoped";
    public const string Allowlisted = "allowlisted";

    private readonly Dictionary<string, (string Http, string Grpc)> _endpoints = new(StringComparer.Ordinal);
    private readonly List<SidecarInstance> _sidecars = [];
    private LocalCluster? _cluster;
    private string? _dir;

    public abstract BackendKind Backend { get; }

    public string Prefix { get; private set; } = "scopes";

    public SubscriberTestApp App { get; private set; } = null!;

    public string Topic(string name) => $"{Prefix}-{name}";

    /// <summary>The two components, for a topic prefix and a redisHost.</summary>
    public static string Components(string p, string redisHost) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {Scoped}
        spec:
          type: pubsub.redis
          version: v1
          metadata:
          - name: redisHost
            value: "{redisHost}"
          - name: publishingScopes
            value: "{Publisher}={p}-orders,{p}-payments, {p}-audit,{p}-dropped;{Outsider}="
          - name: subscriptionScopes
            value: "{Subscriber}={p}-orders,{p}-open,{p}-dropped"
          - name: protectedTopics
            value: "{p}-audit"
          - name: processingTimeout
            value: "1000"
          - name: redeliverInterval
            value: "250"
        ---
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {Allowlisted}
        spec:
          type: pubsub.redis
          version: v1
          metadata:
          - name: redisHost
            value: "{redisHost}"
          - name: AllowedTopics
            value: "{p}-a"
        """;

    public async Task InitializeAsync()
    {
        var routes = new Func<string, TopicRoute[]>(p =>
        [
            new TopicRoute($"{p}-orders", "t/orders"),
            new TopicRoute($"{p}-open", "t/open"),
            new TopicRoute($"{p}-payments", "t/payments"),
            new TopicRoute($"{p}-audit", "t/audit"),
            new TopicRoute($"{p}-dropped", "t/dropped", DeadLetterTopic: $"{p}-audit"),
        ]);
        var appPort = Environment.GetEnvironmentVariable("CONFORMANCE_SCOPES_APP_PORT");
        if (!string.IsNullOrEmpty(appPort))
        {
            App = await SubscriberTestApp.StartAsync(Scoped, routes(Prefix), int.Parse(appPort));
            foreach (var app in new[] { Publisher, Subscriber, Outsider })
                _endpoints[app] = (Required(app, "HTTP"), Required(app, "GRPC"));
            return;
        }

        Prefix = "sc" + Guid.NewGuid().ToString("N")[..8];
        _dir = Directory.CreateTempSubdirectory("mesh-scopes-").FullName;
        var resources = Directory.CreateDirectory(Path.Combine(_dir, "components")).FullName;
        await File.WriteAllTextAsync(Path.Combine(resources, "pubsub.yaml"),
            Components(Prefix, Backend == BackendKind.Redis ? RedisServer.Instance.Host : "embedded:6379"));
        var denyAll = Path.Combine(_dir, "deny-all.yaml");
        await File.WriteAllTextAsync(denyAll, Actors.ActorsFixture.DenyAllConfiguration);

        App = await SubscriberTestApp.StartAsync(Scoped, routes(Prefix));
        _cluster = new LocalCluster(Backend);
        await StartSidecarAsync(Subscriber, App.Port, resources, [denyAll]);
        await StartSidecarAsync(Publisher, null, resources, []);
        await StartSidecarAsync(Outsider, null, resources, []);
        await WaitForSubscriptionsAsync();
    }

    /// <summary>daprd reads /dapr/subscribe once the app port opens; no case may race that.</summary>
    private async Task WaitForSubscriptionsAsync()
    {
        using var http = Http(Subscriber);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var metadata = JsonDocument.Parse(await http.GetStringAsync("v1.0/metadata"));
            if (metadata.RootElement.TryGetProperty("subscriptions", out var subscriptions) && subscriptions.GetArrayLength() >= 5)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the subscriber's sidecar did not list its subscriptions within 15 s");
            await Task.Delay(50);
        }
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
        }, _cluster!, logging: l => l.SetMinimumLevel(LogLevel.Critical));
        _sidecars.Add(sidecar);
        _endpoints[appId] = (sidecar.HttpEndpoint, sidecar.GrpcEndpoint);
    }

    private static string Required(string app, string protocol)
    {
        var name = $"CONFORMANCE_SCOPES_{app["scope-".Length..].ToUpperInvariant()}_{protocol}";
        return Environment.GetEnvironmentVariable(name)?.TrimEnd('/')
            ?? throw new InvalidOperationException($"{name} must point at the {app} daprd when CONFORMANCE_SCOPES_APP_PORT is set");
    }

    public DaprClient Client(string app) =>
        new DaprClientBuilder().UseHttpEndpoint(_endpoints[app].Http).UseGrpcEndpoint(_endpoints[app].Grpc).Build();

    public HttpClient Http(string app) => new() { BaseAddress = new Uri(_endpoints[app].Http + "/") };

    public async Task DisposeAsync()
    {
        foreach (var sidecar in _sidecars)
            await sidecar.DisposeAsync();
        if (App is not null)
            await App.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        if (_dir is not null)
            Directory.Delete(_dir, recursive: true);
    }
}

public sealed class RedisTopicScopesFixture : TopicScopesFixture
{
    public override BackendKind Backend => BackendKind.Redis;
}

public sealed class MemoryTopicScopesFixture : TopicScopesFixture
{
    public override BackendKind Backend => BackendKind.Memory;
}
