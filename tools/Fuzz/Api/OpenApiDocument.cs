using System.Text.Json;

namespace Fuzz.Api;

/// <summary>The part of a JSON schema the generators need; <c>$ref</c>s are resolved when read.</summary>
public sealed class Schema
{
    public string? Type { get; init; }
    public string? Format { get; init; }
    public IReadOnlyDictionary<string, Schema> Properties { get; init; } = new Dictionary<string, Schema>();
    public Schema? Items { get; init; }
    public IReadOnlyList<string> Enum { get; init; } = [];

    public static readonly Schema Any = new();

    public bool IsObject => Type == "object" || Properties.Count > 0;
}

public sealed record ApiParameter(string Name, string In, Schema Schema, bool Required);

/// <summary>One operation of a service's OpenAPI document: method, path template, parameters, JSON body.</summary>
public sealed record ApiOperation(string App, string Method, string Path, IReadOnlyList<ApiParameter> Parameters, Schema? Body)
{
    public IEnumerable<ApiParameter> In(string location) => Parameters.Where(p => p.In == location);

    public bool HasIfMatch => Parameters.Any(p => p.In == "header" && p.Name.Equals("If-Match", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads a Swashbuckle document (OpenAPI 3.0 or 3.1) into <see cref="ApiOperation"/>s.</summary>
public static class OpenApiDocument
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public static IReadOnlyList<ApiOperation> Read(string app, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var schemas = root.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var s)
            ? s : default;
        var operations = new List<ApiOperation>();
        if (!root.TryGetProperty("paths", out var paths))
            return operations;
        foreach (var path in paths.EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? Parameters(p, schemas) : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                var parameters = shared.Concat(method.Value.TryGetProperty("parameters", out var own) ? Parameters(own, schemas) : []).ToList();
                operations.Add(new ApiOperation(app, method.Name.ToUpperInvariant(), path.Name, parameters, Body(method.Value, schemas)));
            }
        }

        return operations;
    }

    private static List<ApiParameter> Parameters(JsonElement list, JsonElement schemas) =>
        [.. list.EnumerateArray().Select(p => new ApiParameter(
            p.GetProperty("name").GetString()!,
            p.GetProperty("in").GetString()!,
            p.TryGetProperty("schema", out var schema) ? Resolve(schema, schemas, 0) : Schema.Any,
            p.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True))];

    private static Schema? Body(JsonElement operation, JsonElement schemas)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
            return null;
        foreach (var media in content.EnumerateObject())
        {
            if (media.Name.Contains("json", StringComparison.OrdinalIgnoreCase) && media.Value.TryGetProperty("schema", out var schema))
                return Resolve(schema, schemas, 0);
        }

        return Schema.Any;
    }

    private static Schema Resolve(JsonElement schema, JsonElement schemas, int depth)
    {
        if (depth > 8 || schema.ValueKind != JsonValueKind.Object)
            return Schema.Any;
        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target
            && schemas.ValueKind == JsonValueKind.Object && schemas.TryGetProperty(target.Split('/')[^1], out var resolved))
            return Resolve(resolved, schemas, depth + 1);
        foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(combinator, out var parts) && parts.GetArrayLength() > 0)
                return Resolve(parts.EnumerateArray().First(part => !IsNull(part)), schemas, depth + 1);
        }

        return new Schema
        {
            Type = TypeOf(schema),
            Format = schema.TryGetProperty("format", out var format) ? format.GetString() : null,
            Properties = schema.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().ToDictionary(p => p.Name, p => Resolve(p.Value, schemas, depth + 1))
                : new Dictionary<string, Schema>(),
            Items = schema.TryGetProperty("items", out var items) ? Resolve(items, schemas, depth + 1) : null,
            Enum = schema.TryGetProperty("enum", out var values)
                ? [.. values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
                : [],
        };
    }

    // 3.1 writes nullable as type: ["string", "null"]; 3.0 as type + nullable: true.
    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
            return null;
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }

    private static bool IsNull(JsonElement part) =>
        part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "null";
}
