using System.Diagnostics;

namespace LocalSidecar.PubSub.Streams;

/// <summary>
/// The streams of one embedded "Redis server" (a <see cref="Hosting.MemoryKeyspace"/> part): entries with
/// <c>ms-seq</c> ids, consumer groups with a last-delivered id and a pending entries list (PEL) recording owner,
/// last delivery time and delivery count. Shared by every sidecar of a cluster, so a restarted sidecar finds its
/// group's pending entries exactly as it would in Redis.
/// </summary>
public sealed class MemoryStreams
{
    private readonly System.Threading.Lock _gate = new();
    private readonly Dictionary<string, Stream> _streams = new(StringComparer.Ordinal);

    public string Add(string topic, byte[] data, string? metadataJson, int? maxLenApprox)
    {
        lock (_gate)
        {
            var stream = GetOrCreate(topic);
            var id = stream.NextId();
            stream.Entries.Add(id, new StreamMessage(id.ToString(), data, metadataJson));
            if (maxLenApprox is > 0 and var max)
            {
                while (stream.Entries.Count > max)
                    stream.Entries.RemoveAt(0);
            }

            var signal = stream.Appended;
            stream.Appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
            return id.ToString();
        }
    }

    /// <summary>False when the group already existed (Redis answers BUSYGROUP).</summary>
    public bool CreateGroup(string topic, string group)
    {
        lock (_gate)
            return GetOrCreate(topic).Groups.TryAdd(group, new Group());
    }

    /// <summary>XREADGROUP ... &gt;: new entries after the group's last-delivered id, added to the PEL; also a task that completes on the next XADD.</summary>
    public (IReadOnlyList<StreamMessage> Messages, Task Appended) ReadNew(string topic, string group, string consumer, int count)
    {
        lock (_gate)
        {
            var stream = GetOrCreate(topic);
            var g = stream.Groups.TryGetValue(group, out var existing) ? existing
                : throw new InvalidOperationException($"NOGROUP No such key '{topic}' or consumer group '{group}' in XREADGROUP with GROUP option");
            var result = new List<StreamMessage>();
            foreach (var (id, message) in stream.Entries)
            {
                if (result.Count >= count)
                    break;
                if (id.CompareTo(g.LastDelivered) <= 0)
                    continue;
                g.LastDelivered = id;
                g.Pending[id] = new PendingInfo(consumer, Now(), 1);
                result.Add(message);
            }

            return (result, stream.Appended.Task);
        }
    }

    public void Ack(string topic, string group, IEnumerable<string> ids)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(topic, out var stream) || !stream.Groups.TryGetValue(group, out var g))
                return;
            foreach (var id in ids)
            {
                if (EntryId.TryParse(id, out var parsed))
                    g.Pending.Remove(parsed);
            }
        }
    }

    public IReadOnlyList<PendingEntry> Pending(string topic, string group, int count)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(topic, out var stream) || !stream.Groups.TryGetValue(group, out var g))
                return [];
            var now = Now();
            return g.Pending.Take(count).Select(p => new PendingEntry(p.Key.ToString(), now - p.Value.DeliveredAt)).ToList();
        }
    }

    /// <summary>XCLAIM: ownership moves, idle resets, delivery count grows; ids whose entry was trimmed leave the PEL (Redis 7).</summary>
    public IReadOnlyList<StreamMessage> Claim(string topic, string group, string consumer, long minIdleMilliseconds, IEnumerable<string> ids)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(topic, out var stream) || !stream.Groups.TryGetValue(group, out var g))
                return [];
            var now = Now();
            var claimed = new List<StreamMessage>();
            foreach (var raw in ids)
            {
                if (!EntryId.TryParse(raw, out var id) || !g.Pending.TryGetValue(id, out var info) || now - info.DeliveredAt < minIdleMilliseconds)
                    continue;
                if (!stream.Entries.TryGetValue(id, out var message))
                {
                    g.Pending.Remove(id);
                    continue;
                }

                g.Pending[id] = new PendingInfo(consumer, now, info.DeliveryCount + 1);
                claimed.Add(message);
            }

            return claimed;
        }
    }

    private Stream GetOrCreate(string topic)
    {
        if (!_streams.TryGetValue(topic, out var stream))
            _streams[topic] = stream = new Stream();
        return stream;
    }

    private static long Now() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;

    private sealed class Stream
    {
        private EntryId _last;

        public SortedList<EntryId, StreamMessage> Entries { get; } = new();
        public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);
        public TaskCompletionSource Appended { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public EntryId NextId()
        {
            var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            _last = ms > _last.Milliseconds ? new EntryId(ms, 0) : new EntryId(_last.Milliseconds, _last.Sequence + 1);
            return _last;
        }
    }

    private sealed class Group
    {
        public EntryId LastDelivered { get; set; }
        public SortedDictionary<EntryId, PendingInfo> Pending { get; } = new();
    }

    private sealed record PendingInfo(string Consumer, long DeliveredAt, int DeliveryCount);

    private readonly record struct EntryId(long Milliseconds, long Sequence) : IComparable<EntryId>
    {
        public int CompareTo(EntryId other) =>
            Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);

        public override string ToString() => $"{Milliseconds}-{Sequence}";

        public static bool TryParse(string text, out EntryId id)
        {
            id = default;
            var parts = text.Split('-');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var ms) || !long.TryParse(parts[1], out var seq))
                return false;
            id = new EntryId(ms, seq);
            return true;
        }
    }
}
