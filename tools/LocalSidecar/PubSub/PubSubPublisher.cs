using System.Text.Json;
using Grpc.Core;
using LocalSidecar.Api;
using LocalSidecar.Hosting;

namespace LocalSidecar.PubSub;

/// <summary>One publish as both APIs hand it over (HTTP body + query metadata, or gRPC PublishEventRequest).</summary>
public sealed record PublishRequest(
    string? PubsubName, string? Topic, byte[] Data, string? ContentType, IReadOnlyDictionary<string, string> Metadata,
    string? TraceParent = null, string? TraceState = null, bool StoreEmptyMetadata = true);

/// <summary>One bulk publish entry (BulkPublishRequestEntry).</summary>
public sealed record BulkPublishEntry(string EntryId, byte[] Data, string? ContentType, IReadOnlyDictionary<string, string> Metadata);

/// <summary>The publish façade: validation, the CloudEvent envelope, then XADD on the component's stream engine.</summary>
public sealed class PubSubPublisher(PubSubRegistry registry, SidecarContext context, TimeProvider time, ILogger<PubSubPublisher> logger)
{
    public async Task PublishAsync(PublishRequest request)
    {
        var component = registry.Require(request.PubsubName, request.Topic);
        var payload = BuildPayload(request);
        // daprd checks the scopes after building the envelope (a malformed CloudEvent is 400 before it is 403).
        if (!component.Scopes.MayPublish(request.Topic!))
            throw component.Scopes.Forbidden(component.Name, request.Topic!);
        var metadata = request.Metadata.Count > 0 || request.StoreEmptyMetadata ? SerializeMetadata(request.Metadata) : null;
        await AppendAsync(component, request.Topic!, payload, metadata);
    }

    /// <summary>Publishes each entry (pubsub.redis has no BULK_PUBLISH feature, so daprd does the same); returns the failed ones.</summary>
    public async Task<IReadOnlyList<(string EntryId, string Error)>> BulkPublishAsync(
        string? pubsubName, string? topic, IReadOnlyList<BulkPublishEntry> entries, IReadOnlyDictionary<string, string> metadata, string? traceParent, string? traceState)
    {
        var component = registry.Require(pubsubName, topic);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (string.IsNullOrEmpty(entry.EntryId))
                throw new DaprError(400, "ERR_PUBSUB_EVENTS_SER", "entryId is duplicated or not present for entry", StatusCode.InvalidArgument);
            if (!ids.Add(entry.EntryId))
                throw new DaprError(400, "ERR_PUBSUB_EVENTS_SER", $"entryId {entry.EntryId} is duplicated", StatusCode.InvalidArgument);
        }

        // The whole request is refused, not entry by entry (daprd's publisher.BulkPublish checks once).
        if (!component.Scopes.MayPublish(topic!))
            throw component.Scopes.Forbidden(component.Name, topic!);

        var results = await Task.WhenAll(entries.Select(async entry =>
        {
            var merged = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
            foreach (var (k, v) in entry.Metadata)
                merged[k] = v;
            try
            {
                await PublishAsync(new PublishRequest(pubsubName, topic, entry.Data, entry.ContentType, merged, traceParent, traceState));
                return (entry.EntryId, Error: (string?)null);
            }
            catch (DaprError e)
            {
                return (entry.EntryId, Error: e.Message);
            }
        }));
        return results.Where(r => r.Error is not null).Select(r => (r.EntryId, r.Error!)).ToList();
    }

    /// <summary>
    /// daprd's sendToDeadLetter: the original bytes and metadata, as they are, onto another topic; a publish like any
    /// other, so the subscribing app needs publishing scope for the dead-letter topic.
    /// </summary>
    internal Task RepublishAsync(PubSubComponent component, string topic, byte[] data, string? metadataJson)
    {
        if (!component.Scopes.MayPublish(topic))
            throw component.Scopes.Forbidden(component.Name, topic);
        return AppendAsync(component, topic, data, metadataJson);
    }

    private byte[] BuildPayload(PublishRequest request)
    {
        if (ParseBool(request.Metadata, "rawPayload"))
            return request.Data;
        var ttl = ParseTtl(request.Metadata);
        var source = new CloudEvents.Source(context.AppId, request.PubsubName!, request.Topic!, request.Data, request.ContentType,
            request.Metadata, request.TraceParent, request.TraceState, time.GetLocalNow());
        if (!CloudEvents.IsCloudEvent(request.ContentType))
            return CloudEvents.Wrap(source, ttl);
        try
        {
            return CloudEvents.FromCloudEvent(source, ttl);
        }
        catch (FormatException e)
        {
            throw new DaprError(400, "ERR_PUBSUB_CLOUD_EVENTS_SER",
                $"error when unmarshalling the cloud event for topic {request.Topic} in pubsub {request.PubsubName}: {e.Message}", StatusCode.InvalidArgument);
        }
    }

    private async Task AppendAsync(PubSubComponent component, string topic, byte[] payload, string? metadataJson)
    {
        try
        {
            var engine = await component.EngineAsync();
            await engine.AddAsync(topic, payload, metadataJson, component.MaxLenApprox);
        }
        catch (Exception e) when (e is not DaprError)
        {
            logger.LogWarning(e, "publish to {Topic} on {PubSub} failed", topic, component.Name);
            throw new DaprError(500, "ERR_PUBSUB_PUBLISH_MESSAGE",
                $"error when publish to topic {topic} in pubsub {component.Name}: {e.Message}", StatusCode.Internal);
        }
    }

    private static string SerializeMetadata(IReadOnlyDictionary<string, string> metadata) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(metadata.ToDictionary(), StringComparer.Ordinal));

    // Go's strconv.ParseBool, which daprd uses for rawPayload.
    private static bool ParseBool(IReadOnlyDictionary<string, string> metadata, string key)
    {
        if (!metadata.TryGetValue(key, out var value))
            return false;
        return value switch
        {
            "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
            "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
            _ => throw new DaprError(400, "ERR_PUBSUB_REQUEST_METADATA",
                $"failed deserializing metadata: strconv.ParseBool: parsing \"{value}\": invalid syntax", StatusCode.InvalidArgument),
        };
    }

    // pubsub.redis lacks the MESSAGE_TTL feature, so daprd stamps "expiration" into the envelope instead.
    private static TimeSpan? ParseTtl(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("ttlInSeconds", out var value) || value.Length == 0)
            return null;
        if (!long.TryParse(value, out var seconds))
            throw new DaprError(400, "ERR_PUBSUB_REQUEST_METADATA",
                $"failed deserializing metadata: ttlInSeconds {value} is not a valid integer", StatusCode.InvalidArgument);
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
