using System.Threading.Channels;
using LocalSidecar.PubSub.Streams;

namespace LocalSidecar.PubSub.Subscriptions;

/// <summary>
/// contrib's redisStreams subscriber for one component: per topic a read loop (XREADGROUP &gt;, consumer name = group)
/// and a reclaim loop (every redeliverInterval: XPENDING, then XCLAIM of entries idle ≥ processingTimeout), all
/// feeding one queue of queueDepth drained by <c>concurrency</c> workers, in no particular order.
/// </summary>
public sealed class ComponentSubscriber(PubSubComponent component, AppDelivery delivery, ILogger logger)
{
    private static readonly TimeSpan ReadBlock = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromMilliseconds(500);

    private readonly Channel<(Subscription Subscription, StreamMessage Message)> _queue =
        Channel.CreateBounded<(Subscription, StreamMessage)>(component.QueueDepth);

    /// <summary>Creates every topic's group first (as contrib's Subscribe does), then starts the loops and workers.</summary>
    public async Task<IEnumerable<Task>> StartAsync(IReadOnlyList<Subscription> subscriptions, CancellationToken stopping)
    {
        var engine = await component.EngineAsync();
        foreach (var subscription in subscriptions)
            await engine.CreateGroupAsync(subscription.Topic, Group);
        var tasks = new List<Task>();
        for (var i = 0; i < component.Concurrency; i++)
            tasks.Add(Task.Run(() => WorkAsync(stopping), CancellationToken.None));
        foreach (var subscription in subscriptions)
        {
            tasks.Add(Task.Run(() => ReadLoopAsync(subscription, stopping), CancellationToken.None));
            if (component.ProcessingTimeout > TimeSpan.Zero && component.RedeliverInterval > TimeSpan.Zero)
                tasks.Add(Task.Run(() => ReclaimLoopAsync(subscription, stopping), CancellationToken.None));
        }

        return tasks;
    }

    private string Group => component.ConsumerGroup;

    private async Task ReadLoopAsync(Subscription subscription, CancellationToken stopping)
    {
        var groupReady = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var engine = await component.EngineAsync();
                if (!groupReady)
                {
                    await engine.CreateGroupAsync(subscription.Topic, Group);
                    groupReady = true;
                }

                var messages = await engine.ReadGroupAsync(subscription.Topic, Group, Group, component.QueueDepth, ReadBlock, stopping);
                foreach (var message in messages)
                    await _queue.Writer.WriteAsync((subscription, message), stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // e.g. NOGROUP after the stream was deleted: contrib recreates the group and carries on.
                logger.LogWarning("reading topic {Topic} on {PubSub} failed: {Error}", subscription.Topic, component.Name, e.Message);
                groupReady = false;
                await Delay(ErrorBackoff, stopping);
            }
        }
    }

    private async Task ReclaimLoopAsync(Subscription subscription, CancellationToken stopping)
    {
        var minIdle = (long)component.ProcessingTimeout.TotalMilliseconds;
        while (await Delay(component.RedeliverInterval, stopping))
        {
            try
            {
                var engine = await component.EngineAsync();
                var pending = await engine.PendingAsync(subscription.Topic, Group, component.QueueDepth);
                var idle = pending.Where(p => p.IdleMilliseconds >= minIdle).Select(p => p.Id).ToList();
                if (idle.Count == 0)
                    continue;
                var claimed = await engine.ClaimAsync(subscription.Topic, Group, Group, minIdle, idle);
                // contrib: ids XCLAIM did not return were deleted from the stream; XACK them out of the PEL.
                var gone = idle.Except(claimed.Select(c => c.Id), StringComparer.Ordinal).ToList();
                if (gone.Count > 0)
                    await engine.AckAsync(subscription.Topic, Group, gone);
                foreach (var message in claimed)
                    await _queue.Writer.WriteAsync((subscription, message), stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("redelivering pending entries of {Topic} on {PubSub} failed: {Error}", subscription.Topic, component.Name, e.Message);
            }
        }
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var (subscription, message) in _queue.Reader.ReadAllAsync(stopping))
                await ProcessAsync(subscription, message, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(Subscription subscription, StreamMessage message, CancellationToken stopping)
    {
        using var handlerScope = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // contrib bounds the handler by processingTimeout only when both timing settings are non-zero.
        if (component.ProcessingTimeout > TimeSpan.Zero && component.RedeliverInterval > TimeSpan.Zero)
            handlerScope.CancelAfter(component.ProcessingTimeout);
        bool ack;
        try
        {
            ack = await delivery.DeliverAsync(component, subscription, message, handlerScope.Token);
        }
        catch (OperationCanceledException)
        {
            ack = false; // timed out or the sidecar is stopping: the entry stays pending
        }
        catch (Exception e)
        {
            logger.LogError(e, "processing message {Id} of {Topic} failed", message.Id, subscription.Topic);
            ack = false;
        }

        if (!ack)
            return;
        try
        {
            var engine = await component.EngineAsync();
            await engine.AckAsync(subscription.Topic, Group, [message.Id]);
        }
        catch (Exception e)
        {
            logger.LogWarning("XACK of {Id} on {Topic} failed: {Error}", message.Id, subscription.Topic, e.Message);
        }
    }

    private static async Task<bool> Delay(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
