using LocalSidecar.Components;
using LocalSidecar.Hosting;
using LocalSidecar.PubSub.Streams;

namespace LocalSidecar.PubSub;

/// <summary>
/// One pubsub component with the settings contrib's pubsub.redis reads from its metadata. Numbers are milliseconds:
/// contrib decodes a bare number as ms, and redeliverInterval is tagged mapstructure:"-" so a Go duration string is
/// ignored for it (the default stays), which we reproduce.
/// </summary>
public sealed class PubSubComponent
{
    private readonly Lazy<Task<IStreamEngine>> _engine;

    public PubSubComponent(ComponentSpec spec, SidecarContext context, MemoryKeyspace privateKeyspace)
    {
        Spec = spec;
        IsInMemoryBus = spec.Type == "pubsub.in-memory";
        ConsumerGroup = ExpandConsumerId(spec.Get("consumerID"), context.AppId);
        ProcessingTimeout = ReadMilliseconds(spec.Get("processingTimeout"), acceptDuration: true) ?? TimeSpan.FromSeconds(60);
        RedeliverInterval = ReadMilliseconds(spec.Get("redeliverInterval"), acceptDuration: false) ?? TimeSpan.FromSeconds(15);
        QueueDepth = spec.GetInt("queueDepth") is > 0 and var depth ? depth : 100;
        Concurrency = spec.GetInt("concurrency") is > 0 and var workers ? workers : 10;
        MaxLenApprox = spec.GetInt("maxLenApprox") is > 0 and var max ? max : null;
        Scopes = new TopicScopes(context.AppId, spec.Metadata);
        var backends = context.Cluster.Backends;
        _engine = new Lazy<Task<IStreamEngine>>(async () =>
        {
            // pubsub.in-memory is a per-daprd bus in daprd: it lives in this sidecar's own keyspace, never the cluster's.
            if (IsInMemoryBus)
                return new MemoryStreamEngine(privateKeyspace.Part("streams", () => new MemoryStreams()));
            if (backends.UsesMemory(spec))
                return new MemoryStreamEngine(backends.Memory(spec).Part("streams", () => new MemoryStreams()));
            return new RedisStreamEngine(await backends.RedisAsync(spec));
        });
    }

    public ComponentSpec Spec { get; }
    public string Name => Spec.Name;

    /// <summary>pubsub.in-memory: served by the stream engine, with the v1.16 in-memory retry policy on handler errors.</summary>
    public bool IsInMemoryBus { get; }

    /// <summary>consumerID, defaulting to the app id (daprd fills it in); also the consumer name (contrib uses one consumer per group).</summary>
    public string ConsumerGroup { get; }

    public TimeSpan ProcessingTimeout { get; }
    public TimeSpan RedeliverInterval { get; }
    public int QueueDepth { get; }
    public int Concurrency { get; }
    public int? MaxLenApprox { get; }

    /// <summary>The topics this sidecar's app may publish and subscribe to on this component (daprd's topic scopes).</summary>
    public TopicScopes Scopes { get; }

    public Task<IStreamEngine> EngineAsync() => _engine.Value;

    private static string ExpandConsumerId(string? configured, string appId)
    {
        if (string.IsNullOrEmpty(configured))
            return appId;
        return configured
            .Replace("{appID}", appId, StringComparison.Ordinal)
            .Replace("{uuid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{podName}", Environment.GetEnvironmentVariable("POD_NAME") ?? appId, StringComparison.Ordinal);
    }

    private static TimeSpan? ReadMilliseconds(string? value, bool acceptDuration)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (long.TryParse(value, out var ms))
            return TimeSpan.FromMilliseconds(ms);
        if (!acceptDuration)
            return null;
        return GoDuration.TryParse(value, out var duration) ? duration : null;
    }
}

/// <summary>The subset of Go's time.ParseDuration component metadata uses: "500ms", "60s", "1m30s", "1h".</summary>
internal static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                i++;
            if (start == i || !double.TryParse(text.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture, out var number))
                return false;
            var unitStart = i;
            while (i < text.Length && char.IsLetter(text[i]))
                i++;
            TimeSpan? unit = text[unitStart..i] switch
            {
                "ns" => TimeSpan.FromTicks(1) / 100,
                "us" or "µs" => TimeSpan.FromTicks(10),
                "ms" => TimeSpan.FromMilliseconds(1),
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                _ => null,
            };
            if (unit is null)
                return false;
            duration += unit.Value * number;
        }

        return text.Length > 0;
    }
}
