using System.Net;
using System.Text.Json;
using LocalSidecar.Hosting;

namespace LocalSidecar.PubSub.Subscriptions;

/// <summary>
/// daprd's programmatic subscription discovery: one GET /dapr/subscribe at startup. 404 means none, any other failure
/// is logged and also means none. Field names are matched case-insensitively, as Go's JSON decoder does (the .NET SDK
/// writes pubsubName, daprd's tag is pubsubname).
/// </summary>
public sealed class SubscriptionDiscovery(AppChannel channel, SidecarContext context, ILogger<SubscriptionDiscovery> logger)
{
    public async Task<IReadOnlyList<Subscription>> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (channel.Http is null)
            return [];
        using var request = channel.CreateRequest(HttpMethod.Get, "dapr/subscribe");
        request.Headers.TryAddWithoutValidation("dapr-app-id", context.AppId);
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        try
        {
            using var response = await channel.Http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return [];
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("app '{AppId}' answered {Status} to GET /dapr/subscribe: no programmatic subscriptions", context.AppId, (int)response.StatusCode);
                return [];
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return Parse(body, logger);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            logger.LogWarning(e, "reading GET /dapr/subscribe from app '{AppId}' failed: no programmatic subscriptions", context.AppId);
            return [];
        }
    }

    public static IReadOnlyList<Subscription> Parse(byte[] body, ILogger logger)
    {
        if (body.Length == 0)
            return [];
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            return [];
        var result = new List<Subscription>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var pubsub = Text(item, "pubsubname");
            var topic = Text(item, "topic");
            if (string.IsNullOrEmpty(pubsub) || string.IsNullOrEmpty(topic))
                continue;
            var rules = new List<RouteRule>();
            string? defaultRoute = null;
            if (Field(item, "routes") is { ValueKind: JsonValueKind.Object } routes)
            {
                if (Field(routes, "rules") is { ValueKind: JsonValueKind.Array } ruleList)
                {
                    foreach (var rule in ruleList.EnumerateArray())
                    {
                        var path = Text(rule, "path");
                        if (string.IsNullOrEmpty(path))
                            continue;
                        try
                        {
                            rules.Add(new RouteRule(Text(rule, "match"), path));
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            logger.LogWarning(e, "subscription {Topic}: cannot compile match '{Match}'; rule skipped", topic, Text(rule, "match"));
                        }
                    }
                }

                defaultRoute = Text(routes, "default");
            }

            // routes.default wins over the v1 route field.
            defaultRoute = string.IsNullOrEmpty(defaultRoute) ? Text(item, "route") : defaultRoute;
            if (!string.IsNullOrEmpty(defaultRoute))
                rules.Add(new RouteRule(null, defaultRoute));
            if (rules.Count == 0)
            {
                logger.LogWarning("subscription to {Topic} on {PubSub} has no route: ignored", topic, pubsub);
                continue;
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Field(item, "metadata") is { ValueKind: JsonValueKind.Object } meta)
            {
                foreach (var property in meta.EnumerateObject())
                    metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }

            var deadLetter = Text(item, "deadLetterTopic");
            result.Add(new Subscription(pubsub, topic, rules, string.IsNullOrEmpty(deadLetter) ? null : deadLetter, metadata));
        }

        return result;
    }

    private static JsonElement? Field(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
