using StackExchange.Redis;

namespace LocalSidecar.PubSub.Streams;

/// <summary>pubsub.redis on a real Redis server, with the exact commands contrib sends.</summary>
public sealed class RedisStreamEngine(IConnectionMultiplexer connection) : IStreamEngine
{
    // StackExchange.Redis multiplexes every caller over one connection, so a server-side BLOCK would stall all other
    // commands (state, locks). XREADGROUP is therefore sent without BLOCK and the wait happens here, polling.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private IDatabase Db => connection.GetDatabase();

    public async Task<string> AddAsync(string topic, byte[] data, string? metadataJson, int? maxLenApprox)
    {
        NameValueEntry[] fields = metadataJson is null
            ? [new("data", data)]
            : [new("data", data), new("metadata", metadataJson)];
        var id = await Db.StreamAddAsync(topic, fields, messageId: null, maxLength: maxLenApprox, useApproximateMaxLength: maxLenApprox is not null);
        return id.ToString();
    }

    public async Task CreateGroupAsync(string topic, string group)
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(topic, group, "0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    public async Task<IReadOnlyList<StreamMessage>> ReadGroupAsync(string topic, string group, string consumer, int count, TimeSpan block, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + block;
        while (true)
        {
            var entries = await Db.StreamReadGroupAsync(topic, group, consumer, ">", count);
            if (entries.Length > 0 || DateTime.UtcNow >= deadline)
                return entries.Where(e => !e.IsNull).Select(ToMessage).ToList();
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    public Task AckAsync(string topic, string group, IReadOnlyList<string> ids) =>
        Db.StreamAcknowledgeAsync(topic, group, ids.Select(i => (RedisValue)i).ToArray());

    public async Task<IReadOnlyList<PendingEntry>> PendingAsync(string topic, string group, int count)
    {
        var rows = await Db.StreamPendingMessagesAsync(topic, group, count, RedisValue.Null, "-", "+");
        return rows.Select(r => new PendingEntry(r.MessageId.ToString(), r.IdleTimeInMilliseconds)).ToList();
    }

    public async Task<IReadOnlyList<StreamMessage>> ClaimAsync(string topic, string group, string consumer, long minIdleMilliseconds, IReadOnlyList<string> ids)
    {
        var entries = await Db.StreamClaimAsync(topic, group, consumer, minIdleMilliseconds, ids.Select(i => (RedisValue)i).ToArray());
        return entries.Where(e => !e.IsNull).Select(ToMessage).ToList();
    }

    private static StreamMessage ToMessage(StreamEntry entry)
    {
        var data = entry["data"];
        var metadata = entry["metadata"];
        return new StreamMessage(entry.Id.ToString(), data.IsNull ? [] : (byte[])data!, metadata.IsNull ? null : metadata.ToString());
    }
}
