using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapr;
using Grpc.Core;

namespace LocalSidecar.Conformance.Tests.PubSub;

/// <summary>
/// Pub/sub as daprd 1.16 with pubsub.redis does it, seen through the official SDK (publisher and Dapr.AspNetCore
/// subscriber) and plain HTTP: the CloudEvent envelope, delivery, routing and bulk publish. Failure handling (retry,
/// drop, dead letters, redelivery) is in PubSubConformance.Failures.cs.
/// </summary>
public abstract partial class PubSubConformance(PubSubFixture fixture)
{
    private sealed record Order(string Id, int Qty);

    private SubscriberTestApp App => fixture.App;

    [Fact]
    public async Task Published_event_reaches_the_subscriber_with_its_payload()
    {
        var marker = Marker();
        await fixture.Client.PublishEventAsync(fixture.PubSub, fixture.Topic("orders"), new Order(marker, 3));

        var delivery = (await App.WaitForAsync(fixture.Topic("orders"), marker)).Single();
        delivery.ContentType.Should().Be("application/json");
        JsonDocument.Parse(delivery.Body).RootElement.GetRawText().Should().Be($$"""{"id":"{{marker}}","qty":3}""");
    }

    [Fact]
    public async Task Envelope_carries_the_cloud_event_fields_daprd_sets()
    {
        var marker = Marker();
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        await fixture.Client.PublishEventAsync(fixture.PubSub, fixture.Topic("orders"), new Order(marker, 1));

        var delivery = (await App.WaitForAsync(fixture.Topic("orders"), marker)).Single();
        var envelope = delivery.Envelope;
        Guid.TryParse(envelope.GetProperty("id").GetString(), out _).Should().BeTrue();
        envelope.GetProperty("source").GetString().Should().Be(fixture.AppId);
        envelope.GetProperty("type").GetString().Should().Be("com.dapr.event.sent");
        envelope.GetProperty("specversion").GetString().Should().Be("1.0");
        envelope.GetProperty("topic").GetString().Should().Be(fixture.Topic("orders"));
        envelope.GetProperty("pubsubname").GetString().Should().Be(fixture.PubSub);
        envelope.GetProperty("datacontenttype").GetString().Should().Be("application/json");
        envelope.TryGetProperty("traceparent", out _).Should().BeTrue();
        DateTimeOffset.Parse(envelope.GetProperty("time").GetString()!).Should().BeAfter(before);
        var names = envelope.EnumerateObject().Select(p => p.Name).ToList();
        names.Should().BeInAscendingOrder(StringComparer.Ordinal, "daprd marshals a Go map");
        delivery.RawContentType.Should().Be("application/cloudevents+json");
        delivery.Headers["pubsubname"].Should().Be(fixture.PubSub);
    }

    [Fact]
    public async Task Http_publish_of_application_json_embeds_the_json_with_sorted_keys()
    {
        var marker = Marker();
        using var response = await PublishHttpAsync(fixture.PubSub, fixture.Topic("orders"), $$"""{ "z": 1.50, "a": "{{marker}}", "m": {"y": 2, "b": 1} }""", "application/json");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);

        var delivery = (await App.WaitForAsync(fixture.Topic("orders"), marker)).Single();
        delivery.RawBody.Should().Contain($$"""
            "data":{"a":"{{marker}}","m":{"b":1,"y":2},"z":1.50}
            """);
        delivery.Envelope.GetProperty("datacontenttype").GetString().Should().Be("application/json");
    }

    [Fact]
    public async Task Http_publish_of_text_plain_embeds_a_string()
    {
        var marker = Marker();
        using var response = await PublishHttpAsync(fixture.PubSub, fixture.Topic("orders"), "hello " + marker, "text/plain");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);

        var delivery = (await App.WaitForAsync(fixture.Topic("orders"), marker)).Single();
        delivery.Envelope.GetProperty("data").GetString().Should().Be("hello " + marker);
        delivery.Envelope.GetProperty("datacontenttype").GetString().Should().Be("text/plain");
        delivery.Body.Should().Be("hello " + marker);
    }

    [Fact]
    public async Task Cloud_event_publish_keeps_the_publishers_id_source_and_type()
    {
        var marker = Marker();
        var body = $$"""{"id":"ce-{{marker}}","source":"billing","type":"invoice.paid","specversion":"1.0","datacontenttype":"application/json","data":{"m":"{{marker}}"},"topic":"elsewhere","pubsubname":"nope"}""";
        using var response = await PublishHttpAsync(fixture.PubSub, fixture.Topic("orders"), body, "application/cloudevents+json");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);

        var envelope = (await App.WaitForAsync(fixture.Topic("orders"), marker)).Single().Envelope;
        envelope.GetProperty("id").GetString().Should().Be("ce-" + marker);
        envelope.GetProperty("source").GetString().Should().Be("billing");
        envelope.GetProperty("type").GetString().Should().Be("invoice.paid");
        envelope.GetProperty("topic").GetString().Should().Be(fixture.Topic("orders"));
        envelope.GetProperty("pubsubname").GetString().Should().Be(fixture.PubSub);
    }

    [Fact]
    public async Task Publish_metadata_arrives_as_lower_cased_headers_and_ttl_sets_expiration()
    {
        var marker = Marker();
        using var response = await PublishHttpAsync(fixture.PubSub, fixture.Topic("orders") + "?metadata.TenantId=t-42&metadata.ttlInSeconds=120",
            $$"""{"m":"{{marker}}"}""", "application/json");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);

        var delivery = (await App.WaitForAsync(fixture.Topic("orders"), marker)).Single();
        delivery.Headers["tenantid"].Should().Be("t-42");
        delivery.Headers["ttlinseconds"].Should().Be("120");
        var expiration = DateTimeOffset.Parse(delivery.Envelope.GetProperty("expiration").GetString()!);
        expiration.Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(120), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Raw_payload_subscription_receives_a_data_base64_envelope()
    {
        var marker = Marker();
        await fixture.Client.PublishEventAsync(fixture.PubSub, fixture.Topic("raw"), new Order(marker, 5));

        await WaitUntilAsync(() => RawDeliveries().Any(d => Decode(d).Contains(marker, StringComparison.Ordinal)));
        var delivery = RawDeliveries().First(d => Decode(d).Contains(marker, StringComparison.Ordinal));
        var envelope = delivery.Envelope;
        envelope.GetProperty("datacontenttype").GetString().Should().Be("application/octet-stream");
        envelope.GetProperty("source").GetString().Should().Be("Dapr");
        envelope.GetProperty("type").GetString().Should().Be("com.dapr.event.sent");
        envelope.TryGetProperty("data", out _).Should().BeFalse();
        var inner = Decode(delivery);
        delivery.Body.Should().Be(inner, "UseCloudEvents hands the handler the decoded data_base64");
        using var published = JsonDocument.Parse(inner);
        published.RootElement.GetProperty("source").GetString().Should().Be(fixture.AppId, "the broker held the publisher's full CloudEvent");
        published.RootElement.GetProperty("data").GetProperty("id").GetString().Should().Be(marker);
    }

    [Fact]
    public async Task Raw_payload_publish_stores_the_bytes_as_is()
    {
        var marker = Marker();
        var payload = $"not json at all {marker} \u00e9";
        using var response = await PublishHttpAsync(fixture.PubSub, fixture.Topic("raw") + "?metadata.rawPayload=true", payload, "text/plain");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);

        await WaitUntilAsync(() => RawDeliveries().Any(d => Decode(d) == payload));
        var delivery = RawDeliveries().First(d => Decode(d) == payload);
        delivery.Headers["rawpayload"].Should().Be("true");
    }

    [Fact]
    public async Task Routing_rules_send_each_event_to_the_first_matching_path()
    {
        var widget = Marker();
        var gadget = Marker();
        var other = Marker();
        (await PublishHttpAsync(fixture.PubSub, fixture.Topic("routed") + "?metadata.cloudevent.type=widget", widget, "text/plain")).Dispose();
        (await PublishHttpAsync(fixture.PubSub, fixture.Topic("routed") + "?metadata.cloudevent.type=gadget", gadget, "text/plain")).Dispose();
        (await PublishHttpAsync(fixture.PubSub, fixture.Topic("routed"), other, "text/plain")).Dispose();

        await App.WaitForAsync(fixture.Topic("routed"), widget);
        await App.WaitForAsync(fixture.Topic("routed"), gadget);
        await App.WaitForAsync(fixture.Topic("routed"), other);
        App.Received(fixture.Topic("routed"), widget).Select(d => d.Path).Should().Equal("t/routed-widget");
        App.Received(fixture.Topic("routed"), gadget).Select(d => d.Path).Should().Equal("t/routed-gadget");
        App.Received(fixture.Topic("routed"), other).Select(d => d.Path).Should().Equal("t/routed-default");
    }

    [Fact]
    public async Task Bulk_publish_delivers_every_entry()
    {
        var markers = Enumerable.Range(0, 3).Select(_ => Marker()).ToList();
        var response = await fixture.Client.BulkPublishEventAsync(fixture.PubSub, fixture.Topic("orders"), markers.Select(m => new Order(m, 1)).ToList());

        response.FailedEntries.Should().BeEmpty();
        foreach (var marker in markers)
            (await App.WaitForAsync(fixture.Topic("orders"), marker)).Should().ContainSingle();
    }

    [Fact]
    public async Task Unknown_pubsub_is_404_ERR_PUBSUB_NOT_FOUND()
    {
        using var response = await PublishHttpAsync("no-such-pubsub", fixture.Topic("orders"), "{}", "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("errorCode").GetString().Should().Be("ERR_PUBSUB_NOT_FOUND");
    }

    [Fact]
    public async Task Unknown_pubsub_fails_through_DaprClient()
    {
        var publish = () => fixture.Client.PublishEventAsync("no-such-pubsub", fixture.Topic("orders"), new Order("x", 1));

        var error = (await publish.Should().ThrowAsync<DaprException>()).Which;
        error.InnerException.Should().BeOfType<RpcException>().Which.StatusCode.Should().Be(StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task Invalid_rawPayload_metadata_is_400_ERR_PUBSUB_REQUEST_METADATA()
    {
        using var response = await PublishHttpAsync(fixture.PubSub, fixture.Topic("orders") + "?metadata.rawPayload=maybe", "{}", "application/json");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("errorCode").GetString().Should().Be("ERR_PUBSUB_REQUEST_METADATA");
    }

    [Fact]
    public async Task Metadata_lists_the_app_subscriptions()
    {
        using var metadata = JsonDocument.Parse(await fixture.Http.GetStringAsync("v1.0/metadata"));

        var subscriptions = metadata.RootElement.GetProperty("subscriptions").EnumerateArray().ToList();
        var drop = subscriptions.Single(s => s.GetProperty("topic").GetString() == fixture.Topic("drop"));
        drop.GetProperty("pubsubname").GetString().Should().Be(fixture.PubSub);
        drop.GetProperty("deadLetterTopic").GetString().Should().Be(fixture.Topic("drop-dlq"));
        var routed = subscriptions.Single(s => s.GetProperty("topic").GetString() == fixture.Topic("routed"));
        routed.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("path").GetString())
            .Should().Equal("t/routed-widget", "t/routed-gadget", "t/routed-default");
        routed.GetProperty("rules")[0].GetProperty("match").GetString().Should().Be("event.type == \"widget\"");
        var raw = subscriptions.Single(s => s.GetProperty("topic").GetString() == fixture.Topic("raw"));
        raw.GetProperty("metadata").GetProperty("rawPayload").GetString().Should().Be("true");
    }

    protected Task<HttpResponseMessage> PublishHttpAsync(string pubsub, string topicAndQuery, string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return fixture.Http.PostAsync($"v1.0/publish/{pubsub}/{topicAndQuery}", content);
    }

    private IReadOnlyList<Delivery> RawDeliveries() => App.Received(fixture.Topic("raw"), "data_base64");

    private static string Decode(Delivery delivery) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(delivery.Envelope.GetProperty("data_base64").GetString()!));

    protected static string Marker() => "m" + Guid.NewGuid().ToString("N");

    private static async Task WaitUntilAsync(Func<bool> condition, double seconds = 4)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"condition not met within {seconds} s");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls for the whole window (longer than processingTimeout + redeliverInterval) that the condition keeps holding.</summary>
    private static async Task<bool> KeepsHoldingAsync(Func<bool> condition, double seconds = 1.8)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (!condition())
                return false;
            await Task.Delay(100);
        }

        return condition();
    }
}

public sealed class PubSubOnRedis(RedisPubSubFixture fixture) : PubSubConformance(fixture), IClassFixture<RedisPubSubFixture>
{
    // Redis-only: it reads the stream through redis-server to check the layout contrib writes.
    [Fact]
    public async Task Publish_appends_an_entry_to_the_stream_named_after_the_topic_with_data_and_metadata()
    {
        var marker = Marker();
        using var response = await PublishHttpAsync(fixture.PubSub, fixture.Topic("orders") + "?metadata.tenant=t1", $$"""{"m":"{{marker}}"}""", "application/json");
        response.EnsureSuccessStatusCode();

        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Redis!.Host);
        var db = redis.GetDatabase();
        var entry = (await db.StreamRangeAsync(fixture.Topic("orders"))).Single(e => e["data"].ToString().Contains(marker, StringComparison.Ordinal));
        entry.Values.Select(v => v.Name.ToString()).Should().Equal("data", "metadata");
        entry["metadata"].ToString().Should().Be("""{"tenant":"t1"}""");
        var groups = await db.StreamGroupInfoAsync(fixture.Topic("orders"));
        groups.Select(g => g.Name).Should().Contain(fixture.AppId, "the consumer group defaults to the app id");
    }
}

public sealed class PubSubOnMemory(MemoryPubSubFixture fixture) : PubSubConformance(fixture), IClassFixture<MemoryPubSubFixture>;
