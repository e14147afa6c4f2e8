using System.Text;
using System.Text.Json;
using LocalSidecar.PubSub;

namespace LocalSidecar.Api.Http;

/// <summary>POST|PUT /v1.0/publish/{pubsub}/{topic...} and the alpha bulk variant; thin over <see cref="PubSubPublisher"/>.</summary>
public static class PubSubEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/v1.0/publish/{pubsubname}/{**topic}", ["POST", "PUT"], (HttpContext http, string pubsubname, string? topic) =>
            DaprHttpResults.Guard(http, async () =>
            {
                var body = await ReadBodyAsync(http.Request);
                await http.RequestServices.GetRequiredService<PubSubPublisher>().PublishAsync(new PublishRequest(
                    pubsubname, topic, body, http.Request.ContentType, QueryMetadata(http.Request),
                    Header(http.Request, "traceparent"), Header(http.Request, "tracestate")));
                http.Response.StatusCode = StatusCodes.Status204NoContent;
            }));

        endpoints.MapMethods("/v1.0-alpha1/publish/bulk/{pubsubname}/{**topic}", ["POST", "PUT"], (HttpContext http, string pubsubname, string? topic) =>
            DaprHttpResults.Guard(http, async () =>
            {
                var entries = ParseBulkEntries(await ReadBodyAsync(http.Request));
                var failed = await http.RequestServices.GetRequiredService<PubSubPublisher>().BulkPublishAsync(
                    pubsubname, topic, entries, QueryMetadata(http.Request), Header(http.Request, "traceparent"), Header(http.Request, "tracestate"));
                if (failed.Count == 0)
                {
                    http.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }

                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await http.Response.WriteAsJsonAsync(new
                {
                    failedEntries = failed.Select(f => new { entryId = f.EntryId, error = f.Error }),
                    errorCode = "ERR_PUBSUB_PUBLISH_MESSAGE",
                });
            }));
    }

    /// <summary>daprd's metadata.* query parameters, prefix removed (the prefix is matched case-insensitively).</summary>
    private static Dictionary<string, string> QueryMetadata(HttpRequest request)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in request.Query)
        {
            if (key.StartsWith("metadata.", StringComparison.OrdinalIgnoreCase))
                metadata[key["metadata.".Length..]] = values.ToString();
        }

        return metadata;
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static List<BulkPublishEntry> ParseBulkEntries(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var entries = new List<BulkPublishEntry>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var contentType = item.TryGetProperty("contentType", out var ct) ? ct.GetString() : null;
                var data = item.TryGetProperty("event", out var ev)
                    ? ev.ValueKind == JsonValueKind.String && !CloudEvents.IsJson(contentType ?? "") ? Encoding.UTF8.GetBytes(ev.GetString()!) : Encoding.UTF8.GetBytes(ev.GetRawText())
                    : [];
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                if (item.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in meta.EnumerateObject())
                        metadata[p.Name] = p.Value.ToString();
                }

                entries.Add(new BulkPublishEntry(item.TryGetProperty("entryId", out var id) ? id.GetString() ?? "" : "", data, contentType, metadata));
            }

            return entries;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new DaprError(400, "ERR_PUBSUB_EVENTS_SER", $"error when unmarshaling the request for bulk publish: {e.Message}",
                global::Grpc.Core.StatusCode.InvalidArgument);
        }
    }
}
