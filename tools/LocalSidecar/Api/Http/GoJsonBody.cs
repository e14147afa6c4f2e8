using System.Text.Json;

namespace LocalSidecar.Api.Http;

/// <summary>
/// Reading a request body the way daprd's Go structs do: field names match case-insensitively, unknown fields are
/// ignored, null is the zero value, and a value of the wrong JSON type is an error (→ 400 ERR_MALFORMED_REQUEST).
/// </summary>
public static class GoJsonBody
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Parses the whole body as one JSON value; an empty body, junk or a trailing comma is malformed.</summary>
    public static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw DaprError.Malformed($"failed deserializing HTTP body: {(body.Length == 0 ? "unexpected end of JSON input" : e.Message)}");
        }
    }

    /// <summary>A struct field: the last property whose name matches case-insensitively, or null when absent or JSON null.</summary>
    public static JsonElement? Field(JsonElement obj, string name)
    {
        JsonElement? found = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                found = property.Value;
        }

        return found is { ValueKind: JsonValueKind.Null } ? null : found;
    }

    public static string? String(JsonElement obj, string name) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw Mismatch(name, "string"),
    };

    public static JsonElement? Object(JsonElement obj, string name) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } v => v,
        _ => throw Mismatch(name, "object"),
    };

    public static List<JsonElement> Array(JsonElement value, string what) => value.ValueKind switch
    {
        JsonValueKind.Null => [],
        JsonValueKind.Array => value.EnumerateArray().ToList(),
        _ => throw Mismatch(what, "array"),
    };

    /// <summary>A map[string]string field.</summary>
    public static Dictionary<string, string> StringMap(JsonElement obj, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Object(obj, name) is not { } value)
            return map;
        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw Mismatch($"{name}.{property.Name}", "string");
        }

        return map;
    }

    /// <summary>An element that must be a struct (object); null is the zero struct.</summary>
    public static JsonElement Struct(JsonElement value, string what) => value.ValueKind switch
    {
        JsonValueKind.Object => value,
        JsonValueKind.Null or JsonValueKind.Undefined => EmptyObject,
        _ => throw Mismatch(what, "object"),
    };

    /// <summary>daprd's <c>metadata.&lt;key&gt;</c> query parameters.</summary>
    public static Dictionary<string, string> QueryMetadata(HttpRequest request)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            if (name.StartsWith("metadata.", StringComparison.Ordinal))
                metadata[name["metadata.".Length..]] = values.ToString();
        }

        return metadata;
    }

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static DaprError Mismatch(string field, string expected) =>
        DaprError.Malformed($"failed deserializing HTTP body: json: cannot unmarshal value into field {field} of type {expected}");
}
