using System.Text.Json;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;

namespace LocalSidecar.Conformance.Tests.PubSub;

/// <summary>
/// A sidecar serving a real Dapr.AspNetCore subscriber app. Topic names carry a per-fixture prefix so the Redis
/// fixture never sees streams (and their history) of another fixture on the run-wide redis-server.
/// </summary>
public abstract class PubSubFixture : SidecarFixture, IAsyncLifetime
{
    private readonly string _prefix = "ps" + Guid.NewGuid().ToString("N")[..8];

    protected PubSubFixture() => AppId = "pubsub-conformance";

    public SubscriberTestApp App { get; private set; } = null!;

    /// <summary>redisHost for extra sidecars on the same backend (the run's redis-server, or the embedded one).</summary>
    public string RedisHost => Redis?.Host ?? "embedded:6379";

    /// <summary>A pubsub.in-memory component beside the standard pubsub.redis one.</summary>
    public const string MemoryBus = "memorybus";

    protected override IEnumerable<string> ExtraComponents =>
    [
        $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {MemoryBus}
        spec:
          type: pubsub.in-memory
          version: v1
        """,
    ];

    public string Topic(string name) => $"{_prefix}-{name}";

    /// <summary>
    /// Starts the sidecar, then waits until it has read the app's subscriptions (daprd does so asynchronously once the
    /// app port opens), so no case races subscription discovery.
    /// </summary>
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var metadata = JsonDocument.Parse(await Http.GetStringAsync("v1.0/metadata"));
            if (metadata.RootElement.TryGetProperty("subscriptions", out var subscriptions) && subscriptions.GetArrayLength() > 0)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the sidecar did not list the app's subscriptions within 15 s");
            await Task.Delay(50);
        }
    }

    protected override async Task<int?> StartAppAsync(int sidecarHttpPort, int sidecarGrpcPort)
    {
        App = await SubscriberTestApp.StartAsync(PubSub,
        [
            new TopicRoute(Topic("orders"), "t/orders"),
            new TopicRoute(Topic("retry500"), "t/retry500"),
            new TopicRoute(Topic("retrystatus"), "t/retrystatus"),
            new TopicRoute(Topic("notfound"), "t/notfound", DeadLetterTopic: Topic("notfound-dlq")),
            new TopicRoute(Topic("notfound-dlq"), "t/notfound-dlq"),
            new TopicRoute(Topic("drop"), "t/drop", DeadLetterTopic: Topic("drop-dlq")),
            new TopicRoute(Topic("drop-dlq"), "t/drop-dlq"),
            new TopicRoute(Topic("retrydlq"), "t/retrydlq", DeadLetterTopic: Topic("retrydlq-dlq")),
            new TopicRoute(Topic("retrydlq-dlq"), "t/retrydlq-dlq"),
            new TopicRoute(Topic("raw"), "t/raw", RawPayload: true),
            new TopicRoute(Topic("routed"), "t/routed-widget", Match: "event.type == \"widget\"", Priority: 1),
            new TopicRoute(Topic("routed"), "t/routed-gadget", Match: "event.type == \"gadget\" && event.source == \"" + "pubsub-conformance" + "\"", Priority: 2),
            new TopicRoute(Topic("routed"), "t/routed-default"),
            new TopicRoute(Topic("bus"), "t/bus", PubsubName: MemoryBus),
        ]);
        return App.Port;
    }

    protected override async Task StopAppAsync()
    {
        if (App is not null)
            await App.DisposeAsync();
    }
}

public sealed class RedisPubSubFixture : PubSubFixture
{
    public override BackendKind Backend => BackendKind.Redis;
}

public sealed class MemoryPubSubFixture : PubSubFixture
{
    public override BackendKind Backend => BackendKind.Memory;
}
