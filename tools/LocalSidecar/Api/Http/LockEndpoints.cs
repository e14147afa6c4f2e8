using System.Text.Json;
using LocalSidecar.Lock;

namespace LocalSidecar.Api.Http;

/// <summary>
/// daprd's alpha lock routes. Bodies are protojson (DiscardUnknown): camelCase and snake_case names both bind, an int
/// may be a number or a numeric string; replies emit unpopulated fields (success:false) and enum numbers (status:0).
/// </summary>
public static class LockEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1.0-alpha1/lock/{store}", (HttpContext http, string store) => DaprHttpResults.Guard(http, () => TryLockAsync(http, store)));
        app.MapPost("/v1.0-alpha1/unlock/{store}", (HttpContext http, string store) => DaprHttpResults.Guard(http, () => UnlockAsync(http, store)));
    }

    private static async Task TryLockAsync(HttpContext http, string store)
    {
        using var body = await ReadAsync(http);
        var root = body.RootElement;
        var success = await http.RequestServices.GetRequiredService<LockStoreRegistry>().TryLockAsync(
            store, Text(root, "resourceId", "resource_id"), Text(root, "lockOwner", "lock_owner"), Int(root, "expiryInSeconds", "expiry_in_seconds"));
        await WriteAsync(http, w => w.WriteBoolean("success", success));
    }

    private static async Task UnlockAsync(HttpContext http, string store)
    {
        using var body = await ReadAsync(http);
        var root = body.RootElement;
        var status = await http.RequestServices.GetRequiredService<LockStoreRegistry>().UnlockAsync(
            store, Text(root, "resourceId", "resource_id"), Text(root, "lockOwner", "lock_owner"));
        await WriteAsync(http, w => w.WriteNumber("status", (int)status));
    }

    private static async Task<JsonDocument> ReadAsync(HttpContext http)
    {
        var document = GoJsonBody.Parse(await GoJsonBody.ReadBodyAsync(http.Request));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw DaprError.Malformed("failed deserializing HTTP body: expected a JSON object");
        }

        return document;
    }

    private static JsonElement? Field(JsonElement root, string camel, string snake) =>
        root.TryGetProperty(camel, out var v) || root.TryGetProperty(snake, out v) ? v.ValueKind == JsonValueKind.Null ? null : v : null;

    private static string Text(JsonElement root, string camel, string snake) => Field(root, camel, snake) switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } v => v.GetString()!,
        _ => throw DaprError.Malformed($"failed deserializing HTTP body: {camel} must be a string"),
    };

    private static int Int(JsonElement root, string camel, string snake) => Field(root, camel, snake) switch
    {
        null => 0,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => n,
        { ValueKind: JsonValueKind.String } v when int.TryParse(v.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => throw DaprError.Malformed($"failed deserializing HTTP body: {camel} must be an int32"),
    };

    private static async Task WriteAsync(HttpContext http, Action<Utf8JsonWriter> write)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartObject();
        write(writer);
        writer.WriteEndObject();
    }
}
