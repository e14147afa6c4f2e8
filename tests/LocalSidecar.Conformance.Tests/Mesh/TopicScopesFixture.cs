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

    private MeshSidecars? _sidecars;

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
            Sidecars.UseRealDaprds([Publisher, Subscriber, Outsider]);
            return;
        }

        Prefix = "sc" + Guid.NewGuid().ToString("N")[..8];
        var dir = Sidecars.CreateDirectory("mesh-scopes-");
        var resources = Directory.CreateDirectory(Path.Combine(dir, "components")).FullName;
        await File.WriteAllTextAsync(Path.Combine(resources, "pubsub.yaml"),
            Components(Prefix, Backend == BackendKind.Redis ? RedisServer.Instance.Host : "embedded:6379"));
        var denyAll = Path.Combine(dir, "deny-all.yaml");
        await File.WriteAllTextAsync(denyAll, Actors.ActorsFixture.DenyAllConfiguration);

        App = await SubscriberTestApp.StartAsync(Scoped, routes(Prefix));
        await Sidecars.StartAsync(Subscriber, App.Port, resources, [denyAll], LogLevel.Critical);
        await Sidecars.StartAsync(Publisher, null, resources, [], LogLevel.Critical);
        await Sidecars.StartAsync(Outsider, null, resources, [], LogLevel.Critical);
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

    private MeshSidecars Sidecars => _sidecars ??= new MeshSidecars(Backend, "CONFORMANCE_SCOPES", "scope-");

    public DaprClient Client(string app) => Sidecars.Client(app);

    public HttpClient Http(string app) => Sidecars.Http(app);

    public async Task DisposeAsync()
    {
        if (_sidecars is not null)
            await _sidecars.DisposeAsync();
        if (App is not null)
            await App.DisposeAsync();
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
