using System.Collections.Concurrent;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;
using Reservation.Domain;

namespace Reservation.Infrastructure.State;

/// <summary>
/// Group commit in front of a write strategy: concurrent decisions for one slot queue up; one leader reads once,
/// applies every queued decision in order, writes once and completes each caller with its own outcome. On a hot slot
/// this turns N contending writes into one, so optimistic concurrency stops collapsing into retries.
/// </summary>
public sealed class CoalescingSlotStore(
    ISlotWriteStrategy strategy,
    DaprClient dapr,
    TimeProvider time,
    SlotStoreStats stats,
    IOptions<ReservationOptions> options,
    ILogger<CoalescingSlotStore> logger) : ISlotStore
{
    private readonly ConcurrentDictionary<string, SlotQueue> queues = new();
    private readonly ReservationOptions settings = options.Value;

    public async Task<Decision<T>> UpdateAsync<T>(
        string slotId, SlotCommand<T> command, CancellationToken cancellationToken)
    {
        var pending = new Pending<T>(command, settings.TombstoneRetention);
        if (!settings.Coalesce)
        {
            await CommitAsync(slotId, [pending], cancellationToken);
            return await pending.Task;
        }

        var queue = queues.GetOrAdd(slotId, _ => new SlotQueue());
        bool lead;
        lock (queue)
        {
            queue.Items.Add(pending);
            lead = !queue.Leading;
            queue.Leading = true;
        }

        // The leader's loop serves other callers too, so it must not die with this caller's cancellation.
        if (lead)
            _ = Task.Run(() => LeadAsync(slotId, queue), CancellationToken.None);
        return await pending.Task.WaitAsync(cancellationToken);
    }

    public async Task<(SlotState? State, string ETag)> GetAsync(string slotId, CancellationToken cancellationToken)
    {
        var (state, etag) = await dapr.GetStateAndETagAsync<SlotState?>(
            Components.StateStore, SlotKeys.Slot(slotId), cancellationToken: cancellationToken);
        return (state, etag);
    }

    private async Task LeadAsync(string slotId, SlotQueue queue)
    {
        while (true)
        {
            List<Pending> batch;
            lock (queue)
            {
                if (queue.Items.Count == 0)
                {
                    queue.Leading = false;
                    return;
                }

                var take = Math.Min(queue.Items.Count, settings.MaxBatch);
                batch = queue.Items.GetRange(0, take);
                queue.Items.RemoveRange(0, take);
            }

            await CommitAsync(slotId, batch, CancellationToken.None);
        }
    }

    private async Task CommitAsync(string slotId, IReadOnlyList<Pending> batch, CancellationToken cancellationToken)
    {
        stats.Batch(batch.Count);
        try
        {
            await strategy.UpdateAsync(slotId, state => ApplyAll(state, batch), cancellationToken);
            foreach (var pending in batch)
                pending.Complete();
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "Slot {SlotId}: a batch of {Count} decisions failed", slotId, batch.Count);
            foreach (var pending in batch)
                pending.Fail(exception);
        }
    }

    private SlotState? ApplyAll(SlotState state, IReadOnlyList<Pending> batch)
    {
        var now = time.GetUtcNow();
        var current = state;
        foreach (var pending in batch)
            current = pending.Apply(current, now) ?? current;
        return ReferenceEquals(current, state) ? null : current;
    }

    private sealed class SlotQueue
    {
        public List<Pending> Items { get; } = [];

        public bool Leading { get; set; }
    }

    private abstract class Pending
    {
        /// <summary>Runs the decision on <paramref name="state"/>; called again on every attempt, last call wins.</summary>
        public abstract SlotState? Apply(SlotState state, DateTimeOffset now);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class Pending<T>(SlotCommand<T> command, TimeSpan retention) : Pending
    {
        private readonly TaskCompletionSource<Decision<T>> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Decision<T>? decision;
        private Exception? refusal;

        public Task<Decision<T>> Task => completion.Task;

        public override SlotState? Apply(SlotState state, DateTimeOffset now)
        {
            try
            {
                refusal = null;
                decision = SlotDecisions.WithPruning(state, now, current => command.Decide(current, now), retention);
                return decision.NewState;
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // One bad decision must not sink the others in its batch.
                refusal = exception;
                decision = null;
                return null;
            }
        }

        public override void Complete()
        {
            if (decision is not null)
                completion.TrySetResult(decision);
            else
                completion.TrySetException(refusal ?? new InvalidOperationException("The decision never ran."));
        }

        public override void Fail(Exception exception) => completion.TrySetException(exception);
    }
}
