using System.Diagnostics.Metrics;
using System.Text.Json;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.Testing;
using LocalSidecar.Conformance.Tests.Infrastructure;
using LocalSidecar.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BuildingBlocks.Tests.Messaging;

/// <summary>
/// The relay against a real local sidecar on real Redis: what reaches the broker is read back from the Redis stream,
/// so ids, order and duplicates are checked where consumers would see them.
/// </summary>
public sealed class OutboxRelayTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("outbox-").FullName;
    private readonly string topicPrefix = $"outbox-test-{Guid.NewGuid():N}";
    private LocalCluster cluster = null!;
    private SidecarInstance sidecar = null!;
    private bool sidecarDisposed;
    private DaprClient dapr = null!;
    private ServiceProvider services = null!;

    private string DbPath => Path.Combine(directory, "outbox.db");

    public async Task InitializeAsync()
    {
        var components = Path.Combine(directory, "components");
        SystemComponents.Write(components, RedisServer.Instance.Host, []);
        cluster = new LocalCluster(BackendKind.Redis);
        sidecar = await SidecarInstance.StartAsync(new SidecarOptions
        {
            AppId = "relay-test", HttpPort = 0, GrpcPort = 0, ResourcesPaths = [components], Backend = BackendKind.Redis,
        }, cluster);
        dapr = new DaprClientBuilder().UseHttpEndpoint(sidecar.HttpEndpoint).UseGrpcEndpoint(sidecar.GrpcEndpoint).Build();

        var collection = new ServiceCollection();
        collection.AddMetrics();
        collection.AddSingleton<OutboxSignal>();
        collection.AddDbContext<MessagingTestDb>(o => o.UseSqlite($"Data Source={DbPath}"));
        services = collection.BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagingTestDb>();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public async Task DisposeAsync()
    {
        dapr.Dispose();
        if (!sidecarDisposed)
            await sidecar.DisposeAsync();
        await cluster.DisposeAsync();
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Two_relays_publish_every_committed_event_once_in_order_per_key_with_its_own_cloud_event_id()
    {
        var written = await WriteEventsAsync(keys: 12, perKey: 8);
        var first = Relay("one");
        var second = Relay("two");

        await Task.WhenAll(DrainAsync(first), DrainAsync(second));

        var stream = await ReadStreamAsync();
        stream.Select(e => e.Id).Should().BeEquivalentTo(written.Select(w => w.MessageId), "each row once, no duplicates, none lost");
        foreach (var key in written.Select(w => w.Key).Distinct())
        {
            var expected = written.Where(w => w.Key == key).Select(w => w.Sequence).ToList();
            stream.Where(e => e.Key == key).Select(e => e.Sequence).Should().Equal(expected, $"events of {key} keep their commit order");
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagingTestDb>();
        (await db.Set<OutboxMessage>().CountAsync(m => m.PublishedAtUtc == null)).Should().Be(0);
    }

    [Fact]
    public async Task One_relay_running_several_passes_at_once_publishes_every_event_once_in_order_per_key()
    {
        var written = await WriteEventsAsync(keys: 12, perKey: 8);
        var settings = Settings(12);
        settings.Passes = 4;
        settings.PollInterval = TimeSpan.FromMilliseconds(20);
        var relay = new OutboxRelay<MessagingTestDb>(
            services.GetRequiredService<IServiceScopeFactory>(), dapr, services.GetRequiredService<OutboxSignal>(),
            new OutboxMetrics(services.GetRequiredService<IMeterFactory>()), TimeProvider.System,
            Options.Create(settings), NullLogger<OutboxRelay<MessagingTestDb>>.Instance);

        await relay.StartAsync(CancellationToken.None); // the hosted service: Passes loops, each with its own owner id
        try
        {
            await DaprReservations.Testing.Eventually.Async(async () =>
            {
                await using var scope = services.CreateAsyncScope();
                (await scope.ServiceProvider.GetRequiredService<MessagingTestDb>().Set<OutboxMessage>().CountAsync(m => m.PublishedAtUtc == null))
                    .Should().Be(0);
            }, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }

        var stream = await ReadStreamAsync();
        stream.Select(e => e.Id).Should().BeEquivalentTo(written.Select(w => w.MessageId), "each row once, no duplicates, none lost");
        foreach (var key in written.Select(w => w.Key).Distinct())
        {
            var expected = written.Where(w => w.Key == key).Select(w => w.Sequence).ToList();
            stream.Where(e => e.Key == key).Select(e => e.Sequence).Should().Equal(expected, $"events of {key} keep their commit order across passes");
        }
    }

    [Fact]
    public async Task When_the_sidecar_is_down_rows_wait_with_backoff_and_are_poisoned_after_the_maximum_attempts()
    {
        var written = await WriteEventsAsync(keys: 1, perKey: 2);
        await sidecar.DisposeAsync(); // nothing listens on its ports any more
        sidecarDisposed = true;
        var relay = Relay("lonely", maxAttempts: 2);
        var settings = Settings(maxAttempts: 2);

        (await relay.RelayBatchAsync(settings, CancellationToken.None)).Should().Be(0);
        await using (var scope = services.CreateAsyncScope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<MessagingTestDb>().Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync();
            rows[0].Attempts.Should().Be(1);
            rows[0].LastError.Should().NotBeNullOrEmpty();
            rows[0].PublishedAtUtc.Should().BeNull();
            rows[1].Attempts.Should().Be(0, "the second event of the key waits behind the first");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(50)); // past the (tiny) backoff
        await relay.RelayBatchAsync(settings, CancellationToken.None);

        await using var check = services.CreateAsyncScope();
        var after = await check.ServiceProvider.GetRequiredService<MessagingTestDb>().Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        after[0].Poisoned.Should().BeTrue();
        after[0].Attempts.Should().Be(2);
        written.Should().HaveCount(2);
    }

    private OutboxRelay<MessagingTestDb> Relay(string name, int maxAttempts = 12) => new(
        services.GetRequiredService<IServiceScopeFactory>(), dapr, services.GetRequiredService<OutboxSignal>(),
        new OutboxMetrics(services.GetRequiredService<IMeterFactory>()), TimeProvider.System,
        Options.Create(Settings(maxAttempts)), NullLogger<OutboxRelay<MessagingTestDb>>.Instance);

    private static OutboxOptions Settings(int maxAttempts) => new()
    {
        BatchSize = 7, Parallelism = 4, MaxAttempts = maxAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(10),
    };

    private static async Task DrainAsync(OutboxRelay<MessagingTestDb> relay)
    {
        var settings = Settings(12);
        var idle = 0;
        while (idle < 5)
            idle = await relay.RelayBatchAsync(settings, CancellationToken.None) == 0 ? idle + 1 : 0;
    }

    private sealed record Written(string MessageId, string Key, int Sequence);

    private sealed record Published(string Id, string Key, int Sequence);

    private async Task<List<Written>> WriteEventsAsync(int keys, int perKey)
    {
        var written = new List<Written>();
        for (var sequence = 0; sequence < perKey; sequence++)
        {
            // One commit per round, every key in it: commit order = sequence order within each key.
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MessagingTestDb>();
            for (var key = 0; key < keys; key++)
            {
                var message = db.Enqueue(new OutgoingEvent(topicPrefix, "test.event.v1", new { key = $"k{key}", sequence }, $"k{key}"));
                written.Add(new Written(message.MessageId, $"k{key}", sequence));
            }

            await db.SaveChangesAsync();
        }

        return written;
    }

    private async Task<List<Published>> ReadStreamAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisServer.Instance.Host);
        var entries = await redis.GetDatabase().StreamRangeAsync(topicPrefix);
        return entries.Select(entry =>
        {
            using var cloudEvent = JsonDocument.Parse((string)entry["data"]!);
            var root = cloudEvent.RootElement;
            root.GetProperty("type").GetString().Should().Be("test.event.v1");
            var data = root.GetProperty("data");
            return new Published(root.GetProperty("id").GetString()!, data.GetProperty("key").GetString()!, data.GetProperty("sequence").GetInt32());
        }).ToList();
    }
}
