using System.Diagnostics.Metrics;
using System.Text;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Telemetry;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DaprReservations.BuildingBlocks.Messaging;

/// <summary>
/// Publishes committed outbox rows through Dapr pub/sub, at least once and in order per partition key.
/// <list type="bullet">
/// <item>Only the oldest unpublished row of each key is eligible, so a failing event holds back the events after it
/// for the same order instead of letting them overtake it.</item>
/// <item>Rows are claimed with a conditional UPDATE (owner + lease), so replicas share the work without publishing a
/// row twice at the same time; a crashed relay's lease runs out and another takes over.</item>
/// <item>A crash after publish but before marking the row re-publishes it with the same CloudEvent id: consumers'
/// inboxes drop the duplicate.</item>
/// <item>Failures back off exponentially with full jitter; after <see cref="OutboxOptions.MaxAttempts"/> the row is
/// marked poisoned (logged as an error, counted) and the key's later events proceed.</item>
/// </list>
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    DaprClient dapr,
    OutboxSignal signal,
    OutboxMetrics metrics,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private readonly string _owner = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private DateTime _nextCleanupUtc;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Several passes in flight: a pass waits for its slowest publish before it marks and claims again, so one loop
        // caps the relay at a batch per publish round trip while commits keep arriving. Each loop claims under its own
        // owner id, so loops never share a row, and the head-of-line rule keeps a key's events in order across them.
        var settings = options.Value;
        return Task.WhenAll(Enumerable.Range(0, settings.Passes).Select(pass => RelayLoopAsync(settings, $"{_owner}/{pass}", cleans: pass == 0, stoppingToken)));
    }

    private async Task RelayLoopAsync(OutboxOptions settings, string owner, bool cleans, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await RelayBatchAsync(settings, owner, stoppingToken);
                if (cleans)
                    await CleanupIfDueAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database is unreachable or the schema is not there yet: try again at the next poll.
                logger.LogWarning(exception, "Outbox relay pass failed");
                published = 0;
            }

            if (published == 0)
            {
                try { await signal.WaitAsync(settings.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>One pass as this relay's first loop (see <see cref="RelayBatchAsync(OutboxOptions, string, CancellationToken)"/>).</summary>
    public Task<int> RelayBatchAsync(OutboxOptions settings, CancellationToken ct) => RelayBatchAsync(settings, _owner + "/0", ct);

    /// <summary>One pass: claim up to a batch of head-of-line rows, publish them, record the outcome. Returns published rows.</summary>
    public async Task<int> RelayBatchAsync(OutboxOptions settings, string owner, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var outbox = db.Set<OutboxMessage>();
        var now = time.GetUtcNow().UtcDateTime;
        var leaseEnd = now + settings.ClaimDuration;

        var claimed = await outbox
            .Where(m => m.PublishedAtUtc == null && !m.Poisoned
                && (m.NextAttemptAtUtc == null || m.NextAttemptAtUtc <= now)
                && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now)
                && !outbox.Any(earlier => earlier.PartitionKey == m.PartitionKey && earlier.PublishedAtUtc == null
                    && !earlier.Poisoned && earlier.Id < m.Id))
            .OrderBy(m => m.Id)
            .Take(settings.BatchSize)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.ClaimedBy, owner).SetProperty(m => m.ClaimedUntilUtc, leaseEnd), ct);
        if (claimed == 0)
            return 0;

        var rows = await outbox.AsNoTracking()
            .Where(m => m.ClaimedBy == owner && m.ClaimedUntilUtc == leaseEnd && m.PublishedAtUtc == null)
            .OrderBy(m => m.Id)
            .ToListAsync(ct);

        // At most one row per key (head of line), so rows publish in parallel without reordering a key's events.
        var published = new List<(long Id, DateTime CreatedAtUtc)>();
        var failed = new List<(OutboxMessage Row, Exception Error)>();
        await Parallel.ForEachAsync(
            rows,
            new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = ct },
            async (row, token) =>
            {
                try
                {
                    await PublishAsync(row, token);
                    lock (published) published.Add((row.Id, row.CreatedAtUtc));
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    lock (failed) failed.Add((row, exception));
                }
            });

        var publishedAt = time.GetUtcNow().UtcDateTime;
        if (published.Count > 0)
        {
            var ids = published.Select(p => p.Id).ToList();
            await outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(set => set
                .SetProperty(m => m.PublishedAtUtc, publishedAt)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntilUtc, (DateTime?)null), CancellationToken.None);
            foreach (var (_, createdAt) in published)
                metrics.Published(publishedAt - createdAt);
        }

        foreach (var (row, error) in failed)
            await RecordFailureAsync(outbox, row, error, settings, publishedAt);

        return published.Count;
    }

    private Task PublishAsync(OutboxMessage row, CancellationToken ct) =>
        // The CloudEvent id is ours, not one daprd invents per publish: re-publishing after a crash keeps it.
        dapr.PublishByteEventAsync(
            Components.PubSub, row.Topic, Encoding.UTF8.GetBytes(row.Payload), "application/json",
            new Dictionary<string, string> { ["cloudevent.id"] = row.MessageId, ["cloudevent.type"] = row.Type },
            ct);

    private async Task RecordFailureAsync(DbSet<OutboxMessage> outbox, OutboxMessage row, Exception error, OutboxOptions settings, DateTime now)
    {
        var attempts = row.Attempts + 1;
        var poisoned = attempts >= settings.MaxAttempts;
        var retryAt = now + Backoff(attempts, settings);
        var message = error.GetBaseException().Message;
        var lastError = message.Length > 1000 ? message[..1000] : message;
        await outbox.Where(m => m.Id == row.Id).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.Poisoned, poisoned)
            .SetProperty(m => m.NextAttemptAtUtc, retryAt)
            .SetProperty(m => m.LastError, lastError)
            .SetProperty(m => m.ClaimedBy, (string?)null)
            .SetProperty(m => m.ClaimedUntilUtc, (DateTime?)null), CancellationToken.None);

        if (poisoned)
        {
            metrics.Poisoned(row.Topic);
            logger.LogError(error, "Outbox message {MessageId} ({Topic}, key {PartitionKey}) poisoned after {Attempts} attempts",
                row.MessageId, row.Topic, row.PartitionKey, attempts);
        }
        else
        {
            metrics.Failed(row.Topic);
            logger.LogWarning("Outbox publish of {MessageId} ({Topic}) failed (attempt {Attempts}), retry at {RetryAt:O}: {Error}",
                row.MessageId, row.Topic, attempts, retryAt, lastError);
        }
    }

    /// <summary>Exponential backoff with full jitter, capped.</summary>
    internal static TimeSpan Backoff(int attempt, OutboxOptions settings)
    {
        var ceiling = Math.Min(settings.MaxDelay.TotalMilliseconds, settings.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private async Task CleanupIfDueAsync(OutboxOptions settings, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now < _nextCleanupUtc)
            return;
        _nextCleanupUtc = now + TimeSpan.FromMinutes(10);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var horizon = now - settings.Retention;
        await db.Set<OutboxMessage>().Where(m => m.PublishedAtUtc != null && m.PublishedAtUtc < horizon).ExecuteDeleteAsync(ct);
        await db.Set<InboxMessage>().Where(m => m.ProcessedAtUtc < horizon).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Outbox counters and publish lag, on the project's meter.</summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _poisoned;
    private readonly Histogram<double> _lag;

    public OutboxMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(DaprReservationsTelemetry.MeterName);
        _published = meter.CreateCounter<long>("outbox.messages.published", description: "Outbox messages published to pub/sub.");
        _failed = meter.CreateCounter<long>("outbox.messages.failed", description: "Failed publish attempts (retried).");
        _poisoned = meter.CreateCounter<long>("outbox.messages.poisoned", description: "Messages given up after the maximum attempts.");
        _lag = meter.CreateHistogram<double>("outbox.publish.lag", unit: "ms", description: "Commit to publish.");
    }

    public void Published(TimeSpan lag)
    {
        _published.Add(1);
        _lag.Record(Math.Max(0, lag.TotalMilliseconds));
    }

    public void Failed(string topic) => _failed.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void Poisoned(string topic) => _poisoned.Add(1, new KeyValuePair<string, object?>("topic", topic));
}
