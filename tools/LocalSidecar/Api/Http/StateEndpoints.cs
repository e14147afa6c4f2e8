using System.Text.Json;
using LocalSidecar.Json;
using LocalSidecar.State;

namespace LocalSidecar.Api.Http;

/// <summary>daprd's HTTP state routes (§1.11). Thin: parsing in <see cref="StateHttpBodies"/>, work in <see cref="StateStore"/>.</summary>
public static class StateEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1.0/state/{store}/{key}", (HttpContext http, string store, string key) => DaprHttpResults.Guard(http, () => GetAsync(http, store, key)));
        app.MapMethods("/v1.0/state/{store}", ["POST", "PUT"], (HttpContext http, string store) => DaprHttpResults.Guard(http, () => SaveAsync(http, store)));
        app.MapDelete("/v1.0/state/{store}/{key}", (HttpContext http, string store, string key) => DaprHttpResults.Guard(http, () => DeleteAsync(http, store, key)));
        app.MapMethods("/v1.0/state/{store}/bulk", ["POST", "PUT"], (HttpContext http, string store) => DaprHttpResults.Guard(http, () => BulkGetAsync(http, store)));
        app.MapMethods("/v1.0/state/{store}/transaction", ["POST", "PUT"], (HttpContext http, string store) => DaprHttpResults.Guard(http, () => TransactAsync(http, store)));
    }

    private static StateStore Store(HttpContext http, string name) => http.RequestServices.GetRequiredService<StateStoreRegistry>().Get(name);

    private static async Task GetAsync(HttpContext http, string store, string key)
    {
        var state = await Store(http, store).GetAsync(key);
        if (state is null)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        // Always application/json, even for raw bytes saved over gRPC (daprd does the same).
        http.Response.ContentType = "application/json";
        if (state.ETag is not null)
            http.Response.Headers.ETag = state.ETag;
        await http.Response.Body.WriteAsync(state.Data);
    }

    private static async Task SaveAsync(HttpContext http, string store)
    {
        var target = Store(http, store);
        var items = StateHttpBodies.ParseSave(await GoJsonBody.ReadBodyAsync(http.Request), GoJsonBody.QueryMetadata(http.Request));
        await target.SaveAsync(items);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task DeleteAsync(HttpContext http, string store, string key)
    {
        var target = Store(http, store);
        var query = http.Request.Query;
        // An empty If-Match means no etag.
        var etag = http.Request.Headers.IfMatch.ToString();
        await target.DeleteAsync(new DeleteRequest(key, etag.Length == 0 ? null : etag,
            query["concurrency"].ToString(), query["consistency"].ToString(), GoJsonBody.QueryMetadata(http.Request)));
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task BulkGetAsync(HttpContext http, string store)
    {
        var target = Store(http, store);
        var (keys, parallelism) = StateHttpBodies.ParseBulkGet(await GoJsonBody.ReadBodyAsync(http.Request));
        var items = await target.BulkGetAsync(keys, parallelism);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            writer.WriteStartObject();
            writer.WriteString("key", item.Key);
            if (item.Data is { Length: > 0 } data)
            {
                writer.WritePropertyName("data");
                // UNCERTAIN in daprd (its encoder rejects a non-JSON RawMessage): we emit such bytes as a base64 string.
                if (GoJson.IsJson(data))
                    writer.WriteRawValue(data, skipInputValidation: true);
                else
                    writer.WriteBase64StringValue(data);
            }

            if (item.ETag is not null)
                writer.WriteString("etag", item.ETag);
            if (item.Error is not null)
                writer.WriteString("error", item.Error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static async Task TransactAsync(HttpContext http, string store)
    {
        var target = Store(http, store);
        var operations = StateHttpBodies.ParseTransaction(await GoJsonBody.ReadBodyAsync(http.Request));
        await target.TransactAsync(operations);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
