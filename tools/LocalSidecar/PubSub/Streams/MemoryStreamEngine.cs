namespace LocalSidecar.PubSub.Streams;

/// <summary>pubsub.redis on the embedded backend: the same commands, answered by <see cref="MemoryStreams"/>.</summary>
public sealed class MemoryStreamEngine(MemoryStreams streams) : IStreamEngine
{
    public Task<string> AddAsync(string topic, byte[] data, string? metadataJson, int? maxLenApprox) =>
        Task.FromResult(streams.Add(topic, data, metadataJson, maxLenApprox));

    public Task CreateGroupAsync(string topic, string group)
    {
        streams.CreateGroup(topic, group);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<StreamMessage>> ReadGroupAsync(string topic, string group, string consumer, int count, TimeSpan block, CancellationToken cancellationToken)
    {
        var (messages, appended) = streams.ReadNew(topic, group, consumer, count);
        if (messages.Count > 0)
            return messages;
        try
        {
            await appended.WaitAsync(block, cancellationToken);
        }
        catch (TimeoutException)
        {
            return [];
        }

        return streams.ReadNew(topic, group, consumer, count).Messages;
    }

    public Task AckAsync(string topic, string group, IReadOnlyList<string> ids)
    {
        streams.Ack(topic, group, ids);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingEntry>> PendingAsync(string topic, string group, int count) =>
        Task.FromResult(streams.Pending(topic, group, count));

    public Task<IReadOnlyList<StreamMessage>> ClaimAsync(string topic, string group, string consumer, long minIdleMilliseconds, IReadOnlyList<string> ids) =>
        Task.FromResult(streams.Claim(topic, group, consumer, minIdleMilliseconds, ids));
}
