namespace LocalSidecar.PubSub.Streams;

/// <summary>One stream entry as contrib's pubsub.redis writes it: fields <c>data</c> and (optionally) <c>metadata</c>.</summary>
public sealed record StreamMessage(string Id, byte[] Data, string? MetadataJson);

/// <summary>One XPENDING row: the entry id and how long ago it was last delivered.</summary>
public sealed record PendingEntry(string Id, long IdleMilliseconds);

/// <summary>
/// The Redis Streams commands pubsub.redis uses, and nothing more. <see cref="RedisStreamEngine"/> sends them to a real
/// Redis; <see cref="MemoryStreamEngine"/> emulates the same stream / consumer-group / pending-entries semantics so the
/// subscriber logic above it is one piece of code for both backends.
/// </summary>
public interface IStreamEngine
{
    /// <summary>XADD &lt;topic&gt; [MAXLEN ~ n] * data &lt;bytes&gt; [metadata &lt;json&gt;].</summary>
    Task<string> AddAsync(string topic, byte[] data, string? metadataJson, int? maxLenApprox);

    /// <summary>XGROUP CREATE &lt;topic&gt; &lt;group&gt; 0 MKSTREAM, ignoring BUSYGROUP.</summary>
    Task CreateGroupAsync(string topic, string group);

    /// <summary>XREADGROUP GROUP g c COUNT n BLOCK t STREAMS topic &gt;; an empty list when nothing arrived within <paramref name="block"/>.</summary>
    Task<IReadOnlyList<StreamMessage>> ReadGroupAsync(string topic, string group, string consumer, int count, TimeSpan block, CancellationToken cancellationToken);

    /// <summary>XACK.</summary>
    Task AckAsync(string topic, string group, IReadOnlyList<string> ids);

    /// <summary>XPENDING &lt;topic&gt; &lt;group&gt; - + &lt;count&gt;.</summary>
    Task<IReadOnlyList<PendingEntry>> PendingAsync(string topic, string group, int count);

    /// <summary>XCLAIM &lt;topic&gt; &lt;group&gt; &lt;consumer&gt; &lt;minIdle&gt; ids...: entries that no longer exist are not returned.</summary>
    Task<IReadOnlyList<StreamMessage>> ClaimAsync(string topic, string group, string consumer, long minIdleMilliseconds, IReadOnlyList<string> ids);
}
