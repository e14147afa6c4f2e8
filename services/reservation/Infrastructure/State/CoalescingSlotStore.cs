using System.Collections.Concurrent;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.Extensions.Options;
using Reservation.Application;
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
    IOptions<ReservationLimits> limits,
    ILogger<CoalescingSlotStore> logger) : ISlotStore
{
    // A queue exists only while its slot has decisions waiting or being written: an idle slot costs no memory.
    private readonly ConcurrentDictionary<string, SlotQueue> queues = Tracked(stats);
    private readonly ReservationOptions settings = options.Value;
    private readonly int maxSettled = limits.Value.MaxSettledPerSlot;

    public async Task<Decision<T>> UpdateAsync<T>(
        string slotId, SlotCommand<T> command, CancellationToken cancellationToken)
    {
        var pending = new Pending<T>(command, settings.TombstoneRetention, maxSettled);
        if (!settings.Coalesce)
        {
            await CommitAsync(slotId, [pending], cancellationToken);
            return await pending.Task;
        }

        var (queue, lead) = Enqueue(slotId, pending);

        // The leader's loop serves other callers too, so it must not die with this caller's cancellation.
        if (lead)
            _ = Task.Run(() => LeadAsync(slotId, queue), CancellationToken.None);
        return await pending.Task.WaitAsync(cancellationToken);
    }

    private (SlotQueue Queue, bool Lead) Enqueue(string slotId, Pending pending)
    {
        while (true)
        {
            var queue = queues.GetOrAdd(slotId, _ => new SlotQueue());
            lock (queue)
            {
                // Its leader found it empty and removed it from the map: a new queue takes over.
                if (queue.Retired)
                    continue;
                queue.Items.Add(pending);
                var lead = !queue.Leading;
                queue.Leading = true;
                return (queue, lead);
            }
        }
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
                    queue.Retired = true;
                    queues.TryRemove(new KeyValuePair<string, SlotQueue>(slotId, queue));
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

    private static ConcurrentDictionary<string, SlotQueue> Tracked(SlotStoreStats stats)
    {
        var queues = new ConcurrentDictionary<string, SlotQueue>();
        stats.TrackSize("slotQueues", () => queues.Count);
        return queues;
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

        /// <summary>Removed from the map; whoever still holds it must take the map's current queue instead.</summary>
        public bool Retired { get; set; }
    }

    private abstract class Pending
    {
        /// <summary>Runs the decision on <paramref name="state"/>; called again on every attempt, last call wins.</summary>
        public abstract SlotState? Apply(SlotState state, DateTimeOffset now);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class Pending<T>(SlotCommand<T> command, TimeSpan retention, int maxSettled) : Pending
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
                decision = SlotDecisions.WithPruning(state, now, current => command.Decide(current, now), retention, maxSettled);
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
