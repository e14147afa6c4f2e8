using System.Net;
using System.Text.Json;
using LocalSidecar.Hosting;
using LocalSidecar.PubSub.Streams;

namespace LocalSidecar.PubSub.Subscriptions;

/// <summary>
/// Delivers one stream entry to the app the way daprd's HTTP postman does and decides whether it is acknowledged.
/// Target version: daprd 1.16 (components-contrib 1.16) — a retriable failure without a deadLetterTopic is NOT acked
/// by pubsub.redis, so the entry stays pending and is redelivered after processingTimeout, forever (1.17+ acks it).
/// </summary>
public sealed class AppDelivery(AppChannel channel, PubSubPublisher publisher, TimeProvider time, ILogger<AppDelivery> logger)
{
    private enum AppAnswer { Success, Retry, Drop, NotFound }

    /// <summary>True when the entry must be acked (delivered, dropped, or dead-lettered).</summary>
    public async Task<bool> DeliverAsync(PubSubComponent component, Subscription subscription, StreamMessage message, CancellationToken cancellationToken)
    {
        var metadata = ReadMetadata(message.MetadataJson);
        metadata["pubsubname"] = component.Name;
        var body = subscription.RawPayload
            ? CloudEvents.FromRawPayload(message.Data, subscription.Topic, component.Name, metadata)
            : message.Data;

        JsonElement cloudEvent;
        try
        {
            using var document = JsonDocument.Parse(body);
            cloudEvent = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            logger.LogError("error deserializing cloud event in pubsub {PubSub} and topic {Topic}: {Error}", component.Name, subscription.Topic, e.Message);
            return false;
        }

        if (CloudEvents.IsExpired(cloudEvent, time.GetUtcNow()))
        {
            logger.LogWarning("dropping expired pub/sub event {Id} on topic {Topic}", Id(cloudEvent), subscription.Topic);
            await DeadLetterAsync(component, subscription, message); // daprd acks it even when the dead letter fails
            return true;
        }

        var path = subscription.Route(RouteRule.ToCelMap(cloudEvent));
        if (path is null)
        {
            logger.LogWarning("no matching route for event {Id} on topic {Topic}: dropped", Id(cloudEvent), subscription.Topic);
            await DeadLetterAsync(component, subscription, message); // daprd acks it even when the dead letter fails
            return true;
        }

        var answer = await PostAsync(path, body, metadata, cloudEvent, cancellationToken);
        if (answer == AppAnswer.Retry && component.IsInMemoryBus)
            answer = await RetryInMemoryAsync(path, body, metadata, cloudEvent, cancellationToken);
        switch (answer)
        {
            case AppAnswer.Success:
                return true;
            case AppAnswer.NotFound:
                // 404 is non-retriable and, unlike DROP, never dead-lettered.
                logger.LogError("app answered 404 for event {Id} on route {Path}: dropped", Id(cloudEvent), path);
                return true;
            case AppAnswer.Drop:
                logger.LogWarning("app asked to drop event {Id} on topic {Topic}", Id(cloudEvent), subscription.Topic);
                return await DeadLetterAsync(component, subscription, message);
            default:
                if (subscription.DeadLetterTopic is not null)
                    return await DeadLetterAsync(component, subscription, message);
                return component.IsInMemoryBus; // in-memory (1.16): dropped after its attempts; redis (1.16): stays pending
        }
    }

    // pubsub.in-memory in 1.16: 10 attempts in all, 100 ms apart, then the message is dropped.
    private async Task<AppAnswer> RetryInMemoryAsync(string path, byte[] body, Dictionary<string, string> metadata, JsonElement cloudEvent, CancellationToken cancellationToken)
    {
        var answer = AppAnswer.Retry;
        for (var attempt = 2; attempt <= 10 && answer == AppAnswer.Retry; attempt++)
        {
            await Task.Delay(100, cancellationToken);
            answer = await PostAsync(path, body, metadata, cloudEvent, cancellationToken);
        }

        return answer;
    }

    private async Task<bool> DeadLetterAsync(PubSubComponent component, Subscription subscription, StreamMessage message)
    {
        if (subscription.DeadLetterTopic is not { } deadLetterTopic)
            return true;
        try
        {
            await publisher.RepublishAsync(component, deadLetterTopic, message.Data, message.MetadataJson);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "sending message {Id} to dead letter topic {Topic} failed", message.Id, deadLetterTopic);
            return false;
        }
    }

    private async Task<AppAnswer> PostAsync(string path, byte[] body, Dictionary<string, string> metadata, JsonElement cloudEvent, CancellationToken cancellationToken)
    {
        using var request = channel.CreateRequest(HttpMethod.Post, "/" + path.TrimStart('/'));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", CloudEvents.JsonContentType);
        foreach (var (key, value) in metadata)
        {
            var name = key.ToLowerInvariant();
            if (name is "content-length" or "content-type" or "traceparent" or "tracestate")
                continue;
            request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var name in new[] { "traceparent", "tracestate" })
        {
            if (cloudEvent.TryGetProperty(name, out var trace) && trace.ValueKind == JsonValueKind.String && trace.GetString() is { Length: > 0 } value)
                request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await channel.Http!.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return AppAnswer.NotFound;
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("app answered {Status} on route {Path}: retriable", (int)response.StatusCode, path);
                return AppAnswer.Retry;
            }

            return ReadStatus(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("delivering to route {Path} failed: {Error}", path, e.Message);
            return AppAnswer.Retry;
        }
    }

    // The status value is case-sensitive; an empty or unparsable body is success (postman/http/http.go).
    private static AppAnswer ReadStatus(byte[] body)
    {
        string? status;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return AppAnswer.Success;
            status = document.RootElement.EnumerateObject()
                .Where(p => p.Name.Equals("status", StringComparison.OrdinalIgnoreCase))
                .Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())
                .LastOrDefault();
        }
        catch (JsonException)
        {
            return AppAnswer.Success;
        }

        return status switch
        {
            null or "" or "SUCCESS" => AppAnswer.Success,
            "DROP" => AppAnswer.Drop,
            _ => AppAnswer.Retry,
        };
    }

    private static Dictionary<string, string> ReadMetadata(string? json)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
            return metadata;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                    metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }
        catch (JsonException)
        {
        }

        return metadata;
    }

    private static string Id(JsonElement cloudEvent) =>
        cloudEvent.ValueKind == JsonValueKind.Object && cloudEvent.TryGetProperty("id", out var id) ? id.ToString() : "?";
}
