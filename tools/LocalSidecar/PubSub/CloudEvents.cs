using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LocalSidecar.PubSub;

/// <summary>
/// The CloudEvent envelopes daprd builds (contrib pubsub/envelope.go). daprd marshals a Go map, so every object is
/// written with its keys sorted (nested ones too) and without whitespace.
/// </summary>
public static class CloudEvents
{
    public const string EventType = "com.dapr.event.sent";
    public const string JsonContentType = "application/cloudevents+json";

    // Go's encoder keeps non-ASCII text as is; it additionally escapes <, > and & (not reproduced).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What a publish carries into the envelope.</summary>
    public sealed record Source(
        string AppId, string PubsubName, string Topic, byte[] Data, string? ContentType,
        IReadOnlyDictionary<string, string> Metadata, string? TraceParent, string? TraceState, DateTimeOffset Now);

    /// <summary>NewCloudEventsEnvelope: wraps an ordinary payload.</summary>
    public static byte[] Wrap(Source source, TimeSpan? ttl)
    {
        var contentType = string.IsNullOrEmpty(source.ContentType) ? "text/plain" : source.ContentType;
        var fields = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["id"] = Str(Override(source, "cloudevent.id") ?? Guid.NewGuid().ToString()),
            ["source"] = Str(Override(source, "cloudevent.source") ?? source.AppId),
            ["type"] = Str(Override(source, "cloudevent.type") ?? EventType),
            ["specversion"] = Str("1.0"),
            ["datacontenttype"] = Str(contentType),
        };
        AddRouting(fields, source);
        AddTracing(fields, source, overwrite: true);
        if (IsBinary(contentType))
            fields["data_base64"] = Str(Convert.ToBase64String(source.Data));
        else if (source.Data.Length > 0)
            fields["data"] = IsJson(contentType) && TryParse(source.Data, out var json) ? json : Str(Encoding.UTF8.GetString(source.Data));
        AddExpiration(fields, source, ttl);
        return Write(fields);
    }

    /// <summary>FromCloudEvent: the publisher sent application/cloudevents+json; its id/source/type stay.</summary>
    public static byte[] FromCloudEvent(Source source, TimeSpan? ttl)
    {
        if (!TryParse(source.Data, out var parsed) || parsed.ValueKind != JsonValueKind.Object)
            throw new FormatException("the body is not a JSON object");
        var fields = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in parsed.EnumerateObject())
            fields[property.Name] = property.Value; // Go map semantics: the last duplicate wins
        fields.TryAdd("id", Str(Guid.NewGuid().ToString()));
        fields.TryAdd("source", Str(source.AppId));
        fields.TryAdd("type", Str(EventType));
        fields.TryAdd("specversion", Str("1.0"));
        AddRouting(fields, source);
        AddTracing(fields, source, overwrite: false);
        AddExpiration(fields, source, ttl);
        return Write(fields);
    }

    /// <summary>FromRawPayload: what a rawPayload subscription receives, built on the subscriber side.</summary>
    public static byte[] FromRawPayload(byte[] data, string topic, string pubsubName, IReadOnlyDictionary<string, string> metadata)
    {
        var fields = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["id"] = Str(Guid.NewGuid().ToString()),
            ["specversion"] = Str("1.0"),
            ["datacontenttype"] = Str("application/octet-stream"),
            ["source"] = Str("Dapr"),
            ["type"] = Str(EventType),
            ["topic"] = Str(topic),
            ["pubsubname"] = Str(pubsubName),
            ["data_base64"] = Str(Convert.ToBase64String(data)),
        };
        foreach (var key in new[] { "traceid", "traceparent", "tracestate" })
        {
            if (metadata.TryGetValue(key, out var value))
                fields[key] = Str(value);
        }

        return Write(fields);
    }

    /// <summary>True when the event carries an <c>expiration</c> in the past (daprd drops those).</summary>
    public static bool IsExpired(JsonElement cloudEvent, DateTimeOffset now) =>
        cloudEvent.ValueKind == JsonValueKind.Object
        && cloudEvent.TryGetProperty("expiration", out var expiration)
        && expiration.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(expiration.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
        && at < now;

    /// <summary>Go's time.Format(time.RFC3339): seconds precision, "Z" for UTC, else ±hh:mm.</summary>
    public static string Rfc3339(DateTimeOffset time) =>
        time.Offset == TimeSpan.Zero
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>contrib's IsJSONContentType: media type exactly application/json, parameters allowed.</summary>
    public static bool IsJson(string contentType) =>
        MediaType(contentType).Equals("application/json", StringComparison.OrdinalIgnoreCase);

    public static bool IsCloudEvent(string? contentType) =>
        contentType is not null && MediaType(contentType).Equals(JsonContentType, StringComparison.OrdinalIgnoreCase);

    private static bool IsBinary(string contentType) =>
        MediaType(contentType) is var media
        && (media.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/cloudevents+protobuf", StringComparison.OrdinalIgnoreCase));

    private static string MediaType(string contentType) => contentType.Split(';', 2)[0].Trim();

    private static string? Override(Source source, string key) =>
        source.Metadata.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static void AddRouting(SortedDictionary<string, JsonElement> fields, Source source)
    {
        fields["topic"] = Str(source.Topic);
        fields["pubsubname"] = Str(source.PubsubName);
    }

    // UNCERTAIN in the reference whether daprd ever leaves traceparent empty; we forward the caller's (or the
    // metadata.cloudevent.traceparent override) and write "" when there is none, as documented.
    private static void AddTracing(SortedDictionary<string, JsonElement> fields, Source source, bool overwrite)
    {
        var traceParent = Override(source, "cloudevent.traceparent") ?? source.TraceParent ?? "";
        var traceState = Override(source, "cloudevent.tracestate") ?? source.TraceState ?? "";
        Set("traceid", traceParent);
        Set("traceparent", traceParent);
        Set("tracestate", traceState);
        Set("time", Rfc3339(source.Now.ToLocalTime()));

        void Set(string key, string value)
        {
            if (overwrite || !fields.ContainsKey(key))
                fields[key] = Str(value);
        }
    }

    private static void AddExpiration(SortedDictionary<string, JsonElement> fields, Source source, TimeSpan? ttl)
    {
        if (ttl is { } span)
            fields["expiration"] = Str(Rfc3339((source.Now + span).ToUniversalTime()));
    }

    private static bool TryParse(byte[] data, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    private static JsonElement Str(string value) => JsonSerializer.SerializeToElement(value);

    private static byte[] Write(SortedDictionary<string, JsonElement> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                writer.WritePropertyName(name);
                WriteSorted(writer, value);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Re-serialises like Go's map marshalling: object keys sorted, last duplicate wins, numbers kept verbatim.</summary>
    public static void WriteSorted(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                    properties[property.Name] = property.Value;
                writer.WriteStartObject();
                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    WriteSorted(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteSorted(writer, item);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
