using System.Text;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalSidecar.Conformance.Tests.PubSub;

/// <summary>
/// How the app's answer decides the message's fate (daprd's postman table) and at-least-once redelivery. The fixture's
/// pubsub has processingTimeout 1000 ms and redeliverInterval 250 ms, so an unacknowledged message comes back within
/// about 1.5 s; the target is daprd 1.16, where pubsub.redis never acks a failed delivery.
/// </summary>
public abstract partial class PubSubConformance
{
    [Fact]
    public async Task A_500_answer_is_redelivered_until_the_app_succeeds()
    {
        var topic = fixture.Topic("retry500");
        App.FailNext(topic, Failure.Status500, 1);
        var marker = Marker();
        await fixture.Client.PublishEventAsync(fixture.PubSub, topic, new Order(marker, 1));

        var deliveries = await App.WaitForAsync(topic, marker, count: 2);
        deliveries.Select(d => d.Id).Distinct().Should().ContainSingle("the same event is delivered again");
        (await KeepsHoldingAsync(() => App.Received(topic, marker).Count == 2)).Should().BeTrue("the second delivery succeeded and was acked");
    }

    [Fact]
    public async Task A_RETRY_status_is_redelivered()
    {
        var topic = fixture.Topic("retrystatus");
        App.FailNext(topic, Failure.RetryStatus, 1);
        var marker = Marker();
        await fixture.Client.PublishEventAsync(fixture.PubSub, topic, new Order(marker, 1));

        var deliveries = await App.WaitForAsync(topic, marker, count: 2);
        deliveries.Select(d => d.Id).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task A_404_answer_drops_the_message_without_dead_lettering_it()
    {
        var topic = fixture.Topic("notfound");
        App.FailNext(topic, Failure.NotFound, 1);
        var marker = Marker();
        await fixture.Client.PublishEventAsync(fixture.PubSub, topic, new Order(marker, 1));

        await App.WaitForAsync(topic, marker);
        (await KeepsHoldingAsync(() => App.Received(topic, marker).Count == 1 && App.Received(fixture.Topic("notfound-dlq"), marker).Count == 0))
            .Should().BeTrue("404 is dropped and acked, never redelivered nor sent to the dead-letter topic");
    }

    [Fact]
    public async Task A_DROP_status_sends_the_message_to_the_dead_letter_topic()
    {
        var topic = fixture.Topic("drop");
        App.FailNext(topic, Failure.DropStatus, 1);
        var marker = Marker();
        await fixture.Client.PublishEventAsync(fixture.PubSub, topic, new Order(marker, 1));

        var original = (await App.WaitForAsync(topic, marker)).Single();
        var dead = (await App.WaitForAsync(fixture.Topic("drop-dlq"), marker)).Single();
        dead.RawBody.Should().Be(original.RawBody, "the original bytes are republished as they are");
        App.Received(topic, marker).Should().ContainSingle();
    }

    [Fact]
    public async Task A_retriable_error_with_a_dead_letter_topic_goes_to_the_dead_letter_topic()
    {
        var topic = fixture.Topic("retrydlq");
        App.FailNext(topic, Failure.Status500, 1);
        var marker = Marker();
        await fixture.Client.PublishEventAsync(fixture.PubSub, topic, new Order(marker, 1));

        var original = (await App.WaitForAsync(topic, marker)).Single();
        var dead = (await App.WaitForAsync(fixture.Topic("retrydlq-dlq"), marker)).Single();
        dead.Id.Should().Be(original.Id);
        (await KeepsHoldingAsync(() => App.Received(topic, marker).Count == 1)).Should().BeTrue("dead-lettering acks the original");
    }

    [Fact]
    public async Task Without_failures_each_event_is_delivered_exactly_once()
    {
        var markers = Enumerable.Range(0, 5).Select(_ => Marker()).ToList();
        foreach (var marker in markers)
            await fixture.Client.PublishEventAsync(fixture.PubSub, fixture.Topic("orders"), new Order(marker, 1));

        foreach (var marker in markers)
            await App.WaitForAsync(fixture.Topic("orders"), marker);
        (await KeepsHoldingAsync(() => markers.All(m => App.Received(fixture.Topic("orders"), m).Count == 1)))
            .Should().BeTrue("each event id is acked after its one successful delivery");
    }

    [Fact]
    public async Task Each_event_is_delivered_at_least_once_despite_failures()
    {
        var topic = fixture.Topic("retry500");
        App.FailNext(topic, Failure.Status500, 2);
        var markers = Enumerable.Range(0, 3).Select(_ => Marker()).ToList();
        foreach (var marker in markers)
            await fixture.Client.PublishEventAsync(fixture.PubSub, topic, new Order(marker, 1));

        foreach (var marker in markers)
            (await App.WaitForAsync(topic, marker)).Should().NotBeEmpty();
        await WaitUntilAsync(() => App.Received(topic, "").Count(d => markers.Any(m => d.RawBody.Contains(m, StringComparison.Ordinal))) >= markers.Count + 2);
    }

    [Fact]
    public async Task A_restarted_sidecar_redelivers_the_message_its_predecessor_never_acknowledged()
    {
        var appId = "crash-" + Guid.NewGuid().ToString("N")[..8];
        var topic = "crash-" + Guid.NewGuid().ToString("N");
        await using var app = await SubscriberTestApp.StartAsync(fixture.PubSub, [new TopicRoute(topic, "t/crash")]);
        app.HoldNext(topic);
        var resources = Directory.CreateTempSubdirectory("pubsub-crash-").FullName;
        try
        {
            ComponentFiles.Write(resources, fixture.RedisHost, []);
            // One cluster = one process's backends; for Memory it is the embedded "Redis server" both sidecars share.
            await using var cluster = new LocalCluster(fixture.Backend);
            var options = new SidecarOptions
            {
                AppId = appId, AppPort = app.Port, HttpPort = 0, GrpcPort = 0, ResourcesPaths = [resources], Backend = fixture.Backend,
            };
            var marker = Marker();
            var first = await SidecarInstance.StartAsync(options, cluster, Quiet);
            using (var http = new HttpClient { BaseAddress = new Uri(first.HttpEndpoint + "/") })
            {
                using var response = await http.PostAsync($"v1.0/publish/{fixture.PubSub}/{topic}", new StringContent(marker, Encoding.UTF8, "text/plain"));
                response.EnsureSuccessStatusCode();
            }

            await app.WaitForAsync(topic, marker);
            await first.DisposeAsync(); // the app still holds the message: it was never acked

            await using var second = await SidecarInstance.StartAsync(options, cluster, Quiet);
            var deliveries = await app.WaitForAsync(topic, marker, count: 2);
            deliveries.Select(d => d.Id).Distinct().Should().ContainSingle();
        }
        finally
        {
            Directory.Delete(resources, recursive: true);
        }
    }

    [Fact]
    public async Task In_memory_pubsub_retries_a_failing_handler_in_process()
    {
        var topic = fixture.Topic("bus");
        App.FailNext(topic, Failure.Status500, 2);
        var marker = Marker();
        await fixture.Client.PublishEventAsync(PubSubFixture.MemoryBus, topic, new Order(marker, 1));

        var deliveries = await App.WaitForAsync(topic, marker, count: 3);
        deliveries.Select(d => d.Id).Distinct().Should().ContainSingle();
        deliveries[0].Envelope.GetProperty("pubsubname").GetString().Should().Be(PubSubFixture.MemoryBus);
        (await KeepsHoldingAsync(() => App.Received(topic, marker).Count == 3)).Should().BeTrue();
    }

    private static void Quiet(ILoggingBuilder logging) => logging.SetMinimumLevel(LogLevel.Error).AddConsole();
}
