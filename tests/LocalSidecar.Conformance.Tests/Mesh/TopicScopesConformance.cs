using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapr;
using Grpc.Core;
using static LocalSidecar.Conformance.Tests.Mesh.TopicScopesFixture;

namespace LocalSidecar.Conformance.Tests.Mesh;

/// <summary>
/// Topic scopes of a pubsub component, as daprd 1.16 applies them (dapr/dapr pkg/scopes/scopes.go,
/// pkg/runtime/pubsub/adapter.go IsOperationAllowed): a publish the app may not make is refused with
/// 403 ERR_PUBSUB_FORBIDDEN / gRPC PermissionDenied "topic {topic} is not allowed for app id {app}"
/// (pkg/api/errors/pubsub.go PublishForbidden); a subscription it may not have is listed but never started.
/// </summary>
public abstract class TopicScopesConformance(TopicScopesFixture fixture)
{
    private sealed record Order(string Id);

    private static string Marker() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_scoped_publisher_publishes_and_the_subscriber_gets_it_although_its_sidecar_denies_every_invocation()
    {
        var marker = Marker();
        using var publisher = fixture.Client(Publisher);
        await publisher.PublishEventAsync(Scoped, fixture.Topic("orders"), new Order(marker));

        (await fixture.App.WaitForAsync(fixture.Topic("orders"), marker)).Should().ContainSingle();
        using var http = fixture.Http(Publisher);
        using var invoke = await http.PostAsync($"v1.0/invoke/{Subscriber}/method/t/orders", new StringContent("{}"));
        invoke.StatusCode.Should().Be(HttpStatusCode.Forbidden, "accessControl applies to invocation, not to deliveries");
    }

    [Fact]
    public async Task An_app_scoped_to_no_topic_is_refused_over_grpc_with_permission_denied()
    {
        using var outsider = fixture.Client(Outsider);
        var publish = () => outsider.PublishEventAsync(Scoped, fixture.Topic("orders"), new Order(Marker()));
        var rpc = (await publish.Should().ThrowAsync<DaprException>()).WithInnerException<RpcException>().Which;
        rpc.StatusCode.Should().Be(StatusCode.PermissionDenied);
        rpc.Status.Detail.Should().Be($"topic {fixture.Topic("orders")} is not allowed for app id {Outsider}");
    }

    [Fact]
    public async Task A_refused_http_publish_is_403_ERR_PUBSUB_FORBIDDEN_with_daprds_details()
    {
        var topic = fixture.Topic("orders");
        using var http = fixture.Http(Outsider);
        using var response = await http.PostAsync($"v1.0/publish/{Scoped}/{topic}", new StringContent("""{"id":"x"}""", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = $"topic {topic} is not allowed for app id {Outsider}";
        error.GetProperty("errorCode").GetString().Should().Be("ERR_PUBSUB_FORBIDDEN");
        error.GetProperty("message").GetString().Should().Be(message);
        var details = error.GetProperty("details").EnumerateArray().ToList();
        details[0].GetProperty("@type").GetString().Should().Be("type.googleapis.com/google.rpc.ResourceInfo");
        details[0].GetProperty("resource_type").GetString().Should().Be("pubsub");
        details[0].GetProperty("resource_name").GetString().Should().Be(Scoped);
        details[1].GetProperty("reason").GetString().Should().Be("DAPR_PUBSUB_FORBIDDEN");
        details[1].GetProperty("metadata").GetProperty("topic").GetString().Should().Be(topic);
        details[1].GetProperty("metadata").GetProperty("error").GetString().Should().Be(message);
    }

    [Fact]
    public async Task A_refused_bulk_publish_is_refused_as_a_whole()
    {
        using var outsider = fixture.Client(Outsider);
        var publish = () => outsider.BulkPublishEventAsync(Scoped, fixture.Topic("orders"), new List<Order> { new(Marker()), new(Marker()) });
        (await publish.Should().ThrowAsync<DaprException>()).WithInnerException<RpcException>()
            .Which.StatusCode.Should().Be(StatusCode.PermissionDenied);

        using var http = fixture.Http(Outsider);
        using var response = await http.PostAsync($"v1.0-alpha1/publish/bulk/{Scoped}/{fixture.Topic("orders")}",
            new StringContent("""[{"entryId":"1","event":{"id":"x"},"contentType":"application/json"}]""", Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString().Should().Be("ERR_PUBSUB_FORBIDDEN");
    }

    [Fact]
    public async Task An_app_without_publishing_scopes_may_publish_every_topic_but_a_protected_one()
    {
        using var subscriber = fixture.Client(Subscriber);
        var marker = Marker();
        await subscriber.PublishEventAsync(Scoped, fixture.Topic("open"), new Order(marker));
        (await fixture.App.WaitForAsync(fixture.Topic("open"), marker)).Should().ContainSingle();

        var protectedTopic = () => subscriber.PublishEventAsync(Scoped, fixture.Topic("audit"), new Order(Marker()));
        (await protectedTopic.Should().ThrowAsync<DaprException>()).WithInnerException<RpcException>()
            .Which.StatusCode.Should().Be(StatusCode.PermissionDenied);

        using var publisher = fixture.Client(Publisher);
        await publisher.PublishEventAsync(Scoped, fixture.Topic("audit"), new Order(Marker())); // scoped to it: allowed
    }

    [Fact]
    public async Task Allowed_topics_bind_every_app()
    {
        using var publisher = fixture.Client(Publisher);
        await publisher.PublishEventAsync(Allowlisted, fixture.Topic("a"), new Order(Marker()));
        var other = () => publisher.PublishEventAsync(Allowlisted, fixture.Topic("b"), new Order(Marker()));
        (await other.Should().ThrowAsync<DaprException>()).WithInnerException<RpcException>()
            .Which.StatusCode.Should().Be(StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task A_dead_letter_the_subscriber_may_not_publish_is_refused_so_the_dropped_message_is_redelivered()
    {
        // "dropped" dead-letters to the protected "audit", which the subscriber is not scoped to publish: daprd's
        // sendToDeadLetter is an ordinary publish, fails, and the message stays pending until redelivered.
        var marker = Marker();
        fixture.App.FailNext(fixture.Topic("dropped"), PubSub.Failure.DropStatus, 1);
        using var publisher = fixture.Client(Publisher);
        await publisher.PublishEventAsync(Scoped, fixture.Topic("dropped"), new Order(marker));

        (await fixture.App.WaitForAsync(fixture.Topic("dropped"), marker, count: 2, seconds: 8)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Subscriptions_outside_the_subscription_scope_are_listed_but_never_delivered()
    {
        using var sidecar = fixture.Http(Subscriber);
        using var metadata = JsonDocument.Parse(await sidecar.GetStringAsync("v1.0/metadata"));
        metadata.RootElement.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetProperty("topic").GetString())
            .Should().Contain([fixture.Topic("payments"), fixture.Topic("audit")], "daprd lists subscriptions its scopes refuse");

        // Published where the publisher may publish; the subscriber's refused subscriptions must not receive them,
        // while an allowed one published afterwards does (each topic is read by its own loop, 50 ms apart at most).
        var marker = Marker();
        using var publisher = fixture.Client(Publisher);
        await publisher.PublishEventAsync(Scoped, fixture.Topic("payments"), new Order(marker));
        await publisher.PublishEventAsync(Scoped, fixture.Topic("audit"), new Order(marker));
        await publisher.PublishEventAsync(Scoped, fixture.Topic("orders"), new Order(marker));
        await fixture.App.WaitForAsync(fixture.Topic("orders"), marker);
        await Task.Delay(TimeSpan.FromSeconds(1));
        fixture.App.Received(fixture.Topic("payments"), marker).Should().BeEmpty();
        fixture.App.Received(fixture.Topic("audit"), marker).Should().BeEmpty();
    }
}

public sealed class TopicScopesOnRedis(RedisTopicScopesFixture fixture) : TopicScopesConformance(fixture), IClassFixture<RedisTopicScopesFixture>;

public sealed class TopicScopesOnMemory(MemoryTopicScopesFixture fixture) : TopicScopesConformance(fixture), IClassFixture<MemoryTopicScopesFixture>;
